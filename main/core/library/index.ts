import type { ItemDetail, LibraryView, PageFacts } from '#shared/library';
import { PitchcaseError } from '#shared/result';
import type { BlobStore } from '../storage/blobs.ts';
import type { ReadDb } from '../storage/database.ts';
import { itemPages } from './pages.ts';
import { itemSummaries, searchFacets } from './shelves.ts';
import {
  collections,
  currentRelease,
  glossary,
  itemFiles,
  visibleItem,
  visibleItems,
  type ItemRecord,
  type Visibility,
} from './store.ts';

export { readSeen, writeSeen, type Seen } from './seen.ts';
export { itemUse, recordOpened, setFavourite } from './use.ts';
export { itemPages, parsePageText, readPageTextFile } from './pages.ts';
export { itemSummaries, type ShelfContext } from './shelves.ts';

/**
 * Which of `ids` are visible now, and the products visible items name: what the kiosk's config
 * needs, without reading the whole library.
 */
export function visibleFacts(
  db: ReadDb,
  visibility: Visibility,
  ids: readonly string[],
): { visibleIds: Set<string>; products: string[] } {
  const release = currentRelease(db);
  if (!release) return { visibleIds: new Set(), products: [] };
  const ctx = { releaseId: release.id, visibility, deviceShelves: false };
  return {
    visibleIds: new Set(itemSummaries(db, ctx, ids).map((item) => item.id)),
    products: searchFacets(db, ctx).products,
  };
}
export {
  attractLoop,
  currentRelease,
  currentReleaseId,
  glossary,
  releaseKey,
  visibleTitles,
  searchableItems,
  blobUses,
  siteFile,
  type SearchableItemRow,
  type Visibility,
} from './store.ts';

function summary(record: ItemRecord) {
  const { shareUrl: _shareUrl, entry: _entry, ...rest } = record;
  return rest;
}

export function libraryView(db: ReadDb, visibility: Visibility): LibraryView {
  const release = currentRelease(db);
  if (!release) return { release: null, lastSeenVersion: null, collections: [], items: [], glossary: [] };
  const items = visibleItems(db, release.id, visibility);
  const ids = new Set(items.map((i) => i.id));
  const { id: _id, ...info } = release;
  return {
    release: { ...info, itemCount: items.length },
    lastSeenVersion: null,
    collections: collections(db, release.id, ids),
    items: items.map(summary),
    glossary: glossary(db, release.id),
  };
}

/** With `blobs`, a presentation's slide titles and notes come along (read from its text file). */
export function itemDetail(
  db: ReadDb,
  id: string,
  visibility: Visibility,
  siteBaseUrl: string,
  blobs?: BlobStore,
): ItemDetail {
  const release = currentRelease(db);
  const record = release ? visibleItem(db, release.id, id, visibility) : null;
  if (!release || !record) throw new PitchcaseError('not-found', `No item "${id}" in the current library`);
  const files = itemFiles(db, release.id, id);
  const ref = (role: string) => {
    const f = files.find((file) => file.role === role);
    return f ? { sha256: f.sha256, size: f.size, mime: f.mime } : null;
  };
  const pageThumbnails: ItemDetail['pageThumbnails'] = [];
  for (const f of files) {
    if (f.role === 'page-thumbnail' && f.page !== null && f.page >= 1 && f.page <= (record.pageCount ?? 0)) {
      pageThumbnails[f.page - 1] = { sha256: f.sha256, size: f.size, mime: f.mime };
    }
  }
  for (let i = 0; i < (record.pageCount ?? 0); i++) pageThumbnails[i] ??= null;
  return {
    ...summary(record),
    primary: ref('primary'),
    poster: ref('poster'),
    pageThumbnails: record.kind === 'pdf' ? pageThumbnails : [],
    siteUrl:
      record.kind === 'microsite' && record.entry
        ? `${siteBaseUrl}/${encodeURIComponent(record.id)}/${record.entry.split('/').map(encodeURIComponent).join('/')}`
        : null,
    shareUrl: record.shareUrl,
    ...(ref('original') ? { original: ref('original') } : {}),
    ...(blobs ? pagesOf(itemPages(db, blobs, release.id, id)) : {}),
  };
}

function pagesOf(text: ReturnType<typeof itemPages>): { pages?: PageFacts[] } {
  if (!text?.slides) return {};
  return {
    pages: text.slides.map((slide, i) => ({
      title: text.titles?.[i] ?? '',
      notes: text.notes?.[i] ?? '',
      hidden: slide.hidden === true,
    })),
  };
}
export { libraryHandlers, noteReleaseSwitched, visibilityFor } from './handlers.ts';
