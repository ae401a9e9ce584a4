/**
 * The app's top-level container: the library home underneath, an item or a definition opened
 * on top of it. Home stays mounted (inert) while something is open, so coming back is instant
 * and lands on the same scroll position and the card that was tapped.
 */
import { memo, useCallback, useEffect, useRef } from 'react';
import type { GlossaryEntry, ItemSummary } from '#shared/library';
import { GlossaryDialog } from '../glossary/GlossaryDialog';
import { LibraryHome, LibrarySkeleton } from '../library/LibraryHome';
import { StateMessage } from '../ui/StateMessage';
import { ItemScreen } from '../viewer/ItemScreen';
import { useRouter } from './router';
import { TopBar } from './TopBar';
import { useLibrary, type LibraryState } from './useLibrary';

const appName = 'Pitchcase';

export function App() {
  const router = useRouter();
  const { route, open, replace, back } = router;
  const { state, reload } = useLibrary();
  const library = state.status === 'ready' ? state.library : null;
  const lastOpened = useRef<string | null>(null);
  const overlayOpen = route.name !== 'home';

  const openItem = useCallback(
    (item: ItemSummary) => {
      lastOpened.current = `[data-item-id="${CSS.escape(item.id)}"]`;
      open({ name: 'item', id: item.id, page: null });
    },
    [open],
  );
  const openEntry = useCallback(
    (entry: GlossaryEntry) => {
      lastOpened.current = `[data-entry-id="${CSS.escape(entry.id)}"]`;
      open({ name: 'glossary', id: entry.id });
    },
    [open],
  );

  const itemId = route.name === 'item' ? route.id : null;
  const changePage = useCallback(
    (page: number) => {
      if (itemId) replace({ name: 'item', id: itemId, page });
    },
    [itemId, replace],
  );

  // Back on home: return focus to what was opened, for keyboard and screen-reader users.
  useEffect(() => {
    if (route.name !== 'home' || !lastOpened.current) return;
    document.querySelector<HTMLElement>(lastOpened.current)?.focus({ preventScroll: true });
    lastOpened.current = null;
  }, [route.name]);

  return (
    <>
      <div className="home-screen" inert={overlayOpen} aria-hidden={overlayOpen || undefined}>
        <TopBar appName={appName} release={library?.release ?? null} />
        <main className="home-screen__content" id="library">
          <HomeContent state={state} onRetry={reload} onOpenItem={openItem} onOpenEntry={openEntry} />
        </main>
      </div>
      {route.name === 'item' ? (
        <ItemScreen
          key={route.id}
          id={route.id}
          page={route.page ?? 1}
          summary={library?.items.find((item) => item.id === route.id) ?? null}
          onPageChange={changePage}
          onBack={back}
        />
      ) : null}
      {route.name === 'glossary' && library ? (
        <GlossaryDialog key={route.id} entry={library.glossary.find((entry) => entry.id === route.id) ?? null} onClose={back} />
      ) : null}
    </>
  );
}

interface HomeContentProps {
  state: LibraryState;
  onRetry(): void;
  onOpenItem(item: ItemSummary): void;
  onOpenEntry(entry: GlossaryEntry): void;
}

const HomeContent = memo(function HomeContent({ state, onRetry, onOpenItem, onOpenEntry }: HomeContentProps) {
  switch (state.status) {
    case 'loading':
      return <LibrarySkeleton />;
    case 'error':
      return (
        <StateMessage
          tone="error"
          title="The library could not be loaded"
          testId="library-error"
          actions={
            <button type="button" className="button button--primary" onClick={onRetry}>
              Try again
            </button>
          }
        >
          {state.message}
        </StateMessage>
      );
    case 'ready':
      return <LibraryHome library={state.library} onOpenItem={onOpenItem} onOpenEntry={onOpenEntry} />;
  }
});

