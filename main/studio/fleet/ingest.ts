import type { IncomingMessage } from 'node:http';
import { sql, type Transaction } from 'kysely';
import type { Statement } from 'better-sqlite3';
import { sqliteHandleOf } from '../database/connection.ts';
import type { StudioTables } from '../database/schema.ts';
import { ingestBatch, type DeviceStatusPayload, type IngestAnswer } from '#shared/fleet';
import type { StudioContext } from '../context.ts';
import { DeviceRefusal, type AuthenticatedDevice } from './device-auth.ts';
import { isForwarded, nudgeForwarding, queueForwards } from '../forwarding/queue.ts';
import { leadBoxOf } from './lead-key.ts';
import { checkRecord, kindLiteral } from './records.ts';
import { recordQuizAttempt } from '../quizzes/attempts.ts';
import type { FleetRecordTable } from './tables.ts';

/** 5,000 records of a few hundred bytes each fit with room to spare; anything bigger is refused unread. */
export const MAX_INGEST_BYTES = 8 * 1024 * 1024;

export async function readDeviceJson(request: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw new DeviceRefusal(413, 'too-large', `The body is larger than ${limit} bytes.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new DeviceRefusal(413, 'too-large', `The body is larger than ${limit} bytes.`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new DeviceRefusal(400, 'bad-request', 'The body is not valid JSON.');
  }
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** Stays under SQLite's limit on bound parameters (and PostgreSQL's) for one multi-row insert. */
const ROWS_PER_INSERT = 1000;

/**
 * Stores one batch exactly once per (device, Idempotency-Key): the key, its answer and the
 * records commit in one transaction, so a batch killed half-way left nothing, and a repeat finds
 * the key and gets the first answer back. Each record is checked on its own; refused ones are
 * listed with their reason and the rest stored. A record already stored under another batch
 * (same record key) is not stored twice either.
 */
export async function ingest(
  ctx: StudioContext,
  device: AuthenticatedDevice,
  key: string | undefined,
  body: unknown,
): Promise<IngestAnswer> {
  if (!key || !IDEMPOTENCY_KEY.test(key))
    throw new DeviceRefusal(400, 'bad-request', 'Send an Idempotency-Key header (1 to 200 printable characters).');
  const existing = await storedAnswer(ctx, device.id, key);
  if (existing) return existing;

  const batch = ingestBatch.safeParse(body);
  if (!batch.success)
    throw new DeviceRefusal(400, 'bad-request', `body: ${batch.error.issues[0]?.message ?? 'not a batch'}`);
  const receivedAt = ctx.now().toISOString();
  const rows: FleetRecordTable[] = [];
  const seen = new Set<string>();
  const refused: IngestAnswer['refused'] = [];
  let latestStatus: { at: string; status: DeviceStatusPayload } | null = null;
  const box = leadBoxOf(ctx.dataDir);
  batch.data.records.forEach((raw, index) => {
    const checked = checkRecord(raw, device, receivedAt);
    if (!checked.ok) {
      refused.push({ index, idempotencyKey: checked.idempotencyKey, reason: checked.reason });
      return;
    }
    // The same record twice in one batch is one record.
    if (seen.has(checked.row.idempotency_key)) return;
    seen.add(checked.row.idempotency_key);
    if (checked.lead) {
      checked.row.payload = box.seal(checked.lead);
      checked.row.sealed = 1;
    }
    if (checked.status && (!latestStatus || checked.row.at >= latestStatus.at))
      latestStatus = { at: checked.row.at, status: checked.status };
    rows.push(checked.row);
  });
  const answer: IngestAnswer = { accepted: batch.data.records.length - refused.length, duplicate: false, refused };
  await purgeExpiredLeads(ctx);
  const stored = await writerOf(ctx).write({
    deviceId: device.id,
    key,
    answer,
    rows,
    status: latestStatus,
    receivedAt,
  });
  if (stored) {
    if (rows.some((r) => isForwarded(r.kind))) nudgeForwarding(ctx);
    return answer;
  }
  // Another request with the same key committed first: its answer is the answer.
  const first = await storedAnswer(ctx, device.id, key);
  if (!first) throw new Error(`batch ${key} was claimed but its answer is not stored`);
  return first;
}

interface PendingBatch {
  deviceId: string;
  key: string;
  answer: IngestAnswer;
  rows: FleetRecordTable[];
  status: { at: string; status: DeviceStatusPayload } | null;
  receivedAt: string;
}

/**
 * Group commit: batches that arrive while a transaction is being written wait and go together
 * in the next one, so a hundred devices posting at once cost a few disk syncs, not a hundred.
 * Each batch still commits whole or not at all, and is answered only after its commit.
 */
class IngestWriter {
  private queue: { batch: PendingBatch; done: (stored: boolean) => void; failed: (error: unknown) => void }[] = [];
  private writing = false;

  constructor(private readonly ctx: StudioContext) {}

  write(batch: PendingBatch): Promise<boolean> {
    return new Promise((done, failed) => {
      this.queue.push({ batch, done, failed });
      if (!this.writing) {
        this.writing = true;
        // One turn of the event loop lets the requests already read join this commit.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, MAX_BATCHES_PER_COMMIT);
        try {
          const claimed = await this.commit(group.map((g) => g.batch));
          group.forEach((g, i) => g.done(claimed[i]!));
        } catch (error) {
          if (group.length === 1) {
            group[0]!.failed(error);
            continue;
          }
          // One batch must not fail the others: write them one by one to find it.
          for (const g of group) {
            try {
              g.done((await this.commit([g.batch]))[0]!);
            } catch (single) {
              g.failed(single);
            }
          }
        }
      }
    } finally {
      this.writing = false;
    }
  }

  /** One transaction for the group; true for each batch this call stored, false for a repeat. */
  private async commit(batches: PendingBatch[]): Promise<boolean[]> {
    return this.ctx.db.transaction().execute(async (trx) => {
      const claimed: boolean[] = [];
      const rows: FleetRecordTable[] = [];
      const statuses = new Map<string, { at: string; status: DeviceStatusPayload }>();
      const seen = new Map<string, string>();
      for (const b of batches) {
        const claim = await trx
          .insertInto('fleet_batches')
          .values({
            device_id: b.deviceId,
            idempotency_key: b.key,
            answer: JSON.stringify(b.answer),
            received_at: b.receivedAt,
          })
          .onConflict((oc) => oc.columns(['device_id', 'idempotency_key']).doNothing())
          .returning('idempotency_key')
          .executeTakeFirst();
        claimed.push(claim !== undefined);
        if (!claim) continue;
        rows.push(...b.rows);
        seen.set(b.deviceId, b.receivedAt);
        const previous = statuses.get(b.deviceId);
        if (b.status && (!previous || b.status.at >= previous.at)) statuses.set(b.deviceId, b.status);
      }
      const prepared = recordInsertOf(this.ctx);
      if (prepared) for (const row of rows) prepared.run(RECORD_COLUMNS.map((c) => row[c]));
      else
        for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
          await trx
            .insertInto('fleet_records')
            .values(rows.slice(i, i + ROWS_PER_INSERT))
            .onConflict((oc) => oc.columns(['device_id', 'idempotency_key']).doNothing())
            .execute();
        }
      // In the same transaction as the records: each stored lead or meeting is forwarded once.
      await queueForwards(trx, rows);
      for (const [deviceId, status] of statuses) await saveStatus(trx, deviceId, status);
      // Quiz attempts are kept for managers' views and a pass scores, in the batch's transaction.
      for (const row of rows) if (row.kind === 'quiz-attempt') await recordQuizAttempt(trx, row);
      for (const [deviceId, at] of seen)
        await trx.updateTable('fleet_devices').set({ last_seen_at: at }).where('id', '=', deviceId).execute();
      return claimed;
    });
  }
}

const RECORD_COLUMNS = [
  'device_id',
  'idempotency_key',
  'kind',
  'at',
  'day',
  'received_at',
  'rep',
  'booth',
  'team',
  'region',
  'app_version',
  'release_version',
  'event_type',
  'item_id',
  'page',
  'dwell_ms',
  'dwell_bucket',
  'meeting_id',
  'account',
  'outcome',
  'query_folded',
  'consent_version',
  'viewed_items',
  'retain_until',
  'payload',
  'sealed',
] as const satisfies readonly (keyof FleetRecordTable)[];

const recordInserts = new WeakMap<StudioContext, Statement<unknown[]>>();

/**
 * On SQLite, one INSERT prepared once and run per record: building and preparing a thousand-row
 * statement for every commit cost more CPU than SQLite's own work. It runs on Kysely's one
 * connection, inside the transaction Kysely opened (better-sqlite3 is synchronous, so nothing
 * interleaves). PostgreSQL keeps the multi-row inserts, where the round trips are the cost.
 */
function recordInsertOf(ctx: StudioContext): Statement<unknown[]> | undefined {
  let statement = recordInserts.get(ctx);
  if (statement) return statement;
  const handle = sqliteHandleOf(ctx.db);
  if (!handle) return undefined;
  statement = handle.prepare(
    `INSERT INTO fleet_records (${RECORD_COLUMNS.join(', ')}) VALUES (${RECORD_COLUMNS.map(() => '?').join(', ')})
     ON CONFLICT (device_id, idempotency_key) DO NOTHING`,
  );
  recordInserts.set(ctx, statement);
  return statement;
}

/** Enough to fill a transaction; more waits for the next one. */
const MAX_BATCHES_PER_COMMIT = 200;

const writers = new WeakMap<StudioContext, IngestWriter>();
function writerOf(ctx: StudioContext): IngestWriter {
  let writer = writers.get(ctx);
  if (!writer) writers.set(ctx, (writer = new IngestWriter(ctx)));
  return writer;
}

/** The device's latest status wins: an older one arriving late changes nothing. */
async function saveStatus(
  trx: Transaction<StudioTables>,
  deviceId: string,
  latest: { at: string; status: DeviceStatusPayload },
): Promise<void> {
  const s = latest.status;
  const values = {
    device_id: deviceId,
    at: latest.at,
    release_version: s.releaseVersion,
    last_sync_at: s.lastSyncAt,
    storage_bytes: s.storageBytes,
    free_bytes: s.freeBytes,
    pending_total: Object.values(s.pending).reduce((a, b) => a + b, 0),
    app_version: s.appVersion,
    profile_kind: s.profileKind,
    pitches_total: s.pitches.length,
    pitches_ready: s.pitches.filter((p) => p.ready).length,
  };
  await trx
    .insertInto('fleet_device_status')
    .values(values)
    .onConflict((oc) =>
      oc
        .column('device_id')
        .doUpdateSet(
          Object.fromEntries(
            Object.keys(values)
              .filter((column) => column !== 'device_id')
              .map((column) => [column, sql.ref(`excluded.${column}`)]),
          ),
        )
        .where(sql<boolean>`fleet_device_status.at < excluded.at`),
    )
    .execute();
}

const PURGE_EVERY_MS = 3_600_000;
const lastPurge = new WeakMap<StudioContext, number>();

/**
 * Leads past their retention date are deleted. It rides on ingest (at most hourly per process):
 * a Studio that receives nothing holds no new leads to age either.
 */
export async function purgeExpiredLeads(ctx: StudioContext): Promise<number> {
  const now = ctx.now().getTime();
  if (now - (lastPurge.get(ctx) ?? -Infinity) < PURGE_EVERY_MS) return 0;
  lastPurge.set(ctx, now);
  const result = await ctx.db
    .deleteFrom('fleet_records')
    .where('kind', '=', kindLiteral('lead'))
    .where('retain_until', '<', new Date(now).toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

async function storedAnswer(ctx: StudioContext, deviceId: string, key: string): Promise<IngestAnswer | null> {
  const row = await ctx.db
    .selectFrom('fleet_batches')
    .select('answer')
    .where('device_id', '=', deviceId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  if (!row) return null;
  return { ...(JSON.parse(row.answer) as IngestAnswer), duplicate: true };
}
