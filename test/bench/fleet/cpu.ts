import { parseArgs } from 'node:util';
import type { EnrolAnswer } from '#shared/fleet';
import { openDatabase } from '#studio/database/connection';
import type { StudioContext } from '#studio/context';
import { booths, contentUsage, pageDropOff, searchGaps, teamView, unusedItems } from '#studio/fleet/dashboards';
import { foldPending, startFolding } from '#studio/fleet/folding';
import { ingest } from '#studio/fleet/ingest';
import { tempDir } from '../../support/release.ts';
import { SimulatedDevice } from '../../studio/fleet-device.ts';
import { parseSettings, startPostgres } from '../../studio/postgres.ts';
import { ITEMS, recordsFor, REGIONS, rng, TEAMS } from './simulation.ts';

/**
 * npm run bench:fleet-cpu -- [--records N] [--postgres [--pg-settings name=value,…] | --database URL] [--folds-apart]
 * The CPU time Studio spends per ingested record and per dashboard query, in one process with no
 * HTTP in between (process.cpuUsage), so the figures hold on a machine shared with other work
 * where wall time does not. With --postgres, PostgreSQL's processes' CPU for the same records too
 * (server_cpu_us_per_record). With --folds-apart, no fold runs while records are stored: every
 * FOLD_EVERY records are stored, then folded, so the folds' CPU is measured on its own
 * (`folds`: Studio's and PostgreSQL's, per record folded and per record stored). The last line
 * is one JSON object.
 */
const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '50000' },
    database: { type: 'string' },
    /** A PostgreSQL of its own (fsync on) instead of SQLite; its server's CPU is not counted here. */
    postgres: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '5' },
    'folds-apart': { type: 'boolean', default: false },
    /** The --postgres server's settings beyond the stock server's and fsync=on, as name=value,… (to compare settings). */
    'pg-settings': { type: 'string', default: '' },
  },
});
/** --folds-apart: records stored between folds, about what a running Studio on PostgreSQL folds at once under a burst. */
const FOLD_EVERY = 25_000;
const foldsApart = values['folds-apart'];
const total = Number(values.records);
const perDevice = 250;
const batchSize = 125;
const log = (line: string) => process.stdout.write(`${line}\n`);
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

const data = tempDir('bench-fleet-cpu-');
const postgres = values.postgres
  ? await startPostgres({ fsync: true, settings: parseSettings(values['pg-settings']) })
  : null;
const { db, dialect } = await openDatabase({ dataDir: data.dir, url: postgres?.url ?? values.database });
const ctx = { db, dataDir: data.dir, now: () => new Date() } as unknown as StudioContext;
try {
  const deviceCount = Math.ceil(total / perDevice);
  const random = rng(7);
  const now = Date.now();
  let records = 0;
  let ingestCpu = 0;
  let ingestWall = 0;
  const serverBefore = postgres?.cpuSeconds() ?? 0;
  const folds = { studioMs: 0, serverSeconds: 0, wallMs: 0, folded: 0 };
  let storedSinceFold = 0;
  /** --folds-apart: what is stored is folded now, its CPU counted apart from the storing's. */
  const foldApart = async () => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const server = postgres?.cpuSeconds() ?? 0;
    folds.folded += await foldPending(db);
    folds.studioMs += cpuMs(cpu);
    folds.wallMs += performance.now() - started;
    folds.serverSeconds += (postgres?.cpuSeconds() ?? 0) - server;
    storedSinceFold = 0;
  };
  // Uploads are folded into the rollups seconds after they arrive, as in a running Studio.
  const folding = foldsApart ? null : startFolding(ctx);
  // Devices post concurrently in Studio, so batches here go 32 at a time through the same writer.
  const pending: Promise<unknown>[] = [];
  for (let d = 0; d < deviceCount; d++) {
    const booth = d % 20 === 19;
    const device = new SimulatedDevice('http://unused', '1.4.0', 3);
    const id = `dev_bench_${d}`;
    const identity = {
      deviceId: id,
      rep: booth ? null : { name: `Rep ${d}`, email: `rep${d}@example.com` },
      booth: booth ? { event: `Expo ${d % 3}` } : null,
      team: TEAMS[d % TEAMS.length]!,
      region: REGIONS[d % REGIONS.length]!,
    };
    device.enrolment = { identity, credential: `${id}.x` } as unknown as EnrolAnswer;
    const auth = {
      id,
      rep: identity.rep?.email ?? null,
      booth: identity.booth?.event ?? null,
      team: identity.team,
      region: identity.region,
      revoked: false,
    };
    const { records: all } = recordsFor(device, perDevice, random, { malformed: 0.01, now });
    const bodies = [];
    for (let i = 0; i < all.length; i += batchSize)
      bodies.push(JSON.stringify({ records: all.slice(i, i + batchSize) }));
    const cpu = process.cpuUsage();
    const started = performance.now();
    // The body is parsed here as the route does, so JSON.parse counts as Studio's work.
    for (const [i, body] of bodies.entries()) pending.push(ingest(ctx, auth, `${id}:${i}`, JSON.parse(body)));
    records += all.length;
    storedSinceFold += all.length;
    // --folds-apart: the batches still being stored finish first (their CPU is storing's), then the fold.
    const foldNow = foldsApart && storedSinceFold >= FOLD_EVERY;
    if (pending.length >= 32 || foldNow) await Promise.all(pending.splice(0));
    ingestCpu += cpuMs(cpu);
    ingestWall += performance.now() - started;
    if (foldNow) await foldApart();
  }
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(pending);
  // Counting into the rollups is part of ingest's work: the folds that ran meanwhile are in the
  // figures above, the rest is folded here.
  if (folding) {
    await folding.stop();
    await foldPending(db);
  }
  ingestCpu += cpuMs(cpu);
  ingestWall += performance.now() - started;
  if (foldsApart) {
    await foldApart();
    // Storing and folding, as in the usual mode, where the folds run among the commits.
    ingestCpu += folds.studioMs;
    ingestWall += folds.wallMs;
  }
  // PostgreSQL's own work for the same records, when it is ours to measure (its processes' CPU).
  const serverUs = postgres ? ((postgres.cpuSeconds() - serverBefore) / records) * 1e6 : null;
  log(
    `${dialect}: ${records} records ingested, ${((ingestCpu / records) * 1000).toFixed(1)} µs CPU per record (${Math.round(records / (ingestCpu / 1000))} records per CPU-second; wall ${(ingestWall / 1000).toFixed(1)} s)` +
      (serverUs === null ? '' : `; PostgreSQL's processes ${serverUs.toFixed(1)} µs per record`),
  );
  const foldFigures = foldsApart
    ? {
        folded: folds.folded,
        studio_cpu_us_per_folded: Number(((folds.studioMs / folds.folded) * 1000).toFixed(1)),
        server_cpu_us_per_folded: postgres ? Number(((folds.serverSeconds / folds.folded) * 1e6).toFixed(1)) : null,
        // Per record stored (opens and page views are folded, the rest not), beside the figures above.
        studio_cpu_us_per_record: Number(((folds.studioMs / records) * 1000).toFixed(1)),
        server_cpu_us_per_record: postgres ? Number(((folds.serverSeconds / records) * 1e6).toFixed(1)) : null,
      }
    : null;
  if (foldFigures)
    log(
      `  folds (apart from storing, every ${FOLD_EVERY} records): ${foldFigures.folded} records folded; per record folded, Studio ${foldFigures.studio_cpu_us_per_folded} µs CPU` +
        (foldFigures.server_cpu_us_per_folded === null
          ? ''
          : `, PostgreSQL's processes ${foldFigures.server_cpu_us_per_folded} µs`) +
        `; per record stored, Studio ${foldFigures.studio_cpu_us_per_record} µs` +
        (foldFigures.server_cpu_us_per_record === null
          ? ''
          : `, PostgreSQL's processes ${foldFigures.server_cpu_us_per_record} µs`),
    );

  const scope = { team: null };
  const views: Record<string, () => Promise<unknown>> = {
    content_by_item: () => contentUsage(ctx, scope, { groupBy: 'item', channel: 'default' }),
    content_by_team: () => contentUsage(ctx, scope, { groupBy: 'team', channel: 'default' }),
    content_by_day_one_team: () => contentUsage(ctx, scope, { groupBy: 'day', team: 'North', channel: 'default' }),
    content_by_item_one_team: () => contentUsage(ctx, { team: 'North' }, { groupBy: 'item', channel: 'default' }),
    page_drop_off: () => pageDropOff(ctx, scope, { item: ITEMS[0]! }),
    unused: () => unusedItems(ctx, scope, { days: 14, channel: 'default' }),
    search_gaps: () => searchGaps(ctx, scope, {}),
    team: () => teamView(ctx, scope, { team: 'North' }),
    booths: () => booths(ctx, scope, {}),
  };
  const queries: Record<string, { cpu_ms: number; wall_ms: number }> = {};
  for (const [name, view] of Object.entries(views)) {
    await view();
    let best = { cpu_ms: Infinity, wall_ms: Infinity };
    for (let i = 0; i < Number(values.rounds); i++) {
      const c = process.cpuUsage();
      const t = performance.now();
      await view();
      const round = { cpu_ms: cpuMs(c), wall_ms: performance.now() - t };
      if (round.cpu_ms < best.cpu_ms) best = round;
    }
    queries[name] = { cpu_ms: Number(best.cpu_ms.toFixed(1)), wall_ms: Number(best.wall_ms.toFixed(1)) };
    log(`  ${name}: ${queries[name].cpu_ms} ms CPU (best of ${values.rounds}; this process only)`);
  }
  log(
    JSON.stringify({
      bench: 'fleet-cpu',
      backend: dialect,
      records,
      ingest_cpu_us_per_record: Number(((ingestCpu / records) * 1000).toFixed(1)),
      ingest_records_per_cpu_s: Math.round(records / (ingestCpu / 1000)),
      ...(serverUs === null ? {} : { server_cpu_us_per_record: Number(serverUs.toFixed(1)) }),
      ...(foldFigures ? { folds: foldFigures } : {}),
      queries,
    }),
  );
} finally {
  await db.destroy();
  postgres?.stop();
  data.cleanup();
}
