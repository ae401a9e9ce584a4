/**
 * The search container's state: the query, the filters, the latest answer, recent searches,
 * and when a query counts as settled (so it is logged once, not on every keystroke).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SearchFilters, SearchResponse } from '#shared/search';
import { useClient } from '../data/ClientProvider';
import { describeError } from '../api/deadline';

/** A pause this long after the last keystroke means the rep has settled on the query. */
export const settleDelayMs = 1500;
/**
 * Results asked for as the rep types: a screenful of the panel and a little more, so each
 * keystroke's answer is small to find, carry and draw; scrolling on asks for the rest.
 */
export const firstPageSize = 8;
/** Results asked for each time the rep scrolls (or asks) past those shown. */
export const nextPageSize = 20;
/** The most one request may ask for (the contract's bound). */
const maxResults = 200;
const recentLimit = 8;

export type SearchStatus = 'idle' | 'searching' | 'ready' | 'error';

export interface SearchController {
  open: boolean;
  query: string;
  filters: SearchFilters;
  /** The answer to the latest request that came back; older answers are dropped. */
  response: SearchResponse | null;
  status: SearchStatus;
  error: string | null;
  recent: string[];
  /** The last query logged as settled (tests and screen readers can wait on it). */
  recorded: string | null;
  /** Bumped when something (a shortcut, a button) asks for the field to take the focus. */
  focusRequest: number;
  setQuery(query: string): void;
  setFilters(filters: SearchFilters): void;
  show(): void;
  /** Opens the panel and puts the cursor in the field, selecting what is there. */
  focus(): void;
  close(): void;
  /** The rep settled on the current query (Enter, a result opened): log it now. */
  commit(): void;
  /** Asks for the next page of results of the same query, added below the ones shown. */
  more(): void;
  /** A next page is on its way. */
  loadingMore: boolean;
}

function settledKey(query: string, filters: SearchFilters): string {
  return JSON.stringify([query.trim().toLowerCase(), filters]);
}

export function useSearch(libraryRevision: number | null): SearchController {
  const client = useClient();
  const [open, setOpen] = useState(false);
  const [query, setQueryState] = useState('');
  const [filters, setFilters] = useState<SearchFilters>({});
  const [response, setResponse] = useState<SearchResponse | null>(null);
  const [status, setStatus] = useState<SearchStatus>('idle');
  const [error, setError] = useState<string | null>(null);
  const [recent, setRecent] = useState<string[]>([]);
  const [recorded, setRecorded] = useState<string | null>(null);
  const [focusRequest, setFocusRequest] = useState(0);
  const [loadingMore, setLoadingMore] = useState(false);
  // The same, for the scroll that asks again while a page is on its way.
  const fetchingMore = useRef(false);
  const shown = useRef<SearchResponse | null>(null);
  shown.current = response;
  // Every request gets a number; an answer is shown only if no newer request was sent since.
  const sequence = useRef(0);
  // The number of the request whose answer is on screen.
  const shownSequence = useRef(0);
  const lastRecorded = useRef<string | null>(null);
  const latest = useRef({ query, filters });
  latest.current = { query, filters };

  const loadRecent = useCallback(() => {
    client.getRecentSearches({ limit: recentLimit }).then(setRecent, () => setRecent([]));
  }, []);

  // One keystroke's search at a time: a key typed while one is on its way waits for it, and
  // only the newest of the keys that waited is asked (the ones it supersedes never are), so a
  // fast typist does not queue a search per key in front of the one that matters.
  const inFlight = useRef(false);
  const waiting = useRef<{ text: string; filters: SearchFilters; mine: number } | null>(null);

  const ask = useCallback((text: string, activeFilters: SearchFilters, mine: number) => {
    inFlight.current = true;
    // Asking again for a query already shown (a release changed) keeps as many results.
    const showing = shown.current?.query === text ? shown.current.items.length : 0;
    const limit = Math.min(maxResults, Math.max(firstPageSize, showing));
    const next = () => {
      inFlight.current = false;
      const queued = waiting.current;
      waiting.current = null;
      if (queued && queued.mine === sequence.current) ask(queued.text, queued.filters, queued.mine);
    };
    client.search({ query: text, filters: activeFilters, limit }).then(
      (answer) => {
        // An answer nobody asked for since is shown, even while a newer key waits: the list
        // keeps up with the typing, and the newer key's answer replaces it.
        if (mine === sequence.current || (waiting.current !== null && mine > shownSequence.current)) {
          shownSequence.current = mine;
          setResponse(answer);
          if (mine === sequence.current) {
            setStatus('ready');
            setError(null);
          }
        }
        next();
      },
      (failure: unknown) => {
        if (mine === sequence.current) {
          setStatus('error');
          setError(describeError(failure).message);
        }
        next();
      },
    );
  }, []);

  const run = useCallback(
    (text: string, activeFilters: SearchFilters, record: boolean) => {
      const mine = ++sequence.current;
      if (!text.trim()) {
        waiting.current = null;
        setResponse(null);
        setStatus('idle');
        setError(null);
        return;
      }
      setStatus('searching');
      if (!record) {
        if (inFlight.current) waiting.current = { text, filters: activeFilters, mine };
        else ask(text, activeFilters, mine);
        return;
      }
      // Logging a settled query asks again: as many results as are already shown, so none vanish.
      waiting.current = null;
      const showing = shown.current?.query === text ? shown.current.items.length : 0;
      const limit = Math.min(maxResults, Math.max(firstPageSize, showing));
      client.search({ query: text, filters: activeFilters, limit, record }).then(
        (answer) => {
          setRecorded(text.trim());
          loadRecent();
          if (mine !== sequence.current) return;
          shownSequence.current = mine;
          setResponse(answer);
          setStatus('ready');
          setError(null);
        },
        (failure: unknown) => {
          if (mine !== sequence.current) return;
          setStatus('error');
          setError(describeError(failure).message);
        },
      );
    },
    [ask, loadRecent],
  );

  const more = useCallback(() => {
    const current = shown.current;
    const { query: text, filters: activeFilters } = latest.current;
    // Only the answer to the text in the field grows (not one shown while a newer key waits).
    if (!current || current.query !== text || current.items.length >= current.total || !text.trim()) return;
    // Not a new request: a keystroke meanwhile makes this page obsolete, and it is dropped.
    if (fetchingMore.current) return;
    const mine = sequence.current;
    fetchingMore.current = true;
    setLoadingMore(true);
    client
      .search({ query: text, filters: activeFilters, limit: nextPageSize, offset: current.items.length })
      .then(
        (page) => {
          if (mine !== sequence.current) return;
          const known = new Set(current.items.map((item) => item.id));
          setResponse({ ...current, items: [...current.items, ...page.items.filter((item) => !known.has(item.id))] });
        },
        (failure: unknown) => {
          if (mine !== sequence.current) return;
          setError(describeError(failure).message);
        },
      )
      .finally(() => {
        fetchingMore.current = false;
        setLoadingMore(false);
      });
  }, []);

  const commit = useCallback(() => {
    const { query: text, filters: activeFilters } = latest.current;
    if (!text.trim()) return;
    const key = settledKey(text, activeFilters);
    if (key === lastRecorded.current) return;
    lastRecorded.current = key;
    run(text, activeFilters, true);
  }, [run]);

  // As you type: every keystroke asks the engine (it answers in milliseconds). A key asks from
  // the field's change itself (setQuery), before React draws it, so the core searches while the
  // field and the panel redraw; filters and a new release ask from here. Each text, filters and
  // release is asked once.
  const revision = useRef(libraryRevision);
  revision.current = libraryRevision;
  const asked = useRef<string | null>(null);
  const askOnce = useCallback(
    (text: string, activeFilters: SearchFilters) => {
      const key = JSON.stringify([text, activeFilters, revision.current]);
      if (asked.current === key) return;
      asked.current = key;
      run(text, activeFilters, false);
    },
    [run],
  );
  useEffect(() => {
    askOnce(query, filters);
  }, [query, filters, libraryRevision, askOnce]);

  // Settled: a pause with a non-empty query while the panel is open.
  useEffect(() => {
    if (!open || !query.trim()) return;
    const timer = setTimeout(commit, settleDelayMs);
    return () => clearTimeout(timer);
  }, [open, query, filters, commit]);

  useEffect(() => {
    if (open && !query.trim()) loadRecent();
  }, [open, query, loadRecent]);

  const setQuery = useCallback(
    (next: string) => {
      setQueryState(next);
      setOpen(true);
      askOnce(next, latest.current.filters);
    },
    [askOnce],
  );
  const show = useCallback(() => setOpen(true), []);
  const close = useCallback(() => setOpen(false), []);
  const focus = useCallback(() => {
    setOpen(true);
    setFocusRequest((n) => n + 1);
  }, []);

  return {
    open,
    query,
    filters,
    response,
    status,
    error,
    recent,
    recorded,
    focusRequest,
    setQuery,
    setFilters,
    show,
    focus,
    close,
    commit,
    more,
    loadingMore,
  };
}
