import { useState } from 'react';
import type { ItemSummary } from '#shared/library';
import { AudioIcon, DocumentIcon, GlobeIcon, ImageIcon, VideoIcon } from '../ui/icons';
import { badgeLabel, contentUrl, pageCountLabel } from './presentation';

export interface ItemCardProps {
  item: ItemSummary;
  isNew: boolean;
  onOpen(item: ItemSummary): void;
}

export function KindIcon({ kind, size }: { kind: ItemSummary['kind']; size?: number }) {
  switch (kind) {
    case 'pdf':
      return <DocumentIcon size={size} />;
    case 'image':
      return <ImageIcon size={size} />;
    case 'video':
      return <VideoIcon size={size} />;
    case 'audio':
      return <AudioIcon size={size} />;
    case 'microsite':
      return <GlobeIcon size={size} />;
  }
}

export function ItemCard({ item, isNew, onOpen }: ItemCardProps) {
  const [thumbFailed, setThumbFailed] = useState(false);
  const pages = pageCountLabel(item.pageCount);
  const showThumb = item.thumbnail !== null && !thumbFailed;

  return (
    <button
      type="button"
      className={`item-card item-card--${item.kind}`}
      data-testid="item-card"
      data-focus-card=""
      data-item-id={item.id}
      data-kind={item.kind}
      onClick={() => onOpen(item)}
    >
      <span className="item-card__thumb">
        {showThumb && item.thumbnail ? (
          <img
            src={contentUrl(item.thumbnail.sha256)}
            alt=""
            // Covers load only as their card nears the screen, decoded off the main thread, at the
            // card's size (4:3), so a long shelf never decodes what nobody sees.
            loading="lazy"
            decoding="async"
            width={272}
            height={204}
            draggable={false}
            onError={() => setThumbFailed(true)}
          />
        ) : (
          <span className="item-card__placeholder">
            <KindIcon kind={item.kind} size={40} />
          </span>
        )}
        {item.kind === 'video' ? (
          <span className="item-card__play" aria-hidden="true">
            <VideoIcon size={22} />
          </span>
        ) : null}
        {isNew ? <span className="badge badge--new">New</span> : null}
      </span>
      <span className="item-card__body">
        <span className="item-card__meta">
          <span className="badge badge--kind">
            <KindIcon kind={item.kind} size={14} />
            {badgeLabel(item)}
          </span>
          {pages ? <span className="item-card__pages">{pages}</span> : null}
        </span>
        <span className="item-card__title">{item.title}</span>
        {item.description ? <span className="item-card__description">{item.description}</span> : null}
      </span>
    </button>
  );
}
