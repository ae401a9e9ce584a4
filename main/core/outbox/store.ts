import { z } from 'zod';
import type { RecordSource } from '#shared/fleet';
import type { ReadDb, WriteDb } from '../storage/database.ts';
import { defineSetting, getSetting, putSetting, type SettingReport } from '../storage/settings.ts';

/** SQL of the outbox: rows waiting for an endpoint, attempts, acknowledgements. */

export interface OutboxRow {
  id: number;
  kind: string;
  idempotencyKey: string;
  payload: unknown;
  createdAt: string;
  attempts: number;
  /** Who and what made it, stamped when it was made; null for rows of older versions. */
  source?: RecordSource | null;
}

/**
 * Kinds only Studio takes (no CRM or file shape exists for them): they are made only while the
 * device is enrolled, and never wait for a destination of "Where records go".
 */
export const STUDIO_ONLY_KINDS = ['search-miss', 'device-status', 'quiz-attempt', 'practice-recording'] as const;
const studioOnly = JSON.stringify(STUDIO_ONLY_KINDS);

/** Rows not yet acknowledged by their endpoint (Studio's own lane is counted by the fleet). */
export function pendingOutboxCount(db: ReadDb | WriteDb): number {
  return (
    db
      .prepare(
        `SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL AND kind NOT IN (SELECT value FROM json_each(?))`,
      )
      .get(studioOnly) as { n: number }
  ).n;
}

/**
 * How records are stamped as they are made, per profile database: the source (device, rep or
 * booth, team, app and release version) and whether Studio takes them. The fleet capability
 * sets it; a profile without one makes records without a source, as before.
 */
export interface RecordStamp {
  source(): RecordSource;
  /** The device is enrolled and not revoked: the record also goes to Studio. */
  toStudio(kind: string): boolean;
}
const stamps = new WeakMap<WriteDb, RecordStamp>();

export function stampRecordsWith(db: WriteDb, stamp: RecordStamp): () => void {
  stamps.set(db, stamp);
  return () => {
    if (stamps.get(db) === stamp) stamps.delete(db);
  };
}

/**
 * Adds a row. Call it inside the transaction that writes the state the row describes, so the
 * two are committed together or not at all. A repeated key is ignored (the row exists). The
 * row is stamped with its source now, and joins Studio's lane while the device is enrolled.
 */
export function enqueue(
  db: WriteDb,
  row: { kind: string; idempotencyKey: string; payload: unknown; createdAt: string },
): void {
  const stamp = stamps.get(db);
  const inserted = db
    .prepare(
      `INSERT INTO outbox (kind, idempotency_key, payload, created_at, source) VALUES (?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
    )
    .run(
      row.kind,
      row.idempotencyKey,
      JSON.stringify(row.payload),
      row.createdAt,
      stamp ? JSON.stringify(stamp.source()) : null,
    );
  if (inserted.changes === 1 && stamp?.toStudio(row.kind))
    db.prepare(`INSERT INTO outbox_studio (outbox_id) VALUES (?)`).run(inserted.lastInsertRowid);
  announceQueued(db);
}

/**
 * Who wants to know that records were queued (the Uploads card, through `delivery.status`).
 * enqueue runs inside its caller's transaction, which better-sqlite3 runs synchronously: a
 * microtask runs once that transaction has ended, so listeners hear once per burst, after the
 * commit (or after a rollback, when re-reading the status simply finds nothing new).
 */
const queuedListeners = new WeakMap<WriteDb, Set<() => void>>();
const announcing = new WeakSet<WriteDb>();

export function onQueued(db: WriteDb, listener: () => void): () => void {
  const listeners = queuedListeners.get(db) ?? new Set();
  queuedListeners.set(db, listeners);
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function announceQueued(db: WriteDb): void {
  if (announcing.has(db) || !queuedListeners.get(db)?.size) return;
  announcing.add(db);
  queueMicrotask(() => {
    announcing.delete(db);
    // The database may have closed since (a listener then finds nothing to read): never thrown
    // out of a microtask, where nobody could catch it.
    if (!db.open) return;
    for (const listener of queuedListeners.get(db) ?? []) {
      try {
        listener();
      } catch {
        // A listener's failure is its own; the record is queued either way.
      }
    }
  });
}

const rowColumns = `id, kind, idempotency_key, payload, created_at, attempts, source`;
export type RawRow = {
  id: number;
  kind: string;
  idempotency_key: string;
  payload: string;
  created_at: string;
  attempts: number;
  source: string | null;
};
export const toRow = (r: RawRow): OutboxRow => ({
  id: r.id,
  kind: r.kind,
  idempotencyKey: r.idempotency_key,
  payload: JSON.parse(r.payload) as unknown,
  createdAt: r.created_at,
  attempts: r.attempts,
  source: r.source === null ? null : (JSON.parse(r.source) as RecordSource),
});

/**
 * The oldest due rows of one kind that belong to no batch yet (a connector receives one shape
 * per batch), among the kinds that have somewhere to go.
 */
export function dueRows(db: WriteDb, now: string, limit: number, kinds: readonly string[]): OutboxRow[] {
  if (kinds.length === 0) return [];
  const kindList = JSON.stringify(kinds);
  const first = db
    .prepare(
      `SELECT kind FROM outbox WHERE sent_at IS NULL AND batch_key IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
          AND kind IN (SELECT value FROM json_each(?)) ORDER BY next_attempt_at, id LIMIT 1`,
    )
    .get(now, kindList) as { kind: string } | undefined;
  if (!first) return [];
  const rows = db
    .prepare(
      `SELECT ${rowColumns} FROM outbox
        WHERE sent_at IS NULL AND batch_key IS NULL AND kind = ? AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
        ORDER BY next_attempt_at, id LIMIT ?`,
    )
    .all(first.kind, now, limit) as RawRow[];
  return rows.map(toRow);
}

/**
 * A batch already attempted and not yet acknowledged, due again, among the kinds that have
 * somewhere to go: its key and every one of its rows, in their order. It goes out before any new
 * batch is formed, so a record is only ever sent under the one key it was first sent with.
 */
export function dueBatch(
  db: WriteDb,
  now: string,
  kinds: readonly string[],
): { key: string; kind: string; rows: OutboxRow[] } | null {
  if (kinds.length === 0) return null;
  const open = db
    .prepare(
      `SELECT batch_key AS key, kind FROM outbox WHERE sent_at IS NULL AND batch_key IS NOT NULL AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
          AND kind IN (SELECT value FROM json_each(?)) ORDER BY next_attempt_at, id LIMIT 1`,
    )
    .get(now, JSON.stringify(kinds)) as { key: string; kind: string } | undefined;
  if (!open) return null;
  const rows = db
    .prepare(`SELECT ${rowColumns} FROM outbox WHERE batch_key = ? AND sent_at IS NULL ORDER BY id`)
    .all(open.key) as RawRow[];
  return { key: open.key, kind: open.kind, rows: rows.map(toRow) };
}

/**
 * Makes rows one batch under `key`, committed before the batch is sent: should the app stop
 * before the endpoint's answer is recorded, the next attempt sends exactly these rows under
 * exactly this key (a folder replaces the same file), even when new rows would have made
 * another batch.
 */
export function formBatch(db: WriteDb, key: string, ids: readonly number[]): void {
  const mark = db.prepare(`UPDATE outbox SET batch_key = ? WHERE id = ? AND sent_at IS NULL AND batch_key IS NULL`);
  db.transaction(() => {
    for (const id of ids) mark.run(key, id);
  })();
}

export function markSent(db: WriteDb, ids: readonly number[], at: string): void {
  const update = db.prepare(`UPDATE outbox SET sent_at = ?, last_error = NULL WHERE id = ? AND sent_at IS NULL`);
  for (const id of ids) update.run(at, id);
}

export function markFailed(
  db: WriteDb,
  ids: readonly number[],
  error: string,
  nextAttemptAt: (attempts: number) => string,
): void {
  const select = db.prepare(`SELECT attempts FROM outbox WHERE id = ?`);
  const update = db.prepare(
    `UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ? AND sent_at IS NULL`,
  );
  db.transaction(() => {
    for (const id of ids) {
      const row = select.get(id) as { attempts: number } | undefined;
      if (!row) continue;
      const attempts = row.attempts + 1;
      update.run(attempts, nextAttemptAt(attempts), error.slice(0, 500), id);
    }
  })();
}

/** Rows not yet acknowledged, by kind (lead, meeting, event, followup). */
export function pendingOutboxByKind(db: ReadDb | WriteDb): Record<string, number> {
  const rows = db
    .prepare(
      `SELECT kind, count(*) AS n FROM outbox WHERE sent_at IS NULL AND kind NOT IN (SELECT value FROM json_each(?)) GROUP BY kind`,
    )
    .all(studioOnly) as {
    kind: string;
    n: number;
  }[];
  return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
}

/** "Retry now": every waiting row is due at once, whatever its backoff said. */
export function makeAllDue(db: WriteDb): void {
  db.prepare(`UPDATE outbox SET next_attempt_at = NULL WHERE sent_at IS NULL AND next_attempt_at IS NOT NULL`).run();
}

/**
 * How uploads went, kept in the settings table so the sync-health panel can say when the last
 * batch got through and what the endpoint answered last time one did not. The rows themselves
 * only know their latest error, not when it happened, and a delivered row forgets it.
 */
export interface DeliveryHealth {
  lastSuccessAt: string | null;
  lastError: { at: string; kind: string; message: string } | null;
}

const healthSetting = defineSetting<DeliveryHealth>(
  'outbox.health',
  z.object({
    lastSuccessAt: z.string().nullable().default(null),
    lastError: z.object({ at: z.string(), kind: z.string(), message: z.string() }).nullable().default(null),
  }),
  { lastSuccessAt: null, lastError: null },
);

/** A health record that does not parse is reported here; the app's log when the core set one. */
let healthReport: SettingReport = { warn: () => undefined };
export function reportHealthTo(report: SettingReport): void {
  healthReport = report;
}

export function deliveryHealth(db: ReadDb | WriteDb): DeliveryHealth {
  return getSetting(db, healthSetting, healthReport);
}

/**
 * A batch got a 2xx. The last failure stays on record while some waiting row still carries an
 * error (one kind's endpoint may keep failing while another's works); once none does, it clears.
 */
export function recordDeliverySuccess(db: WriteDb, at: string): void {
  const stillFailing =
    db.prepare(`SELECT 1 FROM outbox WHERE sent_at IS NULL AND last_error IS NOT NULL LIMIT 1`).get() !== undefined;
  const health = deliveryHealth(db);
  putSetting(db, healthSetting, { lastSuccessAt: at, lastError: stillFailing ? health.lastError : null });
}

export function recordDeliveryFailure(db: WriteDb, error: { at: string; kind: string; message: string }): void {
  putSetting(db, healthSetting, {
    ...deliveryHealth(db),
    lastError: { ...error, message: error.message.slice(0, 500) },
  });
}

/**
 * The last failure: the one on record, else (a profile from before failures were recorded) the
 * error of the newest waiting row, whose time is unknown.
 */
export function lastOutboxError(db: ReadDb | WriteDb): { at: string | null; message: string; kind?: string } | null {
  const recorded = deliveryHealth(db).lastError;
  if (recorded) return recorded;
  const row = db
    .prepare(
      `SELECT kind, last_error FROM outbox WHERE sent_at IS NULL AND last_error IS NOT NULL ORDER BY id DESC LIMIT 1`,
    )
    .get() as { kind: string; last_error: string } | undefined;
  return row ? { at: null, kind: row.kind, message: row.last_error } : null;
}

/** When a batch last got through: on record, or the newest acknowledged row still kept. */
export function lastDeliveryAt(db: ReadDb | WriteDb): string | null {
  const kept = (db.prepare(`SELECT max(sent_at) AS at FROM outbox`).get() as { at: string | null }).at;
  const recorded = deliveryHealth(db).lastSuccessAt;
  if (!kept || !recorded) return kept ?? recorded;
  return recorded > kept ? recorded : kept;
}
