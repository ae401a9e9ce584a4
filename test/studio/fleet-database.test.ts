import Database from 'better-sqlite3';
import path from 'node:path';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '#studio/database/connection';
import { migrations } from '#studio/database/migrations';
import type { StudioTables } from '#studio/database/schema';
import { tempDir } from '../support/release.ts';

/** The fleet's migrations (010–012) on a database with data in it, and the hot query's plan. */

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

it('migrates a Studio database from before the fleet, keeping its people and channels', async () => {
  const data = tempDir('studio-fleet-db-');
  cleanups.push(data.cleanup);
  const file = path.join(data.dir, 'studio.sqlite');
  const before = new Kysely<StudioTables>({ dialect: new SqliteDialect({ database: new Database(file) }) });
  const migrator = new Migrator({
    db: before,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'studio_migration',
    migrationLockTableName: 'studio_migration_lock',
  });
  expect((await migrator.migrateTo('004-collections')).error).toBeUndefined();
  await before
    .insertInto('users')
    .values({
      id: 'u1',
      email: 'ada@example.com',
      name: 'Ada',
      role: 'manager',
      password_hash: 'x',
      created_at: 'now',
      disabled: 0,
    })
    .execute();
  await before.insertInto('channels').values({ id: 'default', title: 'Default', created_at: 'now' }).execute();
  await before.destroy();

  const { db } = await openDatabase({ dataDir: data.dir });
  expect(await db.selectFrom('users').select('email').execute()).toEqual([{ email: 'ada@example.com' }]);
  await db.insertInto('fleet_manager_teams').values({ user_id: 'u1', team: 'North' }).execute();
  // A manager's team goes with the manager.
  await db.deleteFrom('users').where('id', '=', 'u1').execute();
  expect(await db.selectFrom('fleet_manager_teams').selectAll().execute()).toEqual([]);
  await db.destroy();
});

it('content by item reads the usage index alone (no table lookups, no sort)', async () => {
  const data = tempDir('studio-fleet-db-');
  cleanups.push(data.cleanup);
  await (await openDatabase({ dataDir: data.dir })).db.destroy();
  const raw = new Database(path.join(data.dir, 'studio.sqlite'));
  raw.exec('ANALYZE');
  const plan = (sql: string) =>
    (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
  const opens = plan(
    `SELECT item_id, count(*) FROM fleet_records WHERE kind = 'event' AND event_type = 'item.opened' AND team = 'North' GROUP BY item_id`,
  );
  expect(opens).toMatch(/USING COVERING INDEX fleet_records_usage/);
  expect(opens).not.toMatch(/TEMP B-TREE/);
  const views = plan(
    `SELECT item_id, dwell_bucket, count(*), sum(dwell_ms) FROM fleet_records WHERE kind = 'event' AND event_type = 'page.viewed' GROUP BY item_id, dwell_bucket`,
  );
  expect(views).toMatch(/USING COVERING INDEX fleet_records_usage/);
  expect(views).not.toMatch(/TEMP B-TREE/);
  raw.close();
});
