/** What the library looks like to the UI: plain data, safe to send across IPC or HTTP. */

export const itemKinds = ['pdf', 'image', 'video', 'audio', 'microsite'] as const;
export type ItemKind = (typeof itemKinds)[number];

/** A file in the content store, addressed by its hash; the shells serve it at `/content/<sha256>`. */
export interface FileRef {
  sha256: string;
  size: number;
  mime: string;
}

export interface ItemSummary {
  id: string;
  kind: ItemKind;
  /** What marketing calls it: brochure, deck, comparison, price-sheet, case-study... */
  category: string | null;
  title: string;
  description: string;
  tags: string[];
  products: string[];
  audiences: string[];
  collectionIds: string[];
  kiosk: boolean;
  pageCount: number | null;
  thumbnail: FileRef | null;
  validUntil: string | null;
  /** Release version in which this item's content last changed (drives the "new" badge). */
  changedInVersion: number;
}

export interface ItemDetail extends ItemSummary {
  /** The document, image, video or audio itself; null for a microsite. */
  primary: FileRef | null;
  /** Poster frame of a video. */
  poster: FileRef | null;
  /** Thumbnails of every page of a PDF, index 0 = page 1. */
  pageThumbnails: (FileRef | null)[];
  /** Where the microsite starts, on its own sandboxed origin; null for other kinds. */
  siteUrl: string | null;
  shareUrl: string | null;
  /** The Office file a converted document came from, for the rep to share or open as is. */
  original?: FileRef | null;
  /** Per page of a presentation, index 0 = page 1: slide title and speaker notes (presenter only). */
  pages?: PageFacts[];
}

export interface PageFacts {
  title: string;
  notes: string;
  /** A slide hidden in the deck, published because the catalogue asked to include hidden slides. */
  hidden: boolean;
}

export interface CollectionView {
  id: string;
  title: string;
  description: string;
  itemIds: string[];
}

export interface GlossaryEntry {
  id: string;
  term: string;
  definition: string;
  aliases: string[];
}

export interface ReleaseInfo {
  channel: string;
  version: number;
  publishedAt: string;
  expiresAt: string;
  installedAt: string;
  itemCount: number;
}

export interface LibraryView {
  release: ReleaseInfo | null;
  /** The release version the rep last marked as seen; items changed after it are "new". */
  lastSeenVersion: number | null;
  collections: CollectionView[];
  items: ItemSummary[];
  glossary: GlossaryEntry[];
}

export type Shell = 'electron' | 'browser';
export type ProfileKind = 'standard' | 'kiosk';

export interface AppInfo {
  name: string;
  version: string;
  shell: Shell;
  profileKind: ProfileKind;
  profileDir: string;
  schemaVersion: number;
}

/** How the rep uses items on this device: favourites, recently opened, open counts. */
export interface ItemUse {
  /** Item ids, most recently starred first. */
  favourites: string[];
  /** Item ids, most recently opened first (at most 20). */
  recent: string[];
  /** Times each item was opened here; an absent id was never opened. */
  opens: Record<string, number>;
}

/**
 * Shelves that are not a collection of the release: the rep's favourites and recently opened
 * items, the items no collection lists, and the whole library (the pitch builder's picker).
 * Manifest ids start with a letter or digit, so these never collide with a collection's id.
 */
export const deviceShelves = { favourites: '__favourites', recent: '__recent' } as const;
export const unshelvedShelf = '__more';
export const wholeLibraryShelf = '__all';

/** How a list of items is ordered: as marketing placed them, newest, A–Z, most opened here. */
export const itemSorts = ['shelf', 'new', 'title', 'used'] as const;
export type ItemSort = (typeof itemSorts)[number];

export interface ItemFilter {
  kind?: ItemKind | null;
  product?: string | null;
  tag?: string | null;
}

/** One page of a shelf's items, sorted and filtered in the core. */
export interface ItemListRequest {
  /** A collection id, or one of `deviceShelves`, `unshelvedShelf`, `wholeLibraryShelf`. */
  shelf: string;
  sort: ItemSort;
  filter?: ItemFilter;
  offset: number;
  limit: number;
}

export interface ItemList {
  items: ItemSummary[];
  /** Items matching the filter on the whole shelf (not only this page). */
  total: number;
  offset: number;
}

/** What a shelf's items can be filtered by, sorted for the pickers, and how many it holds. */
export interface ShelfFacets {
  total: number;
  kinds: ItemKind[];
  products: string[];
  tags: string[];
}

/** One row of the home: its size and only the first cards it shows. */
export interface HomeShelf {
  id: string;
  title: string;
  description: string;
  /** Every visible item of the shelf; `items` holds only the first of them. */
  count: number;
  /** The first cards; null for a shelf further down, which loads its own when it is drawn. */
  items: ItemSummary[] | null;
}

/** The search panel's filter chips: values that at least one visible item has. */
export interface SearchFacets {
  products: string[];
  /** Marketing's category of an item, or its kind when there is none (the engine's "kinds"). */
  types: { value: string; kind: ItemKind; category: string | null }[];
  collections: { id: string; title: string }[];
}

/**
 * The home screen in one small answer: the release, counts, each shelf with its first cards,
 * the glossary and the search chips. Its size does not grow with the library.
 */
export interface LibraryHome {
  release: ReleaseInfo | null;
  lastSeenVersion: number | null;
  /** Visible items and collections with at least one of them. */
  itemCount: number;
  collectionCount: number;
  /** Items changed after `lastSeenVersion`. */
  newCount: number;
  /** Favourites and recently opened first (when the rep has any), then collections, then the rest. */
  shelves: HomeShelf[];
  glossary: GlossaryEntry[];
  searchFacets: SearchFacets;
}
