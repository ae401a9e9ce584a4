/** What the library screens read from the core, and when it changes. */
import type { AppInfo, ItemDetail, ItemUse, LibraryView } from '#shared/library';
import { useQuery } from '../data/useQuery';
import type { Query } from '../data/query';

export const libraryQueries = {
  /** The home screen's library; a new release replaces it in place, never blanking the view. */
  view: (): Query<LibraryView> => ({
    key: ['library'],
    what: 'Loading the library',
    deadlineMs: 20_000,
    load: (client) => client.getLibrary({}),
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
export const useLibraryView = () => useQuery(libraryQueries.view());
export const useItem = (id: string | null) => useQuery(id === null ? null : libraryQueries.item(id));
export const useItemUse = () => useQuery(libraryQueries.itemUse());
