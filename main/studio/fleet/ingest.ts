import type { IncomingMessage } from 'node:http';
import { sqliteHandleOf, sqliteStatement } from '../database/connection.ts';
import { ingestBatch, type DeviceStatusPayload, type IngestAnswer } from '#shared/fleet';
import type { StudioContext } from '../context.ts';
import { DeviceRefusal, type AuthenticatedDevice } from './device-auth.ts';
import { forgetForwards, isForwarded, nudgeForwarding } from '../forwarding/queue.ts';
import { leadBoxOf } from './lead-key.ts';
import { checkRecord, kindLiteral } from './records.ts';
import { COMMITS_IN_FLIGHT, retryDeadlocks } from './pgcommits.ts';
import { commitBatches, type PendingBatch } from './commit.ts';
import { commitThreadOf } from './commit-thread.ts';
import { pointsChanged } from '../points/points.ts';
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
    // A pass may have scored on ingest's thread, whose award bumped only its own count: no
    // leaderboard computed on this one before the commit may be served after it.
    if (rows.some((r) => r.kind === 'quiz-attempt')) pointsChanged();
    return answer;
  }
  // Another request with the same key committed first: its answer is the answer.
  const first = await storedAnswer(ctx, device.id, key);
  if (!first) throw new Error(`batch ${key} was claimed but its answer is not stored`);
  return first;
}

/**
 * Group commit: batches that arrive while a transaction is being written wait and go together
 * in the next one, so a hundred devices posting at once cost a few disk syncs, not a hundred.
 * Each batch still commits whole or not at all, and is answered only after its commit.
 * On SQLite the transaction runs on ingest's own thread (commit-thread.ts), so this one reads and
 * checks the next batches meanwhile; on PostgreSQL a few transactions are in flight at once on
 * separate connections (pgcommits.ts).
 */
class IngestWriter {
  private queue: { batch: PendingBatch; done: (stored: boolean) => void; failed: (error: unknown) => void }[] = [];
  /** Drain loops running: one on SQLite (one writer at a time), up to COMMITS_IN_FLIGHT on PostgreSQL. */
  private writing = 0;
  private readonly lanes: number;

  constructor(private readonly ctx: StudioContext) {
    this.lanes = sqliteHandleOf(ctx.db) ? 1 : COMMITS_IN_FLIGHT;
  }

  write(batch: PendingBatch): Promise<boolean> {
    return new Promise((done, failed) => {
      this.queue.push({ batch, done, failed });
      if (this.writing < this.lanes) {
        this.writing += 1;
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
      this.writing -= 1;
    }
  }

  /** One transaction for the group; true for each batch this call stored, false for a repeat. */
  private commit(batches: PendingBatch[]): Promise<boolean[]> {
    const thread = commitThreadOf(this.ctx.db);
    if (thread) return thread.commit(batches);
    if (sqliteHandleOf(this.ctx.db)) return commitBatches(this.ctx.db, batches);
    return retryDeadlocks(() => commitBatches(this.ctx.db, batches));
  }
}

/** Enough to fill a transaction; more waits for the next one. */
const MAX_BATCHES_PER_COMMIT = 200;

const writers = new WeakMap<StudioContext, IngestWriter>();
function writerOf(ctx: StudioContext): IngestWriter {
  let writer = writers.get(ctx);
  if (!writer) writers.set(ctx, (writer = new IngestWriter(ctx)));
  return writer;
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
  const before = new Date(now).toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    await forgetForwards(
      trx,
      trx
        .selectFrom('fleet_records')
        .select(['device_id', 'idempotency_key'])
        .where('kind', '=', kindLiteral('lead'))
        .where('retain_until', '<', before),
    );
    const result = await trx
      .deleteFrom('fleet_records')
      .where('kind', '=', kindLiteral('lead'))
      .where('retain_until', '<', before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  });
}

async function storedAnswer(ctx: StudioContext, deviceId: string, key: string): Promise<IngestAnswer | null> {
  const select = sqliteStatement(
    ctx.db,
    'SELECT answer FROM fleet_batches WHERE device_id = ? AND idempotency_key = ?',
    { outside: true },
  );
  const row = select
    ? (select.get(deviceId, key) as { answer: string } | undefined)
    : await ctx.db
        .selectFrom('fleet_batches')
        .select('answer')
        .where('device_id', '=', deviceId)
        .where('idempotency_key', '=', key)
        .executeTakeFirst();
  if (!row) return null;
  return { ...(JSON.parse(row.answer) as IngestAnswer), duplicate: true };
}
