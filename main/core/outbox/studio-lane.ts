import { createHash } from 'node:crypto';
import type { FleetRecord, RecordSource } from '#shared/fleet';
import type { ReadDb, WriteDb } from '../storage/database.ts';
import type { Clock, Log } from '../types.ts';
import type { Transport } from './connectors/connector.ts';
import { DeviceRevokedError, studioConnector, type StudioEndpoint } from './connectors/studio.ts';
import { withoutPersonalData } from './redact.ts';
import { toRow, type OutboxRow, type RawRow } from './store.ts';

/**
 * Studio's lane of the outbox (table outbox_studio): the same rules as the outbox itself — a
 * batch once formed is kept and sent again under the same Idempotency-Key until Studio answers,
 * a row is marked sent only after a 2xx, a failure backs off — plus Studio's own answers: a
 * record it refuses is marked refused with its reason and never sent again, and 403 revoked
 * stops the lane for good (the rows stay on the device).
 */
const laneColumns = `o.id, o.kind, o.idempotency_key, o.payload, o.created_at, s.attempts, o.source`;

export function studioPendingCount(db: ReadDb | WriteDb): number {
  return (
    db.prepare(`SELECT count(*) AS n FROM outbox_studio WHERE sent_at IS NULL AND refused IS NULL`).get() as {
      n: number;
    }
  ).n;
}

export function studioRefusedCount(db: ReadDb | WriteDb): number {
  return (db.prepare(`SELECT count(*) AS n FROM outbox_studio WHERE refused IS NOT NULL`).get() as { n: number }).n;
}

/** Studio's state of one outbox row: absent when the row was made while not enrolled. */
export function studioStateOf(
  db: ReadDb | WriteDb,
  outboxId: number,
): { sentAt: string | null; refused: string | null } | null {
  const row = db.prepare(`SELECT sent_at, refused FROM outbox_studio WHERE outbox_id = ?`).get(outboxId) as
    { sent_at: string | null; refused: string | null } | undefined;
  return row ? { sentAt: row.sent_at, refused: row.refused } : null;
}

function openBatch(db: WriteDb, now: string): { key: string; rows: OutboxRow[] } | null {
  const open = db
    .prepare(
      `SELECT batch_key AS key FROM outbox_studio WHERE sent_at IS NULL AND refused IS NULL AND batch_key IS NOT NULL
         AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY next_attempt_at, outbox_id LIMIT 1`,
    )
    .get(now) as { key: string } | undefined;
  if (!open) return null;
  const rows = db
    .prepare(
      `SELECT ${laneColumns} FROM outbox_studio s JOIN outbox o ON o.id = s.outbox_id
        WHERE s.batch_key = ? AND s.sent_at IS NULL AND s.refused IS NULL ORDER BY o.id`,
    )
    .all(open.key) as RawRow[];
  return { key: open.key, rows: rows.map(toRow) };
}

function newBatch(
  db: WriteDb,
  now: string,
  limit: number,
  fileKind: string | null,
): { key: string; rows: OutboxRow[] } | null {
  const rows = (
    db
      .prepare(
        `SELECT ${laneColumns} FROM outbox_studio s JOIN outbox o ON o.id = s.outbox_id
          WHERE s.sent_at IS NULL AND s.refused IS NULL AND s.batch_key IS NULL AND o.kind IS NOT ?
            AND (s.next_attempt_at IS NULL OR s.next_attempt_at <= ?)
          ORDER BY s.next_attempt_at, s.outbox_id LIMIT ?`,
      )
      .all(fileKind, now, limit) as RawRow[]
  ).map(toRow);
  if (rows.length === 0) return null;
  const key = createHash('sha256')
    .update(['studio', ...rows.map((r) => r.idempotencyKey)].join('\n'))
    .digest('hex');
  // Committed before it is sent: after a crash the same rows go again under the same key.
  const mark = db.prepare(`UPDATE outbox_studio SET batch_key = ? WHERE outbox_id = ? AND batch_key IS NULL`);
  db.transaction(() => {
    for (const row of rows) mark.run(key, row.id);
  })();
  return { key, rows };
}

/** The oldest due row of the lane's file kind: such rows go one at a time, never in a batch. */
function dueFile(db: WriteDb, now: string, kind: string): OutboxRow | null {
  const row = db
    .prepare(
      `SELECT ${laneColumns} FROM outbox_studio s JOIN outbox o ON o.id = s.outbox_id
        WHERE s.sent_at IS NULL AND s.refused IS NULL AND o.kind = ?
          AND (s.next_attempt_at IS NULL OR s.next_attempt_at <= ?)
        ORDER BY s.next_attempt_at, s.outbox_id LIMIT 1`,
    )
    .get(kind, now) as RawRow | undefined;
  return row ? toRow(row) : null;
}

/**
 * A kind whose rows are files (a practice recording), uploaded one by one by its own protocol
 * after the batches. `send` resolves with a refusal (never retried) or null when Studio holds
 * the file, and throws to be retried with backoff (DeviceRevokedError stops the lane).
 */
export interface StudioFileKind {
  kind: string;
  send(row: OutboxRow, endpoint: StudioEndpoint, transport: Transport): Promise<{ refused: string | null }>;
  /** The row was refused, or failed and waits for its retry. */
  onOutcome?(row: OutboxRow, outcome: { refused: string } | { error: string }): void;
}

export interface StudioLaneOptions {
  /** Rows uploaded as files instead of batched records. */
  files?: StudioFileKind;
  db: WriteDb;
  clock: Clock;
  log: Log;
  /** Studio's ingest endpoint with the credential opened; null when not enrolled or revoked. */
  endpoint(): StudioEndpoint | null;
  /** The source of a row made before stamping existed (never, for rows of this lane, but typed). */
  fallbackSource(): RecordSource;
  /** What a row becomes on the wire (a lead's sealed fields are opened only here). */
  expand(row: OutboxRow): unknown;
  /** In the transaction that marks rows sent. */
  onSent?(rows: readonly OutboxRow[], at: string): void;
  /** Studio said 403 revoked. */
  onRevoked(at: string): void;
  transport: Transport;
  batchSize?: number;
  retryBaseMs?: number;
  maxBackoffMs?: number;
}

export interface StudioLaneReport {
  delivered: number;
  refused: number;
  failed: number;
  revoked: boolean;
  lastError: string | null;
}

export function createStudioLane(options: StudioLaneOptions) {
  const base = options.retryBaseMs ?? 30_000;
  const cap = options.maxBackoffMs ?? 60 * 60_000;
  const batchSize = Math.min(options.batchSize ?? studioConnector.maxBatch, studioConnector.maxBatch);
  let running: Promise<StudioLaneReport> | null = null;

  const toRecord = (row: OutboxRow, payload: unknown): FleetRecord => ({
    idempotencyKey: row.idempotencyKey,
    kind: row.kind,
    at: row.createdAt,
    source: row.source ?? options.fallbackSource(),
    payload,
  });

  function backOff(rows: readonly OutboxRow[], message: string): void {
    const select = options.db.prepare(`SELECT attempts FROM outbox_studio WHERE outbox_id = ?`);
    const update = options.db.prepare(
      `UPDATE outbox_studio SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE outbox_id = ? AND sent_at IS NULL`,
    );
    options.db.transaction(() => {
      for (const row of rows) {
        const attempts = ((select.get(row.id) as { attempts: number } | undefined)?.attempts ?? 0) + 1;
        const next = new Date(options.clock.now().getTime() + Math.min(cap, base * 2 ** (attempts - 1))).toISOString();
        update.run(attempts, next, message.slice(0, 500), row.id);
      }
    })();
  }

  /** After the batches: the files, one at a time, until none is due or one fails. */
  async function sendFiles(endpoint: StudioEndpoint, report: StudioLaneReport): Promise<StudioLaneReport> {
    const files = options.files;
    if (!files) return report;
    const tried = new Set<number>();
    for (;;) {
      const row = dueFile(options.db, options.clock.now().toISOString(), files.kind);
      if (!row || tried.has(row.id)) return report;
      tried.add(row.id);
      try {
        const outcome = await files.send(row, endpoint, options.transport);
        const at = options.clock.now().toISOString();
        if (outcome.refused === null) {
          options.db
            .prepare(`UPDATE outbox_studio SET sent_at = ?, last_error = NULL WHERE outbox_id = ? AND sent_at IS NULL`)
            .run(at, row.id);
          report.delivered += 1;
        } else {
          options.db
            .prepare(`UPDATE outbox_studio SET refused = ?, last_error = NULL WHERE outbox_id = ? AND sent_at IS NULL`)
            .run(outcome.refused.slice(0, 300), row.id);
          files.onOutcome?.(row, { refused: outcome.refused });
          report.refused += 1;
        }
      } catch (error) {
        if (error instanceof DeviceRevokedError) {
          options.log.warn('Studio disconnected this device: uploads stop, local data is kept');
          options.onRevoked(options.clock.now().toISOString());
          report.revoked = true;
          report.lastError = error.message;
          files.onOutcome?.(row, { error: error.message });
          return report;
        }
        const message = (error as Error).message;
        options.log.warn('upload of a file to Studio failed', { kind: row.kind, reason: message });
        backOff([row], message);
        files.onOutcome?.(row, { error: message });
        report.failed += 1;
        report.lastError = message;
        return report;
      }
    }
  }

  async function flushOnce(): Promise<StudioLaneReport> {
    const report: StudioLaneReport = { delivered: 0, refused: 0, failed: 0, revoked: false, lastError: null };
    for (;;) {
      const endpoint = options.endpoint();
      if (!endpoint) return report;
      const now = options.clock.now().toISOString();
      const batch = openBatch(options.db, now) ?? newBatch(options.db, now, batchSize, options.files?.kind ?? null);
      if (!batch) return sendFiles(endpoint, report);
      let payloads: unknown[] = [];
      try {
        payloads = batch.rows.map((row) => options.expand(row));
        const answer = await studioConnector.send(
          endpoint,
          { key: batch.key, records: batch.rows.map((row, i) => toRecord(row, payloads[i])) },
          options.transport,
        );
        const at = options.clock.now().toISOString();
        // A refusal names its record by key, or by its place in the batch when it had no readable key.
        const refusedBy = new Map<number, string>();
        for (const r of answer.refused) {
          const index =
            r.idempotencyKey !== null
              ? batch.rows.findIndex((row) => row.idempotencyKey === r.idempotencyKey)
              : r.index;
          const row = batch.rows[index >= 0 ? index : r.index];
          if (row) refusedBy.set(row.id, withoutPersonalData(r.reason, payloads).slice(0, 300));
        }
        const sent = batch.rows.filter((row) => !refusedBy.has(row.id));
        options.db.transaction(() => {
          const markSent = options.db.prepare(
            `UPDATE outbox_studio SET sent_at = ?, last_error = NULL WHERE outbox_id = ? AND sent_at IS NULL`,
          );
          const markRefused = options.db.prepare(
            `UPDATE outbox_studio SET refused = ?, last_error = NULL WHERE outbox_id = ? AND sent_at IS NULL`,
          );
          for (const row of sent) markSent.run(at, row.id);
          for (const [id, reason] of refusedBy) markRefused.run(reason, id);
          options.onSent?.(sent, at);
        })();
        if (refusedBy.size > 0)
          options.log.warn('Studio refused records', { refused: refusedBy.size, reasons: [...refusedBy.values()] });
        report.delivered += sent.length;
        report.refused += refusedBy.size;
      } catch (error) {
        if (error instanceof DeviceRevokedError) {
          options.log.warn('Studio disconnected this device: uploads stop, local data is kept');
          options.onRevoked(options.clock.now().toISOString());
          report.revoked = true;
          report.lastError = error.message;
          return report;
        }
        const message = withoutPersonalData((error as Error).message, payloads);
        options.log.warn('upload to Studio failed', { rows: batch.rows.length, reason: message });
        backOff(batch.rows, message);
        report.failed += batch.rows.length;
        report.lastError = message;
        return report;
      }
    }
  }

  return {
    /** Sends everything due to Studio now; concurrent calls share one run. */
    flush(request: { retryNow?: boolean } = {}): Promise<StudioLaneReport> {
      if (request.retryNow && !running)
        options.db
          .prepare(`UPDATE outbox_studio SET next_attempt_at = NULL WHERE sent_at IS NULL AND refused IS NULL`)
          .run();
      running ??= flushOnce().finally(() => {
        running = null;
      });
      return running;
    },
  };
}

export type StudioLane = ReturnType<typeof createStudioLane>;

/** The row still waits for Studio (not yet acknowledged, not refused). */
export function awaitedByStudio(db: ReadDb | WriteDb, outboxId: number): boolean {
  return (
    db
      .prepare(`SELECT 1 FROM outbox_studio WHERE outbox_id = ? AND sent_at IS NULL AND refused IS NULL`)
      .get(outboxId) !== undefined
  );
}

/** The row's destination of "Where records go" acknowledged it. */
export function sentElsewhere(db: ReadDb | WriteDb, outboxId: number): boolean {
  return db.prepare(`SELECT 1 FROM outbox WHERE id = ? AND sent_at IS NOT NULL`).get(outboxId) !== undefined;
}

/**
 * A new enrolment after a revocation: what waited for the Studio that disconnected the device
 * is never sent to the new one under another credential. The records stay; their Studio state
 * says why they were not sent.
 */
export function abandonStudioLane(db: WriteDb, reason: string): number {
  return db
    .prepare(`UPDATE outbox_studio SET refused = ?, batch_key = NULL WHERE sent_at IS NULL AND refused IS NULL`)
    .run(reason).changes;
}
