import type { IncomingMessage } from 'node:http';
import { sql, type Transaction } from 'kysely';
import type { Statement } from 'better-sqlite3';
import { sqliteHandleOf, sqliteStatement } from '../database/connection.ts';
import type { StudioTables } from '../database/schema.ts';
import { ingestBatch, type DeviceStatusPayload, type IngestAnswer } from '#shared/fleet';
import type { StudioContext } from '../context.ts';
import { DeviceRefusal, type AuthenticatedDevice } from './device-auth.ts';
import { forgetForwards, isForwarded, nudgeForwarding, queueForwards } from '../forwarding/queue.ts';
import { leadBoxOf } from './lead-key.ts';
import { checkRecord, kindLiteral } from './records.ts';
import { isCounted, unnest, type PgType } from './rollups.ts';
import { foldsCaughtUp, foldSequence, foldSoon, LISTED_NAMES, listingOf, listPending } from './folding.ts';
import { recordQuizAttempt } from '../quizzes/attempts.ts';
import { COMMITS_IN_FLIGHT, lockOrder, retryDeadlocks } from './pgcommits.ts';
import type { FleetDeviceStatusTable, FleetRecordTable } from './tables.ts';

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

/** PostgreSQL's arrays have no row limit, but one statement's arrays stay a few megabytes. */
const ROWS_PER_INSERT = 5000;

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
  await foldsCaughtUp(ctx);
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
 * On PostgreSQL a few transactions are in flight at once on separate connections (pgcommits.ts).
 */
class IngestWriter {
  private queue: { batch: PendingBatch; done: (stored: boolean) => void; failed: (error: unknown) => void }[] = [];
  /** Drain loops running: one on SQLite (one connection), up to COMMITS_IN_FLIGHT on PostgreSQL. */
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
  private async commit(batches: PendingBatch[]): Promise<boolean[]> {
    if (sqliteHandleOf(this.ctx.db)) return this.transaction(batches);
    return retryDeadlocks(() => this.transaction(batches));
  }

  private async transaction(batches: PendingBatch[]): Promise<boolean[]> {
    let listed = 0;
    const result = await this.ctx.db.transaction().execute(async (trx) => {
      // The same key twice in one group (a device resending before its answer): the first claims it.
      const first = new Map<string, number>();
      batches.forEach((b, i) => {
        const key = `${b.deviceId}\u0000${b.key}`;
        if (!first.has(key)) first.set(key, i);
      });
      const claims = await trx
        .insertInto('fleet_batches')
        .values(
          lockOrder([...first.values()], (i) => [batches[i]!.deviceId, batches[i]!.key]).map((i) => ({
            device_id: batches[i]!.deviceId,
            idempotency_key: batches[i]!.key,
            answer: JSON.stringify(batches[i]!.answer),
            received_at: batches[i]!.receivedAt,
          })),
        )
        .onConflict((oc) => oc.columns(['device_id', 'idempotency_key']).doNothing())
        .returning(['device_id', 'idempotency_key'])
        .execute();
      const won = new Set(claims.map((c) => `${c.device_id}\u0000${c.idempotency_key}`));
      const claimed = batches.map((b, i) => {
        const key = `${b.deviceId}\u0000${b.key}`;
        return first.get(key) === i && won.has(key);
      });
      // A record already stored under another key, or twice among these batches, is stored once.
      const rows: FleetRecordTable[] = [];
      const seenRecords = new Set<string>();
      const statuses = new Map<string, { at: string; status: DeviceStatusPayload }>();
      const seen = new Map<string, string>();
      batches.forEach((b, i) => {
        if (!claimed[i]) return;
        for (const row of b.rows) {
          const key = `${row.device_id}\u0000${row.idempotency_key}`;
          if (seenRecords.has(key)) continue;
          seenRecords.add(key);
          rows.push(row);
        }
        seen.set(b.deviceId, b.receivedAt);
        const previous = statuses.get(b.deviceId);
        if (b.status && (!previous || b.status.at >= previous.at)) statuses.set(b.deviceId, b.status);
      });
      const stored = await insertRecords(
        this.ctx,
        trx,
        // One writer on SQLite: no lock order to keep, and sorting thousands of records cost more than it saved.
        sqliteHandleOf(this.ctx.db) ? rows : lockOrder(rows, (r) => [r.device_id, r.idempotency_key]),
      );
      // In the same transaction as the records: each stored lead or meeting is forwarded once.
      await queueForwards(trx, stored);
      await saveStatuses(
        this.ctx,
        trx,
        lockOrder([...statuses], ([id]) => [id]),
      );
      // Quiz attempts are kept for managers' views and a pass scores, in the batch's transaction.
      for (const row of stored) if (row.kind === 'quiz-attempt') await recordQuizAttempt(trx, row);
      await markSeen(this.ctx, trx, new Map(lockOrder([...seen], ([id]) => [id])));
      // The rollups will count only what this transaction stored, so a repeat never counts
      // twice; they are folded every few seconds (folding.ts), not written by every commit. On
      // PostgreSQL the insert above listed them.
      listed = listPending(stored);
      return claimed;
    });
    if (listed > 0) foldSoon(this.ctx, listed);
    return result;
  }
}

const RECORD_COLUMNS = [
  ['device_id', 'text'],
  ['idempotency_key', 'text'],
  ['kind', 'text'],
  ['at', 'text'],
  ['day', 'text'],
  ['received_at', 'text'],
  ['rep', 'text'],
  ['booth', 'text'],
  ['team', 'text'],
  ['region', 'text'],
  ['app_version', 'text'],
  ['release_version', 'int'],
  ['event_type', 'text'],
  ['item_id', 'text'],
  ['page', 'int'],
  ['dwell_ms', 'bigint'],
  ['dwell_bucket', 'int'],
  ['meeting_id', 'text'],
  ['account', 'text'],
  ['outcome', 'text'],
  ['query_folded', 'text'],
  ['consent_version', 'text'],
  ['viewed_items', 'text'],
  ['retain_until', 'text'],
  ['payload', 'text'],
  ['sealed', 'int'],
] as const satisfies readonly (readonly [keyof FleetRecordTable, string])[];

const recordInserts = new WeakMap<StudioContext, Statement<unknown[]>>();

/**
 * Inserts records (distinct keys) unless already stored; answers the ones it stored, and on
 * PostgreSQL lists those the rollups count (folding.ts) in the same statement. On SQLite
 * one INSERT prepared once and run per record: building and preparing a thousand-row statement
 * for every commit cost more CPU than SQLite's own work. It runs on Kysely's one connection,
 * inside the transaction Kysely opened (better-sqlite3 is synchronous, so nothing interleaves).
 * On PostgreSQL one INSERT over the rows as one JSON parameter, where a multi-row VALUES list
 * bound 26 parameters per row and cost a round trip per thousand.
 */
async function insertRecords(
  ctx: StudioContext,
  trx: Transaction<StudioTables>,
  rows: FleetRecordTable[],
): Promise<FleetRecordTable[]> {
  if (rows.length === 0) return [];
  const handle = sqliteHandleOf(ctx.db);
  if (handle) {
    let statement = recordInserts.get(ctx);
    if (!statement) {
      // The last column numbers a record the rollups count, for the folds (folding.ts).
      const names = [...RECORD_COLUMNS.map(([name]) => name), 'fold_seq'];
      statement = handle.prepare(
        `INSERT INTO fleet_records (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})
         ON CONFLICT (device_id, idempotency_key) DO NOTHING`,
      );
      recordInserts.set(ctx, statement);
    }
    const insert = statement;
    const sequence = foldSequence(ctx.db)!;
    const stored = rows.filter((row) => {
      const values: unknown[] = RECORD_COLUMNS.map(([c]) => row[c]);
      // A number is taken only by a record stored: a repeat leaves no gap to wait on.
      const counted = isCounted(row);
      values.push(counted ? sequence.peek() : null);
      if (insert.run(values).changes !== 1) return false;
      if (counted) sequence.take();
      return true;
    });
    sequence.save();
    return stored;
  }
  const stored = new Set<string>();
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const slice = rows.slice(i, i + ROWS_PER_INSERT);
    const result = await sql<{ device_id: string; idempotency_key: string }>`
      with stored as (
        insert into fleet_records (${sql.join(RECORD_COLUMNS.map(([c]) => sql.ref(c)))})
        ${unnest(
          RECORD_COLUMNS,
          slice.map((r) => RECORD_COLUMNS.map(([c]) => r[c])),
        )}
        on conflict (device_id, idempotency_key) do nothing
        returning kind, ${sql.join(LISTED_NAMES.map((c) => sql.ref(c)))}
      ), listed as (${listingOf('stored')})
      select device_id, idempotency_key from stored`.execute(trx);
    for (const r of result.rows) stored.add(`${r.device_id}\u0000${r.idempotency_key}`);
  }
  return rows.filter((row) => stored.has(`${row.device_id}\u0000${row.idempotency_key}`));
}

/** Each device that sent a batch was seen at its receipt. */
async function markSeen(ctx: StudioContext, trx: Transaction<StudioTables>, seen: Map<string, string>) {
  if (seen.size === 0) return;
  const update = sqliteStatement(ctx.db, 'UPDATE fleet_devices SET last_seen_at = ? WHERE id = ?');
  if (update) {
    for (const [deviceId, at] of seen) update.run(at, deviceId);
    return;
  }
  await sql`update fleet_devices set last_seen_at = t.at
    from unnest(${[...seen.keys()]}::text[], ${[...seen.values()]}::text[]) as t(id, at)
    where fleet_devices.id = t.id`.execute(trx);
}

/** Enough to fill a transaction; more waits for the next one. */
const MAX_BATCHES_PER_COMMIT = 200;

const writers = new WeakMap<StudioContext, IngestWriter>();
function writerOf(ctx: StudioContext): IngestWriter {
  let writer = writers.get(ctx);
  if (!writer) writers.set(ctx, (writer = new IngestWriter(ctx)));
  return writer;
}

const STATUS_COLUMNS = [
  ['device_id', 'text'],
  ['at', 'text'],
  ['release_version', 'int'],
  ['last_sync_at', 'text'],
  ['storage_bytes', 'bigint'],
  ['free_bytes', 'bigint'],
  ['pending_total', 'int'],
  ['app_version', 'text'],
  ['profile_kind', 'text'],
  ['pitches_total', 'int'],
  ['pitches_ready', 'int'],
] as const satisfies readonly (readonly [keyof FleetDeviceStatusTable, PgType])[];

/**
 * Each device's latest status wins: an older one arriving late changes nothing. On PostgreSQL one
 * statement for the commit's devices, where one per device cost a round trip each.
 */
async function saveStatuses(
  ctx: StudioContext,
  trx: Transaction<StudioTables>,
  statuses: readonly (readonly [string, { at: string; status: DeviceStatusPayload }])[],
): Promise<void> {
  if (statuses.length === 0) return;
  const names = STATUS_COLUMNS.map(([c]) => c);
  // On SQLite one upsert prepared once and run per device, not a query built per status.
  const upsert = sqliteStatement(
    ctx.db,
    `INSERT INTO fleet_device_status (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})
     ON CONFLICT (device_id) DO UPDATE SET ${names
       .filter((c) => c !== 'device_id')
       .map((c) => `${c} = excluded.${c}`)
       .join(', ')} WHERE fleet_device_status.at < excluded.at`,
  );
  if (upsert) {
    for (const [deviceId, status] of statuses) {
      const values = statusValues(deviceId, status);
      upsert.run(names.map((c) => values[c]));
    }
    return;
  }
  const rows = statuses.map(([deviceId, status]) => {
    const values = statusValues(deviceId, status);
    return STATUS_COLUMNS.map(([c]) => values[c]);
  });
  await sql`insert into fleet_device_status (${sql.join(STATUS_COLUMNS.map(([c]) => sql.ref(c)))})
    ${unnest(STATUS_COLUMNS, rows)}
    on conflict (device_id) do update set ${sql.join(
      STATUS_COLUMNS.filter(([c]) => c !== 'device_id').map(([c]) => sql`${sql.ref(c)} = ${sql.ref(`excluded.${c}`)}`),
    )}
    where fleet_device_status.at < excluded.at`.execute(trx);
}

function statusValues(deviceId: string, latest: { at: string; status: DeviceStatusPayload }): FleetDeviceStatusTable {
  const s = latest.status;
  return {
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
    // Their places in the forwarding queue go with them: nothing is left to send or to list.
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
