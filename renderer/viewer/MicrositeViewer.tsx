import { useState } from 'react';
import type { ItemDetail } from '#shared/library';
import { badgeLabel } from '../library/presentation';
import { StateMessage } from '../ui/StateMessage';
import { ViewerFrame } from './ViewerFrame';

export interface MicrositeViewerProps {
  item: ItemDetail;
  onBack(): void;
}

/**
 * An HTML microsite from the release, on its own origin and treated as hostile: scripts run,
 * but without same-origin rights (no storage, no cookies, no reaching into the app), no popups,
 * no forms, no navigating the app away, and no referrer.
 */
export function MicrositeViewer({ item, onBack }: MicrositeViewerProps) {
  const [loaded, setLoaded] = useState(false);
  return (
    <ViewerFrame
      title={item.title}
      subtitle={badgeLabel(item)}
      onBack={onBack}
      rootProps={{ className: 'viewer--microsite', 'data-testid': 'microsite-viewer', 'data-item-id': item.id }}
    >
      <div className="media-stage media-stage--site">
        {item.siteUrl ? (
          <>
            <iframe
              className={`microsite-frame${loaded ? ' is-loaded' : ''}`}
              data-testid="microsite-frame"
              title={item.title}
              src={item.siteUrl}
              sandbox="allow-scripts"
              referrerPolicy="no-referrer"
              allow=""
              onLoad={() => setLoaded(true)}
            />
            {loaded ? null : (
              <div className="media-stage__hint" role="status">
                Opening…
              </div>
            )}
          </>
        ) : (
          <StateMessage tone="error" onDark title="This microsite could not be opened">
            The release does not say where its pages start.
          </StateMessage>
        )}
      </div>
    </ViewerFrame>
  );
}
