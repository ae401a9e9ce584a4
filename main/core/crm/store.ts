import type { CrmImportRecord, CrmKind, CrmRecord, CrmSource, CrmSourceStatus } from '#shared/crm';
import type { ReadDb, WriteDb } from '../storage/database.ts';

/** SQL of the CRM cache: records by kind, typeahead, and when each source last filled it. */

interface RecordRow {
  kind: CrmKind;
  crm_id: string;
  source: CrmSource;
  name: string;
  email: string;
  title: string;
  stage: string;
  account_id: string | null;
  account_name: string;
  cached_at: string;
}

const toRecord = (r: RecordRow): CrmRecord => ({
  kind: r.kind,
  id: r.crm_id,
  name: r.name,
  email: r.email,
  title: r.title,
  stage: r.stage,
  accountId: r.account_id,
  accountName: r.account_name,
  source: r.source,
  cachedAt: r.cached_at,
});

function writeRecords(db: WriteDb, source: CrmSource, records: readonly CrmImportRecord[], at: string): void {
  const upsert = db.prepare(
    `INSERT INTO crm_records (kind, crm_id, source, name, email, title, stage, account_id, account_name, cached_at)
     VALUES (@kind, @id, @source, @name, @email, @title, @stage, @accountId, @accountName, @at)
     ON CONFLICT (kind, crm_id) DO UPDATE SET source = excluded.source, name = excluded.name, email = excluded.email,
       title = excluded.title, stage = excluded.stage, account_id = excluded.account_id,
       account_name = excluded.account_name, cached_at = excluded.cached_at`,
  );
  for (const r of records) upsert.run({ ...r, source, at });
}

function markFilled(db: WriteDb, source: CrmSource, at: string): void {
  db.prepare(
    `INSERT INTO crm_sources (source, cached_at, attempted_at, last_error) VALUES (?, ?, ?, NULL)
     ON CONFLICT (source) DO UPDATE SET cached_at = excluded.cached_at, attempted_at = excluded.attempted_at, last_error = NULL`,
  ).run(source, at, at);
}

/**
 * Replaces every record of one source with a complete snapshot, in one transaction: a record
 * deleted or no longer visible in the CRM leaves the picker, and a failed fetch changes nothing.
 */
export function replaceSource(db: WriteDb, source: CrmSource, records: readonly CrmImportRecord[], at: string): void {
  db.transaction(() => {
    db.prepare(`DELETE FROM crm_records WHERE source = ?`).run(source);
    writeRecords(db, source, records, at);
    markFilled(db, source, at);
  })();
}

/** Adds or updates records from a file; all or nothing. */
export function mergeRecords(db: WriteDb, source: CrmSource, records: readonly CrmImportRecord[], at: string): void {
  db.transaction(() => {
    writeRecords(db, source, records, at);
    markFilled(db, source, at);
  })();
}

export function recordFailure(db: WriteDb, source: CrmSource, at: string, message: string): void {
  db.prepare(
    `INSERT INTO crm_sources (source, cached_at, attempted_at, last_error) VALUES (?, NULL, ?, ?)
     ON CONFLICT (source) DO UPDATE SET attempted_at = excluded.attempted_at, last_error = excluded.last_error`,
  ).run(source, at, message.slice(0, 500));
}

export function sourceStatuses(db: ReadDb | WriteDb): (CrmSourceStatus & { attemptedAt: string | null })[] {
  const rows = db
    .prepare(`SELECT source, cached_at, attempted_at, last_error FROM crm_sources ORDER BY source`)
    .all() as {
    source: CrmSource;
    cached_at: string | null;
    attempted_at: string | null;
    last_error: string | null;
  }[];
  return rows.map((r) => ({
    source: r.source,
    cachedAt: r.cached_at,
    attemptedAt: r.attempted_at,
    lastError: r.last_error && r.attempted_at ? { at: r.attempted_at, message: r.last_error } : null,
  }));
}

export function recordCounts(db: ReadDb | WriteDb): Record<CrmKind, number> {
  const counts: Record<CrmKind, number> = { account: 0, contact: 0, opportunity: 0 };
  for (const r of db.prepare(`SELECT kind, count(*) AS n FROM crm_records GROUP BY kind`).all() as {
    kind: CrmKind;
    n: number;
  }[])
    counts[r.kind] = r.n;
  return counts;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Typeahead: every word of the query must appear in the name, e-mail, title, stage or account
 * name. Names that start with the query come first, then records of the account already
 * picked, then the rest by name.
 */
export function searchRecords(
  db: ReadDb | WriteDb,
  kind: CrmKind,
  query: string,
  accountId: string | null,
  limit: number,
): CrmRecord[] {
  const words = query.trim().split(/\s+/).filter(Boolean).slice(0, 6);
  const conditions = words.map(
    () => `(name || ' ' || email || ' ' || title || ' ' || stage || ' ' || account_name) LIKE ? ESCAPE '\\'`,
  );
  const sql = `SELECT * FROM crm_records WHERE kind = ?${conditions.map((c) => ` AND ${c}`).join('')}
    ORDER BY (name LIKE ? ESCAPE '\\') DESC, (? IS NOT NULL AND (account_id = ? OR crm_id = ?)) DESC, name COLLATE NOCASE, crm_id
    LIMIT ?`;
  const prefix = `${escapeLike(query.trim())}%`;
  const rows = db
    .prepare(sql)
    .all(
      kind,
      ...words.map((w) => `%${escapeLike(w)}%`),
      prefix,
      accountId,
      accountId,
      accountId,
      limit,
    ) as RecordRow[];
  return rows.map(toRecord);
}
