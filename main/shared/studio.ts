/**
 * Studio's API shapes, the one definition the server (main/studio) answers with and the UI
 * (renderer/studio) reads. Types only: the server checks arguments with its own zod schemas,
 * which are pinned to these types where they meet.
 */

/** true when A and B are the same shape: pins a server-side zod schema to the type here. */
export type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** The people Studio knows: marketing edits, approvers approve, managers (fleet) and viewers read. */
export const studioRoles = ['admin', 'editor', 'approver', 'manager', 'viewer'] as const;
export type StudioRole = (typeof studioRoles)[number];

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: StudioRole;
}

export interface SessionView {
  user: SessionUser;
  csrfToken: string;
}

export interface UserView extends SessionUser {
  disabled: boolean;
  createdAt: string;
}

/** An item as Studio shows it and as a release snapshot freezes it. */
export interface StudioItem {
  id: string;
  kind: 'pdf' | 'image' | 'video' | 'microsite';
  title: string | null;
  description: string;
  category: string | null;
  tags: string[];
  products: string[];
  audiences: string[];
  collections: string[];
  validFrom: string | null;
  validUntil: string | null;
  kiosk: boolean;
  shareUrl: string | null;
  fileName: string;
  fileSha256: string;
  fileSize: number;
  revision: number;
  updatedAt: string;
  /** The published release has a thumbnail for this very file (library pages only). */
  thumbnail?: boolean;
}

/** The catalogue fields marketing edits; any subset in one edit. */
export type ItemFields = Partial<
  Pick<
    StudioItem,
    | 'title'
    | 'description'
    | 'category'
    | 'tags'
    | 'products'
    | 'audiences'
    | 'collections'
    | 'validFrom'
    | 'validUntil'
    | 'kiosk'
    | 'shareUrl'
  >
>;

/** One page of the library, searched, filtered and counted on the server. */
export interface ItemPage {
  total: number;
  items: StudioItem[];
}

export interface ItemEvent {
  at: string;
  action: string;
  by: string | null;
  detail: Record<string, unknown>;
}

export interface Collection {
  id: string;
  title: string;
  description: string;
}

export interface GlossaryTerm {
  id: string;
  term: string;
  definition: string;
  aliases: string[];
}

export interface AttractLoop {
  items: string[];
  secondsPerItem: number;
}

export interface ReleaseDiff {
  /** The published version the draft is compared with; null before the first publish. */
  baseVersion: number | null;
  added: { id: string; title: string; bytes: number }[];
  changed: { id: string; title: string; fields: string[]; fileChanged: boolean; bytes: number }[];
  removed: { id: string; title: string }[];
  unchanged: number;
  /** Collection titles, descriptions or order differ from the published release. */
  collectionsChanged: boolean;
  glossaryChanged: boolean;
  attractChanged: boolean;
  /** The quizzes that ship (active ones) differ; absent from answers of Studios before quizzes. */
  quizzesChanged?: boolean;
  /** Absent from Studios older than practice prompts written in Studio. */
  practiceChanged?: boolean;
  /** Bytes of files a device does not have yet. */
  downloadBytes: number;
}

export interface PageChange {
  page: number;
  status: 'same' | 'changed' | 'added' | 'removed';
  before: string | null;
  after: string | null;
}

export type ReleaseState = 'submitted' | 'approved' | 'rejected' | 'published';

export interface ReleaseView {
  id: string;
  channel: string;
  state: ReleaseState;
  version: number | null;
  note: string;
  items: number;
  submittedBy: string;
  submittedAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
  publishedBy: string | null;
  publishedAt: string | null;
  rollbackOf: number | null;
}

/**
 * What Studio's page carries for the person who opens it, so the first screen (the library)
 * renders without waiting on round trips: their session, the channels, and the first rows.
 */
/** Library rows fetched per request: a screenful and then some, so scrolling rarely waits. */
export const libraryBlockSize = 100;

export interface StudioBoot {
  session: { user: SessionUser; csrfToken: string };
  channels: ChannelView[];
  /** The first block of a channel's library, unfiltered and in the list's order. */
  library: { channel: string; offset: number; limit: number; page: { total: number; items: StudioItem[] } } | null;
}

/** A publish (or roll back) running in the background, as the UI follows it. */
export type PublishJobState = 'running' | 'succeeded' | 'failed' | 'interrupted';

export interface PublishJobView {
  id: string;
  channel: string;
  kind: 'publish' | 'rollback';
  /** The release being published (a roll back's new release). */
  release: string;
  state: PublishJobState;
  /** What it is doing now: waiting, staging, converting, reading, writing, signing, recording, done. */
  stage: string;
  itemsDone: number;
  itemsTotal: number;
  /** Bytes of new files written into the channel so far, of those it has to write. */
  bytesDone: number;
  bytesTotal: number;
  /** The version it published, once it has. */
  version: number | null;
  /** Why it failed or was interrupted, in words for marketing. */
  error: string | null;
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  /** Goes up with every change; pass it back as `after` to wait for the next one. */
  revision: number;
}

export interface ChannelView {
  id: string;
  title: string;
  publicKeyPem: string;
  url: string;
}

/** The two devices a draft can be previewed on, at the size of their screens. */
export const previewDevices = {
  tablet: { label: 'tablet', width: 1440, height: 960 },
  kiosk: { label: 'kiosk', width: 1920, height: 1080 },
} as const;
export type PreviewDevice = keyof typeof previewDevices;

/** A running preview of the draft: open `url` (once: it carries the preview's secret). */
export interface PreviewView {
  id: string;
  device: PreviewDevice;
  width: number;
  height: number;
  url: string;
  items: number;
  expiresAt: string;
}

/** How people sign in besides a password: single sign-on through an OpenID provider. */
export interface SignInOptions {
  sso: { label: string } | null;
}

/** Single sign-on as an admin sees it; the client secret never leaves the server. */
export interface SsoSettingsView {
  enabled: boolean;
  issuer: string;
  clientId: string;
  hasClientSecret: boolean;
  label: string;
  /** Role given to someone the provider vouches for who has no account yet; null: invited people only. */
  defaultRole: StudioRole | null;
  /** The address to register at the provider. */
  redirectUri: string;
}
