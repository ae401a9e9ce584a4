/**
 * A tiny history-backed router over hash routes. Opening something pushes an entry (so Back
 * returns to where the rep was); turning pages replaces the entry (so Back leaves the document
 * instead of stepping through every page).
 */
import { useCallback, useEffect, useState } from 'react';
import { formatRoute, homeRoute, parseRoute, type Route } from './routes';

interface EntryState {
  /** How many entries this app pushed before this one; 0 means Back would leave the app. */
  pitchcaseDepth: number;
}

function currentDepth(): number {
  const state = history.state as Partial<EntryState> | null;
  return typeof state?.pitchcaseDepth === 'number' ? state.pitchcaseDepth : 0;
}

export interface Router {
  route: Route;
  /** Opens a screen on top of the current one. */
  open(route: Route): void;
  /** Rewrites the current entry (page turns). */
  replace(route: Route): void;
  /** Back to the previous screen, or home when the app was opened on a deep link. */
  back(): void;
}

export function useRouter(): Router {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));

  useEffect(() => {
    const sync = () => setRoute(parseRoute(location.hash));
    window.addEventListener('popstate', sync);
    window.addEventListener('hashchange', sync);
    return () => {
      window.removeEventListener('popstate', sync);
      window.removeEventListener('hashchange', sync);
    };
  }, []);

  const open = useCallback((next: Route) => {
    history.pushState({ pitchcaseDepth: currentDepth() + 1 } satisfies EntryState, '', formatRoute(next));
    setRoute(next);
  }, []);

  const replace = useCallback((next: Route) => {
    history.replaceState({ pitchcaseDepth: currentDepth() } satisfies EntryState, '', formatRoute(next));
    setRoute(next);
  }, []);

  const back = useCallback(() => {
    if (currentDepth() > 0) {
      history.back();
    } else {
      history.replaceState({ pitchcaseDepth: 0 } satisfies EntryState, '', formatRoute(homeRoute));
      setRoute(homeRoute);
    }
  }, []);

  return { route, open, replace, back };
}
