import { useEffect, useRef, useState } from 'react';
import type { ItemDetail } from '#shared/library';
import { badgeLabel, contentUrl } from '../library/presentation';
import { StateMessage } from '../ui/StateMessage';
import { useElementSize } from '../ui/useElementSize';
import { fitSize, stepScale, type Size } from './gestures';
import { usePresenterGestures } from './usePresenterGestures';
import { ViewerFrame } from './ViewerFrame';
import { ZoomControls } from './ZoomControls';

export interface ImageViewerProps {
  item: ItemDetail;
  onBack(): void;
}

const stagePadding = 24;

/** A picture fitted to the screen; pinch, ctrl+wheel or the buttons zoom, drag pans. */
export function ImageViewer({ item, onBack }: ImageViewerProps) {
  const stageRef = useRef<HTMLDivElement>(null);
  const stage = useElementSize(stageRef);
  const [natural, setNatural] = useState<Size | null>(null);
  const [failed, setFailed] = useState(false);
  const fitted = natural
    ? fitSize(natural, { width: stage.width - stagePadding * 2, height: stage.height - stagePadding * 2 })
    : { width: 0, height: 0 };
  const { view, zoomTo, reset } = usePresenterGestures(stageRef, { contentSize: fitted, paged: false });

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === '+' || event.key === '=') zoomTo(stepScale(view.scale, 'in'));
      else if (event.key === '-') zoomTo(stepScale(view.scale, 'out'));
      else if (event.key === '0') reset();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [view.scale, zoomTo, reset]);

  const tools = (
    <ZoomControls scale={view.scale} zoomTo={zoomTo} onFit={reset} fitLabel="image" fitted={view.scale === 1} />
  );

  return (
    <ViewerFrame
      title={item.title}
      subtitle={badgeLabel(item)}
      onBack={onBack}
      tools={tools}
      rootProps={{
        className: 'viewer--image',
        'data-testid': 'image-viewer',
        'data-item-id': item.id,
        'data-zoom': view.scale.toFixed(2),
      }}
    >
      <div ref={stageRef} className="media-stage media-stage--zoomable">
        {item.primary && !failed ? (
          <img
            className={`media-stage__image${natural ? ' is-loaded' : ''}`}
            data-testid="image-content"
            src={contentUrl(item.primary.sha256)}
            alt={item.description || item.title}
            draggable={false}
            style={{
              width: fitted.width || undefined,
              height: fitted.height || undefined,
              transform: `translate3d(${view.x}px, ${view.y}px, 0) scale(${view.scale})`,
            }}
            onLoad={(event) =>
              setNatural({ width: event.currentTarget.naturalWidth, height: event.currentTarget.naturalHeight })
            }
            onError={() => setFailed(true)}
          />
        ) : (
          <StateMessage tone="error" onDark title="This image could not be opened">
            The file is missing from this device. It comes back with the next content sync.
          </StateMessage>
        )}
      </div>
    </ViewerFrame>
  );
}
