import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { mainThreadCpuSeconds, processCpuSeconds } from '../../support/proc-cpu.ts';
import { tempDir } from '../../support/release.ts';
import { parseSettings, postgresUnavailable, startPostgres } from '../../studio/postgres.ts';
import { spawnStudio } from '../../studio/studio-process.ts';
import { adminOf, enrolFleet, percentile, pool, recordsFor, rng } from './simulation.ts';

/**
 * npm run bench:fleet [-- --devices N --records N --batch N --scale K --backends sqlite,postgres --pg-settings name=value,… --quick]
 * N simulated devices post their records to a Studio process on loopback, several at a time,
 * 10% of batches sent twice and 1% of records malformed; then every dashboard is read
 * repeatedly. On SQLite and on PostgreSQL in the same run. `--scale 10` sends ten times the
 * records per device (5,000,000 by default) to show how ingest and the views grow. Checks that
 * every acknowledged record is stored once (lost, duplicated). The last line is one JSON object.
 */
const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '2000' },
    records: { type: 'string', default: '250' },
    batch: { type: 'string', default: '125' },
    concurrency: { type: 'string', default: '32' },
    quick: { type: 'boolean', default: false },
    scale: { type: 'string', default: '1' },
    backends: { type: 'string', default: 'sqlite,postgres' },
    /** PostgreSQL's settings beyond the stock server's and fsync=on, as name=value,… (to compare settings). */
    'pg-settings': { type: 'string', default: '' },
  },
});
const quick = values.quick;
const devices = quick ? 200 : Number(values.devices);
const scale = Number(values.scale);
if (!Number.isInteger(scale) || scale < 1)
  throw new Error('--scale takes a whole number of times the records, 1 or more');
const perDevice = (quick ? 100 : Number(values.records)) * scale;
const batchSize = Number(values.batch);
const concurrency = Number(values.concurrency);
const log = (line: string) => process.stdout.write(`${line}\n`);
const pgSettings = parseSettings(values['pg-settings']);

interface Result {
  backend: string;
  devices: number;
  records: number;
  valid_records: number;
  batches: number;
  resent_batches: number;
  ingest_seconds: number;
  ingest_records_per_s: number;
  batch_p95_ms: number;
  dashboard_p95_ms: number;
  dashboards: Record<string, number>;
  /** Records listed but not yet in the rollups when the last upload was answered, and how long until they were. */
  fold_backlog: number;
  fold_lag_ms: number;
  lost: number;
  duplicated: number;
  /** The machine's 1-minute load average when ingest began and when it ended (others' work shares the cores). */
  load_average: [number, number];
  /**
   * CPU time per record during ingest (Linux; null elsewhere): Studio's process (all its
   * threads), its JavaScript thread alone (what bounds a SQLite Studio), and PostgreSQL's
   * processes. Steadier than records/s on a machine shared with other work.
   */
  cpu_us_per_record: {
    studio: number | null;
    studio_main_thread: number | null;
    postgres: number | null;
    /** This process: the simulated devices making, sending and checking their batches (on any platform). */
    devices: number;
    /** Studio, PostgreSQL and the simulated devices together: what the machine's cores spent per record. */
    all: number | null;
  };
  /**
   * Records/s these CPU costs allow at most (Linux): `cores`, every core busy with Studio,
   * PostgreSQL and the simulated devices (cores × 1 s ÷ `all`); `studio_thread`, Studio's
   * JavaScript thread busy all the time (1 s ÷ its CPU per record). The lower one bounds a run.
   * `studio_and_database`: the cores busy with Studio and PostgreSQL alone, as where the devices
   * are elsewhere (an estimate from the same costs, not a measured rate).
   */
  cpu_ceiling_records_per_s: { cores: number | null; studio_thread: number | null; studio_and_database: number | null };
}

const dashboards: Record<string, string> = {
  content_by_item: '/api/fleet/dashboards/content?groupBy=item',
  content_by_team: '/api/fleet/dashboards/content?groupBy=team',
  content_by_day_one_team: '/api/fleet/dashboards/content?groupBy=day&team=North',
  page_drop_off: '/api/fleet/dashboards/pages?item=item-000',
  unused: '/api/fleet/dashboards/unused?days=14',
  search_gaps: '/api/fleet/dashboards/search-gaps',
  readiness: '/api/fleet/dashboards/readiness',
  team: '/api/fleet/dashboards/team?team=North',
  booths: '/api/fleet/dashboards/booths',
  content_csv: '/api/fleet/dashboards/content?groupBy=item&format=csv',
};

let networkRetries = 0;

/** A dropped connection is retried with the same key, as the outbox does; exactly-once makes that safe. */
async function sendWithRetries<T>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (attempt >= 5) throw error;
      networkRetries += 1;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

async function run(backend: 'sqlite' | 'postgres', deviceCount: number, recordsPerDevice: number): Promise<Result> {
  const data = tempDir(`bench-fleet-${backend}-`);
  const postgres = backend === 'postgres' ? await startPostgres({ fsync: true, settings: pgSettings }) : null;
  const studio = await spawnStudio({ dataDir: data.dir, ...(postgres ? { database: postgres.url } : {}) });
  try {
    const admin = await adminOf(studio.url, studio.setupUrl);
    let t = performance.now();
    const fleet = await enrolFleet(admin, studio.url, deviceCount);
    log(`  ${backend}: ${deviceCount} devices enrolled in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const random = rng(42);
    const now = Date.now();
    const expected = new Map<string, number>();
    const latencies: number[] = [];
    let records = 0;
    let batches = 0;
    let resent = 0;
    let refusedTotal = 0;
    const loadBefore = os.loadavg()[0]!;
    const pid = studio.child.pid!;
    const linux = process.platform === 'linux';
    const cpuBefore = {
      studio: processCpuSeconds(pid),
      main: mainThreadCpuSeconds(pid),
      pg: postgres?.cpuSeconds(),
      devices: process.cpuUsage(),
    };
    t = performance.now();
    await pool(fleet, concurrency, async (device) => {
      // Records are made per device as it goes, so ten times the records is not ten times the memory.
      const { records: all, valid } = recordsFor(device, recordsPerDevice, random, { malformed: 0.01, now });
      expected.set(device.id, valid);
      records += all.length;
      for (let i = 0; i < all.length; i += batchSize) {
        const slice = all.slice(i, i + batchSize);
        const key = `${device.id}:${i}`;
        const started = performance.now();
        const answer = await sendWithRetries(() => device.send(slice, key));
        latencies.push(performance.now() - started);
        if (answer.status !== 200) throw new Error(`ingest ${answer.status}: ${JSON.stringify(answer.body)}`);
        batches += 1;
        refusedTotal += answer.body.refused.length;
        if (random() < 0.1) {
          // An acknowledgement lost on the way back: the device sends the same batch again.
          const again = await sendWithRetries(() => device.send(slice, key));
          if (!again.body.duplicate || again.body.accepted !== answer.body.accepted)
            throw new Error(`a repeated batch was not answered as the first: ${JSON.stringify(again.body)}`);
          resent += 1;
        }
      }
    });
    const ingestMs = performance.now() - t;
    const devicesCpu = process.cpuUsage(cpuBefore.devices);
    const perRecord = (seconds: number) => (linux ? Number(((seconds * 1e6) / records).toFixed(1)) : null);
    const cpu = {
      devices: Number(((devicesCpu.user + devicesCpu.system) / records).toFixed(1)),
      studio: perRecord(processCpuSeconds(pid) - cpuBefore.studio),
      studio_main_thread: perRecord(mainThreadCpuSeconds(pid) - cpuBefore.main),
      postgres: postgres && cpuBefore.pg !== undefined ? perRecord(postgres.cpuSeconds() - cpuBefore.pg) : null,
      all: null as number | null,
    };
    if (cpu.studio !== null) cpu.all = Number((cpu.studio + (cpu.postgres ?? 0) + cpu.devices).toFixed(1));
    const ceiling = {
      cores: cpu.all ? Math.round((os.cpus().length * 1e6) / cpu.all) : null,
      studio_thread: cpu.studio_main_thread ? Math.round(1e6 / cpu.studio_main_thread) : null,
      studio_and_database: cpu.studio
        ? Math.round((os.cpus().length * 1e6) / (cpu.studio + (cpu.postgres ?? 0)))
        : null,
    };
    const valid = [...expected.values()].reduce((a, b) => a + b, 0);
    log(
      `  ${backend}: ${records} records (${refusedTotal} refused as malformed) in ${batches} batches + ${resent} resent: ${(ingestMs / 1000).toFixed(1)} s, ${Math.round(records / (ingestMs / 1000))} records/s (load average ${loadBefore.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)})`,
    );

    // The dashboards' rollups are folded from the records seconds after they arrive: how long
    // after the last upload they hold every record (read from the database, not through Studio).
    const listed = async (): Promise<number> => {
      if (postgres) {
        const client = new pg.Client({ connectionString: postgres.url });
        await client.connect();
        try {
          return Number(
            (await client.query<{ n: string }>('SELECT count(*) AS n FROM fleet_rollup_pending')).rows[0]!.n,
          );
        } finally {
          await client.end();
        }
      }
      const db = new Database(path.join(data.dir, 'studio.sqlite'), { readonly: true });
      try {
        // SQLite numbers what is still to fold past its folds' mark, kept in the rollups' own
        // file (folding.ts, rollups-file.ts).
        db.prepare('ATTACH DATABASE ? AS rollups').run(path.join(data.dir, 'studio-rollups.sqlite'));
        return (
          db
            .prepare(
              `SELECT count(*) AS n FROM fleet_records WHERE fold_seq > (SELECT folded FROM rollups.fleet_fold_mark)`,
            )
            .get() as { n: number }
        ).n;
      } finally {
        db.close();
      }
    };
    const listedAtEnd = await listed();
    while ((await listed()) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    const foldLagMs = performance.now() - t - ingestMs;
    log(
      `  ${backend}: ${listedAtEnd} records still to fold when the last upload was answered; rollups complete ${Math.round(foldLagMs)} ms later`,
    );

    // Every acknowledged record stored once: count what the database holds per device.
    const stored = new Map<string, { n: number; distinct: number }>();
    if (postgres) {
      const client = new pg.Client({ connectionString: postgres.url });
      await client.connect();
      const rows = await client.query<{ device_id: string; n: string; d: string }>(
        `SELECT device_id, count(*) AS n, count(DISTINCT idempotency_key) AS d FROM fleet_records GROUP BY device_id`,
      );
      for (const r of rows.rows) stored.set(r.device_id, { n: Number(r.n), distinct: Number(r.d) });
      await client.end();
    } else {
      const db = new Database(path.join(data.dir, 'studio.sqlite'), { readonly: true });
      const rows = db
        .prepare(
          `SELECT device_id, count(*) AS n, count(DISTINCT idempotency_key) AS d FROM fleet_records GROUP BY device_id`,
        )
        .all() as { device_id: string; n: number; d: number }[];
      for (const r of rows) stored.set(r.device_id, { n: r.n, distinct: r.d });
      db.close();
    }
    let lost = 0;
    let duplicated = 0;
    for (const [id, want] of expected) {
      const got = stored.get(id) ?? { n: 0, distinct: 0 };
      lost += Math.max(0, want - got.distinct);
      duplicated += Math.max(0, got.distinct - want) + (got.n - got.distinct);
    }

    const timings: Record<string, number> = {};
    const rounds = quick ? 5 : 15;
    for (const [name, url] of Object.entries(dashboards)) {
      const times: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const started = performance.now();
        const response = await fetch(`${studio.url}${url}`, { headers: { cookie: admin.cookie! } });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${name}: HTTP ${response.status}`);
        times.push(performance.now() - started);
      }
      timings[name] = Number(percentile(times, 95).toFixed(1));
    }
    log(`  ${backend}: dashboards p95 (ms) ${JSON.stringify(timings)}`);
    if (linux) {
      log(
        `  ${backend}: CPU per record during ingest: Studio ${cpu.studio} µs (its JavaScript thread ${cpu.studio_main_thread} µs)${postgres ? `, PostgreSQL ${cpu.postgres} µs` : ''}; the simulated devices ${cpu.devices} µs; ${cpu.all} µs in all`,
      );
      log(
        `  ${backend}: at these costs ${os.cpus().length} cores allow ${ceiling.cores} records/s, Studio's JavaScript thread ${ceiling.studio_thread}; without the simulated devices on them ${ceiling.studio_and_database}`,
      );
    }
    return {
      backend,
      devices: deviceCount,
      records,
      valid_records: valid,
      batches,
      resent_batches: resent,
      ingest_seconds: Number((ingestMs / 1000).toFixed(2)),
      ingest_records_per_s: Math.round(records / (ingestMs / 1000)),
      batch_p95_ms: Number(percentile(latencies, 95).toFixed(1)),
      dashboard_p95_ms: Math.max(...Object.values(timings)),
      dashboards: timings,
      fold_backlog: listedAtEnd,
      fold_lag_ms: Math.round(foldLagMs),
      lost,
      duplicated,
      load_average: [Number(loadBefore.toFixed(2)), Number(os.loadavg()[0]!.toFixed(2))],
      cpu_us_per_record: cpu,
      cpu_ceiling_records_per_s: ceiling,
    };
  } finally {
    await studio.stop();
    postgres?.stop();
    data.cleanup();
  }
}

log(
  `fleet benchmark: ${devices} devices × ${perDevice} records, batches of ${batchSize}, ${concurrency} devices at a time, on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
);
const results: Result[] = [];
for (const backend of values.backends.split(',') as ('sqlite' | 'postgres')[]) {
  if (backend === 'postgres') {
    const missing = postgresUnavailable();
    if (missing) {
      log(`  postgres skipped: ${missing}`);
      continue;
    }
  }
  results.push(await run(backend, devices, perDevice));
}
const summary = {
  bench: 'fleet',
  devices,
  records_per_device: perDevice,
  batch_size: batchSize,
  scale,
  ...Object.fromEntries(results.map((r) => [r.backend, r])),
  network_retries: networkRetries,
  postgres_settings: pgSettings,
  cpus: os.cpus().length,
  load_average_at_end: os.loadavg().map((l) => Number(l.toFixed(2))),
};
log(JSON.stringify(summary));
