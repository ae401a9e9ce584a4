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
