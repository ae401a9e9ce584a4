/** What the library screens read from the core, and when it changes. */
import type {
  AppInfo,
  ItemDetail,
  ItemFilter,
  ItemList,
  ItemSort,
  ItemSummary,
  ItemUse,
  LibraryHome,
  ShelfFacets,
} from '#shared/library';
import { useQuery } from '../data/useQuery';
import { usePagedQuery, type PagedQuery } from '../data/usePagedQuery';
import type { Query } from '../data/query';

/** Cards a home shelf shows before "See all", and shelves whose cards come with the home. */
export const shelfSize = 24;
const shelvesWithCards = 4;
/** Cards per page of a "See all" grid: a few screens of a large tablet. */
const gridPageSize = 60;

export const libraryQueries = {
  /**
   * The home: shelves with counts and their first cards; a new release replaces it in place,
   * never blanking the view.
   */
  home: (): Query<LibraryHome> => ({
    key: ['library-home'],
    what: 'Loading the library',
    deadlineMs: 20_000,
    load: (client) => client.getLibraryHome({ shelfSize, withCards: shelvesWithCards }),
    refetchOn: ['library.changed'],
  }),
  /** The first cards of a shelf further down the home, loaded when it is drawn. */
  shelfStart: (shelf: string): Query<ItemList> => ({
    key: ['shelf-start', shelf],
    what: 'Loading the collection',
    deadlineMs: 15_000,
    load: (client) => client.listItems({ shelf, sort: 'shelf', offset: 0, limit: shelfSize }),
    refetchOn: ['library.changed'],
  }),
  /** A shelf in full, a page at a time, sorted and filtered by the core. */
  shelfPages: (shelf: string, sort: ItemSort, filter: ItemFilter): PagedQuery<ItemSummary> => ({
    key: ['shelf-pages', shelf, sort, filter],
    what: 'Loading the collection',
    deadlineMs: 15_000,
    pageSize: gridPageSize,
    loadPage: (client, offset, limit) => client.listItems({ shelf, sort, filter, offset, limit }),
    refetchOn: ['library.changed'],
  }),
  shelfFacets: (shelf: string): Query<ShelfFacets> => ({
    key: ['shelf-facets', shelf],
    what: 'Loading the filters',
    deadlineMs: 15_000,
    load: (client) => client.getShelfFacets({ shelf }),
    refetchOn: ['library.changed'],
  }),
  item: (id: string): Query<ItemDetail> => ({
    key: ['item', id],
    what: 'Opening the item',
    deadlineMs: 15_000,
    load: (client) => client.getItem({ id }),
  }),
  /** Favourites, recently opened and open counts on this device. */
  itemUse: (): Query<ItemUse> => ({
    key: ['item-use'],
    what: 'Reading your favourites',
    deadlineMs: 15_000,
    load: (client) => client.getItemUse({}),
  }),
  appInfo: (): Query<AppInfo> => ({
    key: ['app-info'],
    what: 'Reading the app',
    deadlineMs: 15_000,
    load: (client) => client.getAppInfo({}),
  }),
};

export const useAppInfo = () => useQuery(libraryQueries.appInfo());
export const useLibraryHome = () => useQuery(libraryQueries.home());
export const useShelfStart = (shelf: string | null) =>
  useQuery(shelf === null ? null : libraryQueries.shelfStart(shelf));
export const useShelfPages = (shelf: string, sort: ItemSort, filter: ItemFilter) =>
  usePagedQuery(libraryQueries.shelfPages(shelf, sort, filter));
export const useShelfFacets = (shelf: string) => useQuery(libraryQueries.shelfFacets(shelf));
export const useItem = (id: string | null) => useQuery(id === null ? null : libraryQueries.item(id));
export const useItemUse = () => useQuery(libraryQueries.itemUse());
