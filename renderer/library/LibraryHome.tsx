import { memo, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { measureOr, observeRectOr } from '../ui/virtual';
import type { GlossaryEntry, ItemSummary, LibraryHome as LibraryHomeData } from '#shared/library';
import { CollectionRow, FlownShelf } from './CollectionRow';
import { GlossarySection } from './GlossarySection';
import { librarySummary, nextScrollPace, shelfMetrics, type ScrollPace, type ShelfRow } from './presentation';
import { useShelfStart } from './queries';
import { StateMessage } from '../ui/StateMessage';

export interface LibraryHomeProps {
  /** The core's summary: shelves with counts, the first cards of the first shelves. */
  library: LibraryHomeData;
  /** Items new or changed since the rep last looked (the core's count); null until known. */
  newSinceSeen?: number | null;
  /** "Mark as seen": clears the badges; undefined hides the button. */
  onMarkSeen?: () => void;
  onOpenItem(item: ItemSummary): void;
  onOpenEntry(entry: GlossaryEntry): void;
  /** Opens a collection's full grid. */
  onSeeAll?(row: ShelfRow): void;
  /** The element the home scrolls in; the rows below the fold are drawn only as it nears them. */
  scrollElement(): HTMLElement | null;
  /** The window width the shelves size their cards for. */
  viewportWidth: number;
}

export function LibraryHome({
  library,
  newSinceSeen = null,
  onMarkSeen,
  onOpenItem,
  onOpenEntry,
  onSeeAll,
  scrollElement,
  viewportWidth,
}: LibraryHomeProps) {
  const rows = library.shelves;
  // One object per width, so the shelves (memoised) re-render only when what they show changes.
  const metrics = useMemo(() => shelfMetrics(viewportWidth), [viewportWidth]);
  const listRef = useRef<HTMLDivElement>(null);
  const [listTop, setListTop] = useState(0);
  useLayoutEffect(() => {
    const list = listRef.current;
    const scroller = scrollElement();
    if (!list || !scroller) return;
    setListTop(list.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop);
  });
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: scrollElement,
    estimateSize: () => metrics.cardWidth * 0.75 + 190,
    measureElement: measureOr(() => metrics.cardWidth * 0.75 + 190),
    gap: 36,
    overscan: 1,
    scrollMargin: listTop,
    getItemKey: (index) => rows[index]?.id ?? index,
    initialRect: { width: 1280, height: 800 },
    observeElementRect: observeRectOr({ width: 1280, height: 800 }),
    // How soon a shelf flown past draws its cards once the home stops.
    isScrollingResetDelay: 150,
  });
  // Read on each render, which every scroll of the home causes; a render for another reason
  // (the same offset) keeps the pace measured last.
  const pace = useRef<ScrollPace>({ offset: 0, at: 0, flinging: false });
  pace.current = nextScrollPace(pace.current, virtualizer.scrollOffset ?? 0, performance.now());
  const flinging = virtualizer.isScrolling && pace.current.flinging;
  const visibleRows = virtualizer.getVirtualItems();
  const firstRow = visibleRows[0];
  const lastRow = visibleRows[visibleRows.length - 1];
  const total = virtualizer.getTotalSize();
  const newCount = newSinceSeen ?? library.newCount;
  if (rows.length === 0 && library.glossary.length === 0) {
    return (
      <StateMessage tone="empty" title="No collateral on this device yet" testId="library-empty">
        {library.release
          ? 'The current release has no items you can open here. Newer content appears as soon as it is published and synced.'
          : 'Once a library release is installed, its brochures, decks and videos appear here and stay available offline.'}
      </StateMessage>
    );
  }
  return (
    <div className="library-home">
      <div className="library-intro">
        <div className="library-intro__heading">
          <h1 className="library-intro__title">Library</h1>
          {newCount > 0 ? (
            <span
              className="badge badge--new library-intro__new"
              data-testid="new-since-seen"
              aria-label={`${newCount} new or updated since you last looked`}
            >
              {newCount} new
            </span>
          ) : null}
          {newCount > 0 && onMarkSeen ? (
            <button
              type="button"
              className="button button--quiet library-intro__seen"
              data-testid="mark-seen"
              onClick={onMarkSeen}
            >
              Mark as seen
            </button>
          ) : null}
        </div>
        <p className="library-intro__summary">{librarySummary(library)}</p>
      </div>
      <div
        ref={listRef}
        className="library-home__rows"
        style={{
          paddingTop: firstRow ? firstRow.start - listTop : 0,
          paddingBottom: lastRow ? total - (lastRow.end - listTop) : 0,
        }}
      >
        {visibleRows.map((virtual) => {
          const row = rows[virtual.index];
          if (!row) return null;
          return (
            <div key={virtual.key} ref={virtualizer.measureElement} data-index={virtual.index}>
              <HomeShelf
                row={row}
                lastSeenVersion={library.lastSeenVersion}
                metrics={metrics}
                onOpenItem={onOpenItem}
                onSeeAll={onSeeAll}
                flinging={flinging}
              />
            </div>
          );
        })}
      </div>
      <GlossarySection entries={library.glossary} onOpenEntry={onOpenEntry} />
    </div>
  );
}

/**
 * A shelf further down the home loads its first cards when it is drawn. One that comes into view
 * while the home is flung shows placeholders until the scroll slows, then keeps its cards.
 */
const HomeShelf = memo(function HomeShelf({
  flinging,
  ...props
}: Parameters<typeof CollectionRow>[0] & { flinging: boolean }) {
  const { row } = props;
  const [drawn, setDrawn] = useState(!flinging);
  if (!drawn && !flinging) setDrawn(true);
  const start = useShelfStart(drawn && row.items === null ? row.id : null);
  const loaded = start.data;
  const shown = useMemo(
    () => (row.items === null && loaded ? { ...row, count: loaded.total, items: loaded.items } : row),
    [row, loaded],
  );
  if (!drawn) return <FlownShelf row={row} metrics={props.metrics} />;
  if (start.status === 'error')
    return (
      <StateMessage tone="error" title={`${row.title} could not be loaded`} testId="shelf-error" onRetry={start.retry}>
        {start.error.message}
      </StateMessage>
    );
  return <CollectionRow {...props} row={shown} />;
});

/** Placeholder rows in the shape of the real ones, shown for the moment the library loads. */
export function LibrarySkeleton() {
  return (
    <div className="library-home library-home--loading" aria-busy="true" aria-label="Loading the library">
      {[0, 1].map((row) => (
        <div key={row} className="collection-row">
          <div className="skeleton skeleton--heading" />
          <div className="collection-row__shelf">
            {[0, 1, 2, 3, 4].map((card) => (
              <div key={card} className="collection-row__slot">
                <div className="skeleton skeleton--card" />
              </div>
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}
