import type { Manifest } from '#shared/manifest';
import type { ReadDb, WriteDb } from '../storage/database.ts';

/** The write side of releases: stage a manifest's rows, switch the current release, forget old ones. */

export interface StagedItem {
  contentHash: string;
}

export function currentVersionFor(db: WriteDb): { id: number; channel: string; version: number } | null {
  return (
    (db.prepare(`SELECT id, channel, version FROM releases WHERE state = 'current'`).get() as
      { id: number; channel: string; version: number } | undefined) ?? null
  );
}

/** The highest version of `channel` this device has installed or verified, whatever it runs now. */
export function highestVersionSeen(db: WriteDb, channel: string): number | null {
  const row = db.prepare(`SELECT version FROM channel_highest_versions WHERE channel = ?`).get(channel) as
    { version: number } | undefined;
  return row?.version ?? null;
}

/** Remembers a verified version of a channel; a lower one never replaces a higher one. */
export function recordVersionSeen(db: WriteDb, channel: string, version: number): void {
  db.prepare(
    `INSERT INTO channel_highest_versions (channel, version) VALUES (?, ?)
     ON CONFLICT (channel) DO UPDATE SET version = max(version, excluded.version)`,
  ).run(channel, version);
}

function normaliseDate(value: string | undefined): string | null {
  return value === undefined ? null : new Date(value).toISOString();
}

/**
 * Inserts the release and all its rows as `staged`, then makes it current and drops every
 * other release, in ONE transaction: a crash at any point leaves the old or the new release.
 * With `keepPrevious`, the release it replaces stays, `retired`, until the new one's files are
 * settled on disk (see settle.ts): a power cut before then rolls back to it.
 */
export function stageAndSwitch(
  db: WriteDb,
  manifest: Manifest,
  manifestSha256: string,
  contentHashes: ReadonlyMap<string, string>,
  installedAt: string,
  keepPrevious = false,
): number {
  return db
    .transaction(() => {
      // At most one release waits in retirement: the one this switch replaces.
      db.prepare(`DELETE FROM releases WHERE state = 'retired'`).run();
      const previous = currentVersionFor(db);
      const previousChanged = new Map<string, { hash: string; version: number }>();
      if (previous) {
        for (const row of db
          .prepare(`SELECT id, content_hash, changed_in_version FROM items WHERE release_id = ?`)
          .all(previous.id) as { id: string; content_hash: string; changed_in_version: number }[]) {
          previousChanged.set(row.id, { hash: row.content_hash, version: row.changed_in_version });
        }
      }
      // A re-install of a version we once had but dropped (e.g. a failed earlier switch).
      db.prepare(`DELETE FROM releases WHERE channel = ? AND version = ? AND state != 'current'`).run(
        manifest.channel,
        manifest.version,
      );

      const releaseId = Number(
        db
          .prepare(
            `INSERT INTO releases (channel, version, published_at, expires_at, manifest_sha256, installed_at, state, attract_items, attract_seconds)
             VALUES (?, ?, ?, ?, ?, ?, 'staged', ?, ?)`,
          )
          .run(
            manifest.channel,
            manifest.version,
            normaliseDate(manifest.publishedAt),
            normaliseDate(manifest.expiresAt),
            manifestSha256,
            installedAt,
            JSON.stringify(manifest.attract?.items ?? []),
            manifest.attract?.secondsPerItem ?? 8,
          ).lastInsertRowid,
      );

      const insertCollection = db.prepare(
        `INSERT INTO collections (release_id, id, title, description, position) VALUES (?, ?, ?, ?, ?)`,
      );
      manifest.collections.forEach((c, i) => insertCollection.run(releaseId, c.id, c.title, c.description, i));

      const insertItem = db.prepare(
        `INSERT INTO items (release_id, id, position, kind, category, title, description, tags, products, audiences,
                            valid_from, valid_until, kiosk, page_count, share_url, entry, content_hash, changed_in_version)
         VALUES (@releaseId, @id, @position, @kind, @category, @title, @description, @tags, @products, @audiences,
                 @validFrom, @validUntil, @kiosk, @pageCount, @shareUrl, @entry, @contentHash, @changedInVersion)`,
      );
      const insertMembership = db.prepare(
        `INSERT INTO item_collections (release_id, collection_id, item_id, position) VALUES (?, ?, ?, ?)`,
      );
      const insertFile = db.prepare(
        `INSERT INTO item_files (release_id, item_id, role, sha256, size, mime, page, path) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const memberships = new Map<string, number>();
      manifest.items.forEach((item, position) => {
        const contentHash = contentHashes.get(item.id) ?? '';
        const before = previousChanged.get(item.id);
        insertItem.run({
          releaseId,
          id: item.id,
          position,
          kind: item.kind,
          category: item.category ?? null,
          title: item.title,
          description: item.description,
          tags: JSON.stringify(item.tags),
          products: JSON.stringify(item.products),
          audiences: JSON.stringify(item.audiences),
          validFrom: normaliseDate(item.validFrom),
          validUntil: normaliseDate(item.validUntil),
          kiosk: item.kiosk ? 1 : 0,
          pageCount: item.pageCount ?? null,
          shareUrl: item.shareUrl ?? null,
          entry: item.entry ?? null,
          contentHash,
          changedInVersion: before && before.hash === contentHash ? before.version : manifest.version,
        });
        for (const collectionId of item.collections) {
          const n = memberships.get(collectionId) ?? 0;
          memberships.set(collectionId, n + 1);
          insertMembership.run(releaseId, collectionId, item.id, n);
        }
        for (const file of item.files) {
          insertFile.run(
            releaseId,
            item.id,
            file.role,
            file.sha256,
            file.size,
            file.mime,
            file.page ?? null,
            file.path ?? null,
          );
        }
      });

      const insertTerm = db.prepare(
        `INSERT INTO glossary (release_id, id, term, definition, aliases, position) VALUES (?, ?, ?, ?, ?, ?)`,
      );
      manifest.glossary.forEach((g, i) =>
        insertTerm.run(releaseId, g.id, g.term, g.definition, JSON.stringify(g.aliases), i),
      );

      const insertPrompt = db.prepare(
        `INSERT INTO practice_prompts (release_id, id, title, item_id, page, term_id, key_messages, time_limit_seconds, position)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      (manifest.practice ?? []).forEach((p, i) =>
        insertPrompt.run(
          releaseId,
          p.id,
          p.title,
          p.item ?? null,
          p.page ?? null,
          p.term ?? null,
          JSON.stringify(p.keyMessages),
          p.timeLimitSeconds,
          i,
        ),
      );

      const insertQuiz = db.prepare(
        `INSERT INTO quizzes (release_id, id, title, kind, item_id, term_id, pass_percent, revision, questions, position)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      (manifest.quizzes ?? []).forEach((q, i) =>
        insertQuiz.run(
          releaseId,
          q.id,
          q.title,
          q.kind,
          q.item ?? null,
          q.term ?? null,
          q.passPercent,
          q.revision,
          JSON.stringify(q.questions),
          i,
        ),
      );

      recordVersionSeen(db, manifest.channel, manifest.version);
      db.prepare(`UPDATE releases SET state = 'retired' WHERE state = 'current'`).run();
      db.prepare(`UPDATE releases SET state = 'current' WHERE id = ?`).run(releaseId);
      db.prepare(
        keepPrevious ? `DELETE FROM releases WHERE state = 'staged'` : `DELETE FROM releases WHERE state != 'current'`,
      ).run();
      return releaseId;
    })
    .immediate();
}

/**
 * Indexes a verified blob. `settled`: its bytes are known to be on disk (fsynced); an unsettled
 * one is verified again after a crash before it is trusted (see settle.ts).
 */
export function recordBlob(db: WriteDb, sha256: string, size: number, storedAt: string, settled = true): void {
  db.prepare(
    `INSERT INTO blobs (sha256, size, stored_at, settled) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING`,
  ).run(sha256, size, storedAt, settled ? 1 : 0);
}

/** Blobs the current release, and one retired but not yet let go, reference; everything else may be collected. */
export function referencedBlobs(db: WriteDb): Set<string> {
  const rows = db
    .prepare(
      `SELECT DISTINCT f.sha256 FROM item_files f JOIN releases r ON r.id = f.release_id WHERE r.state IN ('current', 'retired')`,
    )
    .all() as { sha256: string }[];
  return new Set(rows.map((r) => r.sha256));
}

/** Unsettled blobs the current release references (those of any other release are just collected). */
export function unsettledBlobs(db: WriteDb): { sha256: string; size: number }[] {
  return db
    .prepare(
      `SELECT b.sha256, b.size FROM blobs b
        WHERE b.settled = 0
          AND EXISTS (SELECT 1 FROM item_files f JOIN releases r ON r.id = f.release_id WHERE r.state = 'current' AND f.sha256 = b.sha256)`,
    )
    .all() as { sha256: string; size: number }[];
}

/** A release replaced by a switch whose files are not all settled yet. */
export function hasRetired(db: WriteDb): boolean {
  return db.prepare(`SELECT 1 FROM releases WHERE state = 'retired' LIMIT 1`).get() !== undefined;
}

/** The current release's files are all on disk: the one it replaced can go. */
export function markSettled(db: WriteDb): void {
  db.transaction(() => {
    db.prepare(`UPDATE blobs SET settled = 1 WHERE settled = 0`).run();
    db.prepare(`DELETE FROM releases WHERE state = 'retired'`).run();
  })();
}

/**
 * The current release lost files before they were settled (a power cut): the retired release
 * becomes current again, as if the switch had never happened, or, without one, the device has
 * no release (the embedded one, if any, is installed again). Unsettled rows are forgotten.
 * Returns the version now current, or null.
 */
export function rollBack(db: WriteDb): { channel: string; version: number } | null {
  return db.transaction(() => {
    db.prepare(`DELETE FROM releases WHERE state = 'current'`).run();
    db.prepare(`UPDATE releases SET state = 'current' WHERE state = 'retired'`).run();
    db.prepare(`DELETE FROM blobs WHERE settled = 0`).run();
    const now = currentVersionFor(db);
    return now ? { channel: now.channel, version: now.version } : null;
  })();
}

export function forgetBlobsExcept(db: WriteDb, keep: ReadonlySet<string>): void {
  const all = db.prepare(`SELECT sha256 FROM blobs`).all() as { sha256: string }[];
  const remove = db.prepare(`DELETE FROM blobs WHERE sha256 = ?`);
  db.transaction(() => {
    for (const { sha256 } of all) if (!keep.has(sha256)) remove.run(sha256);
  })();
}

export function knownBlobs(db: WriteDb): Map<string, number> {
  const rows = db.prepare(`SELECT sha256, size FROM blobs`).all() as { sha256: string; size: number }[];
  return new Map(rows.map((r) => [r.sha256, r.size]));
}

/** Item content hashes and titles of a release, to tell added/updated/removed apart. */
export function itemHashes(db: WriteDb, releaseId: number): Map<string, { hash: string; title: string }> {
  const rows = db.prepare(`SELECT id, content_hash, title FROM items WHERE release_id = ?`).all(releaseId) as {
    id: string;
    content_hash: string;
    title: string;
  }[];
  return new Map(rows.map((r) => [r.id, { hash: r.content_hash, title: r.title }]));
}

/**
 * Items of the current release changed after the version the rep last saw (valid ones only).
 * A rep who never looked, or looked at another channel, has seen nothing of this one yet, but
 * a fresh device shows nothing as new: the first release it installs is the baseline.
 */
export function newItemCount(
  db: ReadDb,
  seen: { channel: string; version: number } | null,
  now: string,
  kioskOnly = false,
): number {
  const current = db.prepare(`SELECT id, channel, version FROM releases WHERE state = 'current'`).get() as
    { id: number; channel: string; version: number } | undefined;
  if (!current || !seen || seen.channel !== current.channel) return 0;
  return (
    db
      .prepare(
        `SELECT count(*) AS n FROM items WHERE release_id = ? AND changed_in_version > ?
           AND (valid_from IS NULL OR valid_from <= ?) AND (valid_until IS NULL OR valid_until > ?) AND (? = 0 OR kiosk = 1)`,
      )
      .get(current.id, seen.version, now, now, kioskOnly ? 1 : 0) as { n: number }
  ).n;
}
