/** How library data reads on screen; pure, so the wording and grouping are unit-tested. */
import type { CollectionView, ItemKind, ItemSummary, LibraryView, ReleaseInfo } from '#shared/library';

export function contentUrl(sha256: string): string {
  return `/content/${encodeURIComponent(sha256)}`;
}

const kindLabels: Record<ItemKind, string> = {
  pdf: 'Document',
  image: 'Image',
  video: 'Video',
  audio: 'Audio',
  microsite: 'Interactive',
};

/** "price-sheet" -> "Price sheet"; falls back to the kind when marketing set no category. */
export function badgeLabel(item: Pick<ItemSummary, 'kind' | 'category'>): string {
  const category = item.category?.trim();
  if (!category) return kindLabels[item.kind];
  const words = category.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function pageCountLabel(pageCount: number | null): string | null {
  if (pageCount === null || pageCount < 1) return null;
  return pageCount === 1 ? '1 page' : `${pageCount} pages`;
}

export function isNewInRelease(item: Pick<ItemSummary, 'changedInVersion'>, release: ReleaseInfo | null): boolean {
  return release !== null && item.changedInVersion === release.version;
}

/**
 * The "New" badge marks what changed since the rep last marked the library as seen: items whose
 * content changed in a later release than `lastSeenVersion`. Without a baseline (null) nothing
 * is new; the core sets one when a channel's first release arrives, so a first install is quiet.
 */
export function newItemIds(library: Pick<LibraryView, 'items' | 'lastSeenVersion'>): ReadonlySet<string> {
  const seen = library.lastSeenVersion;
  if (seen === null) return new Set();
  return new Set(library.items.filter((item) => item.changedInVersion > seen).map((item) => item.id));
}

export function releaseLabel(release: ReleaseInfo | null): string | null {
  if (!release) return null;
  return `Release ${release.version} · ${release.channel}`;
}

export interface ShelfRow {
  id: string;
  title: string;
  description: string;
  items: ItemSummary[];
}

/**
 * The home screen's rows: every collection in the release's order, with the items it lists
 * (unknown ids skipped), then one row for items no collection mentions, so nothing published
 * is unreachable.
 */
export function shelfRows(library: Pick<LibraryView, 'collections' | 'items'>): ShelfRow[] {
  const byId = new Map(library.items.map((item) => [item.id, item]));
  const shelved = new Set<string>();
  const rows: ShelfRow[] = [];
  for (const collection of library.collections) {
    const items = collectionItems(collection, byId);
    for (const item of items) shelved.add(item.id);
    if (items.length > 0) {
      rows.push({ id: collection.id, title: collection.title, description: collection.description, items });
    }
  }
  const rest = library.items.filter((item) => !shelved.has(item.id));
  if (rest.length > 0) {
    rows.push({
      id: '__more',
      title: rows.length > 0 ? 'More in the library' : 'Library',
      description: '',
      items: rest,
    });
  }
  return rows;
}

function collectionItems(collection: CollectionView, byId: Map<string, ItemSummary>): ItemSummary[] {
  const items: ItemSummary[] = [];
  for (const id of collection.itemIds) {
    const item = byId.get(id);
    if (item) items.push(item);
  }
  return items;
}

/** "13 items in 4 collections · ready offline" */
export function librarySummary(library: Pick<LibraryView, 'items' | 'collections'>): string {
  const items = library.items.length === 1 ? '1 item' : `${library.items.length} items`;
  const collections = library.collections.length;
  const where = collections === 0 ? '' : collections === 1 ? ' in 1 collection' : ` in ${collections} collections`;
  return `${items}${where} · on this device, ready offline`;
}
