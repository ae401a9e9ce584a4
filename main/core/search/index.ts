import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { SearchRequest, SearchResponse } from '#shared/search';
import {
  currentRelease,
  currentReleaseId,
  glossary,
  itemPages,
  itemSummaries,
  readPageTextFile,
  releaseKey,
  searchableItems,
  type SearchableItemRow,
} from '../library/index.ts';
import type { BlobStore } from '../storage/blobs.ts';
import type { ReadDb, WriteDb } from '../storage/database.ts';
import type { Clock, Log } from '../types.ts';
import { SearchEngine, type SearchItem } from './engine.ts';
import { PageIndexBuilder, type PageIndex } from './page-index.ts';
import { readSnapshot, SnapshotError, writeSnapshot } from './snapshot.ts';
import { logSearch, recentSearches } from './store.ts';
import { MAX_QUERY_LENGTH } from '#shared/search';
import { tokenize } from '#shared/text';

export { zeroResultSearches } from './store.ts';
export { searchHandlers } from './handlers.ts';
export type { LoggedSearch } from './store.ts';

/**
 * Search as a capability of the core: keeps an engine for the current release, saved as a
 * snapshot beside the database and loaded at start. A new release reuses every indexed item
 * whose content did not change and indexes only the rest into a new segment; a damaged or
 * stale snapshot is rebuilt, never trusted.
 */
export interface SearchCapability {
  /** Answers once the index matches the current release (at once, unless a rebuild runs). */
  search(request: SearchRequest): Promise<SearchResponse>;
  recent(limit: number): string[];
  /**
   * Re-reads the current release (after an install); cheap when little changed. Indexing
   * yields to the event loop every few milliseconds, so the app stays responsive meanwhile.
   */
  refresh(): Promise<void>;
  stats(): { segments: number; pages: number; items: number; rebuilt: boolean; indexedItems: number };
  /** Settles when the first index is ready. */
  ready: Promise<void>;
}

interface Context {
  read: ReadDb;
  write: WriteDb;
  blobs: BlobStore;
  profileDir: string;
  clock: Clock;
  log: Log;
  kioskOnly: boolean;
  /** A search the user settled on (the renderer's `record`), with how many hits it had. */
  onSettled?(query: string, results: number): void;
}

interface SegmentMeta {
  /** Item id -> content hash indexed in this segment. */
  hashes: Record<string, string>;
}

interface SnapshotExtra {
  segments: SegmentMeta[];
}

/** Compact into one segment when stale or delta pages pass this share of the index. */
const COMPACT_RATIO = 0.3;
const MAX_SEGMENTS = 6;
const TEXT_CACHE_ITEMS = 64;
/** Longest stretch of indexing before other work (IPC, downloads) gets a turn. */
const YIELD_EVERY_MS = 20;

export function createSearch(ctx: Context): SearchCapability {
  const dir = path.join(ctx.profileDir, 'search');
  mkdirSync(dir, { recursive: true });
  const snapshotFile = path.join(dir, 'index.snap');
  let engine: SearchEngine | null = null;
  let lastRebuilt = false;
  let lastIndexed = 0;
  let pageSegments: { index: PageIndex; meta: SegmentMeta }[] = [];
  const textCache = new Map<string, string[]>();
  let textShaById = new Map<string, string | null>();
  // A title of the library, whose words the warm-up types.
  let warmTitle = '';

  function pagesOf(sha256: string | null): string[] {
    if (!sha256) return [];
    const cached = textCache.get(sha256);
    if (cached) return cached;
    let pages: string[] = [];
    try {
      const parsed = readPageTextFile(ctx.blobs.pathOf(sha256)) as { pages?: unknown; notes?: unknown };
      // A slide's speaker notes are found on its page: search is the rep's, never the audience's.
      const notes = Array.isArray(parsed.notes) ? parsed.notes : [];
      if (Array.isArray(parsed.pages))
        pages = parsed.pages.map((p, i) => {
          const note: unknown = notes[i];
          return `${typeof p === 'string' ? p : ''}${typeof note === 'string' && note ? `\n${note}` : ''}`;
        });
    } catch (error) {
      ctx.log.warn('page text unreadable', { sha256, reason: (error as Error).message });
    }
    if (textCache.size >= TEXT_CACHE_ITEMS) textCache.delete(textCache.keys().next().value!);
    textCache.set(sha256, pages);
    return pages;
  }

  function toSearchItem(row: SearchableItemRow): SearchItem {
    return {
      id: row.id,
      title: row.title,
      kind: row.kind,
      category: row.category,
      description: row.description,
      tags: row.tags,
      products: row.products,
      collections: row.collections,
      collectionTitles: row.collectionTitles,
      validFrom: row.validFrom,
      validUntil: row.validUntil,
      kiosk: row.kiosk,
    };
  }

  async function buildSegment(rows: readonly SearchableItemRow[]): Promise<{ index: PageIndex; meta: SegmentMeta }> {
    const builder = new PageIndexBuilder();
    const hashes: Record<string, string> = {};
    let slice = Date.now();
    for (const row of rows) {
      builder.addItem(row.id, pagesOf(row.textSha256).map(tokenize));
      hashes[row.id] = row.contentHash;
      if (Date.now() - slice > YIELD_EVERY_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        slice = Date.now();
      }
    }
    return { index: builder.build(), meta: { hashes } };
  }

  async function rebuild(): Promise<void> {
    const release = currentRelease(ctx.read);
    if (!release) {
      engine = null;
      pageSegments = [];
      return;
    }
    const rows = searchableItems(ctx.read, release.id);
    const key = releaseKey(ctx.read, release.id) ?? String(release.version);
    textShaById = new Map(rows.map((r) => [r.id, r.textSha256]));
    warmTitle = rows[0]?.title ?? '';

    // Start from what is indexed: in memory, else the snapshot, else nothing.
    let fieldIndex: PageIndex | null = null;
    if (pageSegments.length === 0) {
      try {
        const snapshot = readSnapshotAnyKey();
        const extra = JSON.parse(snapshot.extra ?? '{}') as SnapshotExtra;
        const [fields, ...pages] = snapshot.segments;
        if (!fields || !Array.isArray(extra.segments) || extra.segments.length !== pages.length)
          throw new SnapshotError('snapshot segments do not match');
        pageSegments = pages.map((index, i) => ({ index, meta: extra.segments[i]! }));
        if (snapshot.key === key) fieldIndex = fields;
      } catch (error) {
        if (!(error instanceof SnapshotError && error.message === 'no snapshot')) {
          ctx.log.warn('search snapshot not used; rebuilding', { reason: (error as Error).message });
        }
        pageSegments = [];
      }
    }

    // Items whose indexed copy is missing or out of date go into a new segment.
    const indexed = new Map<string, string>();
    for (const segment of pageSegments)
      for (const [id, hash] of Object.entries(segment.meta.hashes)) indexed.set(id, hash);
    const stale = rows.filter((row) => indexed.get(row.id) !== row.contentHash);
    const current = new Set(rows.map((r) => `${r.id}\u0000${r.contentHash}`));
    let livePages = 0;
    let totalPages = 0;
    for (const segment of pageSegments) {
      totalPages += segment.index.pageCount;
      const pagesPerItem = new Uint32Array(segment.index.items.length);
      for (const item of segment.index.data.pageItem) pagesPerItem[item]!++;
      segment.index.items.forEach((id, i) => {
        if (current.has(`${id}\u0000${segment.meta.hashes[id]}`)) livePages += pagesPerItem[i]!;
      });
    }
    const compact =
      pageSegments.length >= MAX_SEGMENTS || (totalPages > 0 && (totalPages - livePages) / totalPages > COMPACT_RATIO);
    lastRebuilt = compact || pageSegments.length === 0;
    let changed = stale.length > 0;
    if (lastRebuilt) {
      pageSegments = rows.length > 0 ? [await buildSegment(rows)] : [];
      lastIndexed = rows.length;
      changed = true;
    } else if (stale.length > 0) {
      pageSegments.push(await buildSegment(stale));
      lastIndexed = stale.length;
    } else {
      lastIndexed = 0;
    }
    const items = rows.map(toSearchItem);
    if (!fieldIndex) {
      fieldIndex = SearchEngine.buildFieldIndex(items);
      changed = true;
    }
    engine = new SearchEngine(
      items,
      glossary(ctx.read, release.id),
      fieldIndex,
      pageSegments.map((s) => s.index),
      (id, page) => pagesOf(textShaById.get(id) ?? null)[page - 1] ?? null,
    );
    if (changed) {
      try {
        writeSnapshot(snapshotFile, {
          key,
          segments: [fieldIndex, ...pageSegments.map((s) => s.index)],
          extra: JSON.stringify({ segments: pageSegments.map((s) => s.meta) } satisfies SnapshotExtra),
        });
      } catch (error) {
        // A snapshot is an optimisation; failing to write one only costs the next start time.
        ctx.log.warn('search snapshot not written', { reason: (error as Error).message });
        rmSync(snapshotFile, { force: true });
      }
    }
  }

  function readSnapshotAnyKey() {
    if (!existsSync(snapshotFile)) throw new SnapshotError('no snapshot');
    // Any release's snapshot is a good base: its segments say which item versions they hold.
    return readSnapshot(snapshotFile, null);
  }

  // One rebuild at a time; a refresh asked for during one runs right after it.
  let building: Promise<void> = Promise.resolve();
  let queued = false;
  function refresh(): Promise<void> {
    if (queued) return building;
    queued = true;
    building = building.then(async () => {
      queued = false;
      try {
        await rebuild();
        // After the answer to whoever is waiting for the index, before the rep's first key.
        setImmediate(warmUp);
      } catch (error) {
        ctx.log.error('search index not rebuilt', { reason: (error as Error).message });
      }
    });
    return building;
  }
  const ready = refresh();

  /** The answer to one request: the engine's hits, each with its card and its pages' titles. */
  function answer(request: SearchRequest): SearchResponse {
    // Whole questions pasted from an e-mail are welcome; the contract bounds the length.
    const query = request.query.slice(0, MAX_QUERY_LENGTH);
    // Per keystroke: the release's id and version only (its item count is a scan).
    const release = currentReleaseId(ctx.read);
    const result = engine
      ? engine.search(query, {
          now: ctx.clock.now().toISOString(),
          limit: request.limit ?? 20,
          offset: request.offset ?? 0,
          filters: request.filters,
          kioskOnly: ctx.kioskOnly,
        })
      : { query, items: [], glossary: [], total: 0 };
    if (request.record && query.trim() !== '') {
      logSearch(ctx.write, {
        at: ctx.clock.now().toISOString(),
        query: query.trim(),
        filters: JSON.stringify(request.filters ?? {}),
        results: result.total + result.glossary.length,
        releaseVersion: release?.version ?? null,
        // A kiosk profile's searches are its visitors'.
        scope: ctx.kioskOnly ? 'kiosk' : 'rep',
      });
      ctx.onSettled?.(query.trim(), result.total + result.glossary.length);
    }
    // Each hit carries its card (cover, category, pages), so results draw without a second trip.
    const summaries = release
      ? new Map(
          itemSummaries(
            ctx.read,
            {
              releaseId: release.id,
              visibility: { now: ctx.clock.now().toISOString(), kioskOnly: ctx.kioskOnly },
              deviceShelves: false,
            },
            result.items.map((item) => item.id),
          ).map((summary) => [summary.id, summary]),
        )
      : new Map();
    // A presentation's page hits carry the slide's title, as its thumbnails do.
    const items = release
      ? result.items.map((found) => {
          const summary = summaries.get(found.id);
          const item = summary ? { ...found, summary } : found;
          const titles =
            item.pages.length > 0 ? itemPages(ctx.read, ctx.blobs, release.id, item.id)?.titles : undefined;
          return titles
            ? {
                ...item,
                pages: item.pages.map((p) => (titles[p.page - 1] ? { ...p, title: titles[p.page - 1]! } : p)),
              }
            : item;
        })
      : result.items;
    return { ...result, items, suggestions: engine ? engine.suggest(query) : [] };
  }

  /**
   * The first keystrokes after a start would otherwise pay for compiling the engine's code and
   * filling its caches (several times a warm keystroke on a large library): as soon as the index
   * is ready, a title of the library is typed once, key by key, unseen and unlogged, each key
   * in its own turn of the event loop so requests keep being answered meanwhile.
   */
  function warmUp(): void {
    const words = tokenize(warmTitle).slice(0, 3);
    const typed = words.flatMap((word, w) =>
      Array.from({ length: word.length }, (_, i) => [...words.slice(0, w), word.slice(0, i + 1)].join(' ')),
    );
    const next = (at: number) => {
      if (at >= typed.length || !engine) return;
      try {
        answer({ query: typed[at]!, limit: 8 });
      } catch (error) {
        // Only a head start: a profile closed meanwhile is nobody's error.
        ctx.log.info('search warm-up stopped', { reason: (error as Error).message });
        return;
      }
      setImmediate(next, at + 1);
    };
    next(0);
  }

  return {
    ready,
    async search(request) {
      await building;
      return answer(request);
    },
    recent(limit) {
      return recentSearches(ctx.read, limit);
    },
    refresh,
    stats() {
      return {
        segments: pageSegments.length,
        pages: pageSegments.reduce((n, s) => n + s.index.pageCount, 0),
        items: engine ? textShaById.size : 0,
        rebuilt: lastRebuilt,
        indexedItems: lastIndexed,
      };
    },
  };
}
