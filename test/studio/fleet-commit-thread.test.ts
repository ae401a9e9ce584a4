import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { EnrolAnswer, FleetRecord } from '#shared/fleet';
import type { StudioContext } from '#studio/context';
import { openDatabase } from '#studio/database/connection';
import type { AuthenticatedDevice } from '#studio/fleet/device-auth';
import { commitThreadOf } from '#studio/fleet/commit-thread';
import { ingest } from '#studio/fleet/ingest';
import { createUser, openStudio } from '#studio/index';
import { tempDir } from '../support/release.ts';
import { SimulatedDevice } from './fleet-device.ts';

/**
 * On SQLite, fleet ingest commits on a thread of its own with its own connection to Studio's
 * file. Studio's other writes go on beside it; its transactions take the write lock when they
 * begin (so one that read first can still write after a batch committed); closing Studio lets
 * the batches under way finish and stores nothing half; a database in memory, which cannot be
 * opened twice, commits on Studio's thread with the same answers.
 */

const AT = '2026-05-04T10:00:00.000Z';

function deviceOf(id: string): { device: SimulatedDevice; auth: AuthenticatedDevice } {
  const identity = {
    deviceId: id,
    rep: { name: 'Tove', email: 'tove@example.com' },
    booth: null,
    team: 'North',
    region: 'EMEA',
  };
  const device = new SimulatedDevice('http://unused', '1.4.0', 3);
  device.enrolment = { identity, credential: `${id}.x` } as unknown as EnrolAnswer;
  return {
    device,
    auth: { id, rep: 'tove@example.com', booth: null, team: 'North', region: 'EMEA', revoked: false },
  };
}

const batchOf = (device: SimulatedDevice, n: number, size: number): FleetRecord[] =>
  Array.from({ length: size }, (_, i) =>
    device.event(AT, { itemId: `item-${(n * size + i) % 7}`, page: 1 + (i % 5), dwellMs: 4000 }),
  );

describe('ingest commits on SQLite', () => {
  it('Studio’s transactions take the write lock when they begin, so one that read can still write', async () => {
    const data = tempDir('commit-lock-');
    const { db } = await openDatabase({ dataDir: data.dir });
    try {
      await db.transaction().execute(async (trx) => {
        await trx.selectFrom('fleet_devices').select('id').execute();
        // Another connection (ingest's thread) cannot take the lock in between.
        const other = new Database(path.join(data.dir, 'studio.sqlite'), { timeout: 0 });
        try {
          expect(() => other.exec('BEGIN IMMEDIATE')).toThrow(/locked|busy/i);
        } finally {
          other.close();
        }
      });
    } finally {
      await db.destroy();
      data.cleanup();
    }
  });

  it('stores batches on its own thread while Studio writes; a close finishes what it took and stores nothing half', async () => {
    const data = tempDir('commit-thread-');
    const studio = await openStudio({ dataDir: data.dir, config: { scryptCost: 2 ** 10 }, log: () => {} });
    const { device, auth } = deviceOf('dev_thread_1');
    expect(commitThreadOf(studio.db)).toBeDefined();
    const sent = Array.from({ length: 16 }, (_, n) => batchOf(device, n, 50));
    const first = await Promise.all(
      sent.slice(0, 8).map((records, n) => ingest(studio.context, auth, `b${n}`, { records })),
    );
    expect(first.map((a) => a.accepted)).toEqual(Array(8).fill(50));
    // Studio's own writes while batches commit beside them.
    const later = sent.slice(8).map((records, n) =>
      ingest(studio.context, auth, `b${n + 8}`, { records }).then(
        (answer) => ({ key: `b${n + 8}`, answer }),
        (error: Error) => ({ key: `b${n + 8}`, error }),
      ),
    );
    await createUser(
      studio.context,
      { email: 'ines@example.com', name: 'Ines', role: 'editor', password: 'long enough pw' },
      null,
    );
    const closed = studio.close();
    const outcomes = await Promise.all(later);
    await closed;

    const check = new Database(path.join(data.dir, 'studio.sqlite'), { readonly: true });
    try {
      const stored = (key: string) =>
        (check.prepare('SELECT count(*) AS n FROM fleet_batches WHERE idempotency_key = ?').get(key) as { n: number })
          .n;
      const acknowledged = [
        'b0',
        'b1',
        'b2',
        'b3',
        'b4',
        'b5',
        'b6',
        'b7',
        ...outcomes.filter((o) => 'answer' in o).map((o) => o.key),
      ];
      // Every acknowledged batch is stored; one refused while closing is not stored at all.
      for (const key of acknowledged) expect(stored(key)).toBe(1);
      for (const o of outcomes) if ('error' in o) expect(stored(o.key)).toBe(0);
      const records = check
        .prepare('SELECT count(*) AS n, count(DISTINCT idempotency_key) AS d FROM fleet_records')
        .get() as {
        n: number;
        d: number;
      };
      expect(records).toEqual({ n: acknowledged.length * 50, d: acknowledged.length * 50 });
      expect(check.prepare("SELECT count(*) AS n FROM users WHERE email = 'ines@example.com'").get()).toEqual({ n: 1 });
    } finally {
      check.close();
      data.cleanup();
    }
  });

  it('a database in memory commits on Studio’s thread, with the same answers', async () => {
    const data = tempDir('commit-memory-');
    const { db } = await openDatabase({ dataDir: data.dir, url: ':memory:' });
    const ctx = { db, dataDir: data.dir, now: () => new Date(AT) } as unknown as StudioContext;
    try {
      expect(commitThreadOf(db)).toBeUndefined();
      const { device, auth } = deviceOf('dev_memory_1');
      const records = batchOf(device, 0, 30);
      const answer = await ingest(ctx, auth, 'm1', { records });
      expect(answer).toMatchObject({ accepted: 30, duplicate: false });
      expect(await ingest(ctx, auth, 'm1', { records })).toMatchObject({ accepted: 30, duplicate: true });
      const count = await db
        .selectFrom('fleet_records')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(30);
    } finally {
      await db.destroy();
      data.cleanup();
    }
  });
});
