/** The library capability's slice of the contract, and the "seen" baseline of a new channel. */
import type { LibraryApi } from '#shared/contract';
import type { ProfileKind, Shell } from '#shared/library';
import type { BlobStore } from '../storage/blobs.ts';
import type { ReadDb, WriteDb } from '../storage/database.ts';
import { readSetting, writeSetting } from '../storage/settings.ts';
import type { Clock } from '../types.ts';
import { itemDetail, libraryView } from './index.ts';
import { itemUse, recordOpened, setFavourite } from './use.ts';
import { currentRelease, type Visibility } from './store.ts';

type Seen = { channel: string; version: number } | null;

/** What a profile may see now: a kiosk only its flagged items, and never an expired one. */
export function visibilityFor(profileKind: ProfileKind, clock: Clock): () => Visibility {
  return () => ({ now: clock.now().toISOString(), kioskOnly: profileKind === 'kiosk' });
}

/**
 * After any switch of release: a channel's first release on this device is the "seen"
 * baseline, so switching channel does not flag its whole library as new.
 */
export function noteReleaseSwitched(db: WriteDb, read: ReadDb): void {
  const current = currentRelease(read);
  const seen = readSetting<Seen>(read, 'library.seen', null);
  if (current && seen?.channel !== current.channel) writeSetting(db, 'library.seen', { channel: current.channel, version: current.version });
}

export function libraryHandlers(ctx: {
  read: ReadDb;
  write: WriteDb;
  clock: Clock;
  /** Where a presentation's slide titles and notes are read from (its text file). */
  blobs: BlobStore;
  visibility(): Visibility;
  siteBaseUrl: string;
  app: { name: string; version: string; shell: Shell; profileKind: ProfileKind; profileDir: string; schemaVersion: number };
}): LibraryApi {
  return {
    async getAppInfo() {
      return { ...ctx.app };
    },
    async getLibrary() {
      const view = libraryView(ctx.read, ctx.visibility());
      const seen = readSetting<Seen>(ctx.read, 'library.seen', null);
      return { ...view, lastSeenVersion: view.release && seen?.channel === view.release.channel ? seen.version : null };
    },
    async getItem({ id }) {
      return itemDetail(ctx.read, id, ctx.visibility(), ctx.siteBaseUrl, ctx.blobs);
    },
    async getItemUse() {
      return itemUse(ctx.read);
    },
    async setFavourite({ itemId, favourite }) {
      setFavourite(ctx.write, itemId, favourite, ctx.clock.now().toISOString());
      return itemUse(ctx.read);
    },
    async recordItemOpened({ itemId }) {
      recordOpened(ctx.write, itemId, ctx.clock.now().toISOString());
      return itemUse(ctx.read);
    },
  };
}
