/**
 * The visitor's home: the kiosk items as big cards, a search over them, and the two ways on,
 * "Get in touch" and "Done".
 */
import { memo, useMemo } from 'react';
import type { ItemSummary } from '#shared/library';
import { ItemCard } from '../library/ItemCard';
import { CloseIcon, SearchIcon } from '../ui/icons';
import { StateMessage } from '../ui/StateMessage';
import type { KioskLibrary } from './KioskApp';
import { ChatIcon, DoneIcon } from './kiosk-icons';
import { filterKioskItems } from './search';

export interface KioskHomeProps {
  library: KioskLibrary;
  query: string;
  onQueryChange(query: string): void;
  onOpenItem(item: ItemSummary): void;
  onGetInTouch(): void;
  onDone(): void;
}

export function KioskHome({ library, query, onQueryChange, onOpenItem, onGetInTouch, onDone }: KioskHomeProps) {
  const items = library.items;
  const shown = useMemo(() => (items ? filterKioskItems(items, query) : []), [items, query]);

  return (
    <div className="kiosk-home" data-testid="kiosk-home">
      <header className="kiosk-home__bar">
        <div className="kiosk-home__greeting">
          <h1 className="kiosk-home__title">Explore at your own pace</h1>
          <p className="kiosk-home__subtitle">Tap anything to open it. When you are finished, tap Done.</p>
        </div>
        <div className="kiosk-home__actions">
          <button type="button" className="kiosk-button kiosk-button--primary" data-testid="get-in-touch" onClick={onGetInTouch}>
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
          <button type="button" className="kiosk-search__clear" aria-label="Clear search" onClick={() => onQueryChange('')}>
            <CloseIcon size={24} />
          </button>
        ) : null}
      </div>
      <main className="kiosk-home__content">
        <HomeItems library={library} shown={shown} query={query} onOpenItem={onOpenItem} onClear={() => onQueryChange('')} />
      </main>
    </div>
  );
}

const HomeItems = memo(function HomeItems(props: {
  library: KioskLibrary;
  shown: ItemSummary[];
  query: string;
  onOpenItem(item: ItemSummary): void;
  onClear(): void;
}) {
  const { library, shown, query, onOpenItem, onClear } = props;
  if (library.failure) {
    return (
      <StateMessage tone="error" title="Nothing to show just now">
        Please ask a member of our team. ({library.failure})
      </StateMessage>
    );
  }
  if (!library.items) return <div className="kiosk-grid kiosk-grid--loading" aria-busy="true" />;
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
    <div className="kiosk-grid">
      {shown.map((item) => (
        <ItemCard key={item.id} item={item} isNew={false} onOpen={onOpenItem} />
      ))}
    </div>
  );
});
