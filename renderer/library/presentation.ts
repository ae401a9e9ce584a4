/** How library data reads on screen; pure, so the wording and grouping are unit-tested. */
import type { HomeShelf, ItemKind, ItemSort, ItemSummary, LibraryHome, ReleaseInfo } from '#shared/library';

export function contentUrl(sha256: string): string {
  return `/content/${encodeURIComponent(sha256)}`;
}

const kindLabels: Record<ItemKind, string> = {
  pdf: 'Document',
  image: 'Image',
  video: 'Video',
  audio: 'Audio',
  microsite: 'Interactive',
};

/** "price-sheet" -> "Price sheet"; falls back to the kind when marketing set no category. */
export function badgeLabel(item: Pick<ItemSummary, 'kind' | 'category'>): string {
  const category = item.category?.trim();
  if (!category) return kindLabels[item.kind];
  const words = category.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function pageCountLabel(pageCount: number | null): string | null {
  if (pageCount === null || pageCount < 1) return null;
  return pageCount === 1 ? '1 page' : `${pageCount} pages`;
}

export function isNewInRelease(item: Pick<ItemSummary, 'changedInVersion'>, release: ReleaseInfo | null): boolean {
  return release !== null && item.changedInVersion === release.version;
}

/**
 * The "New" badge marks what changed since the rep last marked the library as seen: items whose
 * content changed in a later release than `lastSeenVersion`. Without a baseline (null) nothing
 * is new; the core sets one when a channel's first release arrives, so a first install is quiet.
 */
export function isNewSince(item: Pick<ItemSummary, 'changedInVersion'>, lastSeenVersion: number | null): boolean {
  return lastSeenVersion !== null && item.changedInVersion > lastSeenVersion;
}

export function releaseLabel(release: ReleaseInfo | null): string | null {
  if (!release) return null;
  return `Release ${release.version} · ${release.channel}`;
}

/** A shelf of the home as the core summarises it: its size and only its first cards. */
export type ShelfRow = HomeShelf;

/** "13 items in 4 collections · ready offline" */
export function librarySummary(home: Pick<LibraryHome, 'itemCount' | 'collectionCount'>): string {
  const items = home.itemCount === 1 ? '1 item' : `${home.itemCount.toLocaleString('en')} items`;
  const collections = home.collectionCount;
  const where = collections === 0 ? '' : collections === 1 ? ' in 1 collection' : ` in ${collections} collections`;
  return `${items}${where} · on this device, ready offline`;
}

/** The orders a "See all" grid offers (the core also knows the shelf's own order). */
export const collectionSorts = ['new', 'title', 'used'] as const satisfies readonly ItemSort[];
export type CollectionSort = (typeof collectionSorts)[number];

export const collectionSortLabels: Record<CollectionSort, string> = {
  new: 'Newest first',
  title: 'A–Z',
  used: 'Most used on this device',
};

export interface CollectionFilter {
  kind: ItemKind | null;
  product: string | null;
  tag: string | null;
}

export const noFilter: CollectionFilter = { kind: null, product: null, tag: null };

export function kindLabel(kind: ItemKind): string {
  return kindLabels[kind];
}

/**
 * Card sizes of the home shelves for a window width: about three and a half cards on a portrait
 * tablet, so the cut-off card says "scroll me". The virtualised rows need the number in script;
 * the CSS reads the same values from custom properties set on the home screen.
 */
export function shelfMetrics(viewportWidth: number): { cardWidth: number; gap: number; pageX: number } {
  const pageX = Math.round(Math.min(48, Math.max(20, viewportWidth * 0.032)));
  const cardWidth = Math.round(Math.min(272, Math.max(188, (viewportWidth - pageX) / 3.4 - 18)));
  return { cardWidth, gap: 18, pageX };
}

/**
 * Above this speed (px per ms, about three tablet screens a second) the home is being flung, not
 * read: a shelf that comes into view then shows its heading and placeholder cards, and draws
 * its cards once the scroll slows or stops. Laying out the cards of every shelf flown past is
 * what filled the page's memory with garbage (about 35 KB of layout per card).
 */
export const flingSpeed = 3;

/** The home's last scroll position and when it was read, and whether it is being flung. */
export interface ScrollPace {
  offset: number;
  at: number;
  flinging: boolean;
}

/**
 * A scroll is measured over at most this long (ms): one step of more than a screen or so is a
 * jump or a fling however long the home lay still before it (End, a scroll bar dragged fast).
 */
const longestStep = 100;

/** The pace after the home scrolled to `offset` at time `at` (ms); unchanged if it did not move. */
export function nextScrollPace(previous: ScrollPace, offset: number, at: number): ScrollPace {
  if (offset === previous.offset) return previous;
  const speed = Math.abs(offset - previous.offset) / Math.min(longestStep, Math.max(1, at - previous.at));
  return { offset, at, flinging: speed > flingSpeed };
}
