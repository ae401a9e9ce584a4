/**
 * The pitch builder's library: the whole library A–Z, or what the core's search finds for the
 * words typed (prefixes and typos forgiven), a page at a time, in a list that draws only the rows
 * on screen. Opening a row offers the whole item or chosen pages.
 */
import { useDeferredValue, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { wholeLibraryShelf, type ItemSummary } from '#shared/library';
import type { PitchStep } from '#shared/presenting';
import { usePagedQuery, type PagedQuery } from '../data/usePagedQuery';
import { useItem } from '../library/queries';
import { badgeLabel, contentUrl, pageCountLabel } from '../library/presentation';
import { StateMessage } from '../ui/StateMessage';
import { measureOr, observeRectOr } from '../ui/virtual';
import { PageThumbnail } from '../viewer/pdf/PageThumbnail';

type StepRef = Pick<PitchStep, 'itemId' | 'page'>;

export interface LibraryPickerProps {
  steps: readonly StepRef[];
  onAdd(item: ItemSummary, page: number | null): void;
}

const pageSize = 40;
const rowEstimate = 64;

/** The picker's list: A–Z without words, the search engine's best matches with them. */
function pickerList(text: string): PagedQuery<ItemSummary> {
  const query = text.trim();
  return query
    ? {
        key: ['picker-search', query],
        what: 'Searching the library',
        deadlineMs: 15_000,
        pageSize,
        loadPage: async (client, offset, limit) => {
          const answer = await client.search({ query, offset, limit });
          return { items: answer.items.flatMap((hit) => hit.summary ?? []), total: answer.total };
        },
        refetchOn: ['library.changed'],
      }
    : {
        key: ['picker-all'],
        what: 'Loading the library',
        deadlineMs: 15_000,
        pageSize,
        loadPage: (client, offset, limit) =>
          client.listItems({ shelf: wholeLibraryShelf, sort: 'title', offset, limit }),
        refetchOn: ['library.changed'],
      };
}

export function LibraryPicker({ steps, onAdd }: LibraryPickerProps) {
  const [filter, setFilter] = useState('');
  // Typing stays responsive while the list for the previous words is still being drawn.
  const deferred = useDeferredValue(filter);
  const list = usePagedQuery(useMemo(() => pickerList(deferred), [deferred]));
  const [openId, setOpenId] = useState<string | null>(null);
  const sectionRef = useRef<HTMLElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const [listTop, setListTop] = useState(0);
  useLayoutEffect(() => {
    const section = sectionRef.current;
    const element = listRef.current;
    if (!section || !element) return;
    const top = element.getBoundingClientRect().top - section.getBoundingClientRect().top + section.scrollTop;
    setListTop((previous) => (previous === top ? previous : top));
  });
  const count = list.total ?? 0;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => sectionRef.current,
    estimateSize: () => rowEstimate,
    measureElement: measureOr(() => rowEstimate),
    overscan: 6,
    gap: 6,
    scrollMargin: listTop,
    initialRect: { width: 400, height: 800 },
    observeElementRect: observeRectOr({ width: 400, height: 800 }),
  });
  const rows = virtualizer.getVirtualItems();
  const first = rows[0];
  const last = rows[rows.length - 1];
  const { want } = list;
  const from = first?.index ?? 0;
  const to = last?.index ?? 0;
  useLayoutEffect(() => {
    want(from, to);
  }, [want, from, to]);
  const inPitch = useMemo(() => {
    const counts = new Map<string, number>();
    for (const step of steps) counts.set(step.itemId, (counts.get(step.itemId) ?? 0) + 1);
    return counts;
  }, [steps]);
  const total = virtualizer.getTotalSize();

  return (
    <section className="builder__library" aria-label="Add from the library" ref={sectionRef}>
      <label className="field">
        <span className="field__label">Add from the library</span>
        <input
          className="field__input"
          type="search"
          placeholder="Search the library"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          data-testid="picker-filter"
        />
      </label>
      {list.status === 'error' ? (
        <StateMessage tone="error" title="The library could not be loaded" onRetry={list.retry} testId="picker-error">
          {list.error?.message}
        </StateMessage>
      ) : list.status === 'loading' ? (
        <div className="skeleton skeleton--card" />
      ) : count === 0 ? (
        <p className="muted" data-testid="picker-empty">
          Nothing in the library matches “{deferred.trim()}”.
        </p>
      ) : null}
      <ul
        className="picker-list"
        ref={listRef}
        data-testid="picker-list"
        data-count={list.total ?? undefined}
        style={{
          paddingTop: first ? first.start - listTop : 0,
          paddingBottom: last ? total - (last.end - listTop) : 0,
        }}
      >
        {rows.map((row) => {
          const item = list.itemAt(row.index);
          if (!item)
            return (
              <li
                key={`loading-${row.index}`}
                className="picker-item picker-item--loading"
                data-index={row.index}
                ref={virtualizer.measureElement}
                aria-busy="true"
              >
                <span className="picker-item__head">
                  <span className="picker-item__thumb skeleton" />
                </span>
              </li>
            );
          const open = openId === item.id;
          const times = inPitch.get(item.id) ?? 0;
          return (
            <li
              key={item.id}
              className={`picker-item${open ? ' is-open' : ''}`}
              data-testid="picker-item"
              data-item-id={item.id}
              data-index={row.index}
              ref={virtualizer.measureElement}
              aria-setsize={count}
              aria-posinset={row.index + 1}
            >
              <button
                type="button"
                className="picker-item__head"
                aria-expanded={open}
                onClick={() => setOpenId(open ? null : item.id)}
              >
                {item.thumbnail ? (
                  <img
                    className="picker-item__thumb"
                    src={contentUrl(item.thumbnail.sha256)}
                    alt=""
                    loading="lazy"
                    decoding="async"
                    width={64}
                    height={48}
                  />
                ) : (
                  <span className="picker-item__thumb" />
                )}
                <span className="picker-item__text">
                  <span className="picker-item__title">{item.title}</span>
                  <span className="muted">
                    {badgeLabel(item)}
                    {pageCountLabel(item.pageCount) ? ` · ${pageCountLabel(item.pageCount)}` : ''}
                    {times ? ` · in pitch ×${times}` : ''}
                  </span>
                </span>
              </button>
              {open ? <PickerDetail item={item} steps={steps} onAdd={onAdd} /> : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function PickerDetail({
  item,
  steps,
  onAdd,
}: {
  item: ItemSummary;
  steps: readonly StepRef[];
  onAdd(item: ItemSummary, page: number | null): void;
}) {
  // Thumbnails only: the pages can be added without them, so a failure leaves blank tiles.
  const detail = useItem(item.kind === 'pdf' ? item.id : null).data ?? null;
  const pages = item.kind === 'pdf' ? Array.from({ length: item.pageCount ?? 0 }, (_, i) => i + 1) : [];
  return (
    <div className="picker-detail">
      <button type="button" className="button" data-testid="add-whole-item" onClick={() => onAdd(item, null)}>
        Add whole {item.kind === 'pdf' ? 'document' : 'item'}
      </button>
      {pages.length > 0 ? (
        <div className="page-picks" role="group" aria-label={`Pages of ${item.title}`}>
          {pages.map((page) => {
            const thumb = detail?.pageThumbnails[page - 1] ?? null;
            const added = steps.some((s) => s.itemId === item.id && s.page === page);
            return (
              <button
                key={page}
                type="button"
                className={`page-pick${added ? ' is-added' : ''}`}
                aria-label={`Add page ${page}`}
                title={detail?.pages?.[page - 1]?.title || undefined}
                aria-pressed={added}
                data-testid="page-pick"
                data-page={page}
                onClick={() => onAdd(item, page)}
              >
                {thumb || detail?.primary ? (
                  <PageThumbnail pdf={detail?.primary ?? null} thumbnail={thumb} page={page} width={100} height={134} />
                ) : (
                  <span className="page-pick__blank" />
                )}
                <span className="page-pick__number">{page}</span>
              </button>
            );
          })}
        </div>
      ) : null}
    </div>
  );
}
