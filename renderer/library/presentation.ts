/** How library data reads on screen; pure, so the wording and grouping are unit-tested. */
import type { CollectionView, ItemKind, ItemSummary, ItemUse, LibraryView, ReleaseInfo } from '#shared/library';

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

export const collectionSorts = ['new', 'title', 'used'] as const;
export type CollectionSort = (typeof collectionSorts)[number];

export const collectionSortLabels: Record<CollectionSort, string> = {
  new: 'Newest first',
  title: 'A–Z',
  used: 'Most used on this device',
};

export interface CollectionFilter {
  kind: ItemKind | null;
  product: string | null;
  tag: string | null;
}

export const noFilter: CollectionFilter = { kind: null, product: null, tag: null };

/** The values a "See all" grid can filter by, from the items it holds, sorted for the pickers. */
export function filterChoices(items: readonly ItemSummary[]): {
  kinds: ItemKind[];
  products: string[];
  tags: string[];
} {
  const kinds = new Set<ItemKind>();
  const products = new Set<string>();
  const tags = new Set<string>();
  for (const item of items) {
    kinds.add(item.kind);
    for (const product of item.products) products.add(product);
    for (const tag of item.tags) tags.add(tag);
  }
  const byName = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'base', numeric: true });
  return { kinds: [...kinds].sort(byName), products: [...products].sort(byName), tags: [...tags].sort(byName) };
}

export function kindLabel(kind: ItemKind): string {
  return kindLabels[kind];
}

/**
 * A collection's items filtered and sorted for its "See all" grid. Ties keep the release's
 * order, so the grid never shuffles between renders. `opens` counts how often each item was
 * opened on this device (absent = never).
 */
export function sortAndFilter(
  items: readonly ItemSummary[],
  sort: CollectionSort,
  filter: CollectionFilter,
  opens: ReadonlyMap<string, number> = new Map(),
): ItemSummary[] {
  const kept = items
    .map((item, order) => ({ item, order }))
    .filter(
      ({ item }) =>
        (filter.kind === null || item.kind === filter.kind) &&
        (filter.product === null || item.products.includes(filter.product)) &&
        (filter.tag === null || item.tags.includes(filter.tag)),
    );
  const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
  kept.sort((a, b) => {
    const diff =
      sort === 'new'
        ? b.item.changedInVersion - a.item.changedInVersion
        : sort === 'title'
          ? collator.compare(a.item.title, b.item.title)
          : (opens.get(b.item.id) ?? 0) - (opens.get(a.item.id) ?? 0);
    return diff !== 0 ? diff : a.order - b.order;
  });
  return kept.map(({ item }) => item);
}

/**
 * Card sizes of the home shelves for a window width: about three and a half cards on a portrait
 * tablet, so the cut-off card says "scroll me". The virtualised rows need the number in script;
 * the CSS reads the same values from custom properties set on the home screen.
 */
export function shelfMetrics(viewportWidth: number): { cardWidth: number; gap: number; pageX: number } {
  const pageX = Math.round(Math.min(48, Math.max(20, viewportWidth * 0.032)));
  const cardWidth = Math.round(Math.min(272, Math.max(188, (viewportWidth - pageX) / 3.4 - 18)));
  return { cardWidth, gap: 18, pageX };
}

/**
 * The rows before the collections: the rep's favourites and what they opened last, on this
 * device. Ids no longer in the library are skipped; an empty row is not shown.
 */
export function deviceRows(library: Pick<LibraryView, 'items'>, use: ItemUse): ShelfRow[] {
  const byId = new Map(library.items.map((item) => [item.id, item]));
  const pick = (ids: readonly string[]) => ids.flatMap((id) => byId.get(id) ?? []);
  const rows: ShelfRow[] = [];
  const favourites = pick(use.favourites);
  if (favourites.length > 0) rows.push({ id: '__favourites', title: 'Favourites', description: '', items: favourites });
  const recent = pick(use.recent);
  if (recent.length > 0) rows.push({ id: '__recent', title: 'Recently opened', description: '', items: recent });
  return rows;
}
