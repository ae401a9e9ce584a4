/** The library capability's slice of the contract, and the "seen" baseline of a new channel. */
import type { LibraryApi } from '#shared/contract';
import type { ProfileKind, Shell } from '#shared/library';
import type { BlobStore } from '../storage/blobs.ts';
import type { ReadDb, WriteDb } from '../storage/database.ts';
import type { Clock, Log } from '../types.ts';
import { glossary, itemDetail, libraryView } from './index.ts';
import {
  homeShelves,
  libraryCounts,
  listShelf,
  searchFacets,
  shelfFacets,
  ShelfMemo,
  type ShelfContext,
} from './shelves.ts';
import { readSeen, writeSeen } from './seen.ts';
import { itemUse, recordOpened, setFavourite } from './use.ts';
import { currentRelease, type Visibility } from './store.ts';

/** What a profile may see now: a kiosk only its flagged items, and never an expired one. */
export function visibilityFor(profileKind: ProfileKind, clock: Clock): () => Visibility {
  return () => ({ now: clock.now().toISOString(), kioskOnly: profileKind === 'kiosk' });
}

/**
 * After any switch of release: a channel's first release on this device is the "seen"
 * baseline, so switching channel does not flag its whole library as new.
 */
export function noteReleaseSwitched(db: WriteDb, read: ReadDb, log: Log): void {
  const current = currentRelease(read);
  const seen = readSeen(read, log);
  if (current && seen?.channel !== current.channel)
    writeSeen(db, { channel: current.channel, version: current.version });
}

/** Cards on a home shelf before "See all", and shelves whose cards come with the home. */
const defaultShelfSize = 24;
const defaultWithCards = 4;

export function libraryHandlers(ctx: {
  read: ReadDb;
  log: Log;
  write: WriteDb;
  clock: Clock;
  /** Where a presentation's slide titles and notes are read from (its text file). */
  blobs: BlobStore;
  visibility(): Visibility;
  siteBaseUrl: string;
  app: {
    name: string;
    version: string;
    shell: Shell;
    profileKind: ProfileKind;
    profileDir: string;
    schemaVersion: number;
  };
}): LibraryApi {
  const memo = new ShelfMemo(ctx.read);
  const shelfContext = (releaseId: number): ShelfContext => ({
    releaseId,
    visibility: ctx.visibility(),
    deviceShelves: ctx.app.profileKind !== 'kiosk',
    memo,
  });
  const seenVersion = (channel: string): number | null => {
    const seen = readSeen(ctx.read, ctx.log);
    return seen?.channel === channel ? seen.version : null;
  };
  const api: LibraryApi = {
    async getAppInfo() {
      return { ...ctx.app };
    },
    async getLibrary() {
      const view = libraryView(ctx.read, ctx.visibility());
      const seen = readSeen(ctx.read, ctx.log);
      return { ...view, lastSeenVersion: view.release && seen?.channel === view.release.channel ? seen.version : null };
    },
    async getLibraryHome({ shelfSize, withCards }) {
      const release = currentRelease(ctx.read);
      if (!release)
        return {
          release: null,
          lastSeenVersion: null,
          itemCount: 0,
          collectionCount: 0,
          newCount: 0,
          shelves: [],
          glossary: [],
          searchFacets: { products: [], types: [], collections: [] },
        };
      const shelves = shelfContext(release.id);
      const lastSeenVersion = seenVersion(release.channel);
      const { itemCount, newCount } = libraryCounts(ctx.read, shelves, lastSeenVersion);
      const facets = searchFacets(ctx.read, shelves);
      const { id: _id, ...info } = release;
      return {
        release: { ...info, itemCount },
        lastSeenVersion,
        itemCount,
        collectionCount: facets.collections.length,
        newCount,
        shelves: homeShelves(ctx.read, shelves, shelfSize ?? defaultShelfSize, withCards ?? defaultWithCards),
        glossary: glossary(ctx.read, release.id),
        searchFacets: facets,
      };
    },
    async listItems(request) {
      const release = currentRelease(ctx.read);
      if (!release) return { items: [], total: 0, offset: request.offset };
      return listShelf(ctx.read, shelfContext(release.id), request);
    },
    async getShelfFacets({ shelf }) {
      const release = currentRelease(ctx.read);
      if (!release) return { total: 0, kinds: [], products: [], tags: [] };
      return shelfFacets(ctx.read, shelfContext(release.id), shelf);
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
  // The home's counts and chips are read once at start, while the window loads, so the first
  // visit finds them ready; a failure here only means the first visit reads them itself.
  setImmediate(() => {
    api.getLibraryHome({}).catch(() => undefined);
  });
  return api;
}
