/** The library on this device: what the app is, what the current release holds, one item. */
import { z } from 'zod';
import type { AppInfo, ItemDetail, LibraryView } from '../library.ts';
import { itemId, noArg, type ArgSchemas, type NoArg } from './schema.ts';

export interface LibraryApi {
  getAppInfo(arg: NoArg): Promise<AppInfo>;
  getLibrary(arg: NoArg): Promise<LibraryView>;
  getItem(arg: { id: string }): Promise<ItemDetail>;
}

export const libraryArgs = {
  getAppInfo: noArg,
  getLibrary: noArg,
  getItem: z.object({ id: itemId }).strict(),
} satisfies ArgSchemas<LibraryApi>;
