import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { PAGE_TEXT_MAX_BYTES, pageText, type PageText } from '#shared/pages';
import type { BlobStore } from '../storage/blobs.ts';
import type { ReadDb } from '../storage/database.ts';
import { itemFiles } from './store.ts';

/**
 * The JSON of a stored `text` file, plain (format 1 releases) or gzip-compressed (format 2, its
 * manifest says `encoding: gzip`; the bytes say so too, by gzip's header, which no JSON document
 * starts with). Unpacking stops at PAGE_TEXT_MAX_BYTES, so a damaged or hostile file costs a
 * bounded amount of memory; it throws then, as it does for a file that is not JSON.
 */
export function readPageTextFile(file: string): unknown {
  return parsePageText(readFileSync(file));
}

/** The JSON of a `text` file's stored bytes (see readPageTextFile). */
export function parsePageText(stored: Buffer): unknown {
  const gzipped = stored.length >= 2 && stored[0] === 0x1f && stored[1] === 0x8b;
  if (!gzipped && stored.length > PAGE_TEXT_MAX_BYTES)
    throw new RangeError(`page text of ${stored.length} bytes, more than the ${PAGE_TEXT_MAX_BYTES} read`);
  const json = gzipped ? gunzipSync(stored, { maxOutputLength: PAGE_TEXT_MAX_BYTES }) : stored;
  return JSON.parse(json.toString('utf8'));
}

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
    const checked = pageText.safeParse(readPageTextFile(blobs.pathOf(file.sha256)));
    parsed = checked.success ? checked.data : null;
  } catch {
    // Unreadable, not JSON or too large: the item simply has no per-page facts.
    parsed = null;
  }
  if (cache.size >= CACHE_ITEMS) cache.delete(cache.keys().next().value!);
  cache.set(file.sha256, parsed);
  return parsed;
}
