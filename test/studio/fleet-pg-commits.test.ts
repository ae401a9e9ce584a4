import type { Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrolAnswer } from '#shared/fleet';
import type { StudioContext } from '#studio/context';
import { openDatabase, type StudioDb } from '#studio/database/connection';
import type { AuthenticatedDevice } from '#studio/fleet/device-auth';
import { foldPending } from '#studio/fleet/folding';
import { ingest } from '#studio/fleet/ingest';
import { lockOrder, retryDeadlocks } from '#studio/fleet/pgcommits';
import { rebuildRollups } from '#studio/fleet/rollups';
import { tempDir } from '../support/release.ts';
import { SimulatedDevice } from './fleet-device.ts';
import { postgresUnavailable, startPostgres, type TestPostgres } from './postgres.ts';

/**
 * Ingest on PostgreSQL runs several commits at once, and folds (folding.ts) run beside them, in
 * this Studio or another. An upload must not wait behind a fold; two commits racing on the same
 * records must store and list each record once; two folds at once must count each record once:
 * the rollups stay equal to the ones rebuilt from the records.
 */

const NOW = Date.parse('2026-03-20T12:00:00Z');
const pgMissing = postgresUnavailable();

function deviceOf(d: number): { device: SimulatedDevice; auth: AuthenticatedDevice } {
  const id = `dev_commits_${d}`;
  const identity = {
    deviceId: id,
    rep: { name: `Rep ${d}`, email: `rep${d}@example.com` },
    booth: null,
    team: 'North',
    region: 'EMEA',
  };
  const device = new SimulatedDevice('http://unused', '1.4.0', 3);
  device.enrolment = { identity, credential: `${id}.x` } as unknown as EnrolAnswer;
  return { device, auth: { id, rep: identity.rep.email, booth: null, team: 'North', region: 'EMEA', revoked: false } };
}

const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();

function views(device: SimulatedDevice, count: number, from: number) {
  return Array.from({ length: count }, (_, i) =>
    device.event(minutesAgo(from + i), { itemId: `item-${i % 3}`, page: 1 + (i % 4), dwellMs: 3_000 + i }),
  );
}

async function rollupRows(db: StudioDb) {
  const out: Record<string, string[]> = {};
  for (const table of ['fleet_usage_total', 'fleet_usage_daily', 'fleet_page_daily'] as const)
    out[table] = (await db.selectFrom(table).selectAll().execute()).map((r) => JSON.stringify(r)).sort();
  return out;
}

/** Settles to 'pending' if the promise has not settled by the time the event loop has run a while. */
async function stateOf(promise: Promise<unknown>, ms = 300): Promise<'settled' | 'pending'> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setTimeout(resolve, ms));
  return settled ? 'settled' : 'pending';
}

describe.skipIf(pgMissing !== null)('concurrent ingest commits on PostgreSQL', () => {
  let server: TestPostgres;
  let data: ReturnType<typeof tempDir>;
  let ctx: StudioContext;
  let locker: pg.Client;

  beforeAll(async () => {
    server = await startPostgres();
    data = tempDir('studio-fleet-pg-commits-');
    const { db } = await openDatabase({ dataDir: data.dir, url: server.url });
    ctx = { db, dataDir: data.dir, now: () => new Date(NOW) } as unknown as StudioContext;
    locker = new pg.Client({ connectionString: server.url });
    await locker.connect();
  }, 60_000);

  afterAll(async () => {
    await locker?.end();
    await ctx?.db.destroy();
    server?.stop();
    data?.cleanup();
  });

  /** Holds every all-time total row locked, as a long fold (or a fold in another Studio) would, until released. */
  async function lockTotals(): Promise<() => Promise<void>> {
    await locker.query('begin');
    const locked = await locker.query('select 1 from fleet_usage_total for update');
    expect(locked.rowCount).toBeGreaterThan(0);
    return async () => void (await locker.query('rollback'));
  }

  it('uploads are stored while a fold waits on the rollup rows, and the fold then counts them', async () => {
    const a = deviceOf(1);
    const b = deviceOf(2);
    await ingest(ctx, a.auth, 'seed', { records: views(a.device, 6, 1_000) });
    await foldPending(ctx.db);
    const release = await lockTotals();
    let folding: Promise<number>;
    try {
      await ingest(ctx, a.auth, 'views', { records: views(a.device, 6, 2_000) });
      folding = foldPending(ctx.db);
      expect(await stateOf(folding)).toBe('pending');
      // Ingest commits never touch the rollups: uploads go on while the fold waits.
      const answer = await ingest(ctx, b.auth, 'views', { records: views(b.device, 4, 3_000) });
      expect(answer).toEqual({ accepted: 4, duplicate: false, refused: [] });
      expect(await stateOf(folding, 0)).toBe('pending');
    } finally {
      await release();
    }
    // The fold took what was listed when it began; B's views wait for the next one.
    expect(await folding).toBe(6);
    expect(await foldPending(ctx.db)).toBe(4);
    const kept = await rollupRows(ctx.db);
    await ctx.db.transaction().execute((trx) => rebuildRollups(trx as unknown as Kysely<unknown>));
    expect(await rollupRows(ctx.db)).toEqual(kept);
  });

  it('two commits racing on the same records store, list and count each record once', async () => {
    const c = deviceOf(3);
    const records = views(c.device, 20, 5_000);
    await ingest(ctx, c.auth, 'seed', { records: views(c.device, 3, 4_000) });
    // The first commit is held after it inserted the records: at listing them, behind a row
    // another transaction has inserted for one of them and not committed.
    const held = (records[7] as { idempotencyKey: string }).idempotencyKey;
    await locker.query('begin');
    await locker.query(
      `insert into fleet_rollup_pending (device_id, idempotency_key, at, day, event_type) values ($1, $2, '', '', '')`,
      [c.auth.id, held],
    );
    let first: Promise<unknown>;
    let second: Promise<unknown>;
    try {
      first = ingest(ctx, c.auth, 'first', { records });
      expect(await stateOf(first)).toBe('pending');
      // The same records under another batch key (a device that lost its answer and re-batched)
      // must wait for the first's rows, find them stored, and list none of them again.
      second = ingest(ctx, c.auth, 'second', { records: [...records].reverse() });
      expect(await stateOf(second)).toBe('pending');
    } finally {
      await locker.query('rollback');
    }
    expect(await first).toEqual({ accepted: 20, duplicate: false, refused: [] });
    expect(await second).toEqual({ accepted: 20, duplicate: false, refused: [] });
    const stored = await ctx.db
      .selectFrom('fleet_records')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('device_id', '=', c.auth.id)
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(23);
    expect(await foldPending(ctx.db)).toBe(23);
    const kept = await rollupRows(ctx.db);
    await ctx.db.transaction().execute((trx) => rebuildRollups(trx as unknown as Kysely<unknown>));
    expect(await rollupRows(ctx.db)).toEqual(kept);
  });

  it('two folds at once (two Studio processes) count each record once', async () => {
    const d = deviceOf(4);
    await foldPending(ctx.db);
    await ingest(ctx, d.auth, 'one', { records: views(d.device, 9, 6_000) });
    const release = await lockTotals();
    let one: Promise<number>;
    let two: Promise<number>;
    try {
      one = foldPending(ctx.db);
      expect(await stateOf(one)).toBe('pending');
      await ingest(ctx, d.auth, 'two', { records: views(d.device, 5, 7_000) });
      // The second takes what the first has not; the first's rows it waits for, then skips.
      two = foldPending(ctx.db);
      expect(await stateOf(two)).toBe('pending');
    } finally {
      await release();
    }
    expect([await one, await two]).toEqual([9, 5]);
    const kept = await rollupRows(ctx.db);
    await ctx.db.transaction().execute((trx) => rebuildRollups(trx as unknown as Kysely<unknown>));
    expect(await rollupRows(ctx.db)).toEqual(kept);
  });

  it('a fold takes at most ten slices and leaves the rest to the next, so a stream of uploads cannot keep it going', async () => {
    const d = deviceOf(40);
    await foldPending(ctx.db);
    await ingest(ctx, d.auth, 'many', { records: views(d.device, 25, 8_000) });
    expect(await foldPending(ctx.db, 2)).toBe(20);
    expect(await foldPending(ctx.db, 2)).toBe(5);
    const kept = await rollupRows(ctx.db);
    await ctx.db.transaction().execute((trx) => rebuildRollups(trx as unknown as Kysely<unknown>));
    expect(await rollupRows(ctx.db)).toEqual(kept);
  });

  it('each device keeps its latest status when several arrive in one commit, and a late older one changes nothing', async () => {
    const fleet = [30, 31, 32].map(deviceOf);
    const status = (device: SimulatedDevice, minutes: number, releaseVersion: number) =>
      device.status(minutesAgo(minutes), { releaseVersion, ready: true });
    // Sent together, so they share commits: two statuses from one device, one from each other.
    await Promise.all(
      fleet.map(({ device, auth }, d) =>
        ingest(ctx, auth, 'status', { records: [status(device, 10, 5 + d), status(device, 20, 1)] }),
      ),
    );
    const late = fleet[0]!;
    await ingest(ctx, late.auth, 'late', { records: [status(late.device, 60, 2)] });
    const saved = await ctx.db
      .selectFrom('fleet_device_status')
      .select(['device_id', 'at', 'release_version'])
      .where(
        'device_id',
        'in',
        fleet.map((f) => f.auth.id),
      )
      .orderBy('device_id')
      .execute();
    expect(saved).toEqual(
      fleet.map(({ auth }, d) => ({ device_id: auth.id, at: minutesAgo(10), release_version: 5 + d })),
    );
  });

  it('many devices posting at once, with repeats, leave the rollups equal to the records', async () => {
    const fleet = Array.from({ length: 12 }, (_, d) => deviceOf(10 + d));
    const sends = fleet.flatMap(({ device, auth }, d) => {
      const batches = [0, 1, 2].map((b) => views(device, 15, 10_000 + d * 100 + b * 15));
      return [
        ...batches.map((records, b) => ingest(ctx, auth, `b${b}`, { records })),
        ingest(ctx, auth, 'b0', { records: batches[0] }),
        ingest(ctx, auth, 'again', { records: batches[1]!.slice(0, 5) }),
      ];
    });
    await Promise.all(sends);
    const perDevice = await ctx.db
      .selectFrom('fleet_records')
      .select(['device_id', (eb) => eb.fn.countAll<string>().as('n')])
      .where(
        'device_id',
        'in',
        fleet.map((f) => f.auth.id),
      )
      .groupBy('device_id')
      .execute();
    expect(perDevice.map((r) => Number(r.n))).toEqual(fleet.map(() => 45));
    await foldPending(ctx.db);
    const kept = await rollupRows(ctx.db);
    await ctx.db.transaction().execute((trx) => rebuildRollups(trx as unknown as Kysely<unknown>));
    expect(await rollupRows(ctx.db)).toEqual(kept);
  });
});

describe('lock order and deadlock retries', () => {
  it('sorts rows by their key, part by part', () => {
    const rows = [
      ['b', 1],
      ['a', 2],
      ['a', 10],
      ['b', 0],
    ] as const;
    expect(lockOrder(rows, ([x, y]) => [x, y])).toEqual([
      ['a', 10],
      ['a', 2],
      ['b', 0],
      ['b', 1],
    ]);
    // A shorter first part sorts first whatever follows it: parts are not run together.
    expect(
      lockOrder(
        [
          ['ab', 'a'],
          ['a', 'z'],
          ['a', 'b'],
        ] as const,
        ([x, y]) => [x, y],
      ),
    ).toEqual([
      ['a', 'b'],
      ['a', 'z'],
      ['ab', 'a'],
    ]);
  });

  it('runs a transaction again when PostgreSQL broke a deadlock, and only then', async () => {
    let runs = 0;
    const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    expect(await retryDeadlocks(async () => (++runs < 3 ? Promise.reject(deadlock) : 'committed'))).toBe('committed');
    expect(runs).toBe(3);
    runs = 0;
    const unique = Object.assign(new Error('duplicate key'), { code: '23505' });
    await expect(retryDeadlocks(async () => (++runs, Promise.reject(unique)))).rejects.toBe(unique);
    expect(runs).toBe(1);
    runs = 0;
    await expect(retryDeadlocks(async () => (++runs, Promise.reject(deadlock)))).rejects.toBe(deadlock);
    expect(runs).toBe(5);
  });
});
