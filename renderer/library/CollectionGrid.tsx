import { useEffect, useId, useRef } from 'react';
import { StateMessage } from '../ui/StateMessage';
import { useVirtualizer } from '@tanstack/react-virtual';
import { measureOr, observeRectOr } from '../ui/virtual';
import type { ItemKind, ItemSummary } from '#shared/library';
import { useElementSize } from '../ui/useElementSize';
import { BackIcon } from '../ui/icons';
import { ItemCard } from './ItemCard';
import {
  collectionSortLabels,
  collectionSorts,
  isNewSince,
  kindLabel,
  type CollectionFilter,
  type CollectionSort,
} from './presentation';

export interface CollectionGridProps {
  title: string;
  /** Every item of the collection, for the count in the heading. */
  total: number;
  /** Items matching the sort and filters; null until the first page says. */
  count: number | null;
  /** The item at a position of the sorted, filtered list, or undefined while its page loads. */
  itemAt(index: number): ItemSummary | undefined;
  /** The grid draws positions `start`..`end`: their pages should load. */
  onRange(start: number, end: number): void;
  /** Why a page could not be loaded, with a retry. */
  failure: { message: string; retry(): void } | null;
  sort: CollectionSort;
  filter: CollectionFilter;
  choices: { kinds: ItemKind[]; products: string[]; tags: string[] };
  /** Cards changed after this release are badged "New". */
  lastSeenVersion: number | null;
  onSort(sort: CollectionSort): void;
  onFilter(filter: CollectionFilter): void;
  onOpenItem(item: ItemSummary): void;
  onBack(): void;
}

const minCard = 188;
const gap = 18;

/**
 * A collection's "See all": every item in a grid that draws only the rows on screen and asks for
 * only their pages, with sort and filters. Props only; `CollectionScreen` holds the state.
 */
export function CollectionGrid({
  title,
  total,
  count,
  itemAt,
  onRange,
  failure,
  sort,
  filter,
  choices,
  lastSeenVersion,
  onSort,
  onFilter,
  onOpenItem,
  onBack,
}: CollectionGridProps) {
  const bodyRef = useRef<HTMLDivElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const ids = useId();
  const { width } = useElementSize(bodyRef);
  const pageX = Math.round(Math.min(48, Math.max(20, (width || 1280) * 0.032)));
  const inner = Math.max(minCard, (width || 1280) - 2 * pageX);
  const columns = Math.max(1, Math.floor((inner + gap) / (minCard + gap)));
  const cardWidth = (inner - gap * (columns - 1)) / columns;
  const shown = count ?? 0;
  const rowCount = Math.ceil(shown / columns);

  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => bodyRef.current,
    estimateSize: () => cardWidth * 0.75 + 140,
    measureElement: measureOr(() => cardWidth * 0.75 + 140),
    gap,
    overscan: 3,
    initialRect: { width: 1280, height: 800 },
    observeElementRect: observeRectOr({ width: 1280, height: 800 }),
  });
  const rows = virtualizer.getVirtualItems();
  const firstRow = rows[0];
  const lastRow = rows[rows.length - 1];
  const height = virtualizer.getTotalSize();
  const firstIndex = firstRow ? firstRow.index * columns : 0;
  const lastIndex = lastRow ? lastRow.index * columns + columns - 1 : columns * 4;
  // The drawn rows' pages load (the first page comes with the sort or filter itself).
  useEffect(() => {
    onRange(firstIndex, lastIndex);
  }, [onRange, firstIndex, lastIndex]);

  // A new screen: keyboard and screen-reader users start at its heading.
  useEffect(() => {
    headingRef.current?.focus({ preventScroll: true });
  }, []);
  // A new sort or filter starts at the top of the list.
  useEffect(() => {
    bodyRef.current?.scrollTo({ top: 0 });
  }, [sort, filter]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target instanceof Element ? event.target : null;
      if (event.key === 'Escape' && !event.defaultPrevented && !target?.closest('input, textarea, select')) {
        event.preventDefault();
        onBack();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onBack]);

  const filtered = filter.kind !== null || filter.product !== null || filter.tag !== null;
  return (
    <div
      className="screen-frame collection-screen"
      role="dialog"
      aria-modal="true"
      aria-labelledby={`${ids}-title`}
      data-testid="collection-screen"
    >
      <div className="collection-screen__bar">
        <button
          type="button"
          className="icon-button"
          data-testid="collection-back"
          aria-label="Back to library"
          onClick={onBack}
        >
          <BackIcon />
          <span className="icon-button__label">Library</span>
        </button>
        <h1 className="collection-screen__title" id={`${ids}-title`} ref={headingRef} tabIndex={-1}>
          {title}
          <span className="collection-row__count" data-testid="collection-count">
            {filtered ? `${count ?? '…'} of ${total}` : total}
          </span>
        </h1>
      </div>
      <div className="collection-screen__tools" role="group" aria-label="Sort and filter">
        <label className="collection-screen__field">
          <span>Sort</span>
          <select
            value={sort}
            data-testid="collection-sort"
            onChange={(event) => onSort(event.target.value as CollectionSort)}
          >
            {collectionSorts.map((value) => (
              <option key={value} value={value}>
                {collectionSortLabels[value]}
              </option>
            ))}
          </select>
        </label>
        <label className="collection-screen__field">
          <span>Kind</span>
          <select
            value={filter.kind ?? ''}
            data-testid="filter-kind"
            onChange={(event) => onFilter({ ...filter, kind: (event.target.value || null) as ItemKind | null })}
          >
            <option value="">All kinds</option>
            {choices.kinds.map((kind) => (
              <option key={kind} value={kind}>
                {kindLabel(kind)}
              </option>
            ))}
          </select>
        </label>
        {choices.products.length > 0 ? (
          <label className="collection-screen__field">
            <span>Product</span>
            <select
              value={filter.product ?? ''}
              data-testid="filter-product"
              onChange={(event) => onFilter({ ...filter, product: event.target.value || null })}
            >
              <option value="">All products</option>
              {choices.products.map((product) => (
                <option key={product} value={product}>
                  {product}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {choices.tags.length > 0 ? (
          <label className="collection-screen__field">
            <span>Tag</span>
            <select
              value={filter.tag ?? ''}
              data-testid="filter-tag"
              onChange={(event) => onFilter({ ...filter, tag: event.target.value || null })}
            >
              <option value="">All tags</option>
              {choices.tags.map((tag) => (
                <option key={tag} value={tag}>
                  {tag}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {filtered ? (
          <button
            type="button"
            className="button button--quiet"
            data-testid="filter-clear"
            onClick={() => onFilter({ kind: null, product: null, tag: null })}
          >
            Clear filters
          </button>
        ) : null}
      </div>
      <div ref={bodyRef} className="collection-screen__body" data-testid="collection-grid">
        {failure ? (
          <StateMessage
            tone="error"
            title="This page could not be loaded"
            onRetry={failure.retry}
            testId="collection-error"
          >
            {failure.message}
          </StateMessage>
        ) : count === 0 ? (
          <p className="collection-screen__empty" data-testid="collection-empty">
            Nothing in {title} matches these filters.
          </p>
        ) : count === null ? (
          <div className="collection-grid collection-grid--loading" aria-busy="true" style={{ paddingInline: pageX }}>
            <div
              className="collection-grid__row"
              style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`, gap }}
            >
              {Array.from({ length: columns }, (_, i) => (
                <div key={i} className="skeleton skeleton--card" />
              ))}
            </div>
          </div>
        ) : (
          <div
            className="collection-grid"
            role="list"
            aria-label={title}
            style={{
              paddingTop: firstRow ? firstRow.start : 0,
              paddingBottom: lastRow ? height - lastRow.end : 0,
              paddingInline: pageX,
              rowGap: gap,
            }}
          >
            {rows.map((row) => (
              <div
                key={row.key}
                className="collection-grid__row"
                data-index={row.index}
                ref={virtualizer.measureElement}
                style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`, gap }}
              >
                {Array.from(
                  { length: Math.min(columns, shown - row.index * columns) },
                  (_, column) => row.index * columns + column,
                ).map((index) => {
                  const item = itemAt(index);
                  return (
                    <div
                      key={item?.id ?? `loading-${index}`}
                      role="listitem"
                      className="collection-grid__slot"
                      aria-setsize={shown}
                      aria-posinset={index + 1}
                      aria-busy={item ? undefined : true}
                    >
                      {item ? (
                        <ItemCard item={item} isNew={isNewSince(item, lastSeenVersion)} onOpen={onOpenItem} />
                      ) : (
                        <div className="skeleton skeleton--card collection-grid__loading" />
                      )}
                    </div>
                  );
                })}
              </div>
            ))}
          </div>
        )}
      </div>
    </div>
  );
}
