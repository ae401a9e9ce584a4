/**
 * Presenting a PDF: one page fitted to the screen, its neighbours ready beside it, swipe or tap
 * the edges to turn, pinch or ctrl+wheel to zoom, thumbnails underneath. The page number lives
 * in the route (the container passes it in), so Back and deep links behave.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ItemDetail } from '#shared/library';
import { ChevronLeftIcon, ChevronRightIcon, PagesIcon } from '../../ui/icons';
import { StateMessage } from '../../ui/StateMessage';
import { useElementSize } from '../../ui/useElementSize';
import { clampPage, pagesAround, stepScale, type Size } from '../gestures';
import { usePresenterGestures } from '../usePresenterGestures';
import { ViewerFrame } from '../ViewerFrame';
import { ZoomControls } from '../ZoomControls';
import { badgeLabel, contentUrl } from '../../library/presentation';
import { PageRail } from './PageRail';
import { PdfPage } from './PdfPage';
import { usePdfDocument } from './usePdfDocument';
import { createTermMatcher } from '../../search/term-match';

export interface PdfViewerProps {
  item: ItemDetail;
  /** Requested page (1-based); clamped to the document once it is open. */
  page: number;
  onPageChange(page: number): void;
  onBack(): void;
  /** The search that opened the document: its terms are marked on every page. */
  highlightQuery?: string | null;
}

/** Gap between a page and its neighbours while swiping, in CSS pixels. */
const pageGap = 32;
/** Breathing room around a fitted page. */
const stagePadding = 24;

export function PdfViewer({ item, page: requestedPage, onPageChange, onBack, highlightQuery = null }: PdfViewerProps) {
  const [attempt, setAttempt] = useState(0);
  const url = item.primary ? contentUrl(item.primary.sha256) : '';
  const documentState = usePdfDocument(url, attempt);
  const doc = documentState.status === 'ready' ? documentState.doc : null;
  const pageCount = doc?.numPages ?? item.pageCount ?? 0;
  const page = pageCount > 0 ? clampPage(requestedPage, pageCount) : Math.max(1, requestedPage);

  const stageRef = useRef<HTMLDivElement>(null);
  const stage = useElementSize(stageRef);
  const box: Size = {
    width: Math.max(0, stage.width - stagePadding * 2),
    height: Math.max(0, stage.height - stagePadding * 2),
  };

  const [railOpen, setRailOpen] = useState(true);
  const [chromeHidden, setChromeHidden] = useState(false);
  const [drag, setDrag] = useState<number | null>(null);
  const [rendered, setRendered] = useState<ReadonlySet<number>>(new Set());
  const [fittedSizes, setFittedSizes] = useState<ReadonlyMap<number, Size>>(new Map());
  const contentSize = fittedSizes.get(page) ?? { width: 0, height: 0 };

  const goTo = useCallback(
    (target: number) => {
      if (pageCount < 1) return;
      const next = clampPage(target, pageCount);
      if (next !== page) onPageChange(next);
    },
    [page, pageCount, onPageChange],
  );

  const gestures = usePresenterGestures(stageRef, {
    contentSize,
    paged: true,
    onSwipe: (direction) => goTo(direction === 'next' ? page + 1 : page - 1),
    onTap: (zone) => {
      if (zone === 'next') goTo(page + 1);
      else if (zone === 'previous') goTo(page - 1);
      else setChromeHidden((hidden) => !hidden);
    },
    onDrag: setDrag,
  });
  const { view, reset, zoomTo } = gestures;

  // A new page always starts fitted to the screen.
  useEffect(() => {
    reset();
  }, [page, reset]);

  // Keep the route honest when the requested page does not exist (deep link past the end).
  useEffect(() => {
    if (pageCount > 0 && requestedPage !== page) onPageChange(page);
  }, [pageCount, requestedPage, page, onPageChange]);

  // Re-render sharper once a zoom has settled, not on every pinch frame.
  const [sharpAtZoom, setSharpAtZoom] = useState(1);
  useEffect(() => {
    const timer = setTimeout(() => setSharpAtZoom(view.scale), 180);
    return () => clearTimeout(timer);
  }, [view.scale]);

  const onRendered = useCallback((pageNumber: number) => {
    setRendered((previous) => (previous.has(pageNumber) ? previous : new Set(previous).add(pageNumber)));
  }, []);
  const matcher = useMemo(() => (highlightQuery ? createTermMatcher(highlightQuery) : null), [highlightQuery]);
  const [highlightCounts, setHighlightCounts] = useState<ReadonlyMap<number, number>>(new Map());
  useEffect(() => setHighlightCounts(new Map()), [matcher]);
  const onHighlighted = useCallback((pageNumber: number, count: number) => {
    setHighlightCounts((previous) =>
      previous.get(pageNumber) === count ? previous : new Map(previous).set(pageNumber, count),
    );
  }, []);
  const onFitted = useCallback((pageNumber: number, size: Size) => {
    setFittedSizes((previous) => {
      const known = previous.get(pageNumber);
      if (known && known.width === size.width && known.height === size.height) return previous;
      return new Map(previous).set(pageNumber, size);
    });
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      const target = event.target as Element | null;
      if (target?.closest('input, textarea, select, [contenteditable="true"]')) return;
      const onButton = Boolean(target?.closest('button'));
      switch (event.key) {
        case 'ArrowRight':
        case 'PageDown':
          goTo(page + 1);
          break;
        case ' ':
          if (onButton) return;
          goTo(event.shiftKey ? page - 1 : page + 1);
          break;
        case 'ArrowLeft':
        case 'PageUp':
          goTo(page - 1);
          break;
        case 'Home':
          goTo(1);
          break;
        case 'End':
          goTo(pageCount);
          break;
        case '+':
        case '=':
          zoomTo(stepScale(view.scale, 'in'));
          break;
        case '-':
          zoomTo(stepScale(view.scale, 'out'));
          break;
        case '0':
          reset();
          break;
        default:
          return;
      }
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [goTo, page, pageCount, view.scale, zoomTo, reset]);

  const currentRendered = rendered.has(page);
  const slidePitch = stage.width + pageGap;
  // Past the first or last page the drag meets resistance instead of revealing nothing.
  const atEdge = drag !== null && ((drag > 0 && page <= 1) || (drag < 0 && page >= pageCount));
  const stripOffset = drag === null ? 0 : atEdge ? drag / 3 : drag;

  const tools = (
    <>
      <div className="page-indicator" data-testid="page-indicator" aria-live="polite" aria-atomic="true">
        {pageCount > 0 ? (
          <>
            <span className="visually-hidden">Page </span>
            {page} / {pageCount}
          </>
        ) : (
          '…'
        )}
      </div>
      <ZoomControls
        scale={view.scale}
        zoomTo={zoomTo}
        onFit={reset}
        fitLabel="page"
        fitted={view.scale === 1 && view.x === 0 && view.y === 0}
      />
      <button
        type="button"
        className="icon-button icon-button--on-dark"
        aria-label="Page thumbnails"
        aria-pressed={railOpen}
        onClick={() => setRailOpen((open) => !open)}
      >
        <PagesIcon />
      </button>
    </>
  );

  const subtitle = [badgeLabel(item), pageCount > 0 ? `${pageCount} pages` : null].filter(Boolean).join(' · ');

  return (
    <ViewerFrame
      title={item.title}
      subtitle={subtitle}
      onBack={onBack}
      tools={tools}
      chromeHidden={chromeHidden}
      rootProps={{
        className: 'viewer--pdf',
        'data-testid': 'pdf-viewer',
        'data-item-id': item.id,
        'data-page': page,
        'data-page-count': pageCount || undefined,
        'data-rendered-page': currentRendered ? page : undefined,
        // Set once the current page is drawn and its search terms are marked (tests wait on it).
        'data-highlight-count': matcher && currentRendered ? highlightCounts.get(page) : undefined,
        'data-zoom': view.scale.toFixed(2),
      }}
    >
      <div
        ref={stageRef}
        className={`pdf-stage${gestures.active ? ' is-touching' : ''}${view.scale > 1 ? ' is-zoomed' : ''}`}
        aria-roledescription="slide deck"
      >
        {documentState.status === 'loading' ? (
          <div className="pdf-stage__loading" role="status">
            <div className="page-skeleton" />
            <div
              className="progress"
              role="progressbar"
              aria-label="Opening the document"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={documentState.progress === null ? undefined : Math.round(documentState.progress * 100)}
            >
              <div
                className="progress__bar"
                style={{
                  width: documentState.progress === null ? undefined : `${Math.round(documentState.progress * 100)}%`,
                }}
                data-indeterminate={documentState.progress === null ? 'true' : undefined}
              />
            </div>
          </div>
        ) : null}
        {documentState.status === 'error' ? (
          <StateMessage
            tone="error"
            onDark
            title="This document could not be opened"
            onRetry={() => setAttempt((n) => n + 1)}
            actions={
              <button type="button" className="button button--ghost-dark" onClick={onBack}>
                Back to library
              </button>
            }
          >
            {documentState.message}
          </StateMessage>
        ) : null}
        {doc ? (
          <div
            className={`pdf-strip${drag === null ? '' : ' is-dragging'}`}
            style={{ transform: `translate3d(${stripOffset}px, 0, 0)` }}
          >
            {pagesAround(page, pageCount).map((pageNumber) => {
              const current = pageNumber === page;
              return (
                <div
                  key={pageNumber}
                  className={`pdf-slot${current ? ' pdf-slot--current' : ''}`}
                  style={{ transform: `translate3d(${(pageNumber - page) * slidePitch}px, 0, 0)` }}
                  aria-hidden={current ? undefined : true}
                >
                  <PdfPage
                    doc={doc}
                    pageNumber={pageNumber}
                    box={box}
                    current={current}
                    enabled={current || currentRendered}
                    sharpAtZoom={current ? sharpAtZoom : 1}
                    onFitted={onFitted}
                    onRendered={onRendered}
                    matcher={matcher}
                    onHighlighted={onHighlighted}
                    style={
                      current
                        ? { transform: `translate3d(${view.x}px, ${view.y}px, 0) scale(${view.scale})` }
                        : undefined
                    }
                  />
                </div>
              );
            })}
          </div>
        ) : null}
        {doc ? (
          <>
            <button
              type="button"
              className="stage-arrow stage-arrow--previous"
              aria-label="Previous page"
              disabled={page <= 1}
              onClick={() => goTo(page - 1)}
            >
              <ChevronLeftIcon size={28} />
            </button>
            <button
              type="button"
              className="stage-arrow stage-arrow--next"
              aria-label="Next page"
              disabled={page >= pageCount}
              onClick={() => goTo(page + 1)}
            >
              <ChevronRightIcon size={28} />
            </button>
          </>
        ) : null}
      </div>
      {railOpen && pageCount > 1 ? (
        <PageRail
          pageCount={pageCount}
          current={page}
          thumbnails={item.pageThumbnails}
          titles={item.pages?.map((p) => p.title)}
          doc={doc}
          onSelect={goTo}
        />
      ) : null}
    </ViewerFrame>
  );
}
