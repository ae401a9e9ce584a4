import type { SelectQueryBuilder, Transaction } from 'kysely';
import { batchKey, connectorOf, withoutPersonalData, type BatchRow, type Endpoint } from '#core/outbox/index';
import type { RecordSource } from '#shared/fleet';
import type { StudioContext } from '../context.ts';
import type { StudioTables } from '../database/schema.ts';
import { leadBoxOf } from '../fleet/lead-key.ts';
import type { FleetRecordTable } from '../fleet/tables.ts';
import { destinationTitle, openEndpoints, readForwarding, type ForwardingKind } from './destinations.ts';
import type { FleetForwardTable } from './tables.ts';

/**
 * The forwarding queue: every lead, meeting and follow-up Studio stores gets a row in the same
 * transaction, and a worker sends what is due to the destination configured for it, in the order
 * the records were made, with the same connectors as devices. A row is marked sent only after
 * the connector returned (2xx, or the file in place); a failure is retried with exponential
 * backoff. Each record keeps its device's idempotency key, so a batch sent again after a lost
 * answer updates what it made at the CRM (Salesforce upserts by it; a webhook sees the same key).
 */
const FORWARDED_KINDS: Record<string, ForwardingKind> = { lead: 'lead', meeting: 'meeting', followup: 'meeting' };

/** A lead recorded without consent (an older app) is stored for the booth's figures, never sent on. */
export const NO_CONSENT = 'No consent recorded with this lead: it is not forwarded';

/** Records of this kind go on to the CRM. */
export const isForwarded = (kind: string) => kind in FORWARDED_KINDS;

/** Forward rows for the records a commit stores; written in the ingest's transaction. */
export function forwardsOf(rows: readonly FleetRecordTable[]): FleetForwardTable[] {
  return rows.flatMap((row) => {
    const destination = FORWARDED_KINDS[row.kind];
    if (!destination) return [];
    return [
      {
        device_id: row.device_id,
        idempotency_key: row.idempotency_key,
        kind: row.kind,
        destination,
        at: row.at,
        created_at: row.received_at,
        attempts: 0,
        next_attempt_at: row.received_at,
        lease_until: null,
        last_error: null,
        held: row.kind === 'lead' && !row.consent_version ? NO_CONSENT : null,
        sent_at: null,
        sent_to: null,
      },
    ];
  });
}

/** Stays under SQLite's and PostgreSQL's limits on bound parameters. */
const ROWS_PER_INSERT = 500;

export async function queueForwards(trx: Transaction<StudioTables>, rows: readonly FleetRecordTable[]): Promise<void> {
  const forwards = forwardsOf(rows);
  for (let i = 0; i < forwards.length; i += ROWS_PER_INSERT)
    await trx
      .insertInto('fleet_forwards')
      .values(forwards.slice(i, i + ROWS_PER_INSERT))
      .onConflict((oc) => oc.columns(['device_id', 'idempotency_key']).doNothing())
      .execute();
}

export interface ForwardingOptions {
  fetchImpl?: typeof fetch;
  /** How often due rows are looked for besides after each ingest (a retry falls due, another Studio stored). */
  intervalMs?: number;
  /** First retry delay; doubles per attempt up to maxBackoffMs. */
  retryBaseMs?: number;
  maxBackoffMs?: number;
  timeoutMs?: number;
  batchSize?: number;
  log?: (line: string) => void;
}

export interface ForwardReport {
  sent: number;
  failed: number;
  lastError: string | null;
}

/** How long a Studio holds rows it is sending: past it, another may take them (this one died). */
const LEASE_MS = 5 * 60_000;

interface DueRow {
  device_id: string;
  idempotency_key: string;
  kind: string;
  at: string;
  attempts: number;
  payload: string;
  sealed: number;
  rep: string | null;
  booth: string | null;
  team: string | null;
  region: string | null;
  app_version: string;
  release_version: number | null;
}

/**
 * Forwarding rows go with their records: call before deleting records (an erasure, a lead past
 * its retention), in the same transaction, with a query for the records' keys.
 */
export async function forgetForwards(
  trx: Transaction<StudioTables>,
  records: SelectQueryBuilder<StudioTables, 'fleet_records', { device_id: string; idempotency_key: string }>,
): Promise<void> {
  await trx
    .deleteFrom('fleet_forwards')
    .where(({ eb, refTuple }) =>
      eb(refTuple('device_id', 'idempotency_key'), 'in', records.$asTuple('device_id', 'idempotency_key')),
    )
    .execute();
}

async function dueRows(ctx: StudioContext, kind: string, now: string, limit: number): Promise<DueRow[]> {
  return (
    ctx.db
      .selectFrom('fleet_forwards as f')
      .innerJoin('fleet_records as r', (join) =>
        join.onRef('r.device_id', '=', 'f.device_id').onRef('r.idempotency_key', '=', 'f.idempotency_key'),
      )
      .select([
        'f.device_id',
        'f.idempotency_key',
        'f.kind',
        'f.at',
        'f.attempts',
        'r.payload',
        'r.sealed',
        'r.rep',
        'r.booth',
        'r.team',
        'r.region',
        'r.app_version',
        'r.release_version',
      ])
      .where('f.destination', '=', FORWARDED_KINDS[kind]!)
      .where('f.kind', '=', kind)
      .where('f.sent_at', 'is', null)
      .where('f.held', 'is', null)
      .where('f.next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('f.lease_until', 'is', null), eb('f.lease_until', '<', now)]))
      // A lead past its retention date is not sent, even before the hourly purge deletes it.
      .where((eb) => eb.or([eb('r.retain_until', 'is', null), eb('r.retain_until', '>', now)]))
      .orderBy('f.at')
      .orderBy('f.idempotency_key')
      .limit(limit)
      .execute()
  );
}

/** Takes the rows no other Studio holds; returns those this one got. */
async function claim(ctx: StudioContext, rows: DueRow[], now: string): Promise<DueRow[]> {
  const until = new Date(Date.parse(now) + LEASE_MS).toISOString();
  const claimed: DueRow[] = [];
  for (const row of rows) {
    const result = await ctx.db
      .updateTable('fleet_forwards')
      .set({ lease_until: until })
      .where('device_id', '=', row.device_id)
      .where('idempotency_key', '=', row.idempotency_key)
      .where('sent_at', 'is', null)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) claimed.push(row);
  }
  return claimed;
}

const sourceOf = (row: DueRow): RecordSource => ({
  deviceId: row.device_id,
  rep: row.rep,
  booth: row.booth,
  team: row.team,
  region: row.region,
  appVersion: row.app_version,
  releaseVersion: row.release_version === null ? null : Number(row.release_version),
});

async function settle(
  ctx: StudioContext,
  rows: readonly DueRow[],
  set: (row: DueRow) => Partial<FleetForwardTable>,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    for (const row of rows)
      await trx
        .updateTable('fleet_forwards')
        .set({ ...set(row), lease_until: null })
        .where('device_id', '=', row.device_id)
        .where('idempotency_key', '=', row.idempotency_key)
        .execute();
  });
}

/** Sends everything due now, kind by kind; a destination that refuses waits for the next run. */
export async function forwardDue(ctx: StudioContext, options: ForwardingOptions = {}): Promise<ForwardReport> {
  const report: ForwardReport = { sent: 0, failed: 0, lastError: null };
  const timeoutMs = options.timeoutMs ?? 30_000;
  const base = options.retryBaseMs ?? 30_000;
  const cap = options.maxBackoffMs ?? 60 * 60_000;
  const transport = { fetchImpl: options.fetchImpl ?? fetch, timeoutMs };
  const stored = await readForwarding(ctx);
  const endpoints = openEndpoints(ctx, stored, timeoutMs, options.fetchImpl);
  const box = leadBoxOf(ctx.dataDir);
  for (const kind of Object.keys(FORWARDED_KINDS)) {
    const destination = FORWARDED_KINDS[kind]!;
    const endpoint: Endpoint | Error | undefined = endpoints[destination];
    // Without a destination the rows wait: configured later, they go then.
    if (!endpoint) continue;
    const title = destinationTitle(stored, destination);
    const limit =
      endpoint instanceof Error ? 1 : Math.min(options.batchSize ?? 100, connectorOf(endpoint.type).maxBatch ?? 100);
    for (;;) {
      const now = ctx.now().toISOString();
      const rows = await claim(ctx, await dueRows(ctx, kind, now, limit), now);
      if (rows.length === 0) break;
      let payloads: unknown[] = [];
      try {
        if (endpoint instanceof Error) throw endpoint;
        // A lead is opened from its seal here, for this request only.
        payloads = rows.map((r) => (r.sealed ? box.open<unknown>(r.payload) : (JSON.parse(r.payload) as unknown)));
        const batchRows: BatchRow[] = rows.map((r) => ({
          idempotencyKey: r.idempotency_key,
          kind: r.kind,
          createdAt: r.at,
          source: sourceOf(r),
        }));
        await connectorOf(endpoint.type).send(
          endpoint,
          { key: batchKey(batchRows), kind, rows: batchRows, payloads },
          transport,
        );
        const at = ctx.now().toISOString();
        await settle(ctx, rows, (r) => ({ sent_at: at, sent_to: title, last_error: null, attempts: r.attempts + 1 }));
        report.sent += rows.length;
      } catch (error) {
        // Kept and shown without what the records hold: a CRM may echo a visitor's e-mail.
        const message = withoutPersonalData((error as Error).message, payloads).slice(0, 500);
        const at = Date.parse(ctx.now().toISOString());
        await settle(ctx, rows, (r) => ({
          attempts: r.attempts + 1,
          last_error: message,
          next_attempt_at: new Date(at + Math.min(cap, base * 2 ** r.attempts)).toISOString(),
        }));
        report.failed += rows.length;
        report.lastError = message;
        options.log?.(`forwarding ${kind}s to ${title ?? 'the CRM'} failed: ${message}`);
        break;
      }
    }
  }
  return report;
}

/** "Retry now": every row waiting for a retry is due at once. */
export async function makeForwardsDue(ctx: StudioContext): Promise<number> {
  const result = await ctx.db
    .updateTable('fleet_forwards')
    .set({ next_attempt_at: ctx.now().toISOString() })
    .where('sent_at', 'is', null)
    .where('held', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface Forwarder {
  /** Runs now (or once more after the run under way); resolves when that run is over. */
  runNow(): Promise<ForwardReport>;
  stop(): Promise<void>;
}

const forwarders = new WeakMap<StudioContext, Forwarder>();

/** The worker of a running Studio: a run after each ingest that stored something, and every intervalMs. */
export function startForwarding(ctx: StudioContext, options: ForwardingOptions = {}): Forwarder {
  let running: Promise<ForwardReport> | null = null;
  let again: Promise<ForwardReport> | null = null;
  let stopped = false;
  const once = (): Promise<ForwardReport> =>
    forwardDue(ctx, options).catch((error: unknown) => {
      options.log?.(`forwarding stopped for this run: ${(error as Error).message}`);
      return { sent: 0, failed: 0, lastError: (error as Error).message };
    });
  const runNow = (): Promise<ForwardReport> => {
    if (stopped) return Promise.resolve({ sent: 0, failed: 0, lastError: null });
    if (!running) {
      running = once().finally(() => {
        running = null;
      });
      return running;
    }
    // Records stored during a run may have missed it: one more run after it, shared by all who ask.
    again ??= running.then(() => {
      again = null;
      return runNow();
    });
    return again;
  };
  const timer = setInterval(() => void runNow(), options.intervalMs ?? 10_000);
  timer.unref();
  const forwarder: Forwarder = {
    runNow,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await again;
      await running;
      forwarders.delete(ctx);
    },
  };
  forwarders.set(ctx, forwarder);
  return forwarder;
}

/** After an ingest stored leads or meetings: the worker of this Studio runs (no-op when none runs). */
export function nudgeForwarding(ctx: StudioContext): void {
  void forwarders.get(ctx)?.runNow();
}

export function forwarderOf(ctx: StudioContext): Forwarder | undefined {
  return forwarders.get(ctx);
}
