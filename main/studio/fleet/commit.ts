import { sql, type Transaction } from 'kysely';
import { sqliteStatement, type StudioDb } from '../database/connection.ts';
import type { StudioTables } from '../database/schema.ts';
import type { DeviceStatusPayload, IngestAnswer } from '#shared/fleet';
import { queueForwards } from '../forwarding/queue.ts';
import { countRecords, unnest, type PgType } from './rollups.ts';
import { recordQuizAttempt } from '../quizzes/attempts.ts';
import { lockOrder } from './pgcommits.ts';
import type { FleetDeviceStatusTable, FleetRecordTable } from './tables.ts';

/**
 * One ingest commit: the batches' claims, their records, statuses, forwards, quiz attempts and
 * rollups in one transaction. On SQLite it runs on ingest's own thread (commit-thread.ts); on
 * PostgreSQL on Studio's, a few at a time (pgcommits.ts). Everything here is given the database,
 * never Studio's context, so either thread can run it.
 */

/** PostgreSQL's arrays have no row limit, but one statement's arrays stay a few megabytes. */
const ROWS_PER_INSERT = 5000;

/** A batch checked and ready to store: what the device sent that passed, and the answer it gets. */
export interface PendingBatch {
  deviceId: string;
  key: string;
  answer: IngestAnswer;
  rows: FleetRecordTable[];
  status: { at: string; status: DeviceStatusPayload } | null;
  receivedAt: string;
}

/** One transaction for the batches; true for each batch this call stored, false for a repeat. */
export async function commitBatches(db: StudioDb, batches: readonly PendingBatch[]): Promise<boolean[]> {
  return db.transaction().execute(async (trx) => {
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
      db,
      trx,
      lockOrder(rows, (r) => [r.device_id, r.idempotency_key]),
    );
    // In the same transaction as the records: each stored lead or meeting is forwarded once.
    await queueForwards(trx, stored);
    await saveStatuses(
      db,
      trx,
      lockOrder([...statuses], ([id]) => [id]),
    );
    // Quiz attempts are kept for managers' views and a pass scores, in the batch's transaction.
    for (const row of stored) if (row.kind === 'quiz-attempt') await recordQuizAttempt(trx, row);
    await markSeen(db, trx, new Map(lockOrder([...seen], ([id]) => [id])));
    // The rollups count only what this transaction stored, so a repeat never counts twice.
    // Last, because rollup rows are shared by every device: locked from here to the commit.
    await countRecords(trx, db, stored);
    return claimed;
  });
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

const RECORD_INSERT = `INSERT INTO fleet_records (${RECORD_COLUMNS.map(([c]) => c).join(', ')})
  VALUES (${RECORD_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT (device_id, idempotency_key) DO NOTHING`;

/**
 * Inserts records (distinct keys) unless already stored; answers the ones it stored. On SQLite
 * one INSERT prepared once and run per record: building and preparing a thousand-row statement
 * for every commit cost more CPU than SQLite's own work. It runs on Kysely's one connection,
 * inside the transaction Kysely opened (better-sqlite3 is synchronous, so nothing interleaves).
 * On PostgreSQL one INSERT over the rows as one JSON parameter, where a multi-row VALUES list
 * bound 26 parameters per row and cost a round trip per thousand.
 */
async function insertRecords(
  db: StudioDb,
  trx: Transaction<StudioTables>,
  rows: FleetRecordTable[],
): Promise<FleetRecordTable[]> {
  if (rows.length === 0) return [];
  const insert = sqliteStatement(db, RECORD_INSERT);
  if (insert) return rows.filter((row) => insert.run(RECORD_COLUMNS.map(([c]) => row[c])).changes === 1);
  const stored = new Set<string>();
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const slice = rows.slice(i, i + ROWS_PER_INSERT);
    const result = await sql<{ device_id: string; idempotency_key: string }>`
      insert into fleet_records (${sql.join(RECORD_COLUMNS.map(([c]) => sql.ref(c)))})
      ${unnest(
        RECORD_COLUMNS,
        slice.map((r) => RECORD_COLUMNS.map(([c]) => r[c])),
      )}
      on conflict (device_id, idempotency_key) do nothing
      returning device_id, idempotency_key`.execute(trx);
    for (const r of result.rows) stored.add(`${r.device_id}\u0000${r.idempotency_key}`);
  }
  return rows.filter((row) => stored.has(`${row.device_id}\u0000${row.idempotency_key}`));
}

/** Each device that sent a batch was seen at its receipt. */
async function markSeen(db: StudioDb, trx: Transaction<StudioTables>, seen: Map<string, string>) {
  if (seen.size === 0) return;
  const update = sqliteStatement(db, 'UPDATE fleet_devices SET last_seen_at = ? WHERE id = ?');
  if (update) {
    for (const [deviceId, at] of seen) update.run(at, deviceId);
    return;
  }
  await sql`update fleet_devices set last_seen_at = t.at
    from unnest(${[...seen.keys()]}::text[], ${[...seen.values()]}::text[]) as t(id, at)
    where fleet_devices.id = t.id`.execute(trx);
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
  db: StudioDb,
  trx: Transaction<StudioTables>,
  statuses: readonly (readonly [string, { at: string; status: DeviceStatusPayload }])[],
): Promise<void> {
  if (statuses.length === 0) return;
  const names = STATUS_COLUMNS.map(([c]) => c);
  // On SQLite one upsert prepared once and run per device, not a query built per status.
  const upsert = sqliteStatement(
    db,
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
