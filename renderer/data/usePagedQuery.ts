/**
 * The data hook for long lists: loads a list a page at a time as the screen asks for the rows it
 * draws, with the same deadline, error-with-retry, cancellation and event reloads as `useQuery`.
 * Only pages near what is on screen are kept, so memory does not grow with the list.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PitchcaseClient } from '#shared/client';
import type { EventName } from '#shared/contract';
import { describeError, withDeadline } from '../api/deadline';
import { useClient } from './ClientProvider';
import type { QueryFailure } from './useQuery';

export interface Page<T> {
  items: T[];
  /** How many the whole list holds (every page together). */
  total: number;
}

export interface PagedQuery<T> {
  /** Identity of the list (sort, filters…): a new key starts again from the first page. */
  key: readonly unknown[];
  what: string;
  deadlineMs: number;
  pageSize: number;
  loadPage(client: PitchcaseClient, offset: number, limit: number): Promise<Page<T>>;
  /** Events after which the pages on hand are read again, in place. */
  refetchOn?: readonly EventName[];
}

export interface PagedState<T> {
  /** `loading` until the first page arrives; `error` when a page failed (retry loads it again). */
  status: 'loading' | 'ready' | 'error';
  /** Items in the whole list; null until the first page says. */
  total: number | null;
  error: QueryFailure | null;
  /** The item at `index`, or undefined while its page loads. */
  itemAt(index: number): T | undefined;
  /** The screen draws rows `start`..`end` (inclusive): their pages load if they are not here. */
  want(start: number, end: number): void;
  retry(): void;
}

/** Pages kept around the last range asked for; the rest are dropped and loaded again if needed. */
const keptPages = 12;

interface Pages<T> {
  key: string | null;
  pages: ReadonlyMap<number, T[]>;
  total: number | null;
  error: QueryFailure | null;
}

/** `null` waits: nothing loads until the screen knows what to ask for. */
export function usePagedQuery<T>(query: PagedQuery<T> | null): PagedState<T> {
  const client = useClient();
  const key = query ? JSON.stringify(query.key) : null;
  const latest = useRef(query);
  latest.current = query;
  const [state, setState] = useState<Pages<T>>({ key, pages: new Map(), total: null, error: null });
  // Pages asked for and not answered yet, by the generation that asked; a new key or a reload
  // bumps the generation, and answers of an older one are dropped.
  const generation = useRef(0);
  const pending = useRef(new Set<number>());
  const lastRange = useRef<[number, number]>([0, 0]);
  // The key whose pages are being loaded. A screen's own effects run before this hook's, so a
  // range asked for before the key's first load is remembered and loaded with it, not twice.
  const activeKey = useRef<string | null>(null);

  const loadPage = useCallback(
    (page: number, forKey: string) => {
      const current = latest.current;
      if (!current || pending.current.has(page)) return;
      pending.current.add(page);
      const mine = generation.current;
      withDeadline(
        current.loadPage(client, page * current.pageSize, current.pageSize),
        current.deadlineMs,
        current.what,
      ).then(
        (answer) => {
          if (mine !== generation.current) return;
          pending.current.delete(page);
          setState((previous) => {
            if (previous.key !== forKey) return previous;
            const pages = new Map(previous.pages);
            pages.set(page, answer.items);
            // Far pages go, so a long scroll does not keep the whole list in memory.
            const [from, to] = lastRange.current;
            const centre = Math.floor((from + to) / 2 / current.pageSize);
            for (const held of pages.keys()) if (Math.abs(held - centre) > keptPages / 2) pages.delete(held);
            return { key: forKey, pages, total: answer.total, error: null };
          });
        },
        (failure: unknown) => {
          if (mine !== generation.current) return;
          pending.current.delete(page);
          setState((previous) => (previous.key === forKey ? { ...previous, error: describeError(failure) } : previous));
        },
      );
    },
    [client],
  );

  useEffect(() => {
    const current = latest.current;
    if (key === null || !current) return;
    generation.current += 1;
    pending.current = new Set();
    activeKey.current = key;
    setState({ key, pages: new Map(), total: null, error: null });
    // The first page, and any other the screen already asked for.
    const [from, to] = lastRange.current;
    const lastPage = Math.min(Math.floor(to / current.pageSize), Math.floor(from / current.pageSize) + keptPages);
    loadPage(0, key);
    for (let page = Math.max(1, Math.floor(from / current.pageSize)); page <= lastPage; page++) loadPage(page, key);
    const stops = (current.refetchOn ?? []).map((event) =>
      client.on(event, () => {
        // Read again what is on screen; what was there stays until the new answer replaces it.
        generation.current += 1;
        pending.current = new Set();
        const size = latest.current?.pageSize ?? 1;
        const [from, to] = lastRange.current;
        for (let page = Math.floor(from / size); page <= Math.floor(to / size); page++) loadPage(page, key);
      }),
    );
    return () => {
      generation.current += 1;
      activeKey.current = null;
      lastRange.current = [0, 0];
      for (const stop of stops) stop();
    };
  }, [key, loadPage, client]);

  const current = state.key === key ? state : null;
  const pageSize = query?.pageSize ?? 1;
  const pages = current?.pages;
  const total = current?.total ?? null;

  const want = useCallback(
    (start: number, end: number) => {
      if (key === null) return;
      lastRange.current = [start, end];
      if (activeKey.current !== key) return;
      const last = total === null ? Math.floor(end / pageSize) : Math.floor(Math.max(0, total - 1) / pageSize);
      for (let page = Math.floor(start / pageSize); page <= Math.min(last, Math.floor(end / pageSize)); page++)
        if (!pages?.has(page)) loadPage(page, key);
    },
    [key, pages, total, pageSize, loadPage],
  );
  const itemAt = useCallback(
    (index: number) => pages?.get(Math.floor(index / pageSize))?.[index % pageSize],
    [pages, pageSize],
  );
  const retry = useCallback(() => {
    if (key === null) return;
    generation.current += 1;
    pending.current = new Set();
    setState((previous) => ({ ...previous, error: null }));
    const [from, to] = lastRange.current;
    for (let page = Math.floor(from / pageSize); page <= Math.floor(to / pageSize); page++)
      if (!pages?.has(page)) loadPage(page, key);
  }, [key, pages, pageSize, loadPage]);

  const error = current?.error ?? null;
  const status: PagedState<T>['status'] = error ? 'error' : total === null ? 'loading' : 'ready';
  return useMemo(() => ({ status, total, error, itemAt, want, retry }), [status, total, error, itemAt, want, retry]);
}
