/**
 * A meeting's ink to look at: each inked page small (the page as presented, its ink on top) and,
 * tapped, large. Read-only: the same SlideContent and ink canvas the presenter and the audience
 * screen use, in a box of the shape the ink was drawn in, so it lands where it was drawn.
 * Props only; the wrap-up's containers load the ink and the items.
 */
import { useEffect, useRef, useState } from 'react';
import type { ItemDetail } from '#shared/library';
import { CloseIcon } from '../ui/icons';
import { useElementSize } from '../ui/useElementSize';
import { InkView } from './AnnotationLayer';
import { fitBox } from './audience-sync';
import type { InkPageView } from './meeting-ink';
import { SlideContent } from './Slide';
import { shownLabel } from './wrap-up';

const previewWidth = 176;

export interface MeetingInkPagesProps {
  pages: readonly InkPageView[];
  /** Items as the library has them now; an item no longer there shows its ink on a blank page. */
  items: ReadonlyMap<string, ItemDetail>;
}

function pageLabel(page: InkPageView, items: ReadonlyMap<string, ItemDetail>): string {
  return shownLabel({ title: items.get(page.itemId)?.title ?? page.itemId, page: page.page });
}

/** One page with its ink, in a box of the given size. */
function InkedPage({
  page,
  item,
  size,
  testId,
}: {
  page: InkPageView;
  item: ItemDetail | null;
  size: { width: number; height: number };
  testId: string;
}) {
  const [rendered, setRendered] = useState(false);
  return (
    <div className="presenter__stage ink-page__stage" style={size} data-rendered={rendered ? 'true' : 'false'}>
      {item ? (
        <SlideContent slide={page} item={item} box={size} onRendered={() => setRendered(true)} />
      ) : (
        <span className="ink-page__missing">No longer on this device</span>
      )}
      <InkView strokes={page.strokes} size={size} testId={testId} />
    </div>
  );
}

function LargeInkPage({
  page,
  item,
  label,
  onClose,
}: {
  page: InkPageView;
  item: ItemDetail | null;
  label: string;
  onClose(): void;
}) {
  const areaRef = useRef<HTMLDivElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const area = useElementSize(areaRef);
  const box = fitBox(area, page.aspect);
  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div
      className="ink-viewer"
      role="dialog"
      aria-modal="true"
      aria-label={`Ink on ${label}`}
      data-testid="ink-viewer"
      data-item-id={page.itemId}
      data-page={page.page ?? ''}
    >
      <header className="ink-viewer__bar">
        <span>{label}</span>
        <button
          ref={closeRef}
          type="button"
          className="icon-button icon-button--on-dark"
          aria-label="Close"
          data-testid="ink-viewer-close"
          onClick={onClose}
        >
          <CloseIcon />
        </button>
      </header>
      <div ref={areaRef} className="ink-viewer__area">
        {box.width > 0 ? (
          <div className="ink-viewer__box" style={{ left: box.left, top: box.top }}>
            <InkedPage
              page={page}
              item={item}
              size={{ width: box.width, height: box.height }}
              testId="ink-viewer-ink"
            />
          </div>
        ) : null}
      </div>
    </div>
  );
}

export function MeetingInkPages({ pages, items }: MeetingInkPagesProps) {
  const [open, setOpen] = useState<number | null>(null);
  const opened = open !== null ? (pages[open] ?? null) : null;
  return (
    <>
      <ul className="ink-pages" data-testid="ink-pages">
        {pages.map((page, index) => {
          const label = pageLabel(page, items);
          const size = { width: previewWidth, height: Math.round(previewWidth / page.aspect) };
          return (
            <li
              key={`${page.itemId}#${page.page ?? ''}`}
              className="ink-pages__page"
              data-testid="ink-preview"
              data-item-id={page.itemId}
              data-page={page.page ?? ''}
            >
              <InkedPage page={page} item={items.get(page.itemId) ?? null} size={size} testId="ink-preview-ink" />
              {/* Over the page, not around it: a page may hold a video or a microsite. */}
              <button
                type="button"
                className="ink-pages__open"
                aria-label={`Open the ink on ${label}`}
                onClick={() => setOpen(index)}
              />
              <span className="ink-pages__caption">{label}</span>
            </li>
          );
        })}
      </ul>
      {opened ? (
        <LargeInkPage
          page={opened}
          item={items.get(opened.itemId) ?? null}
          label={pageLabel(opened, items)}
          onClose={() => setOpen(null)}
        />
      ) : null}
    </>
  );
}
