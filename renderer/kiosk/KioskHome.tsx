/**
 * The visitor's home: the kiosk items as big cards, a search over them (the core's engine: page
 * text, typos, the pages where the words are), and the two ways on, "Get in touch" and "Done".
 * Presentational: the search's answer arrives as a prop.
 */
import { memo, useMemo } from 'react';
import type { ItemSummary } from '#shared/library';
import type { SearchPageHit } from '#shared/search';
import { GlossaryText } from '../glossary/GlossaryText';
import { ItemCard } from '../library/ItemCard';
import { CloseIcon, SearchIcon } from '../ui/icons';
import { StateMessage } from '../ui/StateMessage';
import type { KioskLibrary } from './KioskApp';
import { ChatIcon, DoneIcon } from './kiosk-icons';
import { kioskResults, type KioskResult, type KioskSearchState } from './search';

export interface KioskHomeProps {
  library: KioskLibrary;
  query: string;
  search: KioskSearchState;
  onQueryChange(query: string): void;
  /** Opens an item, on a page when a page hit was tapped. */
  onOpenItem(item: ItemSummary, page?: number): void;
  onGetInTouch(): void;
  onDone(): void;
}

export function KioskHome({ library, query, search, onQueryChange, onOpenItem, onGetInTouch, onDone }: KioskHomeProps) {
  const items = library.items;
  const searching = query.trim() !== '';
  const response = search.status === 'ready' || search.status === 'searching' ? search.response : null;
  const shown = useMemo<KioskResult[]>(
    () => (!items ? [] : searching ? kioskResults(response, items) : items.map((item) => ({ item, pages: [] }))),
    [items, searching, response],
  );
  const pending = searching && (search.status === 'searching' || search.status === 'idle') && response === null;

  return (
    <div className="kiosk-home" data-testid="kiosk-home">
      <header className="kiosk-home__bar">
        <div className="kiosk-home__greeting">
          <h1 className="kiosk-home__title">Explore at your own pace</h1>
          <p className="kiosk-home__subtitle">Tap anything to open it. When you are finished, tap Done.</p>
        </div>
        <div className="kiosk-home__actions">
          <button
            type="button"
            className="kiosk-button kiosk-button--primary"
            data-testid="get-in-touch"
            onClick={onGetInTouch}
          >
            <ChatIcon size={26} />
            Get in touch
          </button>
          <button type="button" className="kiosk-button kiosk-button--quiet" data-testid="kiosk-done" onClick={onDone}>
            <DoneIcon size={26} />
            Done
          </button>
        </div>
      </header>
      <div className="kiosk-search" role="search">
        <SearchIcon size={26} />
        <input
          className="kiosk-search__input"
          data-testid="kiosk-search"
          type="search"
          inputMode="search"
          enterKeyHint="search"
          autoComplete="off"
          autoCorrect="off"
          spellCheck={false}
          placeholder="Search brochures, videos, case studies…"
          aria-label="Search"
          value={query}
          onChange={(event) => onQueryChange(event.target.value)}
        />
        {query ? (
          <button
            type="button"
            className="kiosk-search__clear"
            aria-label="Clear search"
            onClick={() => onQueryChange('')}
          >
            <CloseIcon size={24} />
          </button>
        ) : null}
      </div>
      <main className="kiosk-home__content">
        <HomeItems
          library={library}
          shown={shown}
          query={query}
          pending={pending}
          error={searching && search.status === 'error' ? search.message : null}
          onOpenItem={onOpenItem}
          onClear={() => onQueryChange('')}
        />
      </main>
    </div>
  );
}

const HomeItems = memo(function HomeItems(props: {
  library: KioskLibrary;
  shown: KioskResult[];
  query: string;
  pending: boolean;
  error: string | null;
  onOpenItem(item: ItemSummary, page?: number): void;
  onClear(): void;
}) {
  const { library, shown, query, pending, error, onOpenItem, onClear } = props;
  if (library.failure) {
    return (
      <StateMessage tone="error" title="Nothing to show just now">
        Please ask a member of our team. ({library.failure})
      </StateMessage>
    );
  }
  if (!library.items || pending) return <div className="kiosk-grid kiosk-grid--loading" aria-busy="true" />;
  if (error) {
    return (
      <StateMessage tone="error" title="Search is not available just now">
        Please browse everything, or ask a member of our team. ({error})
      </StateMessage>
    );
  }
  if (shown.length === 0) {
    return (
      <StateMessage
        tone="empty"
        title={query.trim() ? `Nothing matches “${query.trim()}”` : 'Nothing to show just now'}
        testId="kiosk-no-results"
        actions={
          query.trim() ? (
            <button type="button" className="button button--primary" onClick={onClear}>
              Show everything
            </button>
          ) : null
        }
      >
        {query.trim() ? 'Try another word, or browse everything.' : 'Please ask a member of our team.'}
      </StateMessage>
    );
  }
  return (
    <div className="kiosk-grid" data-testid="kiosk-results" data-query={query.trim() || undefined}>
      {shown.map(({ item, pages }) => (
        <div key={item.id} className="kiosk-result">
          <ItemCard item={item} isNew={false} onOpen={onOpenItem} />
          {pages.length > 0 ? (
            <ul className="kiosk-result__pages" aria-label={`Where it says so in ${item.title}`}>
              {pages.map((hit) => (
                <li key={hit.page}>
                  <KioskPageHit item={item} hit={hit} onOpen={onOpenItem} />
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ))}
    </div>
  );
});

function KioskPageHit({
  item,
  hit,
  onOpen,
}: {
  item: ItemSummary;
  hit: SearchPageHit;
  onOpen(item: ItemSummary, page: number): void;
}) {
  return (
    <button
      type="button"
      className="kiosk-page-hit"
      data-testid="kiosk-page-hit"
      data-item-id={item.id}
      data-page={hit.page}
      aria-label={`Page ${hit.page}: ${hit.snippet}`}
      onClick={() => onOpen(item, hit.page)}
    >
      <span className="kiosk-page-hit__number">p. {hit.page}</span>
      <span className="kiosk-page-hit__snippet">
        <GlossaryText text={hit.snippet} highlights={hit.highlights} glossary={null} />
      </span>
    </button>
  );
}
