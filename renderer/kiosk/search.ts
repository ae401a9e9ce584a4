/**
 * The kiosk's search: the core's engine, like the rep's (kiosk items only, page text, typos,
 * snippets, page hits). Each keystroke asks the engine; a query the visitor settles on (a pause,
 * or opening a result) is logged, so marketing sees what booth visitors looked for and did not
 * find. State lives in the visitor's tree, so the next visitor starts with nothing.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ItemSummary } from '#shared/library';
import type { SearchPageHit, SearchResponse } from '#shared/search';
import type { PitchcaseClient } from '#shared/client';

/** A pause this long after the last keystroke means the visitor settled on the query. */
export const kioskSettleDelayMs = 1500;
const resultLimit = 24;
/** Page hits shown under a card: a booth screen has room for two. */
export const kioskPagesPerItem = 2;

export type KioskSearchState =
  | { status: 'idle' }
  | { status: 'searching'; response: SearchResponse | null }
  | { status: 'ready'; response: SearchResponse }
  | { status: 'error'; message: string };

export interface KioskResult {
  item: ItemSummary;
  pages: SearchPageHit[];
}

/** The engine's hits as cards: the library's summaries in the engine's order, best pages first. */
export function kioskResults(response: SearchResponse | null, items: readonly ItemSummary[]): KioskResult[] {
  if (!response) return [];
  const byId = new Map(items.map((item) => [item.id, item]));
  const results: KioskResult[] = [];
  for (const hit of response.items) {
    const item = byId.get(hit.id);
    if (item) results.push({ item, pages: hit.pages.slice(0, kioskPagesPerItem) });
  }
  return results;
}

export interface KioskSearch {
  state: KioskSearchState;
  /** The visitor settled on the query (opened a result): log it now, once. */
  commit(): void;
}

/** `library`: anything that changes when the library does (a new release asks again). */
export function useKioskSearch(api: Pick<PitchcaseClient, 'search'>, query: string, library: unknown): KioskSearch {
  const [state, setState] = useState<KioskSearchState>({ status: 'idle' });
  const sequence = useRef(0);
  const logged = useRef<string | null>(null);
  const latest = useRef(query);
  latest.current = query;

  const run = useCallback(
    (text: string, record: boolean) => {
      const mine = ++sequence.current;
      if (!text.trim()) {
        setState({ status: 'idle' });
        return;
      }
      setState((previous) => ({
        status: 'searching',
        response: previous.status === 'ready' || previous.status === 'searching' ? previous.response : null,
      }));
      api.search({ query: text, limit: resultLimit, record }).then(
        (response) => {
          if (mine === sequence.current) setState({ status: 'ready', response });
        },
        (error: unknown) => {
          if (mine === sequence.current)
            setState({ status: 'error', message: error instanceof Error ? error.message : String(error) });
        },
      );
    },
    [api],
  );

  const commit = useCallback(() => {
    const text = latest.current.trim();
    if (!text || logged.current === text.toLowerCase()) return;
    logged.current = text.toLowerCase();
    run(latest.current, true);
  }, [run]);

  useEffect(() => {
    run(query, false);
  }, [query, library, run]);

  useEffect(() => {
    if (!query.trim()) return;
    const timer = setTimeout(commit, kioskSettleDelayMs);
    return () => clearTimeout(timer);
  }, [query, commit]);

  return { state, commit };
}
