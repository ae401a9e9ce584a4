/**
 * The library methods of a fake core, answered from one `LibraryView` the way the core answers
 * them (home summary, pages of a shelf, facets), so a screen test states its library once. The
 * core's own sorting and filtering is tested against SQLite in library-shelves.test.ts; this
 * stand-in only has to agree with it on the small libraries the screen tests use.
 */
import {
  deviceShelves,
  unshelvedShelf,
  wholeLibraryShelf,
  type HomeShelf,
  type ItemListRequest,
  type ItemSummary,
  type ItemUse,
  type LibraryHome,
  type LibraryView,
} from '#shared/library';
import { PitchcaseError } from '#shared/result';
import { titleSortKey } from '#shared/text';
import type { FakeCore } from './fake-core';

type Source<T> = () => T | Promise<T>;

const noUse: ItemUse = { favourites: [], recent: [], opens: {} };

function shelfItems(view: LibraryView, use: ItemUse, shelf: string): ItemSummary[] {
  const byId = new Map(view.items.map((item) => [item.id, item]));
  const pick = (ids: readonly string[]) => ids.flatMap((id) => byId.get(id) ?? []);
  if (shelf === deviceShelves.favourites) return pick(use.favourites);
  if (shelf === deviceShelves.recent) return pick(use.recent);
  if (shelf === wholeLibraryShelf) return view.items;
  if (shelf === unshelvedShelf) {
    const shelved = new Set(view.collections.flatMap((collection) => collection.itemIds));
    return view.items.filter((item) => !shelved.has(item.id));
  }
  const collection = view.collections.find((candidate) => candidate.id === shelf);
  if (!collection) throw new PitchcaseError('not-found', `No collection "${shelf}" in the current library`);
  return pick(collection.itemIds);
}

export function listFrom(view: LibraryView, use: ItemUse, request: ItemListRequest) {
  const { filter } = request;
  const kept = shelfItems(view, use, request.shelf)
    .map((item, order) => ({ item, order }))
    .filter(
      ({ item }) =>
        (!filter?.kind || item.kind === filter.kind) &&
        (!filter?.product || item.products.includes(filter.product)) &&
        (!filter?.tag || item.tags.includes(filter.tag)),
    );
  const key = (item: ItemSummary) => titleSortKey(item.title);
  kept.sort((a, b) => {
    const diff =
      request.sort === 'new'
        ? b.item.changedInVersion - a.item.changedInVersion
        : request.sort === 'title'
          ? key(a.item) < key(b.item)
            ? -1
            : key(a.item) > key(b.item)
              ? 1
              : 0
          : request.sort === 'used'
            ? (use.opens[b.item.id] ?? 0) - (use.opens[a.item.id] ?? 0)
            : 0;
    return diff !== 0 ? diff : a.order - b.order;
  });
  return {
    items: kept.slice(request.offset, request.offset + request.limit).map(({ item }) => item),
    total: kept.length,
    offset: request.offset,
  };
}

export function homeFrom(view: LibraryView, use: ItemUse, shelfSize = 24, withCards = 4): LibraryHome {
  const shelves: Omit<HomeShelf, 'items'>[] = [];
  const add = (id: string, title: string, description = '') => {
    const count = shelfItems(view, use, id).length;
    if (count > 0) shelves.push({ id, title, description, count });
  };
  add(deviceShelves.favourites, 'Favourites');
  add(deviceShelves.recent, 'Recently opened');
  for (const collection of view.collections) add(collection.id, collection.title, collection.description);
  const collections = shelves.filter((shelf) => !shelf.id.startsWith('__'));
  add(unshelvedShelf, collections.length > 0 ? 'More in the library' : 'Library');
  const seen = view.lastSeenVersion;
  const types = new Map<string, { value: string; kind: ItemSummary['kind']; category: string | null }>();
  for (const item of view.items) {
    const value = item.category?.trim() || item.kind;
    if (!types.has(value)) types.set(value, { value, kind: item.kind, category: item.category });
  }
  return {
    release: view.release,
    lastSeenVersion: seen,
    itemCount: view.items.length,
    collectionCount: collections.length,
    newCount: seen === null ? 0 : view.items.filter((item) => item.changedInVersion > seen).length,
    shelves: shelves.map((shelf, index) => ({
      ...shelf,
      items: index < withCards ? shelfItems(view, use, shelf.id).slice(0, shelfSize) : null,
    })),
    glossary: view.glossary,
    searchFacets: {
      products: [...new Set(view.items.flatMap((item) => item.products))].sort(),
      types: [...types.values()],
      collections: collections.map(({ id, title }) => ({ id, title })),
    },
  };
}

/** Answers getLibrary, getLibraryHome, listItems and getShelfFacets from `source`. */
export function answerLibrary(core: FakeCore, source: Source<LibraryView>, use: Source<ItemUse> = () => noUse) {
  return core
    .answer('getLibrary', source)
    .answer('getLibraryHome', async ({ shelfSize, withCards }) =>
      homeFrom(await source(), await use(), shelfSize, withCards),
    )
    .answer('listItems', async (request) => listFrom(await source(), await use(), request))
    .answer('getShelfFacets', async ({ shelf }) => {
      const items = shelfItems(await source(), await use(), shelf);
      const sorted = (values: Iterable<string>) => [...new Set(values)].sort((a, b) => a.localeCompare(b));
      return {
        total: items.length,
        kinds: sorted(items.map((item) => item.kind)) as ItemSummary['kind'][],
        products: sorted(items.flatMap((item) => item.products)),
        tags: sorted(items.flatMap((item) => item.tags)),
      };
    });
}
