import { readFileSync } from 'node:fs';
import { pageText, type PageText } from '#shared/pages';
import type { BlobStore } from '../storage/blobs.ts';
import type { ReadDb } from '../storage/database.ts';
import { itemFiles } from './store.ts';

/** Parsed `text` files by sha256; a file never changes under its hash, so this never goes stale. */
const cache = new Map<string, PageText | null>();
const CACHE_ITEMS = 64;

/**
 * The per-page facts of an item in a release (words, slide titles, speaker notes, slide
 * identities), or null when it has none or its file is unreadable.
 */
export function itemPages(db: ReadDb, blobs: BlobStore, releaseId: number, itemId: string): PageText | null {
  const file = itemFiles(db, releaseId, itemId).find((f) => f.role === 'text');
  if (!file) return null;
  if (cache.has(file.sha256)) return cache.get(file.sha256) ?? null;
  let parsed: PageText | null;
  try {
    const checked = pageText.safeParse(JSON.parse(readFileSync(blobs.pathOf(file.sha256), 'utf8')));
    parsed = checked.success ? checked.data : null;
  } catch {
    // Unreadable or not JSON: the item simply has no per-page facts.
    parsed = null;
  }
  if (cache.size >= CACHE_ITEMS) cache.delete(cache.keys().next().value!);
  cache.set(file.sha256, parsed);
  return parsed;
}
