import { sql, type Transaction } from 'kysely';
import { sqliteHandleOf, sqliteStatement, type StudioDb } from '../database/connection.ts';
import type { StudioTables } from '../database/schema.ts';
import type { StudioContext } from '../context.ts';
import { foldThreadAvailable, startFoldThread, type FoldThread } from './fold-thread.ts';
import { retryDeadlocks } from './pgcommits.ts';
import { countedSql, countRecords, foldStatement, isCounted, unnest } from './rollups.ts';
import type { FleetRecordTable, FleetRollupPendingTable } from './tables.ts';

/**
 * The rollups are folded from the records every few seconds (FOLD_AFTER_MS), not inside each
 * ingest commit.
 *
 * On PostgreSQL an ingest commit stores its records and lists the ones the rollups count (opens
 * and page views), with the columns the rollups read, in `fleet_rollup_pending`: a small table
 * appended to in the same transaction. A fold takes listed rows, adds them to the rollups and
 * removes them from the list, in one transaction: a record is counted once, whether Studio is
 * killed before, during or after. The fold never reads the records table.
 *
 * On SQLite (one process) the commit numbers those records instead (`fold_seq`,
 * `foldSequence`), and a fold reads the records numbered past its mark, adds them to the
 * rollups and moves the mark, in one transaction: the same once-only counting without a second
 * row per record (9% of Studio's CPU per record, measured). The rollups and the mark are in a
 * database file of their own (rollups-file.ts), and a running Studio folds on a thread of its
 * own (`FoldThread`, fold-worker.ts): the fold writes that file while Studio's thread stores
 * uploads in the main one. An erasure holds the folds back while it subtracts (`withFoldsHeld`).
 *
 * Why: each page view adds to a daily row and a page row keyed by day, team, item and page, in
 * random places. Counted in every commit, a few commits a second each rewrote thousands of the
 * same rollup pages (500,000 records wrote 6 GB of SQLite log); folded every few seconds, each
 * page is written once per fold (about half the log). Ingest commits also no longer hold rollup rows (shared by
 * every device) locked on PostgreSQL.
 *
 * Freshness: a dashboard folds what is listed before it reads the rollups when that is quick
 * (`foldBeforeReading`); otherwise it is at most a fold behind.
 *
 * On PostgreSQL several Studio processes may fold at once: a fold takes its records with
 * `DELETE … RETURNING`, and a row another fold has taken is locked by it until that fold
 * commits, then gone, so no record is folded twice. An erasure deletes its records, then takes
 * their listed rows the same way (`forgetPending`), and subtracts only what folds had counted.
 */

/**
 * How long after an ingest commit the fold runs: the commits of that while are folded together.
 * On SQLite with folds on their own thread, each second: a fold of three seconds' uploads took
 * longer than three seconds beside ingest, and uploads waited on the backlog (`MAX_BACKLOG`);
 * each second, 20,695 against 17,415 records/s (bench:fleet, alternated). On SQLite folding on
 * Studio's one thread (a Studio not run from its sources), every 3 s: each fold's commit rewrites
 * much the same rollup pages whether it holds one second's uploads or three, and that thread
 * spent about a tenth less per record (40–41.5 µs of its CPU against 43.5–46). On PostgreSQL each
 * second: its fold is one statement whose cost follows the records, and 3 s only delayed the
 * statistics gathered after a burst (team view p95 about 200 ms instead of 90–130). Either way a
 * dashboard folds first when little is waiting (`foldBeforeReading`), and a burst is a fold
 * behind: seconds, within the minute promised.
 */
export const FOLD_AFTER_MS = { sqlite: 1000, sqliteOneThread: 3000, postgres: 1000 } as const;

/** What a listed row holds: a record's key and the columns the rollups count (its kind is always 'event'). */
export const LISTED_NAMES = [
  'device_id',
  'idempotency_key',
  'at',
  'day',
  'team',
  'event_type',
  'item_id',
  'page',
  'dwell_ms',
  'dwell_bucket',
  'meeting_id',
] as const satisfies readonly (keyof FleetRollupPendingTable)[];

/**
 * How many of the records this transaction stored the rollups count (the fold's to take). On
 * SQLite the insert numbered them (`foldSequence`); on PostgreSQL the statement that stores
 * records listed them (`listingOf`).
 */
export function listPending(stored: readonly FleetRecordTable[]): number {
  return stored.filter(isCounted).length;
}

/**
 * SQLite: the numbers an ingest transaction gives the records the rollups count, from where the
 * last one stopped (`fleet_fold_sequence.next`, migration 050). Numbers only grow, whatever is
 * erased, so a fold's mark (`folded`) splits the records into counted and not yet: no list to
 * append to and delete from (51.7 against 47.1 µs of CPU per record). `save` before the commit.
 * Undefined on PostgreSQL.
 */
export function foldSequence(db: StudioDb): { peek(): number; take(): number; save(): void } | undefined {
  const read = sqliteStatement(db, 'SELECT next FROM fleet_fold_sequence WHERE id = 1');
  if (!read) return undefined;
  const start = (read.get() as { next: number }).next;
  let next = start;
  return {
    peek: () => next,
    take: () => next++,
    save: () => {
      if (next !== start) sqliteStatement(db, 'UPDATE fleet_fold_sequence SET next = ? WHERE id = 1')!.run(next);
    },
  };
}

/** A record's fold number, to select or return (SQLite); null on PostgreSQL, whose records have none. */
export function foldSeqColumn(db: StudioDb) {
  return (sqliteHandleOf(db) ? sql<number | null>`fold_seq` : sql<number | null>`null`).as('fold_seq');
}

/** SQLite: the number up to which records are counted in the rollups (0 on PostgreSQL, which lists). */
export function foldedUpTo(db: StudioDb): number {
  const read = sqliteStatement(db, 'SELECT folded FROM fleet_fold_mark WHERE id = 1');
  return read ? (read.get() as { folded: number }).folded : 0;
}

/**
 * On PostgreSQL, the insert that lists what `stored` (a CTE of an INSERT … RETURNING into
 * fleet_records, returning `kind` and the listed columns) stored: one statement stores and lists,
 * where listing the stored records afterwards sent them to PostgreSQL a second time.
 */
export function listingOf(stored: string) {
  return sql`insert into fleet_rollup_pending (${sql.join(LISTED_NAMES.map((c) => sql.ref(c)))})
    select ${sql.join(LISTED_NAMES.map((c) => sql.ref(c)))} from ${sql.table(stored)} where ${countedSql}`;
}

/**
 * Of records just deleted (an erasure), in the deleting transaction, the ones no fold has
 * counted: their keys, taken off the list. Nothing of them is to be subtracted. On SQLite, those
 * numbered past the folds' mark (no fold runs during an erasure: `withFoldsHeld`; records an
 * older Studio listed were numbered by migration 051). On PostgreSQL, their listed rows: a row
 * a concurrent fold holds is waited for, and then is gone (that one counted).
 */
export async function forgetPending(
  trx: Transaction<StudioTables>,
  db: StudioDb,
  records: readonly { device_id: string; idempotency_key: string; fold_seq: number | null }[],
): Promise<Set<string>> {
  const taken = new Set<string>();
  if (records.length === 0) return taken;
  if (sqliteHandleOf(db)) {
    const folded = foldedUpTo(db);
    for (const r of records) if (r.fold_seq !== null && r.fold_seq > folded) taken.add(pendingKey(r));
    return taken;
  }
  const keys = [
    ['device_id', 'text'],
    ['idempotency_key', 'text'],
  ] as const;
  const removed = await sql<{ device_id: string; idempotency_key: string }>`delete from fleet_rollup_pending p
    using (${unnest(
      keys,
      records.map((r) => [r.device_id, r.idempotency_key]),
    )}) as k
    where p.device_id = k.device_id and p.idempotency_key = k.idempotency_key
    returning p.device_id, p.idempotency_key`.execute(trx);
  for (const r of removed.rows) taken.add(pendingKey(r));
  return taken;
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

/**
 * Records listed and not yet folded past which an upload waits for a fold: about five seconds of
 * PostgreSQL's folding at full speed. SQLite's folds keep up (a second's uploads each).
 */
export const MAX_BACKLOG = 100_000;

/** Listed records a view folds itself before it reads (about a tenth of a second's work); more waits for the timer's fold. */
export const FOLD_ON_READ = 5_000;

/**
 * Slices one fold takes at most, then lets the next fold (timer, view or upload) go on: under a
 * steady stream of uploads a fold still ends. Not a count of the list: on PostgreSQL that read
 * every page of a table millions of rows had passed through, at every fold.
 */
const MAX_SLICES = 10;

/** One fold: the records not yet counted into the rollups, a slice per transaction. Answers how many. */
export async function foldPending(db: StudioDb, slice = FOLD_SLICE): Promise<number> {
  return (await foldSlices(db, slice)).folded;
}

/** A fold, and whether it stopped with more to take (after MAX_SLICES). The fold thread's work. */
export async function foldSlices(db: StudioDb, slice: number): Promise<{ folded: number; more: boolean }> {
  let folded = 0;
  let more = false;
  for (let slices = 0; slices < MAX_SLICES; slices++) {
    const taken = sqliteHandleOf(db) ? await foldSqlite(db, slice) : await foldPostgres(db, slice);
    folded += taken.folded;
    // Fewer than a slice: nothing is left (or its rest is another Studio's to fold).
    more = taken.more;
    if (!more) break;
    // Ingest commits waiting for the database go before the next slice.
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (folded > 0 && !sqliteHandleOf(db)) await vacuumList(db);
  return { folded, more };
}

const VACUUM_EVERY_MS = 5_000;
const lastVacuum = new WeakMap<StudioDb, number>();

/**
 * On PostgreSQL, the list's dead rows are cleared every few seconds while folds take rows: left to
 * autovacuum (a visit a minute), the table grew to 876 MB holding a few thousand live rows at ten
 * times the records, and every fold's search for listed rows read through it. `skip_locked`: if
 * another Studio is vacuuming it, that one does.
 */
async function vacuumList(db: StudioDb): Promise<void> {
  const now = Date.now();
  if (now - (lastVacuum.get(db) ?? 0) < VACUUM_EVERY_MS) return;
  lastVacuum.set(db, now);
  try {
    await sql`vacuum (skip_locked) fleet_rollup_pending`.execute(db);
  } catch {
    // The fold is done either way; autovacuum clears the list in its own time.
  }
}

async function foldSqlite(db: StudioDb, slice: number): Promise<{ folded: number; more: boolean }> {
  return db.transaction().execute(async (trx) => {
    // The mark and the sums are written in the rollups file only, and committed together. A
    // second writer of that file (a fold on another connection) makes this transaction fail
    // when it writes, never count twice: it read the mark before the other's commit.
    const rows = sqliteStatement(
      db,
      `SELECT fold_seq, ${LISTED_NAMES.join(', ')} FROM fleet_records WHERE fold_seq > ? ORDER BY fold_seq LIMIT ?`,
    )!.all(foldedUpTo(db), slice) as (FleetRollupPendingTable & { fold_seq: number })[];
    if (rows.length === 0) return { folded: 0, more: false };
    sqliteStatement(db, 'UPDATE fleet_fold_mark SET folded = ? WHERE id = 1')!.run(rows[rows.length - 1]!.fold_seq);
    await countRecords(trx, db, rows);
    return { folded: rows.length, more: rows.length === slice };
  });
}

async function foldPostgres(db: StudioDb, slice: number): Promise<{ folded: number; more: boolean }> {
  return retryDeadlocks(() =>
    db.transaction().execute(async (trx) => {
      // The fold sums tens of thousands of rows of 50 columns in memory: with the default 4 MB
      // its sums and sorts spilled to disk; 32 MB (64 for a hash) held a 50,000-row fold's largest.
      await sql`set local work_mem = '32MB'`.execute(trx);
      // Rows another fold (another Studio process) holds are waited for, then gone, so skipped.
      const folded = await foldStatement(sql`delete from fleet_rollup_pending
        where ctid = any(array(select ctid from fleet_rollup_pending limit ${slice}))
        returning ${sql.join(LISTED_NAMES.map((c) => sql.ref(c)))}`).execute(trx);
      const taken = folded.rows[0]!.taken;
      return { folded: taken, more: taken >= slice };
    }),
  );
}

/**
 * On PostgreSQL, records folded since this process last gathered statistics past which it gathers
 * them again once the uploads pause, or during a stream that has not paused for a minute.
 * Autovacuum analyzes a table only after a tenth of it changed, on its own round: right after a
 * burst the planner knew nothing of the new records, and the team view read in 120–330 ms what
 * it reads in 50–65 ms with statistics (500,000 records, in one process).
 */
export const STATISTICS_AFTER = 50_000;
const STATISTICS_EVERY_MS = 60_000;

/**
 * The records' columns the views that read the records (team, booths, a region, rep or release
 * filter) filter, join and group on. Not the payload or the other long texts: gathering those
 * cost PostgreSQL a fifth more CPU per record over a burst, for statistics no query uses. The
 * rollups are read by their keys and did not need them.
 */
const ANALYZED_COLUMNS = [
  'kind',
  'team',
  'rep',
  'region',
  'booth',
  'release_version',
  'day',
  'at',
  'device_id',
  'meeting_id',
  'event_type',
  'item_id',
  'account',
  'outcome',
] as const satisfies readonly (keyof FleetRecordTable)[];

/** Folds in one process one at a time; a fold asked for while one runs is one more after it, shared. */
class Folder {
  private running: Promise<number> | null = null;
  private again: Promise<number> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** The fold the timer will run, settled when it has. */
  private timed: Promise<void> | null = null;
  private started = false;
  private stopped = false;
  afterMs: number = FOLD_AFTER_MS.postgres;
  /** SQLite in a file: whether folds go to a thread of their own, started at the first with records to take. */
  useThread = false;
  private thread: FoldThread | null = null;
  /** Set while an erasure subtracts from the rollups: folds wait for it (`exclusive`). */
  private held: Promise<void> | null = null;
  maxBacklog = MAX_BACKLOG;
  slice = FOLD_SLICE;
  /** Records this process listed and its folds have not taken yet (another Studio's folds may have). */
  private unfolded = 0;
  /** PostgreSQL: records folded since statistics were gathered, when, and the gathering due or running. */
  statisticsAfter = STATISTICS_AFTER;
  private sinceStatistics = 0;
  private lastStatistics = Date.now();
  private statisticsTimer: NodeJS.Timeout | null = null;
  private statistics: Promise<void> | null = null;
  /** Settled when the statistics due (timer or running) are gathered, or given up at stop. */
  private statisticsDue: { settled: Promise<void>; settle(): void } | null = null;

  constructor(
    private readonly db: StudioDb,
    private readonly log: (line: string) => void,
  ) {}

  /** Whether folds run on a thread of their own now. */
  get onItsThread(): boolean {
    return this.thread?.alive ?? false;
  }

  /** Records this process listed that its folds have not taken (another's may have). */
  get pending(): number {
    return this.unfolded;
  }

  /** Whether a timer folds what ingest lists (a running Studio). */
  get scheduling(): boolean {
    return this.started;
  }

  now(): Promise<number> {
    // A Studio closing: its database is about to close; what is listed stays for the next start.
    if (this.stopped) return Promise.resolve(0);
    if (this.held) return this.held.then(() => this.now());
    if (!this.running) {
      this.running = this.fold()
        .then(({ folded, more }) => {
          this.unfolded = Math.max(0, this.unfolded - folded);
          this.folded(folded);
          // As many as one fold takes: more may be listed (a backlog left by a stopped Studio), and
          // no upload may come to ask for the next fold.
          if (more) this.soon();
          return folded;
        })
        .finally(() => {
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

  /** One fold: on the folds' thread when there is one (started when records wait), else here. */
  private fold(): Promise<{ folded: number; more: boolean }> {
    // A thread that failed between folds: Studio's thread folds from now on, as after one that
    // failed during a fold (below).
    if (this.thread && !this.thread.alive) this.stopUsingThread();
    if (!this.thread && this.useThread && this.started && (this.unfolded > 0 || unfoldedWaiting(this.db))) {
      this.thread = startFoldThread(sqliteHandleOf(this.db)!.name, this.log);
      // Not from its sources: Studio's thread folds, every few seconds.
      if (!this.thread) this.useThread = false;
    }
    const thread = this.thread;
    if (!thread) return foldSlices(this.db, this.slice);
    return thread.fold(this.slice).catch((error: unknown) => {
      // The thread failed: its fold committed whole or not at all. This one folds here.
      if (thread.alive) throw error;
      this.stopUsingThread();
      return foldSlices(this.db, this.slice);
    });
  }

  private stopUsingThread(): void {
    this.thread = null;
    this.useThread = false;
    this.afterMs = FOLD_AFTER_MS.sqliteOneThread;
  }

  /**
   * Runs `task` with no fold running nor starting until it settles: an erasure subtracting its
   * records from the rollups must know which a fold has counted, and on SQLite it writes the
   * rollups' file, which the folds' thread would be writing too.
   */
  async exclusive<T>(task: () => Promise<T>): Promise<T> {
    while (this.held) await this.held;
    let release!: () => void;
    this.held = new Promise<void>((resolve) => (release = resolve));
    try {
      // A fold asked for from now waits; the one running (if any) ends first.
      while (this.running) await this.running.catch(() => 0);
      return await task();
    } finally {
      this.held = null;
      release();
    }
  }

  /**
   * After a fold on PostgreSQL: statistics once enough was folded, when the uploads and folds
   * pause (neither for two fold intervals: the burst is over), or at once if the last were a
   * minute ago (a steady stream never pauses). `skip_locked`: a table another Studio (or autovacuum) is
   * analyzing is left to it.
   */
  private folded(count: number): void {
    if (count === 0 || !this.started || sqliteHandleOf(this.db)) return;
    this.sinceStatistics += count;
    if (this.sinceStatistics < this.statisticsAfter || this.statistics) return;
    if (!this.statisticsDue) {
      let settle!: () => void;
      const settled = new Promise<void>((resolve) => (settle = resolve));
      this.statisticsDue = { settled, settle };
    }
    this.armStatistics();
  }

  /** (Re)starts the wait for a pause: each fold and each upload while statistics are due restarts it. */
  private armStatistics(): void {
    if (this.statisticsTimer) clearTimeout(this.statisticsTimer);
    const due = Date.now() - this.lastStatistics >= STATISTICS_EVERY_MS;
    this.statisticsTimer = setTimeout(
      () => {
        this.statisticsTimer = null;
        this.sinceStatistics = 0;
        this.lastStatistics = Date.now();
        this.statistics =
          sql`analyze (skip_locked) fleet_records (${sql.join(ANALYZED_COLUMNS.map((c) => sql.ref(c)))})`
            .execute(this.db)
            .then(
              () => undefined,
              (error: unknown) => this.log(`statistics not gathered this time: ${(error as Error).message}`),
            )
            .finally(() => {
              this.statistics = null;
              this.settleStatistics();
            });
      },
      due ? 0 : 2 * this.afterMs,
    );
    this.statisticsTimer.unref();
  }

  private settleStatistics(): void {
    this.statisticsDue?.settle();
    this.statisticsDue = null;
  }

  listed(count: number): void {
    this.unfolded += count;
    this.soon();
    // Uploads still arriving: the burst is not over yet.
    if (this.statisticsTimer) this.armStatistics();
  }

  /**
   * Before an ingest commit: when this process has listed more than the folds have taken (a
   * burst faster than folding, as PostgreSQL's one busy core makes it), the upload waits for a
   * fold, so the dashboards stay within seconds of the uploads however long the burst lasts.
   */
  async caughtUp(): Promise<void> {
    if (this.started && this.unfolded > this.maxBacklog) await this.now().catch(() => 0);
  }

  soon(): void {
    if (!this.started || this.timer) return;
    this.timed = new Promise<void>((settled) => {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.now().then(
          () => settled(),
          (error: unknown) => {
            // The records stay listed: the next fold (or a dashboard read) counts them.
            this.log(`rollups not folded this time: ${(error as Error).message}`);
            settled();
            this.soon();
          },
        );
      }, this.afterMs);
      this.timer.unref();
    });
  }

  start(): void {
    this.started = true;
    this.stopped = false;
    this.soon();
  }

  /** Settles once no fold is running or due, nor statistics being gathered (tests, and closing). */
  async idle(): Promise<void> {
    while (this.timer || this.running || this.again || this.statistics || this.held) {
      await (this.timer ? this.timed : (this.again ?? this.running ?? this.statistics ?? this.held))?.catch(() => 0);
    }
  }

  /** Settles once the statistics due are gathered (tests). */
  statisticsGathered(): Promise<void> {
    return this.statisticsDue?.settled ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    this.started = false;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // Statistics not yet due are left to autovacuum (or the next start's folds).
    if (this.statisticsTimer) {
      clearTimeout(this.statisticsTimer);
      this.statisticsTimer = null;
      if (!this.statistics) this.settleStatistics();
    }
    await this.idle();
    const thread = this.thread;
    this.thread = null;
    await thread?.stop();
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
 * they are, at most a fold behind, and the timer's fold catches up. Without a running Studio
 * (the CLI, tests) there is no timer: the view always folds first. A fold that fails (a lock
 * wait, a deadlock) is logged and the view reads what is folded.
 */
export async function foldBeforeReading(ctx: Pick<StudioContext, 'db' | 'log'>): Promise<void> {
  const folder = folderOf(ctx);
  try {
    if (folder.scheduling) {
      // This process's own count, not the list's: counting the list read every page of a table
      // that millions of rows had passed through (at ten times the records, a quarter of a
      // second per view after the burst). Another Studio's uploads are its folds' to take. A
      // fold running now with few records waiting is waited for (`now` folds again after it):
      // the first one waits for its thread to load, about a second, and a view that read past
      // it showed a fresh Studio's first uploads only a fold later.
      if (folder.pending === 0 || folder.pending > FOLD_ON_READ) return;
    }
    await folder.now();
  } catch (error) {
    ctx.log?.(`rollups not folded before a view: ${(error as Error).message}`);
  }
}

/**
 * Runs an erasure's transaction with the folds held back (SQLite; on PostgreSQL it runs at once:
 * `forgetPending` takes listed rows from concurrent folds there).
 */
export function withFoldsHeld<T>(ctx: Pick<StudioContext, 'db' | 'log'>, task: () => Promise<T>): Promise<T> {
  return sqliteHandleOf(ctx.db) ? folderOf(ctx).exclusive(task) : task();
}

/** SQLite: whether records wait to be folded (read from Studio's connection, by the numbers' index). */
function unfoldedWaiting(db: StudioDb): boolean {
  const read = sqliteStatement(db, 'SELECT 1 FROM fleet_records WHERE fold_seq > ? LIMIT 1', { outside: true });
  return read !== undefined && read.get(foldedUpTo(db)) !== undefined;
}

/** After an ingest commit listed records: a fold soon after (only in a running Studio). */
export function foldSoon(ctx: Pick<StudioContext, 'db' | 'log'>, listed: number): void {
  folderOf(ctx).listed(listed);
}

/** Before an ingest commit: waits for a fold when the uploads are too far ahead of the folds. */
export function foldsCaughtUp(ctx: Pick<StudioContext, 'db' | 'log'>): Promise<void> {
  return folderOf(ctx).caughtUp();
}

/** A running Studio folds on its own: now (what a killed Studio left listed), then after each upload. */
export function startFolding(
  ctx: Pick<StudioContext, 'db' | 'log'>,
  /** `slice`: records per fold transaction (tests use a few to see folds of many slices). */
  options: {
    afterMs?: number;
    maxBacklog?: number;
    slice?: number;
    statisticsAfter?: number;
    /** SQLite in a file: false to fold on Studio's thread (default: a thread of their own). */
    thread?: boolean;
  } = {},
): {
  idle(): Promise<void>;
  statisticsGathered(): Promise<void>;
  stop(): Promise<void>;
  /** Whether folds run on a thread of their own now (SQLite in a file, once records came). */
  readonly onItsThread: boolean;
} {
  const folder = folderOf(ctx);
  const handle = sqliteHandleOf(ctx.db);
  folder.useThread = handle !== undefined && !handle.memory && (options.thread ?? true) && foldThreadAvailable;
  folder.afterMs =
    options.afterMs ??
    (!handle ? FOLD_AFTER_MS.postgres : folder.useThread ? FOLD_AFTER_MS.sqlite : FOLD_AFTER_MS.sqliteOneThread);
  folder.maxBacklog = options.maxBacklog ?? MAX_BACKLOG;
  folder.slice = options.slice ?? FOLD_SLICE;
  folder.statisticsAfter = options.statisticsAfter ?? STATISTICS_AFTER;
  folder.start();
  return {
    idle: () => folder.idle(),
    statisticsGathered: () => folder.statisticsGathered(),
    stop: () => folder.stop(),
    get onItsThread() {
      return folder.onItsThread;
    },
  };
}
