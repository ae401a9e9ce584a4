/** The library on this device: what the app is, what the current release holds, one item. */
import { z } from 'zod';
import {
  itemKinds,
  itemSorts,
  type AppInfo,
  type ItemDetail,
  type ItemList,
  type ItemListRequest,
  type ItemUse,
  type LibraryHome,
  type LibraryView,
  type ShelfFacets,
} from '../library.ts';
import { itemId, noArg, type ArgSchemas, type NoArg } from './schema.ts';

export interface LibraryApi {
  getAppInfo(arg: NoArg): Promise<AppInfo>;
  /** The whole library in one answer: for the kiosk and scripts; screens use the calls below. */
  getLibrary(arg: NoArg): Promise<LibraryView>;
  /** The home: shelves with counts, the first cards of the first `withCards` shelves. */
  getLibraryHome(arg: { shelfSize?: number; withCards?: number }): Promise<LibraryHome>;
  /** One page of a shelf, sorted and filtered in the core. */
  listItems(arg: ItemListRequest): Promise<ItemList>;
  /** What a shelf's items can be filtered by, and how many it holds. */
  getShelfFacets(arg: { shelf: string }): Promise<ShelfFacets>;
  getItem(arg: { id: string }): Promise<ItemDetail>;
  /** Favourites, recently opened and open counts on this device (they survive new releases). */
  getItemUse(arg: NoArg): Promise<ItemUse>;
  setFavourite(arg: { itemId: string; favourite: boolean }): Promise<ItemUse>;
  /** The rep opened an item: counts for "Most used" and puts it first in "Recently opened". */
  recordItemOpened(arg: { itemId: string }): Promise<ItemUse>;
}

/** A collection id, or one of the shelves that are not a collection (`__favourites`…). */
const shelf = z.string().min(1).max(128);

export const libraryArgs = {
  getAppInfo: noArg,
  getLibrary: noArg,
  getLibraryHome: z
    .object({
      shelfSize: z.number().int().min(1).max(100).optional(),
      withCards: z.number().int().min(0).max(50).optional(),
    })
    .strict(),
  listItems: z
    .object({
      shelf,
      sort: z.enum(itemSorts),
      filter: z
        .object({
          kind: z.enum(itemKinds).nullable().optional(),
          product: z.string().min(1).max(200).nullable().optional(),
          tag: z.string().min(1).max(200).nullable().optional(),
        })
        .strict()
        .optional(),
      offset: z.number().int().min(0).max(1_000_000),
      limit: z.number().int().min(1).max(200),
    })
    .strict(),
  getShelfFacets: z.object({ shelf }).strict(),
  getItem: z.object({ id: itemId }).strict(),
  getItemUse: noArg,
  setFavourite: z.object({ itemId, favourite: z.boolean() }).strict(),
  recordItemOpened: z.object({ itemId }).strict(),
} satisfies ArgSchemas<LibraryApi>;
