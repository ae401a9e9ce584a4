import { copyFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrolAnswer } from '#shared/fleet';
import type { StudioContext } from '#studio/context';
import { openDatabase, type StudioDb } from '#studio/database/connection';
import type { StudioTables } from '#studio/database/schema';
import { contentUsage, pageDropOff, unusedItems, type Source } from '#studio/fleet/dashboards';
import type { AuthenticatedDevice } from '#studio/fleet/device-auth';
import { ingest } from '#studio/fleet/ingest';
import { foldBeforeReading, foldPending, LISTED_NAMES, startFolding, withFoldsHeld } from '#studio/fleet/folding';
import { eraseSubject } from '#studio/fleet/privacy';
import { dwellBucket } from '#studio/fleet/records';
import {
  Histogram,
  histogramBucket,
  histogramMedian,
  MEDIAN_ERROR_BOUND,
  countedSql,
  isCounted,
  rebuildRollups,
  DWELL_HISTOGRAM_BUCKETS,
} from '#studio/fleet/rollups';
import { ITEMS, recordsFor, REGIONS, rng, TEAMS } from '../bench/fleet/simulation.ts';
import { tempDir } from '../support/release.ts';
import { SimulatedDevice } from './fleet-device.ts';
import { unfoldedKeys } from './fleet-unfolded.ts';
import { databaseAt } from './migration-database.ts';
import { postgresUnavailable, startPostgres, type TestPostgres } from './postgres.ts';

/**
 * The rollups the content views read (per day, team, item and page) against the records they
 * sum, on the same data: repeated batches, a record resent under another batch key, malformed
 * records, views without an item, page or dwell, a meeting across midnight, a booth without a
 * team; then a rep erased, with some of their records folded into the rollups and some still
 * listed. Every view must answer the same from either source; the rollups folded from ingest
 * must equal the ones rebuilt from the records (what migration 040 does for an existing Studio);
 * and the histogram median stays within its stated bound.
 */

const NOW = Date.parse('2026-03-20T12:00:00Z');
const pgMissing = postgresUnavailable();

interface Fleet {
  ctx: StudioContext;
  devices: { device: SimulatedDevice; auth: AuthenticatedDevice }[];
}

function fleetOf(count: number): { device: SimulatedDevice; auth: AuthenticatedDevice }[] {
  return Array.from({ length: count }, (_, d) => {
    const booth = d % 5 === 4;
    const id = `dev_rollup_${d}`;
    const identity = {
      deviceId: id,
      rep: booth ? null : { name: `Rep ${d}`, email: `rep${d}@example.com` },
      booth: booth ? { event: `Expo ${d % 2}` } : null,
      // A booth has no team: its records count under "(none)".
      team: booth ? null : TEAMS[d % 3]!,
      region: booth ? null : REGIONS[d % REGIONS.length]!,
    };
    const device = new SimulatedDevice('http://unused', '1.4.0', d % 4 === 0 ? 2 : 3);
    device.enrolment = { identity, credential: `${id}.x` } as unknown as EnrolAnswer;
    const auth = {
      id,
      rep: identity.rep?.email ?? null,
      booth: identity.booth?.event ?? null,
      team: identity.team,
      region: identity.region,
      revoked: false,
    };
    return { device, auth };
  });
}

/** A device of its own for one test, with the identity given (team, rep) on its uploads. */
function soleDevice(auth: Partial<AuthenticatedDevice> & { id: string }) {
  const { device, auth: base } = fleetOf(1)[0]!;
  device.enrolment!.identity.deviceId = auth.id;
  return { device, auth: { ...base, ...auth } };
}

/** `count` of a device's page views a minute apart, the first `from` minutes before NOW; the i-th's fields. */
function viewsOf(device: SimulatedDevice, fields: (i: number) => Parameters<SimulatedDevice['event']>[1]) {
  return (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => device.event(new Date(NOW - (from + i) * 60_000).toISOString(), fields(i)));
}

/** Posts every device's records in batches of 40, as devices do: some batches twice, some concurrently. */
async function post(ctx: StudioContext, fleet: Fleet['devices'], seed: number) {
  const random = rng(seed);
  for (const { device, auth } of fleet) {
    const { records } = recordsFor(device, 120, random, { malformed: 0.02, now: NOW });
    const meeting = `late-${auth.id}`;
    // Shown on both sides of midnight UTC; a view with no item; one with no page; one with no dwell.
    records.push(
      device.event('2026-03-18T23:50:00.000Z', { itemId: ITEMS[1]!, page: 1, dwellMs: 40_000, meetingId: meeting }),
      device.event('2026-03-19T00:10:00.000Z', { itemId: ITEMS[1]!, page: 2, dwellMs: 7_000, meetingId: meeting }),
      device.event('2026-03-19T00:12:00.000Z', { type: 'page.viewed', itemId: '', page: 3, dwellMs: 500 }),
      device.event('2026-03-19T00:13:00.000Z', { type: 'page.viewed', itemId: ITEMS[2]!, dwellMs: 90_000 }),
      device.event('2026-03-19T00:14:00.000Z', { itemId: ITEMS[2]!, page: 4, meetingId: meeting }),
    );
    const batches = [];
    for (let i = 0; i < records.length; i += 40) batches.push(records.slice(i, i + 40));
    const sends = batches.map((batch, i) => ingest(ctx, auth, `${auth.id}:${i}`, { records: batch }));
    // The first batch again, at once and later; and its first record again under another key.
    sends.push(ingest(ctx, auth, `${auth.id}:0`, { records: batches[0] }));
    await Promise.all(sends);
    await ingest(ctx, auth, `${auth.id}:0`, { records: batches[0] });
    await ingest(ctx, auth, `${auth.id}:again`, { records: batches[0]!.slice(0, 1) });
  }
}

/** Every view the rollups serve, with the filters they carry, from the given source. */
async function views(ctx: StudioContext, source: Source) {
  const all = { team: null };
  const north = { team: 'North' };
  const answers: Record<string, unknown> = {};
  const content = async (name: string, scope: { team: string | null }, f: object) => {
    for (const groupBy of ['item', 'team', 'day'] as const)
      answers[`${name}/${groupBy}`] = (
        await contentUsage(ctx, scope, { groupBy, channel: 'default', ...f }, source)
      ).tables;
  };
  await content('all', all, {});
  await content('north-scope', north, {});
  await content('south-filter', all, { team: 'South' });
  await content('period', all, { from: '2026-03-05', to: '2026-03-19' });
  await content('north-period', north, { from: '2026-03-19', to: '2026-03-19' });
  for (const item of [ITEMS[0]!, ITEMS[1]!, ITEMS[2]!, 'never-shown'])
    for (const [name, scope, f] of [
      ['all', all, {}],
      ['north', north, { from: '2026-03-10' }],
    ] as const)
      answers[`pages/${item}/${name}`] = (await pageDropOff(ctx, scope, { item, ...f }, source)).tables;
  answers.unused = (await unusedItems(ctx, all, { days: 14, channel: 'default' }, source)).tables;
  answers['unused/north'] = (await unusedItems(ctx, north, { days: 3, channel: 'default' }, source)).tables;
  return answers;
}

const ROLLUP_TABLES = [
  'fleet_usage_total',
  'fleet_usage_daily',
  'fleet_page_daily',
  'fleet_meeting_items',
  'fleet_meeting_days',
  'fleet_team_daily',
] as const;

async function rollupRows(db: StudioDb) {
  const out: Record<string, unknown[]> = {};
  for (const table of ROLLUP_TABLES) {
    const rows = await db.selectFrom(table).selectAll().execute();
    out[table] = rows
      .map((r) =>
        JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? v : String(v)]))),
      )
      .sort();
  }
  return out;
}

/** The rollups as folded must equal the ones rebuilt from the records; answers the folded rows. */
async function expectRebuildEquals(db: StudioDb) {
  const kept = await rollupRows(db);
  await db.transaction().execute((trx) => rebuildRollups(trx as unknown as Kysely<unknown>));
  expect(await rollupRows(db)).toEqual(kept);
  return kept;
}

describe.each(['sqlite', 'postgres'] as const)('fleet rollups on %s', (backend) => {
  const skip = backend === 'postgres' && pgMissing !== null;
  let pg: TestPostgres | null = null;
  let data: ReturnType<typeof tempDir>;
  let ctx: StudioContext;
  const fleet = fleetOf(15);

  beforeAll(async () => {
    if (skip) return;
    if (backend === 'postgres') pg = await startPostgres();
    data = tempDir('studio-fleet-rollups-');
    const { db } = await openDatabase({ dataDir: data.dir, url: pg?.url });
    ctx = { db, dataDir: data.dir, now: () => new Date(NOW) } as unknown as StudioContext;
    await post(ctx, fleet, 11);
  }, 60_000);

  afterAll(async () => {
    await ctx?.db.destroy();
    pg?.stop();
    data?.cleanup();
  });

  it.skipIf(skip)('every content view answers the same from the rollups as from the records', async () => {
    const stored = await ctx.db
      .selectFrom('fleet_records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    // 15 devices × (about 118 valid + 5) records, each stored once.
    expect(Number(stored.n)).toBeGreaterThan(15 * 115);
    const fromRecords = await views(ctx, 'records');
    expect(await views(ctx, 'rollups')).toEqual(fromRecords);
    // Not vacuous: the views have figures, meetings and medians in them.
    const byItem = (fromRecords['all/item'] as { usage: { rows: Record<string, number>[] } }).usage.rows;
    expect(byItem.reduce((a, r) => a + Number(r.meetings), 0)).toBeGreaterThan(0);
    expect(byItem.some((r) => r.dwellMedianMs !== null && Number(r.opens) > 0)).toBe(true);
    const byDay = (fromRecords['all/day'] as { usage: { rows: Record<string, string | number>[] } }).usage.rows;
    // The meeting across midnight counts on both days it was shown.
    expect(byDay.find((r) => r.key === '2026-03-18')?.meetings).toBeGreaterThanOrEqual(12);
    expect(byDay.find((r) => r.key === '2026-03-19')?.meetings).toBeGreaterThanOrEqual(12);
  });

  it.skipIf(skip)('the rollups folded from ingest equal the ones rebuilt from the records', async () => {
    await foldPending(ctx.db);
    const kept = await expectRebuildEquals(ctx.db);
    expect(kept.fleet_usage_daily!.length).toBeGreaterThan(100);
  });

  it.skipIf(skip)('erasing a rep takes their records out of the rollups, and the views still agree', async () => {
    const before = (await contentUsage(ctx, { team: null }, { groupBy: 'team', channel: 'default' })).tables.usage;
    const erased = await eraseSubject(ctx, { user: { id: 'admin' } } as never, { rep: 'rep0@example.com' });
    expect(erased.records).toBeGreaterThan(100);
    const after = (await contentUsage(ctx, { team: null }, { groupBy: 'team', channel: 'default' })).tables.usage;
    const opensOf = (t: typeof before, team: string) => Number(t!.rows.find((r) => r.key === team)?.opens);
    expect(opensOf(after, TEAMS[0]!)).toBeLessThan(opensOf(before, TEAMS[0]!));
    expect(await views(ctx, 'rollups')).toEqual(await views(ctx, 'records'));
    await expectRebuildEquals(ctx.db);
  });

  it.skipIf(skip)('an upload is listed at ingest, folded once, and a view reads it at once', async () => {
    const { device, auth } = soleDevice({ id: 'dev_fold', team: 'Fold' });
    const viewsOf = async () =>
      (await contentUsage(ctx, { team: null }, { groupBy: 'team', channel: 'default' })).tables.usage!.rows.find(
        (r) => r.key === 'Fold',
      )?.views;
    const shown = Array.from({ length: 7 }, (_, i) =>
      device.event(new Date(NOW - i * 60_000).toISOString(), { itemId: ITEMS[3]!, page: 1 + i, dwellMs: 4_000 }),
    );
    await foldPending(ctx.db);
    await ingest(ctx, auth, 'fold-1', { records: [...shown, device.searchMiss(new Date(NOW).toISOString(), 'nope')] });
    // Stored and listed (the search is not counted, so not listed); not yet in the rollups.
    const listed = await unfoldedKeys(ctx.db);
    expect(listed).toHaveLength(7);
    const totals = () =>
      ctx.db.selectFrom('fleet_usage_total').select('views').where('team', '=', 'Fold').executeTakeFirst();
    expect(await totals()).toBeUndefined();
    // A view folds before it reads.
    expect(await viewsOf()).toBe(7);
    expect(await unfoldedKeys(ctx.db)).toEqual([]);
    expect(Number((await totals())?.views)).toBe(7);
    // Folding again, or the same batch again, counts nothing twice.
    expect(await foldPending(ctx.db)).toBe(0);
    await ingest(ctx, auth, 'fold-1', { records: shown });
    await ingest(ctx, auth, 'fold-2', { records: shown.slice(0, 3) });
    expect(await viewsOf()).toBe(7);
  });

  it.skipIf(skip)('"last opened" after an erasure is of folded opens only, not one still listed', async () => {
    await foldPending(ctx.db);
    const [z, w, x] = fleetOf(3).map((d, i) => {
      const id = `dev_opens_${i}`;
      d.device.enrolment!.identity.deviceId = id;
      return { device: d.device, auth: { ...d.auth, id, rep: `opens${i}@example.com`, team: 'Opens' } };
    });
    const opened = (who: typeof z, minute: string) =>
      who!.device.event(`2026-03-19T10:${minute}:00.000Z`, { itemId: ITEMS[5]! });
    await ingest(ctx, z!.auth, 'z', { records: [opened(z, '01')] });
    await ingest(ctx, w!.auth, 'w', { records: [opened(w, '03')] });
    await foldPending(ctx.db);
    // X's open, the latest, is stored and listed but not folded when Z and then X are erased.
    await ingest(ctx, x!.auth, 'x', { records: [opened(x, '05')] });
    const admin = { user: { id: 'admin' } } as never;
    await eraseSubject(ctx, admin, { rep: 'opens0@example.com' });
    await eraseSubject(ctx, admin, { rep: 'opens2@example.com' });
    await foldPending(ctx.db);
    const last = await ctx.db
      .selectFrom('fleet_usage_daily')
      .select('last_opened_at')
      .where('team', '=', 'Opens')
      .executeTakeFirstOrThrow();
    expect(last.last_opened_at).toBe('2026-03-19T10:03:00.000Z');
    await expectRebuildEquals(ctx.db);
  });

  it.skipIf(skip)(
    'a meeting shown under two teams in one fold counts under the greater, as a rebuild does',
    async () => {
      await foldPending(ctx.db);
      // The device moved from West to East in the middle of a meeting: its views carry both teams.
      const { device, auth } = fleetOf(1)[0]!;
      device.enrolment!.identity.deviceId = 'dev_moved';
      const moved = { ...auth, id: 'dev_moved', rep: 'moved@example.com' };
      const shown = (minute: string, page: number) =>
        device.event(`2026-03-19T11:${minute}:00.000Z`, { itemId: ITEMS[6]!, page, meetingId: 'moved-meeting' });
      await ingest(ctx, { ...moved, team: 'West' }, 'moved-1', { records: [shown('01', 1)] });
      await ingest(ctx, { ...moved, team: 'East' }, 'moved-2', { records: [shown('02', 2)] });
      await foldPending(ctx.db);
      const met = await ctx.db
        .selectFrom('fleet_meeting_items')
        .select('team')
        .where('meeting_id', '=', 'moved-meeting')
        .execute();
      expect(met).toEqual([{ team: 'West' }]);
      await expectRebuildEquals(ctx.db);
      // Erased, the meeting leaves no count behind under either team (and the views read from the
      // records, which count a meeting under each team it was shown in, agree again for the tests after).
      await eraseSubject(ctx, { user: { id: 'admin' } } as never, { rep: 'moved@example.com' });
      expect(
        await ctx.db.selectFrom('fleet_meeting_items').selectAll().where('meeting_id', '=', 'moved-meeting').execute(),
      ).toEqual([]);
      expect(await views(ctx, 'rollups')).toEqual(await views(ctx, 'records'));
      await expectRebuildEquals(ctx.db);
    },
  );

  it.skipIf(skip)('uploads wait for a fold when they are too far ahead of the folds', async () => {
    const own = tempDir('studio-fleet-backlog-');
    const { db } = await openDatabase({ dataDir: own.dir, url: pg?.url });
    const studio = { db, dataDir: own.dir, now: () => new Date(NOW) } as unknown as StudioContext;
    const { device, auth } = soleDevice({ id: 'dev_burst', team: 'Burst' });
    const shown = viewsOf(device, () => ({ itemId: ITEMS[6]!, page: 2, dwellMs: 5_000 }));
    const listed = async () => (await unfoldedKeys(db, 'dev_burst')).length;
    // A timer that would not fire during the test: only the backlog makes a fold happen.
    const folding = startFolding(studio, { afterMs: 60_000, maxBacklog: 5 });
    try {
      await ingest(studio, auth, 'burst-1', { records: shown(0, 4) });
      await ingest(studio, auth, 'burst-2', { records: shown(10, 4) });
      expect(await listed()).toBe(8);
      // Eight listed, more than five: this upload waits for a fold of those eight first.
      await ingest(studio, auth, 'burst-3', { records: shown(20, 2) });
      expect(await listed()).toBe(2);
    } finally {
      await folding.stop();
      await foldPending(db);
      await db.destroy();
      own.cleanup();
    }
  });

  it.skipIf(skip)(
    'a running Studio folds uploads on its own soon after, and once stopped leaves them listed',
    async () => {
      // A Studio of its own on the same database: the timer belongs to its connection.
      const own = tempDir('studio-fleet-folder-');
      const { db } = await openDatabase({ dataDir: own.dir, url: pg?.url });
      const studio = { db, dataDir: own.dir, now: () => new Date(NOW) } as unknown as StudioContext;
      const { device, auth } = soleDevice({ id: 'dev_timer', team: 'Timer' });
      const shown = viewsOf(device, () => ({ itemId: ITEMS[4]!, page: 1, dwellMs: 2_500 }));
      const listed = () => unfoldedKeys(db, 'dev_timer');
      const counted = async () =>
        Number(
          (await db.selectFrom('fleet_usage_total').select('views').where('team', '=', 'Timer').executeTakeFirst())
            ?.views ?? 0,
        );
      try {
        const folding = startFolding(studio, { afterMs: 5 });
        try {
          await ingest(studio, auth, 'timer-1', { records: shown(0, 4) });
          await folding.idle();
          expect(await listed()).toEqual([]);
          expect(await counted()).toBe(4);
        } finally {
          await folding.stop();
        }
        // Stopped (a Studio closing): uploads stay listed, and a view does not fold into a closing database.
        await ingest(studio, auth, 'timer-2', { records: shown(10, 3) });
        await contentUsage(studio, { team: null }, { groupBy: 'item', channel: 'default' });
        expect(await listed()).toHaveLength(3);
        expect(await counted()).toBe(4);
        // The next start folds them.
        const again = startFolding(studio, { afterMs: 5 });
        await again.idle();
        await again.stop();
        expect(await listed()).toEqual([]);
        expect(await counted()).toBe(7);
      } finally {
        await db.destroy();
        own.cleanup();
      }
    },
  );

  it.skipIf(skip || backend === 'sqlite')(
    'on PostgreSQL, a Studio gathers the dashboards’ statistics once a burst of uploads is folded',
    async () => {
      const own = tempDir('studio-fleet-statistics-');
      const { db } = await openDatabase({ dataDir: own.dir, url: pg?.url });
      const studio = { db, dataDir: own.dir, now: () => new Date(NOW) } as unknown as StudioContext;
      const { device, auth } = soleDevice({ id: 'dev_stats', team: 'Stats' });
      const shown = viewsOf(device, () => ({ itemId: ITEMS[5]!, page: 1, dwellMs: 1_500 }));
      // Manual ANALYZEs of the records only (autovacuum's are counted apart).
      const analyzed = async () =>
        Number(
          (
            await sql<{ n: string }>`select analyze_count as n from pg_stat_user_tables
              where relname = 'fleet_records'`.execute(db)
          ).rows[0]!.n,
        );
      // What other tests left listed is folded first: only this test's records count below.
      await foldPending(db);
      const before = await analyzed();
      const folding = startFolding(studio, { afterMs: 5, statisticsAfter: 6 });
      try {
        // Fewer than six folded: no statistics yet.
        await ingest(studio, auth, 'stats-1', { records: shown(0, 4) });
        await folding.idle();
        await folding.statisticsGathered();
        expect(await analyzed()).toBe(before);
        // Six or more: gathered once the folds pause.
        await ingest(studio, auth, 'stats-2', { records: shown(10, 4) });
        await folding.idle();
        await folding.statisticsGathered();
        expect(await analyzed()).toBe(before + 1);
      } finally {
        await folding.stop();
        await db.destroy();
        own.cleanup();
      }
    },
  );

  it.skipIf(skip)(
    'a backlog larger than one fold takes is folded by the folds that follow, with no upload to ask',
    async () => {
      const own = tempDir('studio-fleet-backlog-');
      const { db } = await openDatabase({ dataDir: own.dir, url: pg?.url });
      const studio = { db, dataDir: own.dir, now: () => new Date(NOW) } as unknown as StudioContext;
      const { device, auth } = soleDevice({ id: 'dev_backlog', team: 'Backlog' });
      const records = Array.from({ length: 25 }, (_, i) =>
        device.event(new Date(NOW - i * 60_000).toISOString(), { itemId: ITEMS[9]!, page: 1, dwellMs: 3_000 }),
      );
      const listed = async () => (await unfoldedKeys(db, 'dev_backlog')).length;
      try {
        // Listed while no Studio folds (one stopped before folding them).
        await ingest(studio, auth, 'backlog', { records });
        expect(await listed()).toBe(25);
        // Slices of two: one fold takes twenty, and the next fold takes the other five unasked.
        const folding = startFolding(studio, { afterMs: 5, slice: 2 });
        await folding.idle();
        await folding.stop();
        expect(await listed()).toBe(0);
      } finally {
        await db.destroy();
        own.cleanup();
      }
    },
  );

  it.skipIf(skip)(
    'a view in a running Studio folds its own uploads first, and leaves another Studio’s to that Studio’s timer',
    async () => {
      // Two Studio processes on one database, neither timer firing during the test.
      const own = tempDir('studio-fleet-two-');
      const here = await openDatabase({ dataDir: own.dir, url: pg?.url });
      const there = await openDatabase({ dataDir: own.dir, url: pg?.url });
      const studioOf = (db: StudioDb) =>
        ({ db, dataDir: own.dir, now: () => new Date(NOW) }) as unknown as StudioContext;
      const [a, b] = [studioOf(here.db), studioOf(there.db)];
      const { device, auth } = soleDevice({ id: 'dev_two', team: 'Two' });
      const shown = viewsOf(device, () => ({ itemId: ITEMS[8]!, page: 3, dwellMs: 4_000 }));
      const listed = async () => (await unfoldedKeys(here.db, 'dev_two')).length;
      const viewed = async () =>
        Number(
          (await contentUsage(a, { team: null }, { groupBy: 'team', channel: 'default' })).tables.usage!.rows.find(
            (r) => r.key === 'Two',
          )?.views ?? 0,
        );
      const foldingA = startFolding(a, { afterMs: 60_000 });
      const foldingB = startFolding(b, { afterMs: 60_000 });
      try {
        // Listed by the other Studio: a view here has nothing of its own to fold, and reads on.
        await ingest(b, auth, 'two-1', { records: shown(0, 2) });
        expect(await viewed()).toBe(0);
        expect(await listed()).toBe(2);
        // Its own upload: the view folds first (what is listed, whoever listed it) and sees all.
        await ingest(a, auth, 'two-2', { records: shown(10, 1) });
        expect(await viewed()).toBe(3);
        expect(await listed()).toBe(0);
      } finally {
        await foldingA.stop();
        await foldingB.stop();
        await here.db.destroy();
        await there.db.destroy();
        own.cleanup();
      }
    },
  );

  it.skipIf(skip)(
    'erasing a rep with some records folded and some still listed subtracts only the folded',
    async () => {
      // In a team and on items others have shown: subtracting too much would show in their sums.
      const { device, auth } = soleDevice({ id: 'dev_half', rep: 'half@example.com', team: TEAMS[0]! });
      const shown = (from: number) =>
        Array.from({ length: 6 }, (_, i) =>
          device.event(new Date(NOW - (from + i) * 60_000).toISOString(), {
            itemId: ITEMS[i % 2]!,
            page: 1 + i,
            dwellMs: 3_000 + i,
            meetingId: 'half-meeting',
          }),
        );
      await foldPending(ctx.db);
      await ingest(ctx, auth, 'half-1', { records: shown(0) });
      expect(await foldPending(ctx.db)).toBe(6);
      await ingest(ctx, auth, 'half-2', { records: shown(10) });
      expect(await unfoldedKeys(ctx.db)).toHaveLength(6);
      const erased = await eraseSubject(ctx, { user: { id: 'admin' } } as never, { rep: 'half@example.com' });
      expect(erased.records).toBe(12);
      expect(await unfoldedKeys(ctx.db)).toEqual([]);
      expect(await views(ctx, 'rollups')).toEqual(await views(ctx, 'records'));
      await expectRebuildEquals(ctx.db);
    },
  );
});

/** Records as a Studio before fold numbers (migration 050) stored them. */
type OldRecord = Omit<StudioTables['fleet_records'], 'fold_seq'>;
async function insertRecords(db: Kysely<StudioTables>, rows: readonly (OldRecord & { fold_seq?: number | null })[]) {
  for (let i = 0; i < rows.length; i += 200)
    await db
      .insertInto('fleet_records')
      .values(rows.slice(i, i + 200) as never)
      .execute();
}

/** A current Studio elsewhere, holding the records `fleetOf(devices)` posts; and those records without fold numbers. */
async function sourceStudio(devices: number, seed: number) {
  const dir = tempDir('studio-fleet-rollups-source-');
  const { db } = await openDatabase({ dataDir: dir.dir });
  const ctx = { db, dataDir: dir.dir, now: () => new Date(NOW) } as unknown as StudioContext;
  await post(ctx, fleetOf(devices), seed);
  await foldPending(db);
  const records = (
    await db.selectFrom('fleet_records').selectAll().orderBy('device_id').orderBy('idempotency_key').execute()
  ).map((row) => {
    const { fold_seq: _, ...record } = row as typeof row & { fold_seq?: number | null };
    return record as OldRecord;
  });
  return {
    ctx,
    records,
    async close() {
      await db.destroy();
      dir.cleanup();
    },
  };
}

it('an existing Studio’s records are counted into the rollups by migration 040', async () => {
  const source = await sourceStudio(8, 5);
  try {
    // A Studio from before the rollups, holding the same records as they are.
    const earlier = await databaseAt('sqlite', '013-fleet-partial-indexes');
    await insertRecords(earlier.before, source.records);
    const db = await earlier.open();
    const ctx = { db, now: () => new Date(NOW) } as unknown as StudioContext;
    expect(await rollupRows(db)).toEqual(await rollupRows(source.ctx.db));
    const migrated = await views(ctx, 'rollups');
    expect(migrated).toEqual(await views(source.ctx, 'records'));
    expect(migrated).toEqual(await views(ctx, 'records'));
  } finally {
    await source.close();
  }
}, 60_000);

/** The tables in one file of a SQLite Studio (`main` or `rollups`). */
async function tablesIn(db: StudioDb, schema: 'main' | 'rollups'): Promise<string[]> {
  const rows = await sql<{
    name: string;
  }>`select name from ${sql.raw(schema)}.sqlite_master where type = 'table'`.execute(db);
  return rows.rows.map((r) => r.name);
}

it('on SQLite an upgrade moves the rollups to a file of their own, numbers what an older Studio listed, and counts each record once', async () => {
  const source = await sourceStudio(9, 7);
  try {
    const earlier = await databaseAt('sqlite', '050-fleet-fold-sequence');
    const old = earlier.before;
    const third = Math.floor(source.records.length / 3);
    // A third counted by an older Studio's folds.
    await insertRecords(old, source.records.slice(0, third));
    await old.transaction().execute((trx) => rebuildRollups(trx as unknown as Kysely<unknown>));
    // A third listed for a fold, as Studios before migration 050 did.
    await insertRecords(old, source.records.slice(third, 2 * third));
    const names = sql.join(LISTED_NAMES.map((c) => sql.ref(c)));
    const keys = sql.join(source.records.slice(third, 2 * third).map((r) => sql`${r.idempotency_key}`));
    const listedNow = await sql`insert into fleet_rollup_pending (${names}) select ${names} from fleet_records
      where idempotency_key in (${keys}) and ${countedSql}`.execute(old);
    // And a third numbered past the folds' mark, as a Studio at 050 leaves them until its fold.
    let next = 1;
    const numbered = source.records.slice(2 * third).map((r) => ({ ...r, fold_seq: isCounted(r) ? next++ : null }));
    await insertRecords(old, numbered);
    await sql`update fleet_fold_sequence set next = ${next}, folded = 0`.execute(old);
    const waiting = Number(listedNow.numAffectedRows) + next - 1;
    expect(waiting).toBeGreaterThan(100);

    const db = await earlier.open();
    const ctx = { db, now: () => new Date(NOW) } as unknown as StudioContext;
    const mainTables = await tablesIn(db, 'main');
    const rollupTables = await tablesIn(db, 'rollups');
    for (const table of ROLLUP_TABLES) {
      expect(mainTables).not.toContain(table);
      expect(rollupTables).toContain(table);
    }
    expect(await db.selectFrom('fleet_rollup_pending').selectAll().execute()).toEqual([]);
    expect(await unfoldedKeys(db)).toHaveLength(waiting);
    expect(await foldPending(db)).toBe(waiting);
    expect(await foldPending(db)).toBe(0);
    expect(await rollupRows(db)).toEqual(await rollupRows(source.ctx.db));
    expect(await views(ctx, 'rollups')).toEqual(await views(source.ctx, 'records'));
    // Erasing after the upgrade subtracts exactly what was counted.
    const erased = await eraseSubject(ctx, { user: { id: 'admin' } } as never, { rep: 'rep1@example.com' });
    expect(erased.records).toBeGreaterThan(100);
    expect(await views(ctx, 'rollups')).toEqual(await views(ctx, 'records'));
    await expectRebuildEquals(db);
  } finally {
    await source.close();
  }
}, 60_000);

it('on SQLite a rollups file that is missing, another Studio’s, ahead of the records, half an erasure or unreadable is counted again at open', async () => {
  const data = tempDir('studio-fleet-rollups-file-');
  const other = tempDir('studio-fleet-rollups-other-');
  const rollupsFile = (dir: string) => path.join(dir, 'studio-rollups.sqlite');
  try {
    const first = await openDatabase({ dataDir: data.dir });
    expect(first.rollupsRefilled).toBeNull();
    const ctx = { db: first.db, dataDir: data.dir, now: () => new Date(NOW) } as unknown as StudioContext;
    await post(ctx, fleetOf(6), 3);
    await foldPending(first.db);
    await first.db.destroy();
    await (await openDatabase({ dataDir: other.dir })).db.destroy();

    /** Opens again after `change`: the rollups must be counted again (for `why`), or kept, and agree with the records. */
    const reopen = async (why: string | RegExp | null, change: () => void) => {
      change();
      const { db, rollupsRefilled } = await openDatabase({ dataDir: data.dir });
      try {
        if (why instanceof RegExp) expect(rollupsRefilled).toMatch(why);
        else expect(rollupsRefilled).toBe(why);
        const here = { db, dataDir: data.dir, now: () => new Date(NOW) } as unknown as StudioContext;
        expect(await unfoldedKeys(db)).toEqual([]);
        expect(await views(here, 'rollups')).toEqual(await views(here, 'records'));
        await expectRebuildEquals(db);
        // Not vacuous: the rollups hold the fleet's views.
        expect((await rollupRows(db)).fleet_page_daily!.length).toBeGreaterThan(50);
      } finally {
        await db.destroy();
      }
    };
    const raw = (file: string, statement: string) => {
      const handle = new Database(file);
      handle.exec(statement);
      handle.close();
    };
    await reopen(null, () => {});
    await reopen('it has no rollups', () => rmSync(rollupsFile(data.dir)));
    await reopen('it belongs to another Studio database', () =>
      copyFileSync(rollupsFile(other.dir), rollupsFile(data.dir)),
    );
    await reopen('it counts records this database does not hold', () =>
      raw(rollupsFile(data.dir), 'update fleet_fold_mark set folded = folded + 1000000'),
    );
    await reopen('an erasure was committed to one file and not the other', () =>
      raw(path.join(data.dir, 'studio.sqlite'), 'update fleet_fold_sequence set erasures = erasures + 1'),
    );
    // A damaged file is set aside, kept for whoever wants to look, and the rollups counted again.
    await reopen(/^it could not be read \(kept as studio-rollups\.sqlite\.unreadable-\d+\)$/, () =>
      writeFileSync(rollupsFile(data.dir), 'not a database '.repeat(400)),
    );
    expect(readdirSync(data.dir).filter((f) => f.startsWith('studio-rollups.sqlite.unreadable-'))).toHaveLength(1);
    // Migration 051 stopped after the main file's commit, before the rollups file's and before
    // it was recorded: it runs again, finds its work in the main file done, and the rollups are
    // counted again.
    await reopen('it has no rollups', () => {
      rmSync(rollupsFile(data.dir));
      raw(path.join(data.dir, 'studio.sqlite'), "delete from studio_migration where name = '051-fleet-rollups-file'");
    });
  } finally {
    data.cleanup();
    other.cleanup();
  }
}, 60_000);

it('a running Studio on SQLite folds on a thread of its own, and an erasure among its folds subtracts exactly', async () => {
  const data = tempDir('studio-fleet-rollups-thread-');
  const { db } = await openDatabase({ dataDir: data.dir });
  const ctx = { db, dataDir: data.dir, now: () => new Date(NOW) } as unknown as StudioContext;
  const folding = startFolding(ctx, { afterMs: 5 });
  try {
    const fleet = fleetOf(6);
    await post(ctx, fleet.slice(0, 3), 11);
    await folding.idle();
    expect(folding.onItsThread).toBe(true);
    // Rep 1 is erased while the others' uploads arrive and are folded on the thread.
    const [, erased] = await Promise.all([
      post(ctx, fleet.slice(3), 12),
      eraseSubject(ctx, { user: { id: 'admin' } } as never, { rep: 'rep1@example.com' }),
    ]);
    expect(erased.records).toBeGreaterThan(100);
    // Counted in both files, in the erasure's transaction.
    const counts = await sql<{ main: number; rollups: number }>`select
      (select erasures from main.fleet_fold_sequence) as main,
      (select erasures from rollups.fleet_fold_mark) as rollups`.execute(db);
    expect(counts.rows).toEqual([{ main: 1, rollups: 1 }]);
    await folding.idle();
    expect(await unfoldedKeys(db)).toEqual([]);
    expect(await views(ctx, 'rollups')).toEqual(await views(ctx, 'records'));
    await expectRebuildEquals(db);
    await folding.stop();
    expect(folding.onItsThread).toBe(false);
    await db.destroy();
    // The erasure was counted in both files: the next start keeps the rollups as they are.
    const again = await openDatabase({ dataDir: data.dir });
    expect(again.rollupsRefilled).toBeNull();
    await again.db.destroy();
  } finally {
    await folding.stop();
    await db.destroy();
    data.cleanup();
  }
}, 60_000);

it(`the histogram median is within ±${(MEDIAN_ERROR_BOUND * 100).toFixed(2)}% of the middle view`, () => {
  expect(MEDIAN_ERROR_BOUND).toBeLessThan(0.1026);
  const random = rng(3);
  let worst = 0;
  for (let trial = 0; trial < 2000; trial++) {
    // Dwell from about 1 s to 50 minutes, log-uniform, in sets of 1 to 60 views.
    const views = Array.from({ length: 1 + Math.floor(random() * 60) }, () =>
      Math.round(Math.exp(Math.log(1_000) + random() * Math.log(3_000))),
    );
    const histogram = new Array<number>(DWELL_HISTOGRAM_BUCKETS).fill(0);
    for (const ms of views) histogram[histogramBucket(dwellBucket(ms))]! += 1;
    const sorted = [...views].sort((a, b) => a - b);
    const middle = sorted[Math.ceil(sorted.length / 2) - 1]!;
    worst = Math.max(worst, Math.abs(histogramMedian(histogram)! / middle - 1));
  }
  // Rounding to whole milliseconds adds at most a hair.
  expect(worst).toBeLessThanOrEqual(MEDIAN_ERROR_BOUND + 1e-3);
  expect(worst).toBeGreaterThan(MEDIAN_ERROR_BOUND / 2);
  expect(histogramMedian(new Array<number>(DWELL_HISTOGRAM_BUCKETS).fill(0))).toBeNull();
});

it('a fold’s histogram is the same as an array and as the int[] literal PostgreSQL reads, however it was built', () => {
  const literal = (counts: number[]) => `{${counts.join(',')}}`;
  const dense = (entries: [number, number][]) => {
    const out = new Array<number>(DWELL_HISTOGRAM_BUCKETS).fill(0);
    for (const [bucket, n] of entries) out[bucket]! += n;
    return out;
  };
  const cases: [number, number][][] = [
    [],
    [[7, 1]],
    [
      [7, 1],
      [7, 2],
    ],
    // Large counts, and below zero (an erasure's delta).
    [[0, 64]],
    [[43, -3]],
    [
      [3, 1],
      [40, 5],
      [3, -1],
    ],
  ];
  for (const entries of cases) {
    const histogram = new Histogram();
    for (const [bucket, n] of entries) histogram.add(bucket, n);
    expect(histogram.toArray()).toEqual(dense(entries));
    expect(histogram.toPgArray()).toBe(literal(dense(entries)));
  }
});

it('on SQLite an erasure waits for the fold on its thread to end, and a fold asked for meanwhile waits for the erasure', async () => {
  const data = tempDir('studio-fleet-rollups-held-');
  const { db } = await openDatabase({ dataDir: data.dir });
  const ctx = { db, dataDir: data.dir, now: () => new Date(NOW) } as unknown as StudioContext;
  // No timer's fold during the test: the folds are the ones asked for below.
  const folding = startFolding(ctx, { afterMs: 60_000 });
  try {
    const { device, auth } = soleDevice({ id: 'dev_held', team: 'Held' });
    const shown = viewsOf(device, (i) => ({ itemId: ITEMS[2]!, page: 1 + (i % 4), dwellMs: 1_000 + i }));
    await ingest(ctx, auth, 'held-1', { records: shown(0, 20) });
    const order: string[] = [];
    // A view's fold, on the thread: running when the erasure asks to hold the folds.
    const first = foldBeforeReading(ctx).then(() => order.push('first fold'));
    let second: Promise<unknown> | null = null;
    await withFoldsHeld(ctx, async () => {
      order.push('held');
      // The running fold committed before the hold began.
      expect(await unfoldedKeys(db, 'dev_held')).toEqual([]);
      await ingest(ctx, auth, 'held-2', { records: shown(30, 5) });
      second = foldBeforeReading(ctx).then(() => order.push('second fold'));
      // Something that must not happen has no event to await: the fold gets a bounded while
      // (a fold of five records on the thread takes a few milliseconds) and must not end in it.
      const ended = await Promise.race([
        second.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 300)),
      ]);
      expect(ended).toBe(false);
      expect(await unfoldedKeys(db, 'dev_held')).toHaveLength(5);
      order.push('released');
    });
    await first;
    await second;
    expect(order).toEqual(['first fold', 'held', 'released', 'second fold']);
    expect(folding.onItsThread).toBe(true);
    expect(await unfoldedKeys(db, 'dev_held')).toEqual([]);
    expect(await views(ctx, 'rollups')).toEqual(await views(ctx, 'records'));
  } finally {
    await folding.stop();
    await db.destroy();
    data.cleanup();
  }
}, 60_000);
