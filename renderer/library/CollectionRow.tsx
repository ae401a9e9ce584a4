import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { observeRectOr } from '../ui/virtual';
import type { ItemSummary } from '#shared/library';
import { ChevronLeftIcon, ChevronRightIcon } from '../ui/icons';
import { ItemCard } from './ItemCard';
import { isNewSince, type ShelfRow } from './presentation';

export interface CollectionRowProps {
  /** The shelf: its count, and its first cards (null while they load). */
  row: ShelfRow;
  /** Cards changed after this release are badged "New"; null: none are. */
  lastSeenVersion: number | null;
  /** Card width, gap and page margin in px (see `shelfMetrics`). */
  metrics: { cardWidth: number; gap: number; pageX: number };
  onOpenItem(item: ItemSummary): void;
  /** Opens the collection's full grid; undefined hides "See all". */
  onSeeAll?(row: ShelfRow): void;
}

/** Placeholder cards drawn while a shelf's first cards load. */
const loadingCards = 5;

/**
 * One shelf of cards that scrolls sideways by touch, trackpad, Shift+wheel, the arrow buttons and
 * the arrow keys. It holds the collection's first cards; a longer collection ends in a "See all"
 * card, and its full grid pages through the rest. Only the cards near the visible part are in
 * the DOM.
 */
export function CollectionRow({ row, lastSeenVersion, metrics, onOpenItem, onSeeAll }: CollectionRowProps) {
  const items = row.items;
  const more = items !== null && row.count > items.length && onSeeAll !== undefined;
  // The list's entries: the cards, then the "See all" card when the shelf holds only the first.
  const entries = items === null ? Math.min(row.count, loadingCards) : items.length + (more ? 1 : 0);
  const headingId = `collection-${row.id}`;
  const shelfRef = useRef<HTMLDivElement>(null);
  const [edges, setEdges] = useState({ start: true, end: false });
  const pendingFocus = useRef<number | null>(null);
  const virtualizer = useVirtualizer({
    horizontal: true,
    count: entries,
    getScrollElement: () => shelfRef.current,
    estimateSize: () => metrics.cardWidth,
    gap: metrics.gap,
    paddingStart: metrics.pageX,
    paddingEnd: metrics.pageX,
    scrollPaddingStart: metrics.pageX,
    scrollPaddingEnd: metrics.pageX,
    overscan: 2,
    initialRect: { width: 1280, height: 360 },
    observeElementRect: observeRectOr({ width: 1280, height: 360 }),
  });
  const cards = virtualizer.getVirtualItems();
  const total = virtualizer.getTotalSize();

  const measureEdges = useCallback(() => {
    const shelf = shelfRef.current;
    if (!shelf) return;
    const start = shelf.scrollLeft <= 1;
    const end = shelf.scrollLeft + shelf.clientWidth >= shelf.scrollWidth - 1;
    setEdges((previous) => (previous.start === start && previous.end === end ? previous : { start, end }));
  }, []);
  useLayoutEffect(measureEdges, [measureEdges, total]);
  useEffect(() => {
    const shelf = shelfRef.current;
    if (!shelf) return;
    shelf.addEventListener('scroll', measureEdges, { passive: true });
    const observer = new ResizeObserver(measureEdges);
    observer.observe(shelf);
    return () => {
      shelf.removeEventListener('scroll', measureEdges);
      observer.disconnect();
    };
  }, [measureEdges]);

  // A card moved to by the keyboard may only exist after the shelf scrolled: focus it once drawn.
  useEffect(() => {
    const index = pendingFocus.current;
    if (index === null) return;
    const card = shelfRef.current?.querySelector<HTMLElement>(`[data-index="${index}"] [data-focus-card]`);
    if (card) {
      pendingFocus.current = null;
      card.focus({ preventScroll: true });
    }
  });

  const page = (direction: 1 | -1) => {
    const shelf = shelfRef.current;
    if (!shelf) return;
    shelf.scrollBy({
      left: direction * Math.max(metrics.cardWidth, shelf.clientWidth - metrics.cardWidth),
      behavior: 'smooth',
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const slot = (event.target as Element).closest<HTMLElement>('[data-index]');
    if (!slot) return;
    const index = Number(slot.dataset.index);
    const last = entries - 1;
    const target =
      event.key === 'ArrowRight'
        ? Math.min(last, index + 1)
        : event.key === 'ArrowLeft'
          ? Math.max(0, index - 1)
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null;
    if (target === null) return;
    event.preventDefault();
    if (target === index) return;
    pendingFocus.current = target;
    virtualizer.scrollToIndex(target, { align: 'auto' });
    const card = shelfRef.current?.querySelector<HTMLElement>(`[data-index="${target}"] [data-focus-card]`);
    if (card) {
      pendingFocus.current = null;
      card.focus({ preventScroll: true });
    }
  };

  const first = cards[0];
  const lastCard = cards[cards.length - 1];
  return (
    <section
      className="collection-row"
      data-testid="collection-row"
      data-collection-id={row.id}
      aria-labelledby={headingId}
      aria-busy={items === null || undefined}
    >
      <ShelfHeader row={row} headingId={headingId}>
        <div className="collection-row__actions">
          <button
            type="button"
            className="icon-button collection-row__arrow"
            aria-label={`Scroll ${row.title} back`}
            data-testid="shelf-back"
            disabled={edges.start}
            onClick={() => page(-1)}
          >
            <ChevronLeftIcon size={20} />
          </button>
          <button
            type="button"
            className="icon-button collection-row__arrow"
            aria-label={`Scroll ${row.title} on`}
            data-testid="shelf-on"
            disabled={edges.end}
            onClick={() => page(1)}
          >
            <ChevronRightIcon size={20} />
          </button>
          {onSeeAll ? (
            <button
              type="button"
              className="button button--quiet collection-row__see-all"
              data-testid="see-all"
              aria-label={`See all ${row.count} in ${row.title}`}
              onClick={() => onSeeAll(row)}
            >
              See all
            </button>
          ) : null}
        </div>
      </ShelfHeader>
      <div
        ref={shelfRef}
        className={`collection-row__shelf${edges.start ? '' : ' collection-row__shelf--fade-start'}${edges.end ? '' : ' collection-row__shelf--fade-end'}`}
        data-testid="collection-shelf"
        style={{ ['--card-width' as string]: `${metrics.cardWidth}px` }}
      >
        <ul
          className="collection-row__list"
          role="list"
          aria-labelledby={headingId}
          onKeyDown={onKeyDown}
          style={{
            width: total,
            paddingInlineStart: first ? first.start : 0,
            paddingInlineEnd: lastCard ? total - lastCard.end : 0,
            gap: metrics.gap,
          }}
        >
          {cards.map((card) => {
            const item = items?.[card.index];
            const slot = {
              className: 'collection-row__slot',
              'data-index': card.index,
              'aria-setsize': entries,
              'aria-posinset': card.index + 1,
              'data-last': card.index === entries - 1 ? '' : undefined,
              style: { width: metrics.cardWidth },
            };
            if (item)
              return (
                <li key={item.id} {...slot}>
                  <ItemCard item={item} isNew={isNewSince(item, lastSeenVersion)} onOpen={onOpenItem} />
                </li>
              );
            if (items === null)
              return (
                <li key={`loading-${card.index}`} {...slot} aria-hidden="true">
                  <div className="skeleton skeleton--card collection-row__loading" />
                </li>
              );
            return (
              <li key="see-all" {...slot}>
                <button
                  type="button"
                  className="see-all-card"
                  data-testid="see-all-card"
                  data-focus-card=""
                  onClick={() => onSeeAll?.(row)}
                >
                  <span className="see-all-card__count">{row.count.toLocaleString('en')}</span>
                  <span className="see-all-card__label">See all in {row.title}</span>
                  <ChevronRightIcon size={22} />
                </button>
              </li>
            );
          })}
        </ul>
      </div>
    </section>
  );
}

/**
 * A shelf that came into view while the home was flung: its heading and still placeholders in
 * the shape of the real shelf, and nothing else (no arrows, no list to scroll, no observers).
 * Hundreds of shelves can pass in a fling; each costs little until the scroll slows and the
 * real shelf replaces it. The placeholders do not shimmer: nothing is loading yet.
 */
export function FlownShelf({ row, metrics }: Pick<CollectionRowProps, 'row' | 'metrics'>) {
  const headingId = `collection-${row.id}`;
  const placeholders = Math.min(row.count, loadingCards);
  return (
    <section
      className="collection-row"
      data-testid="collection-row"
      data-collection-id={row.id}
      aria-labelledby={headingId}
      aria-busy="true"
    >
      <ShelfHeader row={row} headingId={headingId}>
        <div className="collection-row__actions collection-row__actions--waiting" />
      </ShelfHeader>
      <div className="collection-row__shelf collection-row__shelf--waiting" data-testid="collection-shelf">
        <ul
          className="collection-row__list"
          aria-hidden="true"
          style={{ paddingInline: metrics.pageX, gap: metrics.gap }}
        >
          {Array.from({ length: placeholders }, (_, index) => (
            <li key={index} className="collection-row__slot" style={{ width: metrics.cardWidth }}>
              <div className="skeleton skeleton--card collection-row__loading collection-row__loading--still" />
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}

/** A shelf's heading (title and count), its actions, and its description: the real shelf's and the flown-past one's. */
function ShelfHeader({
  row,
  headingId,
  children,
}: {
  row: CollectionRowProps['row'];
  headingId: string;
  children: ReactNode;
}) {
  return (
    <header className="collection-row__header">
      <h2 id={headingId} className="collection-row__title">
        {row.title}
        <span className="collection-row__count">{row.count}</span>
      </h2>
      {children}
      {row.description ? <p className="collection-row__description">{row.description}</p> : null}
    </header>
  );
}
