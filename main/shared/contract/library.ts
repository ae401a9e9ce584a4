/** The library on this device: what the app is, what the current release holds, one item. */
import { z } from 'zod';
import type { AppInfo, ItemDetail, ItemUse, LibraryView } from '../library.ts';
import { itemId, noArg, type ArgSchemas, type NoArg } from './schema.ts';

export interface LibraryApi {
  getAppInfo(arg: NoArg): Promise<AppInfo>;
  getLibrary(arg: NoArg): Promise<LibraryView>;
  getItem(arg: { id: string }): Promise<ItemDetail>;
  /** Favourites, recently opened and open counts on this device (they survive new releases). */
  getItemUse(arg: NoArg): Promise<ItemUse>;
  setFavourite(arg: { itemId: string; favourite: boolean }): Promise<ItemUse>;
  /** The rep opened an item: counts for "Most used" and puts it first in "Recently opened". */
  recordItemOpened(arg: { itemId: string }): Promise<ItemUse>;
}

export const libraryArgs = {
  getAppInfo: noArg,
  getLibrary: noArg,
  getItem: z.object({ id: itemId }).strict(),
  getItemUse: noArg,
  setFavourite: z.object({ itemId, favourite: z.boolean() }).strict(),
  recordItemOpened: z.object({ itemId }).strict(),
} satisfies ArgSchemas<LibraryApi>;
