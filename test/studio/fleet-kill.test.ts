import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#studio/database/connection';
import { foldPending } from '#studio/fleet/folding';
import { tempDir } from '../support/release.ts';
import { adminOf, enrolFleet, rng } from '../bench/fleet/simulation.ts';
import type { SimulatedDevice } from './fleet-device.ts';
import { unfoldedKeys } from './fleet-unfolded.ts';
import { postgresUnavailable, startPostgres, type TestPostgres } from './postgres.ts';
import { spawnStudio, type StudioProcess } from './studio-process.ts';

/**
 * Exactly-once ingest while Studio dies: devices keep posting batches (each retried with its
 * Idempotency-Key until acknowledged, as the outbox does) while the Studio process is SIGKILLed
 * at random instants and restarted. At the end every record is stored exactly once, including
 * batches that were committed but whose acknowledgement never left the dying process, and the
 * rollups count each record once, folds killed half-way included. On PostgreSQL too, where
 * several commits are in flight when the process dies. `npm run stress:fleet-kill` runs 100 kills; npm test a few.
 */
const KILLS = Number(process.env.PITCHCASE_KILL_RUNS ?? 3);
const DEVICES = 6;
const BATCHES = Math.max(12, KILLS * 2);
const PER_BATCH = 40;
/** What a SQLite Studio logs once its folds' thread has folded (fold-thread.ts). */
const THREAD_UP = 'folds run on a thread of their own';

const pgMissing = postgresUnavailable();

interface Stored {
  perDevice: { device_id: string; n: number; d: number }[];
  batches: number;
  /** Page views counted in the all-time rollups, and page views stored. */
  viewsCounted: number;
  viewsStored: number;
}

const STORED_QUERIES = {
  perDevice: `SELECT device_id, count(*) AS n, count(DISTINCT idempotency_key) AS d FROM fleet_records GROUP BY device_id`,
  batches: `SELECT count(*) AS n FROM fleet_batches`,
  viewsCounted: `SELECT coalesce(sum(views), 0) AS n FROM fleet_usage_total`,
  viewsStored: `SELECT count(*) AS n FROM fleet_records WHERE kind = 'event' AND event_type = 'page.viewed'`,
};

describe.each(['sqlite', 'postgres'] as const)('on %s', (backend) => {
  const skip = backend === 'postgres' && pgMissing !== null;
  const data = tempDir('studio-fleet-kill-');
  let server: TestPostgres | null = null;
  let studio: StudioProcess | null = null;
  const database = () => (server ? { database: server.url } : {});
  beforeAll(async () => {
    if (!skip && backend === 'postgres') server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await studio?.kill();
    server?.stop();
    data.cleanup();
  });

  async function stored(): Promise<Stored> {
    if (server) {
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      try {
        const count = async (text: string) => Number((await client.query<{ n: string }>(text)).rows[0]!.n);
        const perDevice = (await client.query<{ device_id: string; n: string; d: string }>(STORED_QUERIES.perDevice))
          .rows;
        return {
          perDevice: perDevice.map((r) => ({ device_id: r.device_id, n: Number(r.n), d: Number(r.d) })),
          batches: await count(STORED_QUERIES.batches),
          viewsCounted: await count(STORED_QUERIES.viewsCounted),
          viewsStored: await count(STORED_QUERIES.viewsStored),
        };
      } finally {
        await client.end();
      }
    }
    const db = new Database(path.join(data.dir, 'studio.sqlite'), { readonly: true });
    // The rollups are in a file of their own (main/studio/fleet/rollups-file.ts).
    db.prepare('ATTACH DATABASE ? AS rollups').run(path.join(data.dir, 'studio-rollups.sqlite'));
    try {
      const count = (text: string) => (db.prepare(text).get() as { n: number }).n;
      return {
        perDevice: db.prepare(STORED_QUERIES.perDevice).all() as Stored['perDevice'],
        batches: count(STORED_QUERIES.batches),
        viewsCounted: count(STORED_QUERIES.viewsCounted),
        viewsStored: count(STORED_QUERIES.viewsStored),
      };
    } finally {
      db.close();
    }
  }

  it.skipIf(skip)(
    `every record is stored exactly once while Studio is SIGKILLed ${KILLS} times`,
    async () => {
      // Folding a few milliseconds after each upload, so kills land in folds as well as in commits.
      const options = { dataDir: data.dir, foldAfterMs: 5, ...database() };
      studio = await spawnStudio(options);
      const port = Number(new URL(studio.url).port);
      const admin = await adminOf(studio.url, studio.setupUrl);
      const enrolled = await enrolFleet(admin, studio.url, DEVICES + 1, 4);
      // One device only starts the folds' thread (below); the others send the batches.
      const starter = enrolled.pop()!;
      const devices = enrolled;
      const random = rng(7);
      const now = Date.now();
      const batches = new Map<SimulatedDevice, { key: string; records: unknown[] }[]>(
        devices.map((device) => [
          device,
          Array.from({ length: BATCHES }, (_, b) => ({
            key: `${device.id}:batch-${b}`,
            records: Array.from({ length: PER_BATCH }, (_, i) =>
              device.event(new Date(now - (b * PER_BATCH + i) * 1000).toISOString(), {
                itemId: `item-${Math.floor(random() * 50)}`,
                page: 1 + (i % 5),
                dwellMs: 2000 + i,
              }),
            ),
          })),
        ]),
      );
      const next = new Map(devices.map((d) => [d, 0]));
      let repeatsFound = 0;
      /** What each Studio logged, killed ones first. */
      const logs: string[][] = [];
      /**
       * On SQLite, folds go to a thread of their own, started when records first wait and about a
       * second loading: a Studio killed within 320 ms of its start never folds there. So every
       * other Studio first gets a new batch from the starter and has its thread fold it; then the
       * starter goes on sending new batches (the other devices may have sent all theirs), and
       * the Studio is killed while they are folded on that thread. The starter's batches are
       * made when first sent and sent again, as they were, until acknowledged.
       */
      const starterBatches: { key: string; records: unknown[] }[] = [];
      let started = 0;
      const sendStarter = async (until: 'acknowledged-new' | 'down') => {
        for (;;) {
          const batch = (starterBatches[started] ??= {
            key: `${starter.id}:start-${started}`,
            records: Array.from({ length: PER_BATCH }, (_, i) =>
              starter.event(new Date(now - (started * PER_BATCH + i) * 1000).toISOString(), {
                itemId: 'item-0',
                page: 1 + (i % 5),
                dwellMs: 1000 + i,
              }),
            ),
          });
          let answer;
          try {
            answer = await starter.send(batch.records, batch.key);
          } catch (error) {
            // Studio is gone: sent again, as it was, next time. Only a kill may take it away.
            if (until === 'acknowledged-new') throw error;
            return;
          }
          expect(answer.status).toBe(200);
          started += 1;
          if (until === 'acknowledged-new' && !answer.body.duplicate) return;
        }
      };

      /** Each device sends its next batch until it is acknowledged, then the one after. */
      const sendUntilDown = () =>
        Promise.all(
          devices.map(async (device) => {
            for (;;) {
              const i = next.get(device)!;
              const batch = batches.get(device)![i];
              if (!batch) return;
              let answer;
              try {
                answer = await device.send(batch.records, batch.key);
              } catch {
                return; // Studio is gone: the device keeps the batch and its key for later.
              }
              expect(answer.status).toBe(200);
              expect(answer.body.accepted).toBe(PER_BATCH);
              if (answer.body.duplicate) repeatsFound += 1;
              next.set(device, i + 1);
            }
          }),
        );

      for (let kill = 0; kill < KILLS; kill++) {
        if (!studio) studio = await spawnStudio({ ...options, port });
        const running = studio;
        const threaded = backend === 'sqlite' && kill % 2 === 1;
        if (threaded) {
          await sendStarter('acknowledged-new');
          await running.untilLogged(THREAD_UP, 30_000);
        }
        const sending = Promise.all([sendUntilDown(), threaded ? sendStarter('down') : null]);
        await new Promise((resolve) => setTimeout(resolve, 20 + Math.floor(random() * 300)));
        await studio.kill();
        logs.push(studio.logged);
        studio = null;
        await sending;
        // Past the end of the batches: start again from the first (all already stored) to keep killing mid-write.
        if ([...next.values()].every((n) => n >= BATCHES)) for (const d of devices) next.set(d, 0);
      }
      studio = await spawnStudio({ ...options, port });
      for (const d of devices) next.set(d, Math.min(next.get(d)!, BATCHES));
      await sendUntilDown();
      // The starter's batch a kill left unacknowledged, if any.
      if (starterBatches.length > started) await sendStarter('acknowledged-new');
      await studio.stop();
      logs.push(studio.logged);
      studio = null;
      // Studios killed after their folds' thread had folded (the last one was stopped).
      const onThreadKills = logs.slice(0, -1).filter((lines) => lines.some((l) => l.includes(THREAD_UP))).length;
      if (backend === 'sqlite') {
        // The folds ran on their thread (fold-thread.ts), and Studios were killed while it folded.
        expect(onThreadKills).toBeGreaterThanOrEqual(Math.floor(KILLS / 2));
        expect(logs.flat().filter((l) => l.includes("folds' thread stopped"))).toEqual([]);
      }
      // What the last Studio left listed is folded, as its next start would (folds killed
      // half-way are among what is listed again).
      const { db, rollupsRefilled } = await openDatabase({
        dataDir: data.dir,
        ...(server ? { url: server.url } : {}),
      });
      try {
        // The folds killed on their thread left the rollups as they were, not to be counted again.
        expect(rollupsRefilled).toBeNull();
        // The Studios folded as they ran: records are counted already.
        const folded = await db
          .selectFrom('fleet_usage_total')
          .select((eb) => eb.fn.sum<number | string>('views').as('n'))
          .executeTakeFirstOrThrow();
        expect(Number(folded.n)).toBeGreaterThan(0);
        await foldPending(db);
        expect(await unfoldedKeys(db)).toEqual([]);
      } finally {
        await db.destroy();
      }

      const found = await stored();
      expect(found.perDevice).toHaveLength(DEVICES + (started > 0 ? 1 : 0));
      for (const r of found.perDevice) {
        const sent = (r.device_id === starter.id ? started : BATCHES) * PER_BATCH;
        expect({ stored: r.n, distinct: r.d }).toEqual({ stored: sent, distinct: sent });
      }
      expect(found.batches).toBe(DEVICES * BATCHES + started);
      // Every record is a page view: each counted once in the rollups, however many times it was sent.
      expect(found.viewsStored).toBe((DEVICES * BATCHES + started) * PER_BATCH);
      expect(found.viewsCounted).toBe(found.viewsStored);
      console.log(
        `fleet kill on ${backend}: ${KILLS} kills, ${repeatsFound} batches found already stored when resent, ` +
          `${onThreadKills} Studios killed after their folds' thread folded, ${started} batches from the starter`,
      );
    },
    60_000 + KILLS * 20_000,
  );
});
