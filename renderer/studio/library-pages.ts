import { useCallback, useEffect, useRef, useState } from 'react';
import { libraryBlockSize } from '#shared/studio';
import { bootLibraryPage, studioApi, type Item } from './api.ts';

export const blockSize = libraryBlockSize;

export interface LibraryFilter {
  query: string;
  kind: Item['kind'] | '';
}

/**
 * The library as blocks of rows fetched on demand: searched, filtered, counted and paged by the
 * server, so 20,000 items cost the browser one block at a time. A new filter starts over;
 * refresh() fetches the blocks on screen again (after an edit or an upload) without emptying it.
 */
export function useLibraryPages(channel: string, filter: LibraryFilter) {
  const [total, setTotal] = useState<number | null>(null);
  const [blocks, setBlocks] = useState<ReadonlyMap<number, Item[]>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);
  const inFlight = useRef(new Set<number>());
  const cached = useRef<ReadonlyMap<number, Item[]>>(blocks);
  cached.current = blocks;

  const fetchBlock = useCallback(
    async (index: number, gen: number) => {
      const key = gen * 1_000_000 + index;
      if (inFlight.current.has(key)) return;
      inFlight.current.add(key);
      try {
        const args = {
          q: filter.query,
          offset: index * blockSize,
          limit: blockSize,
          ...(filter.kind ? { kind: filter.kind } : {}),
        };
        // The first block came with the page (once); every later one is asked for.
        const page = bootLibraryPage(channel, args) ?? (await studioApi.items(channel, args));
        // An answer for a filter that has since changed is dropped.
        if (gen !== generation.current) return;
        setTotal(page.total);
        setBlocks((b) => new Map(b).set(index, page.items));
        setError(null);
      } catch (e) {
        if (gen === generation.current) setError((e as Error).message);
      } finally {
        inFlight.current.delete(key);
      }
    },
    [channel, filter.query, filter.kind],
  );

  useEffect(() => {
    const gen = ++generation.current;
    setBlocks(new Map());
    setTotal(null);
    void fetchBlock(0, gen);
  }, [fetchBlock]);

  /** Asks for the blocks that rows first..last fall in, unless already there. */
  const need = useCallback(
    (first: number, last: number) => {
      for (let index = Math.floor(first / blockSize); index <= Math.floor(last / blockSize); index++)
        if (!cached.current.has(index)) void fetchBlock(index, generation.current);
    },
    [fetchBlock],
  );

  const refresh = useCallback(async () => {
    const gen = ++generation.current;
    const held = [...cached.current.keys()];
    await Promise.all((held.length ? held : [0]).map((index) => fetchBlock(index, gen)));
  }, [fetchBlock]);

  const rowAt = (index: number): Item | null => blocks.get(Math.floor(index / blockSize))?.[index % blockSize] ?? null;
  return { total, rowAt, need, refresh, error };
}
