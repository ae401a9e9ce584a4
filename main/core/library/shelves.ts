/**
 * The library read a screenful at a time: the home's shelves with their counts and first cards,
 * one page of a shelf sorted and filtered, the values a shelf can be filtered by, and the search
 * panel's chips. Nothing here returns the whole library, so a screen costs the same at 20 items
 * and at 20,000.
 */
import {
  deviceShelves,
  unshelvedShelf,
  wholeLibraryShelf,
  type HomeShelf,
  type ItemFilter,
  type ItemKind,
  type ItemList,
  type ItemListRequest,
  type ItemSort,
  type ItemSummary,
  type SearchFacets,
  type ShelfFacets,
} from '#shared/library';
import { PitchcaseError } from '#shared/result';
import type { ReadDb } from '../storage/database.ts';
import { ITEM_SELECT, toItem, VISIBLE, type ItemRecord, type ItemRow, type Visibility } from './store.ts';
import { recentLimit } from './use.ts';

/** Where a shelf's items come from and their order on the shelf itself. */
interface Source {
  join: string;
  where: string;
  order: string;
}

const sources = {
  [deviceShelves.favourites]: {
    join: `JOIN item_use s ON s.item_id = i.id AND s.favourite = 1`,
    // The few ids drive the lookup, rather than every item of the release probing item_use.
    where: `AND i.id IN (SELECT item_id FROM item_use WHERE favourite = 1)`,
    order: `s.favourite_at DESC`,
  },
  [deviceShelves.recent]: {
    join: `JOIN (SELECT item_id, last_opened_at FROM item_use WHERE last_opened_at IS NOT NULL
                  ORDER BY last_opened_at DESC, item_id LIMIT ${recentLimit}) s ON s.item_id = i.id`,
    where: `AND i.id IN (SELECT item_id FROM item_use WHERE last_opened_at IS NOT NULL)`,
    order: `s.last_opened_at DESC`,
  },
  [unshelvedShelf]: {
    join: '',
    where: `AND NOT EXISTS (SELECT 1 FROM item_collections ic WHERE ic.release_id = i.release_id AND ic.item_id = i.id)`,
    order: `i.position`,
  },
  [wholeLibraryShelf]: { join: '', where: '', order: `i.position` },
} satisfies Record<string, Source>;

const collectionSource: Source = {
  join: `JOIN item_collections s ON s.release_id = i.release_id AND s.item_id = i.id AND s.collection_id = @shelf`,
  where: '',
  order: `s.position`,
};

export interface ShelfContext {
  releaseId: number;
  visibility: Visibility;
  /** A kiosk keeps no favourites or history of its visitors: those shelves are empty there. */
  deviceShelves: boolean;
  /** Answers that depend only on the release and what is visible, kept between calls. */
  memo?: ShelfMemo;
}

/**
 * Keeps what depends only on the current release and what is visible in it (counts, the search
 * chips, the first cards of a collection): read once, not on every visit to the home. It forgets
 * everything when the release changes and when an item's validity starts or ends.
 */
export class ShelfMemo {
  private key = '';
  private until: string | null = null;
  private readonly values = new Map<string, unknown>();

  constructor(private readonly db: ReadDb) {}

  get<T>(ctx: ShelfContext, name: string, compute: () => T): T {
    const key = `${ctx.releaseId}:${ctx.visibility.kioskOnly ? 1 : 0}`;
    if (key !== this.key || (this.until !== null && ctx.visibility.now >= this.until)) {
      this.key = key;
      this.values.clear();
      this.until = this.db
        .prepare(
          `SELECT min(t) FROM (
             SELECT valid_from AS t FROM items WHERE release_id = @releaseId AND valid_from > @now
             UNION ALL
             SELECT valid_until FROM items WHERE release_id = @releaseId AND valid_until > @now)`,
        )
        .pluck()
        .get({ releaseId: ctx.releaseId, now: ctx.visibility.now }) as string | null;
    }
    if (!this.values.has(name)) this.values.set(name, compute());
    return this.values.get(name) as T;
  }
}

/** `compute()`, kept in the context's memo when it has one. */
function remembered<T>(ctx: ShelfContext, name: string, compute: () => T): T {
  return ctx.memo ? ctx.memo.get(ctx, name, compute) : compute();
}

/** The shelf's source, or null for a device shelf where there are none; unknown ids are refused. */
function sourceOf(db: ReadDb, ctx: ShelfContext, shelf: string): Source | null {
  if (shelf === deviceShelves.favourites || shelf === deviceShelves.recent)
    return ctx.deviceShelves ? sources[shelf] : null;
  if (shelf === unshelvedShelf || shelf === wholeLibraryShelf) return sources[shelf];
  const known = db.prepare(`SELECT 1 FROM collections WHERE release_id = ? AND id = ?`).get(ctx.releaseId, shelf);
  if (!known) throw new PitchcaseError('not-found', `No collection "${shelf}" in the current library`);
  return collectionSource;
}

function filterSql(filter: ItemFilter | undefined): string {
  return [
    filter?.kind ? `AND i.kind = @kind` : '',
    filter?.product ? `AND EXISTS (SELECT 1 FROM json_each(i.products) p WHERE p.value = @product)` : '',
    filter?.tag ? `AND EXISTS (SELECT 1 FROM json_each(i.tags) t WHERE t.value = @tag)` : '',
  ].join(' ');
}

function orderSql(sort: ItemSort, source: Source): string {
  // Ties fall back to the shelf's order and then the id, so the order is total and pages never
  // overlap or skip an item.
  const tail = `${source.order}, i.position, i.id`;
  switch (sort) {
    case 'shelf':
      return tail;
    case 'new':
      return `i.changed_in_version DESC, ${tail}`;
    case 'title':
      return `title_sort_key(i.title), ${tail}`;
    case 'used':
      return `coalesce(used.opens, 0) DESC, ${tail}`;
  }
}

function params(ctx: ShelfContext, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    releaseId: ctx.releaseId,
    now: ctx.visibility.now,
    kioskOnly: ctx.visibility.kioskOnly ? 1 : 0,
    ...extra,
  };
}

function filterParams(filter: ItemFilter | undefined): Record<string, unknown> {
  return {
    ...(filter?.kind ? { kind: filter.kind } : {}),
    ...(filter?.product ? { product: filter.product } : {}),
    ...(filter?.tag ? { tag: filter.tag } : {}),
  };
}

function summary(record: ItemRecord): ItemSummary {
  const { shareUrl: _shareUrl, entry: _entry, ...rest } = record;
  return rest;
}

/** The visible items with these ids, in the order given; ids not visible are left out. */
export function itemSummaries(db: ReadDb, ctx: ShelfContext, ids: readonly string[]): ItemSummary[] {
  if (ids.length === 0) return [];
  const rows = db
    .prepare(
      `${ITEM_SELECT} WHERE i.release_id = @releaseId AND i.id IN (SELECT value FROM json_each(@ids)) AND ${VISIBLE}`,
    )
    .all(params(ctx, { ids: JSON.stringify(ids) })) as ItemRow[];
  const byId = new Map(rows.map((row) => [row.id, summary(toItem(row))]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** One page of a shelf, sorted and filtered; `total` counts every match, not only the page. */
export function listShelf(db: ReadDb, ctx: ShelfContext, request: ItemListRequest): ItemList {
  const source = sourceOf(db, ctx, request.shelf);
  if (!source) return { items: [], total: 0, offset: request.offset };
  const from = `FROM items i ${source.join}
    ${request.sort === 'used' ? 'LEFT JOIN item_use used ON used.item_id = i.id' : ''}
    WHERE i.release_id = @releaseId AND ${VISIBLE} ${source.where} ${filterSql(request.filter)}`;
  const values = params(ctx, { shelf: request.shelf, ...filterParams(request.filter) });
  const total = (db.prepare(`SELECT count(*) ${from}`).pluck().get(values) as number) ?? 0;
  // Ids first, then the cards of only those: the sort never drags every card's columns along.
  const ids = db
    .prepare(`SELECT i.id ${from} ORDER BY ${orderSql(request.sort, source)} LIMIT @limit OFFSET @offset`)
    .pluck()
    .all({ ...values, limit: request.limit, offset: request.offset }) as string[];
  return { items: itemSummaries(db, ctx, ids), total, offset: request.offset };
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
const byName = (a: string, b: string) => collator.compare(a, b);

/** What the items of a shelf can be filtered by, each list sorted for a picker. */
export function shelfFacets(db: ReadDb, ctx: ShelfContext, shelf: string): ShelfFacets {
  // Device shelves change with every item opened; the rest only with the release.
  if (shelf === deviceShelves.favourites || shelf === deviceShelves.recent) return readShelfFacets(db, ctx, shelf);
  return remembered(ctx, `facets:${shelf}`, () => readShelfFacets(db, ctx, shelf));
}

function readShelfFacets(db: ReadDb, ctx: ShelfContext, shelf: string): ShelfFacets {
  const source = sourceOf(db, ctx, shelf);
  if (!source) return { total: 0, kinds: [], products: [], tags: [] };
  const from = `FROM items i ${source.join} WHERE i.release_id = @releaseId AND ${VISIBLE} ${source.where}`;
  const values = params(ctx, { shelf });
  const total = db.prepare(`SELECT count(*) ${from}`).pluck().get(values) as number;
  const kinds = db.prepare(`SELECT DISTINCT i.kind ${from}`).pluck().all(values) as ItemKind[];
  const listed = (column: 'products' | 'tags') =>
    db
      .prepare(`SELECT DISTINCT v.value FROM (SELECT i.${column} AS list ${from}) x, json_each(x.list) v`)
      .pluck()
      .all(values) as string[];
  return {
    total,
    kinds: kinds.sort(byName),
    products: listed('products').sort(byName),
    tags: listed('tags').sort(byName),
  };
}

/**
 * The home's shelves in order: favourites and recently opened (when there are any), every
 * collection with a visible item, then the items no collection lists. Each carries its count;
 * the first `withCards` carry their first `size` cards, the rest load theirs when drawn.
 */
export function homeShelves(db: ReadDb, ctx: ShelfContext, size: number, withCards: number): HomeShelf[] {
  const count = (shelf: string) =>
    shelf.startsWith('__') && shelf !== unshelvedShelf
      ? countShelf(shelf)
      : remembered(ctx, `count:${shelf}`, () => countShelf(shelf));
  const countShelf = (shelf: string) => {
    const source = sourceOf(db, ctx, shelf);
    if (!source) return 0;
    return db
      .prepare(
        `SELECT count(*) FROM items i ${source.join} WHERE i.release_id = @releaseId AND ${VISIBLE} ${source.where}`,
      )
      .pluck()
      .get(params(ctx, { shelf })) as number;
  };
  const collections = remembered(
    ctx,
    'collections',
    () =>
      db
        .prepare(
          `SELECT c.id, c.title, c.description, count(i.id) AS count
         FROM collections c
         JOIN item_collections ic ON ic.release_id = c.release_id AND ic.collection_id = c.id
         JOIN items i ON i.release_id = ic.release_id AND i.id = ic.item_id
        WHERE c.release_id = @releaseId AND ${VISIBLE}
        GROUP BY c.id ORDER BY c.position`,
        )
        .all(params(ctx)) as { id: string; title: string; description: string; count: number }[],
  );
  const shelves: Omit<HomeShelf, 'items'>[] = [];
  const favourites = count(deviceShelves.favourites);
  if (favourites > 0)
    shelves.push({ id: deviceShelves.favourites, title: 'Favourites', description: '', count: favourites });
  const recent = count(deviceShelves.recent);
  if (recent > 0) shelves.push({ id: deviceShelves.recent, title: 'Recently opened', description: '', count: recent });
  shelves.push(...collections);
  const rest = count(unshelvedShelf);
  if (rest > 0)
    shelves.push({
      id: unshelvedShelf,
      title: collections.length > 0 ? 'More in the library' : 'Library',
      description: '',
      count: rest,
    });
  const firstCards = (shelf: string) => listShelf(db, ctx, { shelf, sort: 'shelf', offset: 0, limit: size }).items;
  return shelves.map((shelf, index) => ({
    ...shelf,
    items:
      index >= withCards
        ? null
        : shelf.id === deviceShelves.favourites || shelf.id === deviceShelves.recent
          ? firstCards(shelf.id)
          : remembered(ctx, `cards:${shelf.id}:${size}`, () => firstCards(shelf.id)),
  }));
}

/** Counts for the home's heading: visible items, and how many changed after the seen release. */
export function libraryCounts(
  db: ReadDb,
  ctx: ShelfContext,
  lastSeenVersion: number | null,
): { itemCount: number; newCount: number } {
  return remembered(ctx, `counts:${lastSeenVersion}`, () => countItems(db, ctx, lastSeenVersion));
}

function countItems(db: ReadDb, ctx: ShelfContext, lastSeenVersion: number | null) {
  const row = db
    .prepare(
      `SELECT count(*) AS itemCount,
              coalesce(sum(CASE WHEN @seen IS NOT NULL AND i.changed_in_version > @seen THEN 1 ELSE 0 END), 0) AS newCount
         FROM items i WHERE i.release_id = @releaseId AND ${VISIBLE}`,
    )
    .get(params(ctx, { seen: lastSeenVersion })) as { itemCount: number; newCount: number };
  return row;
}

/** The search panel's chips: products, types and collections that at least one visible item has. */
export function searchFacets(db: ReadDb, ctx: ShelfContext): SearchFacets {
  return remembered(ctx, 'search-facets', () => readSearchFacets(db, ctx));
}

function readSearchFacets(db: ReadDb, ctx: ShelfContext): SearchFacets {
  const values = params(ctx);
  const visible = `FROM items i WHERE i.release_id = @releaseId AND ${VISIBLE}`;
  const products = db
    .prepare(`SELECT DISTINCT p.value FROM (SELECT i.products AS list ${visible}) x, json_each(x.list) p`)
    .pluck()
    .all(values) as string[];
  const types = db
    .prepare(
      `SELECT coalesce(nullif(trim(i.category), ''), i.kind) AS value, min(i.kind) AS kind, min(i.category) AS category
         ${visible} GROUP BY value`,
    )
    .all(values) as { value: string; kind: ItemKind; category: string | null }[];
  const collections = db
    .prepare(
      `SELECT c.id, c.title FROM collections c
        WHERE c.release_id = @releaseId AND EXISTS (
          SELECT 1 FROM item_collections ic JOIN items i ON i.release_id = ic.release_id AND i.id = ic.item_id
           WHERE ic.release_id = c.release_id AND ic.collection_id = c.id AND ${VISIBLE})
        ORDER BY c.position`,
    )
    .all(values) as { id: string; title: string }[];
  return { products: products.sort(byName), types, collections };
}
