import { useCallback, useEffect, useRef, useState } from 'react';
import type { LibraryView } from '#shared/library';
import { client } from '../api/client';
import { describeError, withDeadline } from '../api/deadline';

export type LibraryState =
  | { status: 'loading' }
  | { status: 'ready'; library: LibraryView }
  | { status: 'error'; code: string; message: string };

/**
 * The library the home screen shows. Reloads when a new release becomes current; while it
 * reloads the previous release stays on screen, so a sync never blanks the rep's view.
 */
export function useLibrary(): { state: LibraryState; reload(): void; refresh(): void } {
  const [state, setState] = useState<LibraryState>({ status: 'loading' });
  const generation = useRef(0);

  const load = useCallback((showLoading: boolean) => {
    const mine = ++generation.current;
    if (showLoading) setState({ status: 'loading' });
    withDeadline(client.getLibrary({}), 20_000, 'Loading the library').then(
      (library) => {
        if (mine === generation.current) setState({ status: 'ready', library });
      },
      (error: unknown) => {
        if (mine !== generation.current) return;
        setState((previous) => (previous.status === 'ready' && !showLoading ? previous : { status: 'error', ...describeError(error) }));
      },
    );
  }, []);

  useEffect(() => {
    load(true);
    return client.on('library.changed', () => load(false));
  }, [load]);

  const reload = useCallback(() => load(true), [load]);
  /** Reloads in place, keeping the current library on screen (after "Mark as seen"). */
  const refresh = useCallback(() => load(false), [load]);
  return { state, reload, refresh };
}
