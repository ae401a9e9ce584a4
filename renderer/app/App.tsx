/**
 * The app's top-level container: the library home underneath, an item or a definition opened
 * on top of it. Home stays mounted (inert) while something is open, so coming back is instant
 * and lands on the same scroll position and the card that was tapped.
 */
import { memo, useCallback, useEffect, useMemo, useRef, type MouseEvent } from 'react';
import type { GlossaryEntry, ItemSummary, ItemUse, LibraryHome as LibraryHomeData } from '#shared/library';
import { GlossaryDialog } from '../glossary/GlossaryDialog';
import { LibraryHome, LibrarySkeleton } from '../library/LibraryHome';
import { CollectionScreen } from '../library/CollectionScreen';
import type { ShelfRow } from '../library/presentation';
import { useViewportWidth } from '../ui/useViewportWidth';
import { useScreenFocus } from './useScreenFocus';
import { StateMessage } from '../ui/StateMessage';
import { ItemScreen } from '../viewer/ItemScreen';
import { isSearchShortcut, SearchLauncher } from '../search/launcher';
import type { SearchTarget } from '../search/presentation';
import { SearchBox } from '../search/SearchBox';
import { useSearch } from '../search/useSearch';
import { ConnectFromLink, FirstRunConnect } from '../fleet/ConnectScreen';
import { PrivacyScreen } from '../fleet/PrivacyScreen';
import { SyncChip } from '../sync/SyncChip';
import { SyncScreen } from '../sync/SyncScreen';
import { UpdateBanner } from '../sync/UpdateBanner';
import { useAppUpdate, useCheckWhenOnline, useSyncStatus } from '../sync/useSyncStatus';
import { useClient } from '../data/ClientProvider';
import { useAction } from '../data/useAction';
import type { QueryState } from '../data/useQuery';
import { useItemUse, useLibraryHome } from '../library/queries';
import { FavouriteContext, type FavouriteToggle } from '../viewer/favourite';
import { journalReplay } from '../presenting/draft-journal';
import { saveInkInParts } from '../presenting/meeting-ink';
import { PresentingNav } from '../presenting/PresentingNav';
import { PresentingScreens, presentingHasNoSearch } from '../presenting/PresentingScreens';
import { useRouter } from './router';
import { RehearseNav } from '../rehearse/RehearseNav';
import { RehearseScreen } from '../rehearse/RehearseScreen';
import { QuizzesNav } from '../quizzes/QuizzesNav';
import { QuizzesScreen } from '../quizzes/QuizzesScreen';
import { TopBar } from './TopBar';

const appName = 'Pitchcase';

export function App() {
  const router = useRouter();
  const { route, open, replace, back } = router;
  const client = useClient();
  // While a new release loads, the previous one stays on screen: a sync never blanks the view.
  const state = useLibraryHome();
  const { refresh } = state;
  const syncStatus = useSyncStatus();
  const appUpdate = useAppUpdate();
  useCheckWhenOnline();
  // Wrap-ups typed (and ink drawn) when the window last closed, not yet in the core: saved as drafts now.
  useEffect(() => {
    void journalReplay(
      (meeting) => client.saveMeeting(meeting),
      (meetingId, pages) => saveInkInParts((arg) => client.saveMeetingInk(arg), meetingId, pages),
    );
  }, [client]);
  const library = state.data ?? null;
  const lastOpened = useRef<string | null>(null);
  const overlayOpen = route.name !== 'home';
  const search = useSearch(library?.release?.version ?? null);
  const { commit: commitSearch, close: closeSearch, show: showSearch, focus: focusSearch } = search;
  const searchQuery = search.query.trim();
  // Read when a result is opened, so opening keeps one identity while the rep types (every
  // result row would otherwise be drawn again on each keystroke).
  const latestSearchQuery = useRef(searchQuery);
  latestSearchQuery.current = searchQuery;
  // Back from a result lands on the results again, ready for the next one.
  const returnToSearch = useRef(false);

  // The card a screen was opened from, so the viewer can show its title while the item loads.
  const openedFrom = useRef(new Map<string, ItemSummary>());
  const openTarget = useCallback(
    (target: SearchTarget) => {
      if (target.item.summary) openedFrom.current.set(target.item.id, target.item.summary);
      commitSearch();
      closeSearch();
      returnToSearch.current = true;
      const page = target.type === 'page' ? target.page : null;
      const query = latestSearchQuery.current;
      open(query ? { name: 'item', id: target.item.id, page, query } : { name: 'item', id: target.item.id, page });
    },
    [commitSearch, closeSearch, open],
  );

  // `/` or Ctrl/Cmd+F opens search from any screen, unless the rep is typing in another field.
  // The glossary dialog and the sync screen have no search of their own.
  const glossaryOpen =
    route.name === 'glossary' ||
    route.name === 'sync' ||
    route.name === 'privacy' ||
    route.name === 'collection' ||
    route.name === 'rehearse' ||
    route.name === 'quizzes' ||
    route.name === 'connect' ||
    presentingHasNoSearch(route);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || glossaryOpen) return;
      const target = event.target instanceof Element ? event.target : null;
      const field = target?.closest('input, textarea, select, [contenteditable="true"]');
      const inSearch = Boolean(field?.matches('[data-testid="search-input"]'));
      if (!isSearchShortcut(event, Boolean(field) && !inSearch)) return;
      if (inSearch && event.key === '/') return;
      event.preventDefault();
      focusSearch();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [focusSearch, glossaryOpen]);

  // The desktop app was handed an enrolment link while running: its connect screen, filled in.
  useEffect(
    () => client.on('fleet.enrolLink', (link) => open({ name: 'connect', studioUrl: link.studioUrl, code: link.code })),
    [client, open],
  );

  // Favourites, recently opened and "Most used" come from the core, kept per device.
  const use = useItemUse();
  const { replace: replaceUse } = use;
  const openedAction = useAction(
    (api, itemId: string) => api.recordItemOpened({ itemId }),
    'Recently opened could not be updated: ',
  );
  const favouriteAction = useAction(
    (api, arg: { itemId: string; favourite: boolean }) => api.setFavourite(arg),
    'The favourite could not be saved: ',
  );
  const { run: runOpened } = openedAction;
  const { run: runFavourite } = favouriteAction;
  // Favourites and Recently opened are shelves of the home: it is read again when they change.
  const changedUse = useCallback(
    (next: ItemUse | undefined) => {
      if (!next) return;
      replaceUse(next);
      refresh();
    },
    [replaceUse, refresh],
  );
  const openItem = useCallback(
    (item: ItemSummary) => {
      lastOpened.current = `[data-item-id="${CSS.escape(item.id)}"]`;
      openedFrom.current.set(item.id, item);
      open({ name: 'item', id: item.id, page: null });
      void runOpened(item.id).then(changedUse);
    },
    [open, runOpened, changedUse],
  );
  const openEntry = useCallback(
    (entry: GlossaryEntry) => {
      lastOpened.current = `[data-entry-id="${CSS.escape(entry.id)}"]`;
      open({ name: 'glossary', id: entry.id });
    },
    [open],
  );

  const openCollection = useCallback(
    (row: ShelfRow) => {
      lastOpened.current = `[data-collection-id="${CSS.escape(row.id)}"] [data-testid="see-all"]`;
      open({ name: 'collection', id: row.id });
    },
    [open],
  );
  const homeScroller = useRef<HTMLElement>(null);
  const scrollElement = useCallback(() => homeScroller.current, []);
  const viewportWidth = useViewportWidth();
  const useData = use.data ?? null;
  const openItemId = route.name === 'item' ? route.id : null;
  const favourite = useMemo((): FavouriteToggle | null => {
    if (!openItemId || !useData) return null;
    const on = useData.favourites.includes(openItemId);
    return {
      favourite: on,
      error: favouriteAction.error,
      toggle: () => void runFavourite({ itemId: openItemId, favourite: !on }).then(changedUse),
    };
  }, [openItemId, useData, runFavourite, changedUse, favouriteAction.error]);
  const useError = openedAction.error;
  useScreenFocus(`${route.name}:${'id' in route ? String(route.id) : ''}`, route.name === 'home');

  const openSync = useCallback(() => {
    lastOpened.current = '[data-testid="sync-chip"]';
    open({ name: 'sync' });
  }, [open]);
  const markSeenAction = useAction((api, _: void) => api.markLibrarySeen({}), 'The badges could not be cleared: ');
  const { run: runMarkSeen } = markSeenAction;
  const markSeen = useCallback(() => {
    // The badge count arrives with the sync.status event; the cards need the new baseline.
    void runMarkSeen().then((done) => done && refresh());
  }, [runMarkSeen, refresh]);

  const itemId = route.name === 'item' ? route.id : null;
  // Page turns keep the search terms, so they stay highlighted on the next pages too.
  const highlightQuery = route.name === 'item' ? route.query : undefined;
  const changePage = useCallback(
    (page: number) => {
      if (itemId)
        replace(
          highlightQuery
            ? { name: 'item', id: itemId, page, query: highlightQuery }
            : { name: 'item', id: itemId, page },
        );
    },
    [itemId, highlightQuery, replace],
  );

  // Back on home: return focus to what was opened, for keyboard and screen-reader users.
  useEffect(() => {
    if (route.name !== 'home') return;
    if (returnToSearch.current) {
      returnToSearch.current = false;
      showSearch();
    }
    if (!lastOpened.current) return;
    document.querySelector<HTMLElement>(lastOpened.current)?.focus({ preventScroll: true });
    lastOpened.current = null;
  }, [route.name, showSearch]);

  const dockedOpen = search.open && route.name === 'home';
  // The top bar is drawn again on every keystroke (it holds the field); what else it holds is not.
  const syncChip = useMemo(() => <SyncChip status={syncStatus} onOpen={openSync} />, [syncStatus, openSync]);
  const navigation = useMemo(
    () => (
      <PresentingNav onOpen={open}>
        <RehearseNav onOpen={() => open({ name: 'rehearse', promptId: null })} />
        <QuizzesNav onOpen={() => open({ name: 'quizzes', quizId: null })} />
      </PresentingNav>
    ),
    [open],
  );
  return (
    <SearchLauncher.Provider value={focusSearch}>
      <div className="home-screen" inert={overlayOpen} aria-hidden={overlayOpen || undefined}>
        <a className="skip-link" href="#library" onClick={skipToContent}>
          Skip to content
        </a>
        <TopBar
          appName={appName}
          release={library?.release ?? null}
          search={
            <SearchBox search={search} library={library} mode="dock" covered={overlayOpen} onOpenTarget={openTarget} />
          }
          status={syncChip}
          nav={navigation}
        />
        <main className="home-screen__content" id="library" ref={homeScroller} tabIndex={-1}>
          {useError ? (
            <p className="sync-inline-error" role="alert" data-testid="item-use-error">
              {useError}
            </p>
          ) : null}
          {markSeenAction.error ? (
            <p className="sync-inline-error" role="alert" data-testid="mark-seen-error">
              {markSeenAction.error}
            </p>
          ) : null}
          <HomeContent
            state={state}
            newSinceSeen={syncStatus?.newSinceSeen ?? null}
            onMarkSeen={markSeen}
            onRetry={state.retry}
            onOpenItem={openItem}
            onOpenEntry={openEntry}
            onSeeAll={openCollection}
            scrollElement={scrollElement}
            viewportWidth={viewportWidth}
          />
        </main>
        {dockedOpen ? (
          <div className="search-scrim" data-testid="search-scrim" aria-hidden="true" onClick={closeSearch} />
        ) : null}
      </div>
      {route.name === 'item' ? (
        <FavouriteContext.Provider value={favourite}>
          <ItemScreen
            key={route.id}
            id={route.id}
            page={route.page ?? 1}
            highlightQuery={route.query ?? null}
            summary={openedFrom.current.get(route.id) ?? null}
            onPageChange={changePage}
            onBack={back}
            pageActions
          />
        </FavouriteContext.Provider>
      ) : null}
      {search.open && route.name === 'item' ? (
        <SearchBox search={search} library={library} mode="sheet" onOpenTarget={openTarget} />
      ) : null}
      {route.name === 'collection' ? (
        <CollectionScreen key={route.id} id={route.id} home={library} onOpenItem={openItem} onBack={back} />
      ) : null}
      {route.name === 'sync' ? (
        <SyncScreen status={syncStatus} release={library?.release ?? null} appUpdate={appUpdate} onBack={back} />
      ) : null}
      {route.name === 'privacy' ? <PrivacyScreen onBack={back} /> : null}
      <PresentingScreens route={route} open={open} replace={replace} back={back} />
      {route.name === 'rehearse' ? (
        <RehearseScreen
          promptId={route.promptId}
          onPick={(promptId) => replace({ name: 'rehearse', promptId })}
          onBack={back}
        />
      ) : null}
      {route.name === 'quizzes' ? (
        <QuizzesScreen quizId={route.quizId} onPick={(quizId) => replace({ name: 'quizzes', quizId })} onBack={back} />
      ) : null}
      {route.name === 'connect' ? (
        <ConnectFromLink
          link={{ studioUrl: route.studioUrl, code: route.code }}
          onClose={() => replace({ name: 'home' })}
        />
      ) : (
        <FirstRunConnect />
      )}
      <UpdateBanner update={appUpdate} restart={() => client.restartToUpdate({})} />
      {route.name === 'glossary' && library ? (
        <GlossaryDialog
          key={route.id}
          entry={library.glossary.find((entry) => entry.id === route.id) ?? null}
          onClose={back}
        />
      ) : null}
    </SearchLauncher.Provider>
  );
}

/** The skip link moves focus into the content without touching the hash the router owns. */
function skipToContent(event: MouseEvent<HTMLAnchorElement>) {
  event.preventDefault();
  const content = document.getElementById('library');
  content?.focus();
}

interface HomeContentProps {
  state: QueryState<LibraryHomeData>;
  newSinceSeen: number | null;
  onMarkSeen(): void;
  onRetry(): void;
  onOpenItem(item: ItemSummary): void;
  onOpenEntry(entry: GlossaryEntry): void;
  onSeeAll(row: ShelfRow): void;
  scrollElement(): HTMLElement | null;
  viewportWidth: number;
}

const HomeContent = memo(function HomeContent({
  state,
  newSinceSeen,
  onMarkSeen,
  onRetry,
  onOpenItem,
  onOpenEntry,
  onSeeAll,
  scrollElement,
  viewportWidth,
}: HomeContentProps) {
  switch (state.status) {
    case 'loading':
      return <LibrarySkeleton />;
    case 'error':
      return (
        <StateMessage tone="error" title="The library could not be loaded" testId="library-error" onRetry={onRetry}>
          {state.error.message}
        </StateMessage>
      );
    case 'ready':
      return (
        <LibraryHome
          library={state.data}
          newSinceSeen={newSinceSeen}
          onMarkSeen={onMarkSeen}
          onOpenItem={onOpenItem}
          onOpenEntry={onOpenEntry}
          onSeeAll={onSeeAll}
          scrollElement={scrollElement}
          viewportWidth={viewportWidth}
        />
      );
  }
});
