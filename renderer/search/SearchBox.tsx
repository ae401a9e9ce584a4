/**
 * Container: the search field and its results panel, docked in the home top bar or as a sheet
 * over a viewer. Owns the keyboard walk through the results; the query state comes from
 * useSearch in the app, so both places show the same search.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ItemSummary, LibraryHome } from '#shared/library';
import { glossaryLookup } from '../glossary/term-text';
import { CloseIcon } from '../ui/icons';
import { filterSections, searchTargets, targetKey, toggleFilter, type SearchTarget } from './presentation';
import { SearchField } from './SearchField';
import { optionId, pagesPerItem, SearchResults } from './SearchResults';
import type { SearchController } from './useSearch';

export interface SearchBoxProps {
  search: SearchController;
  /** The home's summary: the filter chips and the glossary come from it. */
  library: Pick<LibraryHome, 'searchFacets' | 'glossary'> | null;
  /** `dock`: the field in the top bar, results dropping below it. `sheet`: a full layer of its own. */
  mode: 'dock' | 'sheet';
  onOpenTarget(target: SearchTarget): void;
  /** A docked field under another screen (a viewer) keeps its text but shows no results. */
  covered?: boolean;
}

export function SearchBox({ search, library, mode, onOpenTarget, covered = false }: SearchBoxProps) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const sections = useMemo(() => (library ? filterSections(library.searchFacets) : []), [library]);
  const glossary = useMemo(
    () => (library && library.glossary.length > 0 ? glossaryLookup(library.glossary) : null),
    [library],
  );
  // Each hit brings its card (cover, category, pages) from the core.
  const itemsById = useMemo(
    () =>
      new Map<string, ItemSummary>(
        (search.response?.items ?? []).flatMap((hit) => (hit.summary ? [[hit.id, hit.summary] as const] : [])),
      ),
    [search.response],
  );
  const hasQuery = search.query.trim() !== '';
  const targets = useMemo(
    () => (hasQuery ? searchTargets(search.response, pagesPerItem) : []),
    [hasQuery, search.response],
  );

  // New results: the keyboard stays on its result if that is still there (a settled query is
  // asked again and answers the same), otherwise it starts again from the field.
  const targetKeys = targets.map(targetKey).join('\n');
  useEffect(() => {
    setActiveKey((key) => (key !== null && targetKeys.split('\n').includes(key) ? key : null));
  }, [targetKeys]);

  useEffect(() => {
    if (search.focusRequest === 0 || covered) return;
    inputRef.current?.focus();
    inputRef.current?.select();
  }, [search.focusRequest, covered]);

  const move = (step: number) => {
    if (targets.length === 0) return;
    const index = targets.findIndex((target) => targetKey(target) === activeKey);
    const next = index === -1 ? (step > 0 ? 0 : targets.length - 1) : index + step;
    setActiveKey(next < 0 || next >= targets.length ? null : targetKey(targets[next]!));
    // Walking down onto the last result shown brings the next page, as scrolling there does.
    if (step > 0 && next === targets.length - 1) search.more();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case 'ArrowDown':
        if (!search.open) search.show();
        move(1);
        break;
      case 'ArrowUp':
        move(-1);
        break;
      case 'Enter': {
        const target = targets.find((candidate) => targetKey(candidate) === activeKey);
        if (target) onOpenTarget(target);
        else search.commit();
        break;
      }
      case 'Escape':
        // First Escape clears, the second closes; it never reaches the viewer underneath.
        if (search.query) search.setQuery('');
        else {
          search.close();
          if (mode === 'dock') inputRef.current?.blur();
        }
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  const field = (
    <SearchField
      value={search.query}
      expanded={search.open && !covered}
      activeId={activeKey ? optionId(activeKey) : null}
      inputRef={inputRef}
      autoFocus={mode === 'sheet'}
      onChange={search.setQuery}
      onFocus={search.show}
      onKeyDown={onKeyDown}
      onClear={() => {
        search.setQuery('');
        inputRef.current?.focus();
      }}
    />
  );

  // The results end above the window's bottom edge wherever they start: the top bar wraps to two
  // lines on a Surface's 1,366–1,440 px (search on its own line) and more on a phone or with large
  // text, so a fixed allowance for the bar left the last results below the screen.
  const dropdownOpen = search.open && !covered;
  const dropdownRef = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const dropdown = dropdownRef.current;
    if (!dropdownOpen || !dropdown) return;
    const fit = () => {
      // offsetTop, not the box: the opening animation moves the box for a moment.
      const parent = dropdown.offsetParent;
      const top = (parent ? parent.getBoundingClientRect().top : 0) + dropdown.offsetTop;
      dropdown.style.setProperty('--search-dropdown-top', `${Math.max(0, Math.round(top))}px`);
    };
    fit();
    const bar = new ResizeObserver(fit);
    if (dropdown.offsetParent) bar.observe(dropdown.offsetParent);
    window.addEventListener('resize', fit);
    return () => {
      bar.disconnect();
      window.removeEventListener('resize', fit);
    };
  }, [dropdownOpen]);

  const results = (
    <SearchResults
      query={search.query}
      response={search.response}
      status={search.status}
      error={search.error}
      recent={search.recent}
      recorded={search.recorded}
      sections={sections}
      filters={search.filters}
      itemsById={itemsById}
      activeKey={activeKey}
      glossary={glossary}
      onOpen={onOpenTarget}
      onPickQuery={(text) => {
        search.setQuery(text);
        inputRef.current?.focus();
      }}
      onToggleFilter={(option) => search.setFilters(toggleFilter(search.filters, option))}
      onClearFilters={() => search.setFilters({})}
      onMore={search.more}
      loadingMore={search.loadingMore}
    />
  );

  if (mode === 'sheet') {
    return (
      <div
        className="search-sheet"
        role="dialog"
        aria-modal="true"
        aria-label="Search"
        data-testid="search-sheet"
        // Keys typed here are for search, not for the viewer underneath (page turns, Escape).
        onKeyDown={(event) => {
          if (event.key === 'Escape') search.close();
          event.stopPropagation();
        }}
      >
        <div className="search-sheet__bar">
          {field}
          <button type="button" className="button button--quiet" data-testid="search-close" onClick={search.close}>
            <CloseIcon size={18} />
            Close
          </button>
        </div>
        <div className="search-sheet__content">{results}</div>
      </div>
    );
  }

  return (
    <div className="search-dock" data-open={search.open || undefined}>
      {field}
      {dropdownOpen ? (
        <div
          ref={dropdownRef}
          className="search-dropdown"
          onKeyDown={(event) => {
            if (event.key !== 'Escape') return;
            event.preventDefault();
            search.close();
            inputRef.current?.blur();
          }}
        >
          {results}
        </div>
      ) : null}
    </div>
  );
}
