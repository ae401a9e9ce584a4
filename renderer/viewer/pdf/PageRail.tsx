import { memo, useEffect, useRef, useState } from 'react';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import type { FileRef } from '#shared/library';
import { contentUrl } from '../../library/presentation';
import { isCancelled, presentCanvas, renderPage } from './pdfjs';

export interface PageRailProps {
  pageCount: number;
  current: number;
  /** Pre-rendered thumbnails from the release, index 0 = page 1; missing ones are drawn here. */
  thumbnails: (FileRef | null)[];
  doc: PDFDocumentProxy | null;
  /** Slide titles of a presentation, index 0 = page 1. */
  titles?: readonly string[];
  onSelect(page: number): void;
}

const thumbWidth = 72;

/** The strip of page thumbnails under the page: see where you are, jump anywhere in one tap. */
export function PageRail({ pageCount, current, thumbnails, doc, titles, onSelect }: PageRailProps) {
  const railRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    const rail = railRef.current;
    const active = rail?.querySelector<HTMLElement>(`[data-page-number="${current}"]`);
    if (!rail || !active) return;
    // Keep the current page's thumbnail in view without scrolling anything but the rail.
    const target = active.offsetLeft - (rail.clientWidth - active.offsetWidth) / 2;
    rail.scrollTo({ left: Math.max(0, target), behavior: 'smooth' });
  }, [current]);

  const pages = Array.from({ length: pageCount }, (_, index) => index + 1);
  return (
    <nav className="page-rail" aria-label="Pages">
      <ol className="page-rail__list" ref={railRef}>
        {pages.map((page) => (
          <li key={page}>
            <PageThumb
              page={page}
              selected={page === current}
              thumbnail={thumbnails[page - 1] ?? null}
              title={titles?.[page - 1] ?? ''}
              doc={doc}
              railRef={railRef}
              onSelect={onSelect}
            />
          </li>
        ))}
      </ol>
    </nav>
  );
}

interface PageThumbProps {
  page: number;
  selected: boolean;
  thumbnail: FileRef | null;
  title: string;
  doc: PDFDocumentProxy | null;
  railRef: React.RefObject<HTMLOListElement | null>;
  onSelect(page: number): void;
}

const PageThumb = memo(function PageThumb({
  page,
  selected,
  thumbnail,
  title,
  doc,
  railRef,
  onSelect,
}: PageThumbProps) {
  const buttonRef = useRef<HTMLButtonElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [visible, setVisible] = useState(false);
  const [drawn, setDrawn] = useState(false);

  // Draw missing thumbnails only when they scroll into the rail.
  useEffect(() => {
    if (thumbnail || visible) return;
    const button = buttonRef.current;
    if (!button) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) setVisible(true);
      },
      { root: railRef.current, rootMargin: '0px 200px' },
    );
    observer.observe(button);
    return () => observer.disconnect();
  }, [thumbnail, visible, railRef]);

  useEffect(() => {
    if (thumbnail || !visible || !doc || drawn) return;
    let live = true;
    let cancel: (() => void) | null = null;
    doc.getPage(page).then(
      (proxy) => {
        if (!live) return;
        const { task, canvas } = renderPage(proxy, thumbWidth, Math.min(2, window.devicePixelRatio || 1));
        cancel = () => task.cancel();
        task.promise.then(
          () => {
            if (!live || !canvasRef.current) return;
            presentCanvas(canvasRef.current, canvas);
            setDrawn(true);
          },
          (error: unknown) => {
            if (!isCancelled(error)) cancel = null;
          },
        );
      },
      () => undefined,
    );
    return () => {
      live = false;
      cancel?.();
    };
  }, [thumbnail, visible, doc, page, drawn]);

  return (
    <button
      ref={buttonRef}
      type="button"
      className={`page-thumb${selected ? ' page-thumb--selected' : ''}`}
      data-testid="page-thumb"
      data-page-number={page}
      aria-label={title ? `Page ${page}: ${title}` : `Page ${page}`}
      title={title || undefined}
      aria-current={selected ? 'page' : undefined}
      onClick={() => onSelect(page)}
    >
      <span className="page-thumb__image">
        {thumbnail ? (
          <img src={contentUrl(thumbnail.sha256)} alt="" draggable={false} decoding="async" loading="lazy" />
        ) : (
          <canvas ref={canvasRef} width={3} height={4} className={drawn ? 'is-drawn' : undefined} />
        )}
      </span>
      <span className="page-thumb__number">{page}</span>
    </button>
  );
});
