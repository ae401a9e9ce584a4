/**
 * The results panel: definitions answered inline, then items with their best pages, each page
 * hit showing where the words are. Presentational: everything arrives as props.
 */
import {
  memo,
  useEffect,
  useMemo,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type RefObject,
} from 'react';
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import type { ItemSummary } from '#shared/library';
import type { SearchFilters, SearchGlossaryHit, SearchItemHit, SearchPageHit, SearchResponse } from '#shared/search';
import { GlossaryText } from '../glossary/GlossaryText';
import type { GlossaryLookup } from '../glossary/term-text';
import { KindIcon } from '../library/ItemCard';
import { badgeLabel, contentUrl, pageCountLabel } from '../library/presentation';
import { ArrowUpLeftIcon, BookIcon, ClockIcon, SearchIcon } from '../ui/icons';
import { observeRectOr } from '../ui/virtual';
import { searchResultsId } from './SearchField';
import {
  activeFilterCount,
  isFilterOn,
  resultCountLabel,
  targetKey,
  usefulSuggestions,
  applySuggestion,
  type FilterOption,
  type FilterSection,
  type SearchTarget,
} from './presentation';
import type { SearchStatus } from './useSearch';

/** Page hits shown under an item; the engine returns them best first. */
export const pagesPerItem = 3;

export function optionId(key: string): string {
  return `search-option-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export interface SearchResultsProps {
  query: string;
  response: SearchResponse | null;
  status: SearchStatus;
  error: string | null;
  recent: string[];
  recorded: string | null;
  sections: FilterSection[];
  filters: SearchFilters;
  itemsById: ReadonlyMap<string, ItemSummary>;
  activeKey: string | null;
  /** The release's glossary: its terms are underlined in snippets and descriptions. */
  glossary?: GlossaryLookup | null;
  onOpen(target: SearchTarget): void;
  onPickQuery(query: string): void;
  onToggleFilter(option: FilterOption): void;
  onClearFilters(): void;
  /** The next page of results; undefined offers none. */
  onMore?: () => void;
  loadingMore?: boolean;
}

// Keeps the focus (and a tablet's keyboard) in the search field when a result is tapped.
const keepFocus = (event: MouseEvent) => event.preventDefault();

export function SearchResults(props: SearchResultsProps) {
  const { query, response, status, error, recent, recorded, sections, filters, onPickQuery } = props;
  const hasQuery = query.trim() !== '';
  const current = hasQuery ? response : null;
  const suggestions = hasQuery && current ? usefulSuggestions(query, current.suggestions) : [];
  const filterCount = activeFilterCount(filters);
  const empty = current !== null && current.items.length === 0 && current.glossary.length === 0;
  const bodyRef = useRef<HTMLDivElement>(null);

  return (
    <div
      className="search-panel"
      data-testid="search-panel"
      data-status={status}
      data-answered-query={current?.query}
      data-recorded-query={recorded ?? undefined}
    >
      {suggestions.length > 0 ? <Suggestions query={query} suggestions={suggestions} onPick={onPickQuery} /> : null}

      {sections.length > 0 ? (
        <FilterBar
          sections={sections}
          filters={filters}
          count={filterCount}
          onToggle={props.onToggleFilter}
          onClear={props.onClearFilters}
        />
      ) : null}

      <div className="search-panel__body" ref={bodyRef}>
        {!hasQuery ? <RecentSearches recent={recent} onPick={onPickQuery} /> : null}
        {hasQuery && status === 'error' && !current ? (
          <p className="search-panel__note search-panel__note--error" role="alert">
            Search is not available right now: {error}
          </p>
        ) : null}
        {hasQuery && !current && status === 'searching' ? <ResultsSkeleton /> : null}
        {empty ? (
          <div className="search-empty" data-testid="search-empty" role="status">
            <div className="search-empty__icon">
              <SearchIcon size={26} />
            </div>
            <h2 className="search-empty__title">
              No results for “<span data-testid="search-empty-query">{query.trim()}</span>”
            </h2>
            <p className="search-empty__hint">
              {filterCount > 0
                ? 'Check the spelling, or turn off filters to search the whole library.'
                : 'Check the spelling, try fewer or different words, or search for a product name.'}
            </p>
            {filterCount > 0 ? (
              <button
                type="button"
                className="button button--secondary"
                onMouseDown={keepFocus}
                onClick={props.onClearFilters}
              >
                Clear filters
              </button>
            ) : null}
          </div>
        ) : null}
        {current && !empty ? (
          <>
            {current.glossary.map((entry) => (
              <GlossaryAnswer key={entry.id} entry={entry} />
            ))}
            {current.items.length > 0 ? (
              <p className="search-panel__count" role="status" data-testid="search-count">
                {resultCountLabel(current.total)}
                {filterCount > 0 ? ' with filters' : ''}
              </p>
            ) : null}
            <ResultList
              items={current.items}
              total={current.total}
              scrollRef={bodyRef}
              itemsById={props.itemsById}
              activeKey={props.activeKey}
              glossary={props.glossary ?? null}
              onOpen={props.onOpen}
              onMore={props.onMore}
            />
            {props.onMore && current.items.length < current.total ? (
              <MoreOnScroll shown={current.items.length} onMore={props.onMore} />
            ) : null}
            {props.onMore && current.items.length < current.total ? (
              <button
                type="button"
                className="button button--secondary search-panel__more"
                data-testid="search-more"
                disabled={props.loadingMore}
                onMouseDown={keepFocus}
                onClick={props.onMore}
              >
                {props.loadingMore
                  ? 'Loading more results…'
                  : `Show more results (${(current.total - current.items.length).toLocaleString('en')} more)`}
              </button>
            ) : null}
          </>
        ) : null}
      </div>
    </div>
  );
}

/** Results from the end of those loaded at which scrolling asks for the next page. */
const moreAhead = 3;

/** A result's height before it is measured: its item row and its page hits. */
function estimateResult(item: SearchItemHit | undefined): number {
  return 72 + 56 * Math.min(pagesPerItem, item?.pages.length ?? 0);
}

/** The item a keyboard target belongs to ("item:<id>" or "page:<id>:<page>"). */
function activeIndexOf(items: readonly SearchItemHit[], activeKey: string | null): number {
  if (activeKey === null) return -1;
  return items.findIndex(
    (item) => activeKey === targetKey({ type: 'item', item }) || activeKey.startsWith(`page:${item.id}:`),
  );
}

/**
 * The results, virtualised like the library's grids: every loaded result is a row of the list,
 * but only those in the panel's view (and a few either side) are in the DOM, so a query that
 * matches thousands and is scrolled far stays as light as its first screenful. The result the
 * keyboard is on is always drawn (the field's aria-activedescendant points at it) and is
 * scrolled into view; each item row says its place among all the matches for screen readers.
 */
function ResultList(props: {
  items: readonly SearchItemHit[];
  total: number;
  scrollRef: RefObject<HTMLDivElement | null>;
  itemsById: ReadonlyMap<string, ItemSummary>;
  activeKey: string | null;
  glossary: GlossaryLookup | null;
  onOpen(target: SearchTarget): void;
  onMore?: () => void;
}) {
  const { items, total, scrollRef, activeKey, onMore } = props;
  const listRef = useRef<HTMLDivElement>(null);
  // Where the list starts inside the scrolling panel: definitions and the count come first.
  const [margin, setMargin] = useState(0);
  useLayoutEffect(() => {
    const top = listRef.current?.offsetTop ?? 0;
    if (top !== margin) setMargin(top);
  });
  const activeIndex = activeIndexOf(items, activeKey);
  // Grid rows before each result: its item row and its page rows, so a reader hears where it is.
  const firstRows = useMemo(() => {
    const rows = new Uint32Array(items.length + 1);
    items.forEach((item, i) => (rows[i + 1] = rows[i]! + 1 + Math.min(pagesPerItem, item.pages.length)));
    return rows;
  }, [items]);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => estimateResult(items[index]),
    // Rows stand in the normal flow between two spacers, so a size not yet measured only moves
    // the spacers, never overlaps rows: a row drawn for the first time keeps the size known for
    // it and the resize observer (after the browser's own layout) corrects it, instead of a
    // forced layout per row in the middle of drawing the keystroke's answer.
    measureElement: (element, entry, instance) => {
      const box = entry?.borderBoxSize?.[0];
      if (box) return Math.round(box.blockSize);
      const index = instance.indexFromElement(element);
      return instance.measurementsCache[index]?.size ?? estimateResult(items[index]);
    },
    getItemKey: (index) => items[index]?.id ?? index,
    gap: 6,
    overscan: 3,
    scrollMargin: margin,
    initialRect: { width: 880, height: 640 },
    observeElementRect: observeRectOr({ width: 880, height: 640 }),
    rangeExtractor: (range: Range) => {
      const drawn = defaultRangeExtractor(range);
      return activeIndex >= 0 && !drawn.includes(activeIndex) ? [...drawn, activeIndex].sort((a, b) => a - b) : drawn;
    },
  });

  // The highlighted result stays in view while walking with the arrows: brought into the drawn
  // range first when it is far away, then its exact row (item or page) shown.
  useEffect(() => {
    if (activeKey === null || activeIndex < 0) return;
    const row = document.getElementById(optionId(activeKey));
    const panel = scrollRef.current;
    if (row && panel) {
      const box = row.getBoundingClientRect();
      const view = panel.getBoundingClientRect();
      if (box.top >= view.top && box.bottom <= view.bottom) return;
    }
    virtualizer.scrollToIndex(activeIndex, { align: 'auto' });
    const frame = requestAnimationFrame(() =>
      document.getElementById(optionId(activeKey))?.scrollIntoView({ block: 'nearest' }),
    );
    return () => cancelAnimationFrame(frame);
  }, [activeKey, activeIndex, virtualizer, scrollRef]);

  const rows = virtualizer.getVirtualItems();
  // Scrolled down to the last few results loaded: the next page comes before the end is reached
  // (the end of the panel can sit below the window's edge, where the sentinel never shows).
  const lastShown = virtualizer.range?.endIndex ?? -1;
  const scrolled = (virtualizer.scrollOffset ?? 0) > 0;
  // On every new answer too: a page dropped because the query was asked again (settled) meanwhile
  // is asked for again, not left waiting for another scroll.
  useEffect(() => {
    if (onMore && scrolled && items.length < total && lastShown >= items.length - 1 - moreAhead) onMore();
  }, [onMore, scrolled, lastShown, items, total]);
  const before = rows.length > 0 ? rows[0]!.start - margin : 0;
  const after = rows.length > 0 ? virtualizer.getTotalSize() - (rows[rows.length - 1]!.end - margin) : 0;
  return (
    // A grid, not a listbox: a result's snippet holds glossary terms, which are buttons, and an
    // option may hold nothing interactive. The keyboard model is the same: the focus stays in
    // the field and the active cell is its aria-activedescendant.
    <div
      id={searchResultsId}
      ref={listRef}
      role="grid"
      aria-label="Results"
      // Unknown (-1) until every result is loaded: the rows of those not loaded are not known.
      aria-rowcount={items.length < total ? -1 : firstRows[items.length]}
      className="search-hits"
      data-testid="search-hits"
      style={{ paddingTop: Math.max(0, before), paddingBottom: Math.max(0, after) }}
    >
      {rows.map((row) => {
        const item = items[row.index]!;
        return (
          <div key={row.key} ref={virtualizer.measureElement} data-index={row.index} className="search-hits__slot">
            <ResultGroup
              item={item}
              position={row.index + 1}
              total={total}
              firstRow={firstRows[row.index]! + 1}
              summary={props.itemsById.get(item.id) ?? null}
              activeKey={activeIndex === row.index ? activeKey : null}
              glossary={props.glossary}
              onOpen={props.onOpen}
            />
          </div>
        );
      })}
    </div>
  );
}

/**
 * Asks for the next page when the end of the results scrolls into view (and again while it stays
 * there, until the panel is full); the "Show more results" button below does the same by hand.
 */
function MoreOnScroll({ shown, onMore }: { shown: number; onMore(): void }) {
  const ref = useRef<HTMLDivElement>(null);
  const latest = useRef(onMore);
  latest.current = onMore;
  useEffect(() => {
    const sentinel = ref.current;
    if (!sentinel || typeof IntersectionObserver === 'undefined') return;
    // The page's own viewport as root: an element clipped by the panel's scroll does not count.
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) latest.current();
    });
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [shown]);
  return <div ref={ref} className="search-panel__sentinel" aria-hidden="true" data-testid="search-more-sentinel" />;
}

/** Completions of the query, one toolbar (one Tab stop, arrow keys between them). */
function Suggestions(props: { query: string; suggestions: string[]; onPick(query: string): void }) {
  const { query, suggestions, onPick } = props;
  const { ref, tabStop, setStop, onKeyDown } = useRoving(suggestions.length);
  return (
    <div
      ref={ref}
      className="search-suggestions"
      role="toolbar"
      aria-label="Complete the query"
      aria-orientation="horizontal"
      onKeyDown={onKeyDown}
    >
      {suggestions.map((suggestion, at) => (
        <button
          key={suggestion}
          type="button"
          className="search-suggestion"
          data-testid="search-suggestion"
          tabIndex={at === tabStop ? 0 : -1}
          onFocus={() => setStop(at)}
          onMouseDown={keepFocus}
          onClick={() => onPick(applySuggestion(query, suggestion))}
        >
          <SearchIcon size={16} />
          <SuggestionText query={query} completed={applySuggestion(query, suggestion).trimEnd()} />
          <ArrowUpLeftIcon size={16} className="search-suggestion__fill" />
        </button>
      ))}
    </div>
  );
}

/** "comparsion hydr|amax": what the rep typed, then the completion in bold. */
function SuggestionText({ query, completed }: { query: string; completed: string }) {
  const typed = query.trimEnd();
  const shared = completed.toLowerCase().startsWith(typed.toLowerCase()) ? typed.length : 0;
  return (
    <span className="search-suggestion__text">
      {completed.slice(0, shared)}
      <strong>{completed.slice(shared)}</strong>
    </span>
  );
}

/**
 * One Tab stop for a row of buttons (a toolbar): the arrow keys, Home and End move the focus
 * between them, and Tab leaves the row from wherever it is.
 */
function useRoving(count: number) {
  const ref = useRef<HTMLDivElement>(null);
  const [stop, setStop] = useState(0);
  const tabStop = Math.min(stop, Math.max(0, count - 1));
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const buttons = [...(ref.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
    const at = buttons.indexOf(event.target as HTMLButtonElement);
    if (at < 0 || buttons.length === 0) return;
    const next =
      event.key === 'ArrowRight'
        ? (at + 1) % buttons.length
        : event.key === 'ArrowLeft'
          ? (at - 1 + buttons.length) % buttons.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? buttons.length - 1
              : null;
    if (next === null) return;
    event.preventDefault();
    event.stopPropagation();
    setStop(next);
    buttons[next]?.focus();
  };
  return { ref, tabStop, setStop, onKeyDown };
}

/**
 * The filters are one toolbar, one Tab stop: the arrow keys (and Home, End) move between its
 * chips, so Tab from the search field reaches the rest of the screen at once.
 */
function FilterBar(props: {
  sections: FilterSection[];
  filters: SearchFilters;
  count: number;
  onToggle(option: FilterOption): void;
  onClear(): void;
}) {
  const total = props.sections.reduce((sum, section) => sum + section.options.length, 0) + (props.count > 0 ? 1 : 0);
  const { ref: barRef, tabStop, setStop, onKeyDown } = useRoving(total);
  let index = 0;
  return (
    <div
      ref={barRef}
      className="search-filters"
      role="toolbar"
      aria-label="Filters"
      aria-orientation="horizontal"
      onKeyDown={onKeyDown}
    >
      {props.sections.map((section) => (
        <div key={section.group} className="search-filters__group" role="group" aria-label={section.label}>
          <span className="search-filters__label">{section.label}</span>
          {section.options.map((option) => {
            const on = isFilterOn(props.filters, option);
            const at = index++;
            return (
              <button
                key={option.value}
                type="button"
                className="filter-chip"
                data-testid="filter-chip"
                data-group={option.group}
                data-value={option.value}
                aria-pressed={on}
                tabIndex={at === tabStop ? 0 : -1}
                onFocus={() => setStop(at)}
                onMouseDown={keepFocus}
                onClick={() => props.onToggle(option)}
              >
                {option.label}
              </button>
            );
          })}
        </div>
      ))}
      {props.count > 0 ? (
        <button
          type="button"
          className="search-filters__clear"
          data-testid="filter-clear"
          tabIndex={index === tabStop ? 0 : -1}
          onFocus={() => setStop(total - 1)}
          onMouseDown={keepFocus}
          onClick={props.onClear}
        >
          Clear {props.count === 1 ? 'filter' : `${props.count} filters`}
        </button>
      ) : null}
    </div>
  );
}

function RecentSearches({ recent, onPick }: { recent: string[]; onPick(query: string): void }) {
  if (recent.length === 0) {
    return (
      <div className="search-welcome">
        <h2 className="search-welcome__title">Search every page of the library</h2>
        <p className="search-welcome__hint">
          Type a product, a competitor, a phrase you remember from a slide or a term like “qualified lead”. Typos are
          fine.
        </p>
      </div>
    );
  }
  return (
    <section className="search-recent" aria-label="Recent searches">
      <h2 className="search-section-title">Recent searches</h2>
      <div className="search-recent__chips">
        {recent.map((text) => (
          <button
            key={text}
            type="button"
            className="recent-chip"
            data-testid="recent-search"
            onMouseDown={keepFocus}
            onClick={() => onPick(text)}
          >
            <ClockIcon size={16} />
            {text}
          </button>
        ))}
      </div>
    </section>
  );
}

function GlossaryAnswer({ entry }: { entry: SearchGlossaryHit }) {
  return (
    <article className="glossary-answer" data-testid="search-glossary" data-entry-id={entry.id}>
      <span className="glossary-answer__eyebrow">
        <BookIcon size={16} />
        Definition
      </span>
      <h3 className="glossary-answer__term">{entry.term}</h3>
      <p className="glossary-answer__definition">{entry.definition}</p>
    </article>
  );
}

// Rows are memoised: a new answer that keeps a hit (or a page added below) does not redraw it.
const ResultGroup = memo(function ResultGroup(props: {
  item: SearchItemHit;
  /** Its place among all the query's matches (1-based), and how many there are. */
  position: number;
  total: number;
  /** The grid row (1-based, among the loaded results) of its item row; its pages follow. */
  firstRow: number;
  summary: ItemSummary | null;
  activeKey: string | null;
  glossary: GlossaryLookup | null;
  onOpen(target: SearchTarget): void;
}) {
  const { item, position, total, firstRow, summary, activeKey, glossary, onOpen } = props;
  const itemTarget: SearchTarget = { type: 'item', item };
  const itemKey = targetKey(itemTarget);
  const kind = summary?.kind ?? (item.kind as ItemSummary['kind']);
  const meta = [summary ? badgeLabel(summary) : null, summary ? pageCountLabel(summary.pageCount) : null].filter(
    Boolean,
  );
  return (
    <div
      className="search-hit"
      role="rowgroup"
      // Its place among every match, not among those loaded or drawn (the list is virtualised).
      aria-label={`${item.title}, result ${position} of ${total}`}
      data-testid="search-result"
      data-item-id={item.id}
    >
      <div role="row" aria-rowindex={firstRow}>
        <div
          id={optionId(itemKey)}
          role="gridcell"
          aria-selected={activeKey === itemKey}
          className="search-hit__item"
          data-testid="search-result-open"
          onMouseDown={keepFocus}
          onClick={() => onOpen(itemTarget)}
        >
          <Thumbnail summary={summary} kind={kind} />
          <span className="search-hit__text">
            <span className="search-hit__meta">
              <span className="badge badge--kind">
                <KindIcon kind={kind} size={14} />
                {meta[0] ?? item.kind}
              </span>
              {meta[1] ? <span className="search-hit__pages">{meta[1]}</span> : null}
              {!item.matchedAll ? <span className="search-hit__partial">Some words</span> : null}
            </span>
            <span className="search-hit__title">{item.title}</span>
            {summary?.description && item.pages.length === 0 ? (
              <span className="search-hit__description">
                <GlossaryText text={summary.description} glossary={glossary} />
              </span>
            ) : null}
          </span>
        </div>
      </div>
      {item.pages.length > 0 ? (
        <div className="search-hit__page-list">
          {item.pages.slice(0, pagesPerItem).map((hit, at) => (
            <PageHit
              key={hit.page}
              row={firstRow + 1 + at}
              item={item}
              hit={hit}
              active={activeKey === targetKey({ type: 'page', item, page: hit.page })}
              glossary={glossary}
              onOpen={onOpen}
            />
          ))}
        </div>
      ) : null}
    </div>
  );
});

function PageHit(props: {
  row: number;
  item: SearchItemHit;
  hit: SearchPageHit;
  active: boolean;
  glossary: GlossaryLookup | null;
  onOpen(target: SearchTarget): void;
}) {
  const { row, item, hit, active, glossary, onOpen } = props;
  const target: SearchTarget = { type: 'page', item, page: hit.page };
  // Its name is its visible text ("p. 4 Pricing …"), so what a speech user says matches what they see.
  return (
    <div role="row" aria-rowindex={row}>
      <div
        id={optionId(targetKey(target))}
        role="gridcell"
        aria-selected={active}
        className="page-hit"
        data-testid="search-page-hit"
        data-page={hit.page}
        onMouseDown={keepFocus}
        onClick={() => onOpen(target)}
      >
        <span className="page-hit__number">p. {hit.page}</span>{' '}
        {hit.title ? <span className="page-hit__title">{hit.title}</span> : null}{' '}
        <span className="page-hit__snippet">
          <GlossaryText text={hit.snippet} highlights={hit.highlights} glossary={glossary} />
        </span>
      </div>
    </div>
  );
}

function Thumbnail({ summary, kind }: { summary: ItemSummary | null; kind: ItemSummary['kind'] }) {
  const [failed, setFailed] = useState(false);
  const thumbnail = summary?.thumbnail ?? null;
  return (
    <span className="search-hit__thumb">
      {thumbnail && !failed ? (
        <img
          src={contentUrl(thumbnail.sha256)}
          alt=""
          decoding="async"
          draggable={false}
          onError={() => setFailed(true)}
        />
      ) : (
        <KindIcon kind={kind} size={28} />
      )}
    </span>
  );
}

function ResultsSkeleton() {
  return (
    <div className="search-skeleton" aria-busy="true" aria-label="Searching">
      {[0, 1, 2].map((row) => (
        <div key={row} className="skeleton search-skeleton__row" />
      ))}
    </div>
  );
}
