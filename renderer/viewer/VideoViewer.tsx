import { useRef, useState } from 'react';
import type { ItemDetail } from '#shared/library';
import { badgeLabel, contentUrl } from '../library/presentation';
import { StateMessage } from '../ui/StateMessage';
import { useElementSize } from '../ui/useElementSize';
import { fitSize, type Size } from './gestures';
import { ViewerFrame } from './ViewerFrame';

export interface VideoViewerProps {
  item: ItemDetail;
  onBack(): void;
}

const stagePadding = 24;

/** The platform's own video player (familiar controls, scrubbing, fullscreen), fitted to the stage. */
export function VideoViewer({ item, onBack }: VideoViewerProps) {
  const [failed, setFailed] = useState(false);
  const [natural, setNatural] = useState<Size | null>(null);
  const stageRef = useRef<HTMLDivElement>(null);
  const stage = useElementSize(stageRef);
  const fitted = natural
    ? fitSize(natural, { width: stage.width - stagePadding * 2, height: stage.height - stagePadding * 2 })
    : null;

  return (
    <ViewerFrame
      title={item.title}
      subtitle={badgeLabel(item)}
      onBack={onBack}
      rootProps={{ className: 'viewer--video', 'data-testid': 'video-viewer', 'data-item-id': item.id }}
    >
      <div className="media-stage" ref={stageRef}>
        {item.primary && !failed ? (
          <video
            className="media-stage__video"
            data-testid="video-player"
            src={contentUrl(item.primary.sha256)}
            poster={item.poster ? contentUrl(item.poster.sha256) : undefined}
            controls
            playsInline
            preload="auto"
            controlsList="nodownload noremoteplayback"
            disablePictureInPicture
            style={fitted && fitted.width > 0 ? { width: fitted.width, height: fitted.height } : undefined}
            onLoadedMetadata={(event) => {
              const { videoWidth, videoHeight } = event.currentTarget;
              if (videoWidth > 0 && videoHeight > 0) setNatural({ width: videoWidth, height: videoHeight });
            }}
            onError={() => setFailed(true)}
          />
        ) : (
          <StateMessage tone="error" onDark title="This video could not be played">
            The file is missing or in a format this device cannot play.
          </StateMessage>
        )}
      </div>
    </ViewerFrame>
  );
}
