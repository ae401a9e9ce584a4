/**
 * The one data hook of the renderer: loading, error with retry, a deadline, cancellation of
 * answers nobody waits for any more, and reloading on the events that change the data.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { EventName } from '#shared/contract';
import { describeError, withDeadline } from '../api/deadline';
import { useClient } from './ClientProvider';
import type { Query } from './query';

export interface QueryFailure {
  code: string;
  message: string;
}

type Loaded<T> = { status: 'loading' } | { status: 'ready'; data: T } | { status: 'error'; error: QueryFailure };

export type QueryState<T> = (
  | { status: 'loading'; data: undefined; error: null }
  | { status: 'ready'; data: T; error: null }
  | { status: 'error'; data: undefined; error: QueryFailure }
) & {
  /** Loads again from scratch, showing the loading state (the "Try again" button). */
  retry(): void;
  /** Loads again in place: the current data stays on screen, a failure keeps it. */
  refresh(): void;
  /** Puts a fresher value the screen already has (an action's answer) in place of the data. */
  replace(data: T): void;
};

/** `null` waits: nothing loads until the screen knows what to ask for. */
export function useQuery<T>(query: Query<T> | null): QueryState<T> {
  const client = useClient();
  const key = query ? JSON.stringify(query.key) : null;
  const latest = useRef(query);
  latest.current = query;
  // Each load takes a number; an answer whose number is no longer the latest is dropped, which
  // is how a screen that closed or moved on cancels what it asked for.
  const generation = useRef(0);
  const [loaded, setLoaded] = useState<{ key: string | null; value: Loaded<T> }>({ key, value: { status: 'loading' } });

  const load = useCallback(
    (inPlace: boolean) => {
      const current = latest.current;
      if (!current) return;
      const forKey = JSON.stringify(current.key);
      const mine = ++generation.current;
      if (!inPlace) setLoaded({ key: forKey, value: { status: 'loading' } });
      withDeadline(current.load(client), current.deadlineMs, current.what).then(
        (data) => {
          if (mine === generation.current) setLoaded({ key: forKey, value: { status: 'ready', data } });
        },
        (error: unknown) => {
          if (mine !== generation.current) return;
          setLoaded((previous) =>
            inPlace && previous.key === forKey && previous.value.status === 'ready'
              ? previous
              : { key: forKey, value: { status: 'error', error: describeError(error) } },
          );
        },
      );
    },
    [client],
  );

  useEffect(() => {
    const current = latest.current;
    if (key === null || !current) return;
    load(false);
    const stops = (current.refetchOn ?? []).map((event) => client.on(event, () => load(true)));
    for (const [event, select] of Object.entries(current.replaceOn ?? {}) as [EventName, (payload: unknown) => T][]) {
      stops.push(
        client.on(event, (payload) => {
          generation.current += 1;
          setLoaded({ key, value: { status: 'ready', data: select(payload) } });
        }),
      );
    }
    return () => {
      generation.current += 1;
      for (const stop of stops) stop();
    };
  }, [key, load, client]);

  const retry = useCallback(() => load(false), [load]);
  const refresh = useCallback(() => load(true), [load]);
  const replace = useCallback(
    (data: T) => {
      generation.current += 1;
      setLoaded({ key, value: { status: 'ready', data } });
    },
    [key],
  );

  // Until the effect for a new key has run, the previous key's data must not show.
  const value: Loaded<T> = loaded.key === key ? loaded.value : loading;
  // One object per change, so memoised screens below re-render only when the data does.
  return useMemo((): QueryState<T> => {
    const controls = { retry, refresh, replace };
    switch (value.status) {
      case 'loading':
        return { status: 'loading', data: undefined, error: null, ...controls };
      case 'ready':
        return { status: 'ready', data: value.data, error: null, ...controls };
      case 'error':
        return { status: 'error', data: undefined, error: value.error, ...controls };
    }
  }, [value, retry, refresh, replace]);
}

const loading = { status: 'loading' } as const;
