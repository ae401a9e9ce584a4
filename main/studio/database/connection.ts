import { existsSync, renameSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type MigrationProvider } from 'kysely';
import pg from 'pg';
import { checkRollupsFile } from '../fleet/rollups-file.ts';
import { migrations } from './migrations.ts';
import type { StudioTables } from './schema.ts';

export type StudioDb = Kysely<StudioTables>;

/** The better-sqlite3 handle under a SQLite Studio, for the few hot statements worth preparing once. */
const sqliteHandles = new WeakMap<StudioDb, Database.Database>();
export const sqliteHandleOf = (db: StudioDb): Database.Database | undefined => sqliteHandles.get(db);

const statements = new WeakMap<StudioDb, Map<string, Database.Statement<unknown[]>>>();
/**
 * On SQLite, a statement prepared once per database for SQL run on every request (undefined on
 * PostgreSQL): through the query builder it is built, compiled and prepared again each time.
 * Outside a transaction of its own (`outside`), it is undefined while one is open on the one
 * connection, so a read never sees another request's uncommitted writes: the caller then goes
 * through the query builder, which waits for that transaction to end.
 */
export function sqliteStatement(
  db: StudioDb,
  text: string,
  options: { outside?: boolean } = {},
): Database.Statement<unknown[]> | undefined {
  const handle = sqliteHandles.get(db);
  if (!handle || (options.outside && handle.inTransaction)) return undefined;
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let statement = cache.get(text);
  if (!statement) cache.set(text, (statement = handle.prepare(text)));
  return statement;
}

/** Pages of write-ahead log (4 KB each) after which a commit copies the log into the database. */
export const WAL_AUTOCHECKPOINT_PAGES = 16384;

export class SchemaTooNewError extends Error {
  override readonly name = 'SchemaTooNewError';
}

/**
 * Opens Studio's database: `postgres://…` / `postgresql://…` for PostgreSQL, anything else (or
 * nothing) for a SQLite file, by default `studio.sqlite` in the data folder. Migrations run
 * before the first query; a database migrated by a newer Studio is refused, never downgraded.
 */
export async function openDatabase(options: { dataDir: string; url?: string | undefined }): Promise<{
  db: StudioDb;
  dialect: 'sqlite' | 'postgres';
  /** SQLite: why the rollups file was filled again from the records at this open (null if it was not). */
  rollupsRefilled: string | null;
}> {
  const url = options.url;
  let db: StudioDb;
  let dialect: 'sqlite' | 'postgres';
  if (url && /^postgres(ql)?:\/\//i.test(url)) {
    dialect = 'postgres';
    db = new Kysely<StudioTables>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 10 }) }),
    });
  } else {
    dialect = 'sqlite';
    const file = url ? url.replace(/^sqlite:(\/\/)?/i, '') : path.join(options.dataDir, 'studio.sqlite');
    db = openSqlite(file);
  }
  try {
    await migrate(db);
    const rollupsRefilled = dialect === 'sqlite' ? await checkRollupsFile(db) : null;
    return { db, dialect, rollupsRefilled };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

/**
 * The fleet's rollups, on SQLite, in a database file of their own beside Studio's
 * (`studio-rollups.sqlite` beside `studio.sqlite`), attached to every connection as `rollups`:
 * SQLite has one writer per file, and this way the folds (on a thread of their own,
 * fleet/folding.ts) write the rollups while uploads are stored in the main file. The rollups are
 * derived from the records: a missing or mismatched file is filled again from them
 * (`checkRollupsFile`). A database in memory attaches one in memory.
 */
export function rollupsFileOf(file: string): string {
  if (file === ':memory:' || file === '') return ':memory:';
  const extension = path.extname(file);
  return extension ? `${file.slice(0, -extension.length)}-rollups${extension}` : `${file}-rollups`;
}

/**
 * A SQLite connection as Studio uses it: its settings, the rollups' file attached, and its
 * handle kept for `sqliteStatement`. `mustExist` for a second connection (the folds' thread).
 */
export function openSqlite(file: string, options: { mustExist?: boolean } = {}): StudioDb {
  const sqlite = new Database(file, { fileMustExist: options.mustExist ?? false });
  // Same durability stance as the device database: a laptop may lose power mid-publish. FULL,
  // not NORMAL, also because a device deletes what Studio acknowledged: NORMAL would survive
  // a killed process but could lose acknowledged batches on power loss. Group commit pays.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Fleet ingest writes index and rollup pages all over a database of hundreds of megabytes:
  // 64 MB of page cache (not the default 2 MB) keeps them in memory between commits.
  sqlite.pragma('cache_size = -65536');
  // A checkpoint every 64 MB of log instead of every 4 MB: each copies a page written by many
  // commits once, where the default copied nearly every ingest commit's pages again. Durability
  // is the log's, synced at every commit either way.
  // A running Studio copies the log on a thread of its own (checkpoints.ts) and raises this.
  sqlite.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  const setAside = attachRollups(sqlite, sqlite.memory ? ':memory:' : rollupsFileOf(file));
  // A fold's mark moves with its sums in one commit of this file: whatever a crash loses of it,
  // the records past the mark are folded again, and counted once.
  sqlite.pragma('rollups.synchronous = FULL');
  sqlite.pragma('rollups.cache_size = -65536');
  const db = new Kysely<StudioTables>({ dialect: new SqliteDialect({ database: sqlite }) });
  sqliteHandles.set(db, sqlite);
  if (setAside) unreadableRollups.set(db, setAside);
  return db;
}

/** A rollups file SQLite could not read at open, and where it was set aside (`checkRollupsFile` says so). */
const unreadableRollups = new WeakMap<StudioDb, string>();
export const unreadableRollupsOf = (db: StudioDb): string | undefined => unreadableRollups.get(db);

/**
 * Attaches the rollups file. One SQLite cannot read (not a database, or damaged) is renamed
 * `….unreadable-<time>`, with its log, and a new one attached: the rollups are derived from the
 * records, and counted again from them at open. Answers where it was set aside, or null.
 */
function attachRollups(sqlite: Database.Database, file: string): string | null {
  const attach = () => {
    sqlite.prepare('ATTACH DATABASE ? AS rollups').run(file);
    // Reads the file's header: an unreadable file fails here.
    if (file === ':memory:') sqlite.prepare('SELECT count(*) FROM rollups.sqlite_master').get();
    else sqlite.pragma('rollups.journal_mode = WAL');
  };
  try {
    attach();
    return null;
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (file === ':memory:' || !/^SQLITE_(NOTADB|CORRUPT)/.test(code)) throw error;
    const attached = (sqlite.pragma('database_list') as { name: string }[]).some((d) => d.name === 'rollups');
    if (attached) sqlite.exec('DETACH DATABASE rollups');
    const aside = `${file}.unreadable-${Date.now()}`;
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
    attach();
    return aside;
  }
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

async function migrate(db: StudioDb): Promise<void> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'studio_migration',
    migrationLockTableName: 'studio_migration_lock',
  });
  const known = new Set(Object.keys(migrations));
  const applied = await migrator.getMigrations();
  const executed = applied.filter((m) => m.executedAt !== undefined).map((m) => m.name);
  // Kysely lists only the migrations it knows; compare against the table to catch newer ones.
  const recorded = await db
    .selectFrom('studio_migration' as never)
    .select('name' as never)
    .execute()
    .then((rows) => (rows as { name: string }[]).map((r) => r.name))
    .catch(() => executed);
  const unknown = recorded.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new SchemaTooNewError(
      `This Studio database was written by a newer Studio (migration ${unknown.join(', ')}); upgrade Studio instead.`,
    );
  }
  const { error } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
