import type { IncomingMessage } from 'node:http';
import { sql } from 'kysely';
import { ingestBatch, type DeviceStatusPayload, type IngestAnswer } from '#shared/fleet';
import type { StudioContext } from '../context.ts';
import { DeviceRefusal, type AuthenticatedDevice } from './device-auth.ts';
import { leadBoxOf } from './lead-key.ts';
import { checkRecord } from './records.ts';
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

class AlreadyStored extends Error {}

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

  try {
    await ctx.db.transaction().execute(async (trx) => {
      const claimed = await trx
        .insertInto('fleet_batches')
        .values({ device_id: device.id, idempotency_key: key, answer: JSON.stringify(answer), received_at: receivedAt })
        .onConflict((oc) => oc.columns(['device_id', 'idempotency_key']).doNothing())
        .returning('idempotency_key')
        .executeTakeFirst();
      if (!claimed) throw new AlreadyStored();
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
        await trx
          .insertInto('fleet_records')
          .values(rows.slice(i, i + ROWS_PER_INSERT))
          .onConflict((oc) => oc.columns(['device_id', 'idempotency_key']).doNothing())
          .execute();
      }
      const status = latestStatus as { at: string; status: DeviceStatusPayload } | null;
      if (status) {
        const s = status.status;
        const values = {
          device_id: device.id,
          at: status.at,
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
      await trx.updateTable('fleet_devices').set({ last_seen_at: receivedAt }).where('id', '=', device.id).execute();
    });
  } catch (error) {
    if (!(error instanceof AlreadyStored)) throw error;
    // Another request with the same key committed first: its answer is the answer.
    const first = await storedAnswer(ctx, device.id, key);
    if (first) return first;
    throw error;
  }
  return answer;
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
