import { useState } from 'react';
import type { ItemDetail } from '#shared/library';
import { badgeLabel, contentUrl } from '../library/presentation';
import { StateMessage } from '../ui/StateMessage';
import { ViewerFrame } from './ViewerFrame';

export interface AudioViewerProps {
  item: ItemDetail;
  onBack(): void;
}

/** The platform's own audio player under the item's title and cover, so a recording is one tap from playing. */
export function AudioViewer({ item, onBack }: AudioViewerProps) {
  const [failed, setFailed] = useState(false);
  const cover = item.poster ?? item.thumbnail;
  return (
    <ViewerFrame
      title={item.title}
      subtitle={badgeLabel(item)}
      onBack={onBack}
      rootProps={{ className: 'viewer--audio', 'data-testid': 'audio-viewer', 'data-item-id': item.id }}
    >
      <div className="media-stage media-stage--audio">
        {cover ? <img className="media-stage__cover" src={contentUrl(cover.sha256)} alt="" draggable={false} /> : null}
        {item.description ? <p className="media-stage__description">{item.description}</p> : null}
        {item.primary && !failed ? (
          <audio
            className="media-stage__audio"
            data-testid="audio-player"
            src={contentUrl(item.primary.sha256)}
            controls
            preload="auto"
            controlsList="nodownload noremoteplayback"
            onError={() => setFailed(true)}
          />
        ) : (
          <StateMessage tone="error" onDark title="This recording could not be played">
            The file is missing or in a format this device cannot play.
          </StateMessage>
        )}
      </div>
    </ViewerFrame>
  );
}
