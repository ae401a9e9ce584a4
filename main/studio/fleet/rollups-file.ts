import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { sqliteHandleOf, unreadableRollupsOf, type StudioDb } from '../database/connection.ts';
import type { StudioTables } from '../database/schema.ts';
import { rebuildRollups } from './rollups.ts';

/**
 * On SQLite the rollups live in a database file of their own, attached as `rollups`
 * (database/connection.ts), so that the folds, on a thread of their own (folding.ts), write
 * them while Studio's thread stores uploads in the main file: SQLite has one writer per file.
 * Measured before this was built (bench:fleet, SQLite, alternated): 20,695 against 16,465
 * records/s, and the rollups complete 0.6–1.1 s after the last upload instead of 2.2–3.2 s.
 *
 * What makes two files safe:
 * - A fold reads records from the main file and writes only the rollups' file: its sums and its
 *   mark (`fleet_fold_mark.folded`) commit together, so a fold is counted once or not at all.
 * - An erasure writes both files, and SQLite commits each file of a transaction atomically,
 *   not the pair. So both files count erasures (`erasures`), in the same transaction: a crash
 *   between the two commits leaves them different, and the next start fills the rollups again
 *   from the records.
 * - The rollups are derived from the records. A rollups file that is missing (a backup of
 *   `studio.sqlite` alone), from another Studio (`pairing`), ahead of the records (a restored
 *   older `studio.sqlite`) or unreadable (set aside, database/connection.ts) is filled again
 *   from the records at start.
 * - The rollup tables' definitions are kept in the main file (`fleet_rollups_schema`) to create
 *   them again. A later migration that changes a rollup table must change them there too (on
 *   SQLite it alters `rollups.<table>`, and rewrites its row in `fleet_rollups_schema`).
 */
export const ROLLUP_TABLES = [
  'fleet_usage_daily',
  'fleet_usage_total',
  'fleet_page_daily',
  'fleet_meeting_items',
  'fleet_meeting_days',
  'fleet_team_daily',
] as const;

/** A statement from the main file's schema, made to create the same table or index in `rollups`. */
function inRollups(statement: string): string {
  const rewritten = statement.replace(
    /^\s*create\s+(unique\s+)?(table|index)\s+("?)([A-Za-z_][A-Za-z0-9_]*)\3/i,
    (_, unique: string | undefined, kind: string, _quote: string, name: string) =>
      `create ${unique ?? ''}${kind} "rollups"."${name}"`,
  );
  if (rewritten === statement) throw new Error(`Not a table or index definition: ${statement.slice(0, 60)}`);
  return rewritten;
}

async function rows<T>(db: Kysely<unknown>, query: RawBuilder<unknown>): Promise<T[]> {
  return (await query.execute(db)).rows as T[];
}

async function tableIn(db: Kysely<unknown>, schema: 'main' | 'rollups', table: string): Promise<boolean> {
  const found = await rows<{ name: string }>(
    db,
    sql`select name from ${sql.raw(`${schema}.sqlite_master`)} where type = 'table' and name = ${table}`,
  );
  return found.length === 1;
}

/** Creates the rollup tables and the folds' mark, empty, in the rollups file (dropping what is there). */
async function createRollupTables(db: Kysely<unknown>): Promise<void> {
  for (const table of [...ROLLUP_TABLES, 'fleet_fold_mark'])
    await sql`drop table if exists ${sql.raw(`"rollups"."${table}"`)}`.execute(db);
  const schema = await rows<{ sql: string }>(db, sql`select sql from main.fleet_rollups_schema order by position`);
  for (const { sql: statement } of schema) await sql.raw(inRollups(statement)).execute(db);
  await sql`create table "rollups"."fleet_fold_mark" (
    id integer primary key, folded integer not null, pairing text not null, erasures integer not null)`.execute(db);
}

/**
 * Migration 051 (SQLite): moves the rollup tables and the folds' mark into the rollups file.
 * Records an older Studio listed for a fold (before migration 050) are numbered after the
 * others instead, so the folds read only numbered records. One transaction; if the main file
 * committed and the rollups file did not, the check at start fills the rollups again.
 */
export async function moveRollupsToTheirFile(db: Kysely<unknown>): Promise<void> {
  const attached = await rows<{ name: string }>(db, sql`select name from pragma_database_list where name = 'rollups'`);
  if (attached.length === 0) throw new Error('The rollups file is not attached: open the database with openDatabase.');
  // Moved already: a run stopped after the main file committed, before the migration was recorded.
  if (await tableIn(db, 'main', 'fleet_rollups_schema')) return;
  await sql`begin immediate`.execute(db);
  try {
    const [sequence] = await rows<{ folded: number; next: number }>(
      db,
      sql`select folded, next from main.fleet_fold_sequence where id = 1`,
    );
    const [listed] = await rows<{ n: number }>(db, sql`select count(*) as n from main.fleet_rollup_pending`);
    if (listed!.n > 0) {
      await sql`update main.fleet_records set fold_seq = listed.seq
        from (select device_id, idempotency_key, ${sequence!.next} - 1 + row_number() over (order by rowid) as seq
              from main.fleet_rollup_pending) as listed
        where fleet_records.device_id = listed.device_id and fleet_records.idempotency_key = listed.idempotency_key`.execute(
        db,
      );
      await sql`update main.fleet_fold_sequence set next = next + ${listed!.n} where id = 1`.execute(db);
      await sql`delete from main.fleet_rollup_pending`.execute(db);
    }
    await sql`create table main.fleet_rollups_schema (position integer primary key, sql text not null)`.execute(db);
    const names = sql.join(ROLLUP_TABLES.map((t) => sql`${t}`));
    // Tables first, then their indexes (a primary key's index comes with its table).
    await sql`insert into main.fleet_rollups_schema (sql)
      select sql from main.sqlite_master where tbl_name in (${names}) and sql is not null
      order by type = 'index', name`.execute(db);
    await createRollupTables(db);
    for (const table of ROLLUP_TABLES) {
      await sql`insert into ${sql.raw(`"rollups"."${table}"`)} select * from ${sql.raw(`main."${table}"`)}`.execute(db);
      await sql`drop table ${sql.raw(`main."${table}"`)}`.execute(db);
    }
    const pairing = randomBytes(12).toString('hex');
    await sql`insert into rollups.fleet_fold_mark (id, folded, pairing, erasures)
      values (1, ${sequence!.folded}, ${pairing}, 0)`.execute(db);
    await sql`alter table main.fleet_fold_sequence add column pairing text not null default ''`.execute(db);
    await sql`alter table main.fleet_fold_sequence add column erasures integer not null default 0`.execute(db);
    await sql`alter table main.fleet_fold_sequence drop column folded`.execute(db);
    await sql`update main.fleet_fold_sequence set pairing = ${pairing} where id = 1`.execute(db);
    await sql`commit`.execute(db);
  } catch (error) {
    // A commit that failed part-way may have ended the transaction already: the error is the
    // commit's, not the rollback's.
    await sql`rollback`.execute(db).catch(() => {});
    throw error;
  }
}

/** Why the rollups file must be filled again from the records, or null when it matches them. */
export async function rollupsFileMismatch(db: Kysely<unknown>): Promise<string | null> {
  for (const table of [...ROLLUP_TABLES, 'fleet_fold_mark'])
    if (!(await tableIn(db, 'rollups', table))) return 'it has no rollups';
  const [main] = await rows<{ next: number; pairing: string; erasures: number }>(
    db,
    sql`select next, pairing, erasures from main.fleet_fold_sequence where id = 1`,
  );
  const [mark] = await rows<{ folded: number; pairing: string; erasures: number }>(
    db,
    sql`select folded, pairing, erasures from rollups.fleet_fold_mark where id = 1`,
  );
  if (!mark) return 'it has no mark';
  if (mark.pairing !== main!.pairing) return 'it belongs to another Studio database';
  if (mark.folded >= main!.next) return 'it counts records this database does not hold';
  if (mark.erasures !== main!.erasures) return 'an erasure was committed to one file and not the other';
  return null;
}

/**
 * At open, on SQLite: a rollups file that does not match the records is filled again from
 * them, in one transaction that writes only the rollups file. Every numbered record is then
 * counted. Answers why it was filled again, or null.
 */
export async function checkRollupsFile(db: StudioDb): Promise<string | null> {
  const untyped = db as unknown as Kysely<unknown>;
  const unreadable = unreadableRollupsOf(db);
  const why = unreadable
    ? `it could not be read (kept as ${path.basename(unreadable)})`
    : await rollupsFileMismatch(untyped);
  if (why === null) return null;
  await db.transaction().execute(async (trx) => {
    const t = trx as unknown as Kysely<unknown>;
    await createRollupTables(t);
    await rebuildRollups(t);
    await sql`insert into rollups.fleet_fold_mark (id, folded, pairing, erasures)
      select 1, next - 1, pairing, erasures from main.fleet_fold_sequence where id = 1`.execute(t);
  });
  return why;
}

/**
 * In an erasure's transaction, on SQLite: both files count it, so a crash that commits one file
 * and not the other is seen at the next start (`rollupsFileMismatch`). Nothing on PostgreSQL.
 */
export async function countErasure(trx: Transaction<StudioTables>, db: StudioDb): Promise<void> {
  if (!sqliteHandleOf(db)) return;
  await sql`update main.fleet_fold_sequence set erasures = erasures + 1 where id = 1`.execute(trx);
  await sql`update rollups.fleet_fold_mark set erasures = erasures + 1 where id = 1`.execute(trx);
}
