import { sql, type SelectQueryBuilder, type Transaction } from 'kysely';
import { sqliteHandleOf, sqliteStatement, type StudioDb } from '../database/connection.ts';
import type { StudioTables } from '../database/schema.ts';
import type { StudioContext } from '../context.ts';
import { retryDeadlocks } from './pgcommits.ts';
import { countRecords, isCounted, unnest, type CountedRecord } from './rollups.ts';
import type { FleetRecordTable } from './tables.ts';

/**
 * The rollups are folded from the records about once a second, not inside each ingest commit.
 *
 * An ingest commit stores its records and lists the ones the rollups count (opens and page
 * views) in `fleet_rollup_pending`, a small table appended to in the same transaction. A fold
 * takes every listed record, adds it to the rollups and removes it from the list, in one
 * transaction: a record is counted once, whether Studio is killed before, during or after.
 *
 * Why: each page view adds to a daily row and a page row keyed by day, team, item and page, in
 * random places. Counted in every commit, a few commits a second each rewrote thousands of the
 * same rollup pages; folded once a second, each page is written once per second. Ingest commits
 * also no longer hold rollup rows (shared by every device) locked on PostgreSQL.
 *
 * Freshness: a dashboard folds what is pending before it reads the rollups, so a view is as
 * current as the last acknowledged upload.
 *
 * On PostgreSQL several Studio processes may fold at once: a fold takes its records with
 * `DELETE … RETURNING`, and a row another fold has taken is locked by it until that fold
 * commits, then gone, so no record is folded twice. An erasure takes its records' listed rows
 * the same way (`forgetPending`) and subtracts only the records a fold had already counted.
 */

/** How long after an ingest commit the fold runs: the commits of that second are folded together. */
export const FOLD_AFTER_MS = 1000;

/** The columns a fold reads from a record: what the rollups count. */
const COUNTED_COLUMNS = [
  'device_id',
  'kind',
  'at',
  'day',
  'team',
  'event_type',
  'item_id',
  'page',
  'dwell_ms',
  'dwell_bucket',
  'meeting_id',
] as const satisfies readonly (keyof CountedRecord)[];

/** Lists the records this transaction stored that the rollups count, to be folded. */
export async function listPending(
  trx: Transaction<StudioTables>,
  db: StudioDb,
  stored: readonly FleetRecordTable[],
): Promise<number> {
  const counted = stored.filter(isCounted);
  if (counted.length === 0) return 0;
  // A key may already be listed: a record erased while its upload was committing leaves its row
  // behind (the fold skips it, finding no record) and the device may send that record again.
  const insert = sqliteStatement(
    db,
    'INSERT INTO fleet_rollup_pending (device_id, idempotency_key) VALUES (?, ?) ON CONFLICT DO NOTHING',
  );
  if (insert) {
    for (const r of counted) insert.run(r.device_id, r.idempotency_key);
    return counted.length;
  }
  await sql`insert into fleet_rollup_pending (device_id, idempotency_key) ${unnest(
    [
      ['device_id', 'text'],
      ['idempotency_key', 'text'],
    ],
    counted.map((r) => [r.device_id, r.idempotency_key]),
  )} on conflict do nothing`.execute(trx);
  return counted.length;
}

/**
 * Takes the listed rows of records about to be deleted, in the deleting transaction, before the
 * records go; answers the keys it took: those records were never counted, so nothing of them is
 * to be subtracted. (Rows a concurrent fold holds are waited for, and then are gone: counted.)
 */
export async function forgetPending(
  trx: Transaction<StudioTables>,
  records: SelectQueryBuilder<StudioTables, 'fleet_records', { device_id: string; idempotency_key: string }>,
): Promise<Set<string>> {
  const taken = await trx
    .deleteFrom('fleet_rollup_pending')
    .where(({ eb, refTuple }) =>
      eb(refTuple('device_id', 'idempotency_key'), 'in', records.$asTuple('device_id', 'idempotency_key')),
    )
    .returning(['device_id', 'idempotency_key'])
    .execute();
  return new Set(taken.map((t) => pendingKey(t)));
}

export const pendingKey = (r: { device_id: string; idempotency_key: string }) =>
  `${r.device_id}\u0000${r.idempotency_key}`;

/**
 * Records per fold transaction. A busy second lists twenty to thirty thousand records, folded in
 * one transaction: the fewer transactions, the fewer times the same rollup pages are written
 * (in slices of 5,000, ingest ran a sixth slower). A larger backlog (a Studio that was down
 * while another kept listing) is folded a slice at a time, uploads going between slices.
 */
export const FOLD_SLICE = 50_000;

/** Listed records a view folds itself before it reads (about a tenth of a second's work); more waits for the timer's fold. */
export const FOLD_ON_READ = 5_000;

/** One fold: the listed records into the rollups and off the list, a slice per transaction. Answers how many. */
export async function foldPending(db: StudioDb, slice = FOLD_SLICE): Promise<number> {
  const listed = await db
    .selectFrom('fleet_rollup_pending')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  // What was listed when the fold began: under a steady stream of uploads it still ends.
  let left = Number(listed.n);
  let folded = 0;
  while (left > 0) {
    const { taken, counted } = sqliteHandleOf(db) ? await foldSqlite(db, slice) : await foldPostgres(db, slice);
    folded += counted;
    left -= taken;
    // Fewer than a slice: the list is empty (or its rest is another Studio's to fold).
    if (taken < slice) break;
    // Ingest commits waiting for the database go before the next slice.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return folded;
}

async function foldSqlite(db: StudioDb, slice: number): Promise<{ taken: number; counted: number }> {
  return db.transaction().execute(async (trx) => {
    // One writer: the list changes only in this transaction until it commits. Oldest first; a
    // listed record that is gone (erased while it was being stored) is taken and not counted.
    const rows = sqliteStatement(
      db,
      `SELECT p.rowid AS listed, ${COUNTED_COLUMNS.map((c) => `r.${c}`).join(', ')} FROM fleet_rollup_pending p
       LEFT JOIN fleet_records r ON r.device_id = p.device_id AND r.idempotency_key = p.idempotency_key
       ORDER BY p.rowid LIMIT ?`,
    )!.all(slice) as (CountedRecord & { listed: number })[];
    if (rows.length === 0) return { taken: 0, counted: 0 };
    sqliteStatement(db, 'DELETE FROM fleet_rollup_pending WHERE rowid <= ?')!.run(rows[rows.length - 1]!.listed);
    const records = rows.filter((r) => r.kind !== null);
    await countRecords(trx, db, records);
    return { taken: rows.length, counted: records.length };
  });
}

async function foldPostgres(db: StudioDb, slice: number): Promise<{ taken: number; counted: number }> {
  return retryDeadlocks(() =>
    db.transaction().execute(async (trx) => {
      // Rows another fold (another Studio process) holds are waited for, then gone, so skipped.
      const rows = await sql<CountedRecord & { kind: string | null }>`with taken as (
          delete from fleet_rollup_pending
          where ctid = any(array(select ctid from fleet_rollup_pending limit ${slice}))
          returning device_id, idempotency_key
        )
        select ${sql.join(COUNTED_COLUMNS.map((c) => sql.ref(`r.${c}`)))}
        from taken left join fleet_records r
          on r.device_id = taken.device_id and r.idempotency_key = taken.idempotency_key`.execute(trx);
      const records = rows.rows.filter((r) => r.kind !== null);
      await countRecords(trx, db, records);
      return { taken: rows.rows.length, counted: records.length };
    }),
  );
}

/** Folds in one process one at a time; a fold asked for while one runs is one more after it, shared. */
class Folder {
  private running: Promise<number> | null = null;
  private again: Promise<number> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  afterMs = FOLD_AFTER_MS;

  constructor(
    private readonly db: StudioDb,
    private readonly log: (line: string) => void,
  ) {}

  get busy(): boolean {
    return this.running !== null;
  }

  get timed(): boolean {
    return this.started;
  }

  now(): Promise<number> {
    if (!this.running) {
      this.running = foldPending(this.db).finally(() => {
        this.running = null;
      });
      return this.running;
    }
    // Records acknowledged while this fold runs may have missed it: one more fold after it.
    this.again ??= this.running
      .catch(() => 0)
      .then(() => {
        this.again = null;
        return this.now();
      });
    return this.again;
  }

  soon(): void {
    if (!this.started || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.now().catch((error: unknown) => {
        // The records stay listed: the next fold (or a dashboard read) counts them.
        this.log(`rollups not folded this time: ${(error as Error).message}`);
        this.soon();
      });
    }, this.afterMs);
    this.timer.unref();
  }

  start(): void {
    this.started = true;
    this.soon();
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.again?.catch(() => 0);
    await this.running?.catch(() => 0);
  }
}

const folders = new WeakMap<StudioDb, Folder>();
function folderOf(ctx: Pick<StudioContext, 'db' | 'log'>): Folder {
  let folder = folders.get(ctx.db);
  if (!folder) folders.set(ctx.db, (folder = new Folder(ctx.db, (line) => ctx.log?.(line))));
  return folder;
}

/**
 * Before a view reads the rollups: what devices have uploaded so far is counted, when that is
 * quick. In a running Studio under a burst of uploads the view does not wait for a large fold
 * (on SQLite it would hold the one connection for most of a second): it reads the rollups as
 * they are, at most a second or two behind, and the timer's fold catches up. Without a running
 * Studio (the CLI, tests) there is no timer: the view always folds first.
 */
export async function foldBeforeReading(ctx: Pick<StudioContext, 'db' | 'log'>): Promise<void> {
  const folder = folderOf(ctx);
  if (folder.timed) {
    if (folder.busy) return;
    const listed = await ctx.db
      .selectFrom('fleet_rollup_pending')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    if (Number(listed.n) > FOLD_ON_READ) return;
  }
  await folder.now();
}

/** After an ingest commit listed records: a fold soon after (only in a running Studio). */
export function foldSoon(ctx: Pick<StudioContext, 'db' | 'log'>): void {
  folderOf(ctx).soon();
}

/** A running Studio folds on its own: now (what a killed Studio left listed), then after each upload. */
export function startFolding(
  ctx: Pick<StudioContext, 'db' | 'log'>,
  afterMs = FOLD_AFTER_MS,
): { stop(): Promise<void> } {
  const folder = folderOf(ctx);
  folder.afterMs = afterMs;
  folder.start();
  return { stop: () => folder.stop() };
}
