import type { FleetTables } from '../fleet/tables.ts';
import type { PracticeTables } from '../practice/tables.ts';
import type { ForwardingTables } from '../forwarding/tables.ts';
import type { QuizTables } from '../quizzes/tables.ts';
import type { RehearseTables } from '../rehearse/transcription/tables.ts';

/**
 * Studio's tables, one type for SQLite and PostgreSQL. Portable column types only: ids and
 * timestamps are text (ISO 8601, UTC), booleans are integers, lists are JSON text, sizes are
 * bigint (read back through Number()).
 */
export interface UserTable {
  id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string;
  created_at: string;
  disabled: number;
}

export interface SessionTable {
  /** sha256 of the cookie value: a stolen database does not hold usable sessions. */
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface SetupTokenTable {
  token_hash: string;
  expires_at: string;
}

export interface SignInFailureTable {
  id: string;
  subject: string;
  at: string;
}

export interface AuditTable {
  id: string;
  at: string;
  user_id: string | null;
  action: string;
  subject: string;
  detail: string;
}

export interface SettingTable {
  key: string;
  value: string;
}

export interface ChannelTable {
  id: string;
  title: string;
  created_at: string;
}

export interface BlobTable {
  sha256: string;
  size: number | string | bigint;
  mime: string;
  created_at: string;
}

export interface ItemTable {
  channel: string;
  id: string;
  kind: string;
  /** null: the publisher takes the document's own title or its file name. */
  title: string | null;
  description: string;
  category: string | null;
  tags: string;
  products: string;
  audiences: string;
  collections: string;
  valid_from: string | null;
  valid_until: string | null;
  kiosk: number;
  share_url: string | null;
  file_name: string;
  file_sha256: string;
  file_size: number | string | bigint;
  revision: number;
  updated_at: string;
  updated_by: string;
  /** Lower-cased title, file name, description and tags, for server-side search. */
  search_text: string;
}

export interface ReleaseTable {
  id: string;
  channel: string;
  state: string;
  version: number | null;
  /** The frozen draft: the items (with their files) this release will contain, as JSON. */
  snapshot: string;
  note: string;
  submitted_by: string;
  submitted_at: string;
  approved_by: string | null;
  approved_at: string | null;
  published_by: string | null;
  published_at: string | null;
  rollback_of: number | null;
}

export interface PublishJobTable {
  id: string;
  channel: string;
  /** 'publish' an approved release, or 'rollback' (a new release with an earlier one's content). */
  kind: string;
  /** The release being published (for a roll back, the new one: its row is written when it is out). */
  release_id: string;
  /** A roll back: the earlier release whose content goes out again. */
  source_release_id: string | null;
  state: string;
  stage: string;
  items_done: number;
  items_total: number;
  bytes_done: number | string | bigint;
  bytes_total: number | string | bigint;
  /** The channel's version when the job started: a higher one after a crash means the release was written. */
  base_version: number;
  version: number | null;
  error: string | null;
  started_by: string;
  started_at: string;
  /** Refreshed while the job runs; a stale one means the Studio running it is gone. */
  heartbeat_at: string;
  finished_at: string | null;
  /** Bumped on every write, so a waiting reader knows something moved. */
  revision: number;
}

export interface UploadSessionTable {
  id: string;
  channel: string;
  user_id: string;
  name: string;
  size: number | string | bigint;
  item: string | null;
  created_at: string;
}

export interface CollectionTable {
  channel: string;
  id: string;
  title: string;
  description: string;
  position: number;
}

export interface SsoLoginTable {
  /** sha256 of the state sent to the provider (and held in the browser's cookie). */
  state_hash: string;
  code_verifier: string;
  nonce: string;
  created_at: string;
}

export interface SsoIdentityTable {
  issuer: string;
  subject: string;
  user_id: string;
  created_at: string;
}

export interface StudioTables extends FleetTables, ForwardingTables, PracticeTables, QuizTables, RehearseTables {
  users: UserTable;
  sessions: SessionTable;
  setup_tokens: SetupTokenTable;
  sign_in_failures: SignInFailureTable;
  audit: AuditTable;
  settings: SettingTable;
  channels: ChannelTable;
  blobs: BlobTable;
  items: ItemTable;
  releases: ReleaseTable;
  publish_jobs: PublishJobTable;
  upload_sessions: UploadSessionTable;
  collections: CollectionTable;
  sso_logins: SsoLoginTable;
  sso_identities: SsoIdentityTable;
}
