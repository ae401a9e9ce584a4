import Database from 'better-sqlite3';
import path from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { expect, onTestFinished } from 'vitest';
import { openDatabase, type StudioDb } from '#studio/database/connection';
import { migrations } from '#studio/database/migrations';
import type { StudioTables } from '#studio/database/schema';
import { tempDir } from '../support/release.ts';
import { postgresUnavailable, startPostgres } from './postgres.ts';

/**
 * Studio databases for migration and query-plan tests. `databaseAt` stops one at an earlier
 * migration, on SQLite or on a throwaway PostgreSQL, for the test to fill with what the later
 * migrations must keep, then opens it as Studio does. `migratedSqlite` is a current SQLite file
 * read through a raw handle, for EXPLAIN QUERY PLAN. Everything is removed when the test ends.
 */
export type Backend = 'sqlite' | 'postgres';

/** Why PostgreSQL cannot run here (its tests are skipped), or null; asked once, on first use. */
let postgresMissing: string | null | undefined;
export function postgresMissingHere(): string | null {
  if (postgresMissing === undefined) postgresMissing = postgresUnavailable();
  return postgresMissing;
}

export const backends: readonly Backend[] = ['sqlite', 'postgres'];

export interface EarlierDatabase {
  /** The database as an earlier Studio left it. */
  before: Kysely<StudioTables>;
  /** Closes `before` and opens the database as Studio does: every later migration runs. */
  open(): Promise<StudioDb>;
}

export async function databaseAt(backend: Backend, migration: string): Promise<EarlierDatabase> {
  const data = tempDir('studio-migration-db-');
  onTestFinished(() => data.cleanup());
  let url: string | undefined;
  if (backend === 'postgres') {
    const server = await startPostgres();
    onTestFinished(() => server.stop());
    url = server.url;
  }
  const before = new Kysely<StudioTables>({
    dialect: url
      ? new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) })
      : new SqliteDialect({ database: new Database(path.join(data.dir, 'studio.sqlite')) }),
  });
  const migrator = new Migrator({
    db: before,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'studio_migration',
    migrationLockTableName: 'studio_migration_lock',
  });
  let opened = false;
  onTestFinished(async () => {
    if (!opened) await before.destroy();
  });
  expect((await migrator.migrateTo(migration)).error).toBeUndefined();
  return {
    before,
    async open() {
      opened = true;
      await before.destroy();
      const { db } = await openDatabase({ dataDir: data.dir, url });
      // Registered after the server's stop, so it runs first (last registered, first run).
      onTestFinished(() => db.destroy());
      return db;
    },
  };
}

/** The last migration before `name`: where a database stood before that migration came. */
export function migrationBefore(name: string): string {
  return Object.keys(migrations)
    .filter((m) => m < name)
    .sort()
    .at(-1)!;
}

export interface PlannedSqlite {
  raw: Database.Database;
  /** EXPLAIN QUERY PLAN of the statement, its steps joined by " | ". */
  plan(sql: string): string;
}

export async function migratedSqlite(): Promise<PlannedSqlite> {
  const data = tempDir('studio-plan-db-');
  onTestFinished(() => data.cleanup());
  await (await openDatabase({ dataDir: data.dir })).db.destroy();
  const raw = new Database(path.join(data.dir, 'studio.sqlite'));
  // On SQLite the fleet's rollups are in a file of their own (main/studio/fleet/rollups-file.ts).
  raw.prepare('ATTACH DATABASE ? AS rollups').run(path.join(data.dir, 'studio-rollups.sqlite'));
  onTestFinished(() => {
    raw.close();
  });
  return {
    raw,
    plan: (sql) =>
      (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | '),
  };
}
