import type { CollectionView, FileRef, GlossaryEntry, ItemKind, ItemSummary, ReleaseInfo } from '#shared/library';
import type { ReadDb } from '../storage/database.ts';

/** The read side of the library. Every query sees only the current release and valid items. */

interface ReleaseRow {
  id: number;
  channel: string;
  version: number;
  published_at: string;
  expires_at: string;
  installed_at: string;
  item_count: number;
}

export interface CurrentRelease extends ReleaseInfo {
  id: number;
}

export interface ItemRow {
  id: string;
  kind: ItemKind;
  category: string | null;
  title: string;
  description: string;
  tags: string;
  products: string;
  audiences: string;
  valid_until: string | null;
  kiosk: number;
  page_count: number | null;
  share_url: string | null;
  entry: string | null;
  changed_in_version: number;
  collection_ids: string | null;
  thumb_sha256: string | null;
  thumb_size: number | null;
  thumb_mime: string | null;
}

interface FileRow {
  role: string;
  sha256: string;
  size: number;
  mime: string;
  page: number | null;
  path: string | null;
}

export interface ItemRecord extends ItemSummary {
  shareUrl: string | null;
  entry: string | null;
}

export interface ItemFileRecord extends FileRef {
  role: string;
  page: number | null;
  path: string | null;
}

export interface Visibility {
  /** ISO timestamp "now": items outside validFrom/validUntil are invisible. */
  now: string;
  kioskOnly: boolean;
}

export const VISIBLE = `
  (i.valid_from IS NULL OR i.valid_from <= @now)
  AND (i.valid_until IS NULL OR i.valid_until > @now)
  AND (@kioskOnly = 0 OR i.kiosk = 1)`;

/**
 * The titles of those of `ids` that are visible now, read by id: what a meeting's or a lead's
 * lines need, whatever the size of the library.
 */
export function visibleTitles(db: ReadDb, visibility: Visibility, ids: Iterable<string>): Map<string, string> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const rows = db
    .prepare(
      `SELECT i.id, i.title FROM items i JOIN releases r ON r.id = i.release_id AND r.state = 'current'
        WHERE i.id IN (SELECT value FROM json_each(@ids)) AND ${VISIBLE}`,
    )
    .all({ ids: JSON.stringify(wanted), now: visibility.now, kioskOnly: visibility.kioskOnly ? 1 : 0 }) as {
    id: string;
    title: string;
  }[];
  return new Map(rows.map((row) => [row.id, row.title]));
}

/** The current release's id and version alone: what a hot path (a search, a blob) needs. */
export function currentReleaseId(db: ReadDb): { id: number; version: number } | null {
  const row = db.prepare(`SELECT id, version FROM releases WHERE state = 'current'`).get() as
    { id: number; version: number } | undefined;
  return row ?? null;
}

export function currentRelease(db: ReadDb): CurrentRelease | null {
  const row = db
    .prepare(
      `SELECT r.id, r.channel, r.version, r.published_at, r.expires_at, r.installed_at,
              (SELECT count(*) FROM items i WHERE i.release_id = r.id) AS item_count
         FROM releases r WHERE r.state = 'current'`,
    )
    .get() as ReleaseRow | undefined;
  if (!row) return null;
  return {
    id: row.id,
    channel: row.channel,
    version: row.version,
    publishedAt: row.published_at,
    expiresAt: row.expires_at,
    installedAt: row.installed_at,
    itemCount: row.item_count,
  };
}

export function toItem(row: ItemRow): ItemRecord {
  return {
    id: row.id,
    kind: row.kind,
    category: row.category,
    title: row.title,
    description: row.description,
    tags: JSON.parse(row.tags) as string[],
    products: JSON.parse(row.products) as string[],
    audiences: JSON.parse(row.audiences) as string[],
    collectionIds: row.collection_ids ? (JSON.parse(row.collection_ids) as string[]) : [],
    kiosk: row.kiosk === 1,
    pageCount: row.page_count,
    thumbnail:
      row.thumb_sha256 && row.thumb_size !== null && row.thumb_mime
        ? { sha256: row.thumb_sha256, size: row.thumb_size, mime: row.thumb_mime }
        : null,
    validUntil: row.valid_until,
    changedInVersion: row.changed_in_version,
    shareUrl: row.share_url,
    entry: row.entry,
  };
}

export const ITEM_SELECT = `
  SELECT i.id, i.kind, i.category, i.title, i.description, i.tags, i.products, i.audiences,
         i.valid_until, i.kiosk, i.page_count, i.share_url, i.entry, i.changed_in_version,
         (SELECT json_group_array(ic.collection_id) FROM item_collections ic
           WHERE ic.release_id = i.release_id AND ic.item_id = i.id) AS collection_ids,
         t.sha256 AS thumb_sha256, t.size AS thumb_size, t.mime AS thumb_mime
    FROM items i
    LEFT JOIN item_files t
      ON t.rowid = (SELECT f.rowid FROM item_files f
                     WHERE f.release_id = i.release_id AND f.item_id = i.id AND f.role = 'thumbnail'
                     LIMIT 1)`;

export function visibleItems(db: ReadDb, releaseId: number, visibility: Visibility): ItemRecord[] {
  const rows = db
    .prepare(`${ITEM_SELECT} WHERE i.release_id = @releaseId AND ${VISIBLE} ORDER BY i.position`)
    .all({ releaseId, now: visibility.now, kioskOnly: visibility.kioskOnly ? 1 : 0 }) as ItemRow[];
  return rows.map(toItem);
}

export function visibleItem(db: ReadDb, releaseId: number, id: string, visibility: Visibility): ItemRecord | null {
  const row = db
    .prepare(`${ITEM_SELECT} WHERE i.release_id = @releaseId AND i.id = @id AND ${VISIBLE}`)
    .get({ releaseId, id, now: visibility.now, kioskOnly: visibility.kioskOnly ? 1 : 0 }) as ItemRow | undefined;
  return row ? toItem(row) : null;
}

export function itemFiles(db: ReadDb, releaseId: number, itemId: string): ItemFileRecord[] {
  return (
    db
      .prepare(
        `SELECT role, sha256, size, mime, page, path FROM item_files
          WHERE release_id = ? AND item_id = ? ORDER BY role, page, path`,
      )
      .all(releaseId, itemId) as FileRow[]
  ).map((r) => ({ role: r.role, sha256: r.sha256, size: r.size, mime: r.mime, page: r.page, path: r.path }));
}

export function collections(db: ReadDb, releaseId: number, visibleIds: ReadonlySet<string>): CollectionView[] {
  const rows = db
    .prepare(
      `SELECT c.id, c.title, c.description,
              (SELECT json_group_array(item_id) FROM
                 (SELECT ic.item_id FROM item_collections ic
                   WHERE ic.release_id = c.release_id AND ic.collection_id = c.id ORDER BY ic.position)) AS item_ids
         FROM collections c WHERE c.release_id = ? ORDER BY c.position`,
    )
    .all(releaseId) as { id: string; title: string; description: string; item_ids: string }[];
  return rows
    .map((r) => ({
      id: r.id,
      title: r.title,
      description: r.description,
      itemIds: (JSON.parse(r.item_ids) as string[]).filter((id) => visibleIds.has(id)),
    }))
    .filter((c) => c.itemIds.length > 0);
}

export function glossary(db: ReadDb, releaseId: number): GlossaryEntry[] {
  const rows = db
    .prepare(`SELECT id, term, definition, aliases FROM glossary WHERE release_id = ? ORDER BY position`)
    .all(releaseId) as { id: string; term: string; definition: string; aliases: string }[];
  return rows.map((r) => ({
    id: r.id,
    term: r.term,
    definition: r.definition,
    aliases: JSON.parse(r.aliases) as string[],
  }));
}

/**
 * Every way the visible items of a release use one blob (role and MIME type of each file).
 * Expired items' files are not served even though their blobs may still be on disk.
 */
export function blobUses(
  db: ReadDb,
  releaseId: number,
  sha256: string,
  visibility: Visibility,
): { role: string; mime: string }[] {
  // Each way the blob is used, then whether a visible item uses it so: a cover shared by
  // thousands of items is one index walk and a first match, not a join over all of them.
  const ways = db
    .prepare(`SELECT DISTINCT role, mime FROM item_files WHERE sha256 = @sha256 AND release_id = @releaseId`)
    .all({ sha256, releaseId }) as { role: string; mime: string }[];
  const visibleUse = db.prepare(
    `SELECT 1 FROM item_files f
       JOIN items i ON i.release_id = f.release_id AND i.id = f.item_id
      WHERE f.sha256 = @sha256 AND f.release_id = @releaseId AND f.role = @role AND f.mime = @mime AND ${VISIBLE}
      LIMIT 1`,
  );
  const args = { sha256, releaseId, now: visibility.now, kioskOnly: visibility.kioskOnly ? 1 : 0 };
  return ways.filter((way) => visibleUse.get({ ...args, role: way.role, mime: way.mime }) !== undefined);
}

export function siteFile(
  db: ReadDb,
  releaseId: number,
  itemId: string,
  sitePath: string,
  visibility: Visibility,
): { sha256: string; mime: string } | null {
  const row = db
    .prepare(
      `SELECT f.sha256, f.mime FROM item_files f
         JOIN items i ON i.release_id = f.release_id AND i.id = f.item_id
        WHERE f.release_id = @releaseId AND f.item_id = @itemId AND f.role = 'site' AND f.path = @sitePath
          AND i.kind = 'microsite' AND ${VISIBLE}`,
    )
    .get({ releaseId, itemId, sitePath, now: visibility.now, kioskOnly: visibility.kioskOnly ? 1 : 0 }) as
    { sha256: string; mime: string } | undefined;
  return row ?? null;
}

export interface SearchableItemRow {
  id: string;
  kind: ItemKind;
  category: string | null;
  title: string;
  description: string;
  tags: string[];
  products: string[];
  collections: string[];
  collectionTitles: string[];
  validFrom: string | null;
  validUntil: string | null;
  kiosk: boolean;
  contentHash: string;
  /** The blob holding the text of every page, if the release has one for this item. */
  textSha256: string | null;
}

/** Every item of a release as search indexes it; validity is applied at query time. */
export function searchableItems(db: ReadDb, releaseId: number): SearchableItemRow[] {
  const rows = db
    .prepare(
      `SELECT i.id, i.kind, i.category, i.title, i.description, i.tags, i.products, i.valid_from, i.valid_until,
              i.kiosk, i.content_hash,
              (SELECT json_group_array(ic.collection_id) FROM item_collections ic
                WHERE ic.release_id = i.release_id AND ic.item_id = i.id) AS collections,
              (SELECT json_group_array(c.title) FROM item_collections ic JOIN collections c
                 ON c.release_id = ic.release_id AND c.id = ic.collection_id
                WHERE ic.release_id = i.release_id AND ic.item_id = i.id) AS collection_titles,
              (SELECT f.sha256 FROM item_files f WHERE f.release_id = i.release_id AND f.item_id = i.id AND f.role = 'text' LIMIT 1) AS text_sha256
         FROM items i WHERE i.release_id = ? ORDER BY i.position`,
    )
    .all(releaseId) as {
    id: string;
    kind: ItemKind;
    category: string | null;
    title: string;
    description: string;
    tags: string;
    products: string;
    valid_from: string | null;
    valid_until: string | null;
    kiosk: number;
    content_hash: string;
    collections: string;
    collection_titles: string;
    text_sha256: string | null;
  }[];
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    category: r.category,
    title: r.title,
    description: r.description,
    tags: JSON.parse(r.tags) as string[],
    products: JSON.parse(r.products) as string[],
    collections: JSON.parse(r.collections) as string[],
    collectionTitles: JSON.parse(r.collection_titles) as string[],
    validFrom: r.valid_from,
    validUntil: r.valid_until,
    kiosk: r.kiosk === 1,
    contentHash: r.content_hash,
    textSha256: r.text_sha256,
  }));
}

export function releaseKey(db: ReadDb, releaseId: number): string | null {
  const row = db.prepare(`SELECT manifest_sha256 FROM releases WHERE id = ?`).get(releaseId) as
    { manifest_sha256: string } | undefined;
  return row?.manifest_sha256 ?? null;
}

/** The attract loop the current release asks for. */
export function attractLoop(db: ReadDb, releaseId: number): { itemIds: string[]; secondsPerItem: number } {
  const row = db.prepare(`SELECT attract_items, attract_seconds FROM releases WHERE id = ?`).get(releaseId) as
    { attract_items: string; attract_seconds: number } | undefined;
  return row
    ? { itemIds: JSON.parse(row.attract_items) as string[], secondsPerItem: row.attract_seconds }
    : { itemIds: [], secondsPerItem: 8 };
}
