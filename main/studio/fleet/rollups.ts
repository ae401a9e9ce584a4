import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Statement } from 'better-sqlite3';
import { sqliteHandleOf, type StudioDb } from '../database/connection.ts';
import type { StudioTables } from '../database/schema.ts';
import type { FleetRecordTable } from './tables.ts';
import { lockOrder } from './pgcommits.ts';

/**
 * Rollups: the content views' sums kept per (day, team, item) and per (item, page, day, team),
 * folded from the records every few seconds (folding.ts), so a dashboard reads a table
 * bounded by days × teams × items instead of every record, at most a fold behind the uploads.
 * The records stay the source of truth: migration 040 fills the rollups from them, and a view
 * whose filters the rollups do not carry (region, rep, release) still reads the records.
 *
 * "Meetings shown in" counts distinct (device, meeting) per day: a set, not a sum, so it is
 * kept with two small de-duplicating tables (fleet_meeting_items, fleet_meeting_days) whose new
 * rows add one to the counters. A meeting that runs across midnight UTC counts on both days.
 */

/** No item or no team is stored as '' in the rollups' keys (key columns are NOT NULL), and read back as null. */
export const NONE = '';

/**
 * Median dwell comes from a histogram kept in each rollup row: 44 buckets four of the records'
 * 5% dwell buckets wide (a ratio of 1.05^4 ≈ 1.2155), so any number of rows sums into one
 * histogram in SQL. Bucket 0 holds views under about 0.9 s and the last one views over about
 * 53 minutes; between them the median shown (the bucket's geometric middle) is within
 * ±10.25% (√1.2155 − 1) of the true middle view.
 */
export const DWELL_HISTOGRAM_BUCKETS = 44;
const FINE_PER_COARSE = 4;
/** Coarse bucket 1 starts at fine bucket 140 (1.05^139 ms ≈ 0.88 s). */
const COARSE_OFFSET = 34;
export const HISTOGRAM_COLUMNS = Array.from(
  { length: DWELL_HISTOGRAM_BUCKETS },
  (_, i) => `h${String(i).padStart(2, '0')}`,
) as readonly string[];
export const MEDIAN_ERROR_BOUND = Math.sqrt(1.05 ** FINE_PER_COARSE) - 1;

/** The histogram bucket of a record's fine dwell bucket (records.ts `dwellBucket`). */
export function histogramBucket(fine: number): number {
  return Math.min(DWELL_HISTOGRAM_BUCKETS - 1, Math.max(0, Math.floor(fine / FINE_PER_COARSE) - COARSE_OFFSET));
}

/** The dwell shown for a histogram bucket: its geometric middle (edges: half the first's top, the last's bottom). */
export function histogramDwell(bucket: number): number {
  const firstFine = (bucket + COARSE_OFFSET) * FINE_PER_COARSE;
  if (bucket <= 0) return Math.round(1.05 ** ((1 + COARSE_OFFSET) * FINE_PER_COARSE - 1) / 2);
  if (bucket >= DWELL_HISTOGRAM_BUCKETS - 1) return Math.round(1.05 ** (firstFine - 1));
  // Fine bucket b holds [1.05^(b-1), 1.05^b), so this bucket holds [1.05^(first-1), 1.05^(first+3)).
  return Math.round(1.05 ** (firstFine + 1));
}

/** The middle view's dwell (the lower of two middles) from a histogram, or null when it is empty. */
export function histogramMedian(histogram: readonly number[]): number | null {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  let seen = 0;
  for (let bucket = 0; bucket < histogram.length; bucket++) {
    seen += histogram[bucket]!;
    if (seen * 2 >= total) return histogramDwell(bucket);
  }
  return null;
}

/**
 * A rollup row's histogram as a fold builds it. Nearly every row a fold writes adds views in one
 * bucket, so that is kept as a bucket and a count; a dense array is made only for a row whose
 * views fall in two buckets or more (hundreds of thousands of 44-number arrays per fold were a
 * good part of its time, most of it collecting them again).
 */
export class Histogram {
  private bucket = -1;
  private count = 0;
  private dense: number[] | null = null;

  add(bucket: number, n: number): void {
    if (this.dense) this.dense[bucket]! += n;
    else if (this.bucket < 0 || this.bucket === bucket) {
      this.bucket = bucket;
      this.count += n;
    } else {
      this.dense = new Array<number>(DWELL_HISTOGRAM_BUCKETS).fill(0);
      this.dense[this.bucket] = this.count;
      this.dense[bucket]! += n;
    }
  }

  addAll(other: Histogram): void {
    if (other.dense) other.dense.forEach((n, bucket) => n !== 0 && this.add(bucket, n));
    else if (other.bucket >= 0) this.add(other.bucket, other.count);
  }

  /** The one bucket written to (-1 for none), or null for several. */
  get only(): number | null {
    return this.dense ? null : this.bucket;
  }

  get onlyCount(): number {
    return this.count;
  }

  /** As a PostgreSQL `int[]` literal. */
  toPgArray(): string {
    return `{${(this.dense ?? this.toArray()).join(',')}}`;
  }

  toArray(): number[] {
    if (this.dense) return [...this.dense];
    const out = new Array<number>(DWELL_HISTOGRAM_BUCKETS).fill(0);
    if (this.bucket >= 0) out[this.bucket] = this.count;
    return out;
  }
}

/** SQL for "this record's dwell is in histogram bucket k", on a column of fine buckets (for the backfill). */
function inBucket(column: string, k: number): RawBuilder<unknown> {
  const ref = sql.ref(column);
  const low = (k + COARSE_OFFSET) * FINE_PER_COARSE;
  if (k === 0) return sql`${ref} < ${sql.lit(low + FINE_PER_COARSE)}`;
  if (k === DWELL_HISTOGRAM_BUCKETS - 1) return sql`${ref} >= ${sql.lit(low)}`;
  return sql`${ref} >= ${sql.lit(low)} and ${ref} < ${sql.lit(low + FINE_PER_COARSE)}`;
}

// ---------------------------------------------------------------------------------------------
// What one set of records adds to (or, erased, takes from) the rollups.

interface Sums {
  views: number;
  dwell: number;
  histogram: Histogram;
}
interface UsageSums extends Sums {
  day: string;
  team: string;
  item: string;
  opens: number;
  meetings: number;
  lastOpenedAt: string | null;
}
interface PageSums extends Sums {
  item: string;
  page: number;
  day: string;
  team: string;
}

/** The columns the rollups read of a record they count (an open or a page view: `isCounted`). */
export type CountedRecord = Pick<
  FleetRecordTable,
  'device_id' | 'at' | 'day' | 'team' | 'event_type' | 'item_id' | 'page' | 'dwell_ms' | 'dwell_bucket' | 'meeting_id'
>;

/** Opens and page views: the records the rollups count. */
export const isCounted = (r: Pick<FleetRecordTable, 'kind' | 'event_type'>) =>
  r.kind === 'event' && (r.event_type === 'item.opened' || r.event_type === 'page.viewed');
/** `isCounted` as a condition on a statement's rows. */
export const countedSql = sql`kind = ${sql.lit('event')} and event_type in (${sql.lit('item.opened')}, ${sql.lit('page.viewed')})`;

class RollupDelta {
  readonly usage = new Map<string, UsageSums>();
  readonly pages = new Map<string, PageSums>();
  /** (device, meeting, item, day) and (device, meeting, day) seen in these records, with their team. */
  readonly meetingItems = new Map<string, [string, string, string, string, string]>();
  readonly meetingDays = new Map<string, [string, string, string, string]>();
  readonly teamMeetings = new Map<string, { day: string; team: string; meetings: number }>();

  constructor(private readonly sign: 1 | -1) {}

  usageOf(day: string, team: string, item: string): UsageSums {
    const key = `${day}\u0000${team}\u0000${item}`;
    let found = this.usage.get(key);
    if (!found)
      this.usage.set(
        key,
        (found = {
          day,
          team,
          item,
          opens: 0,
          views: 0,
          dwell: 0,
          meetings: 0,
          lastOpenedAt: null,
          histogram: new Histogram(),
        }),
      );
    return found;
  }

  /** Adds (or takes away) an open or a page view; the callers pass only those (`isCounted`). */
  add(r: CountedRecord): void {
    const team = r.team ?? NONE;
    const item = r.item_id ?? NONE;
    const usage = this.usageOf(r.day, team, item);
    if (r.event_type === 'item.opened') {
      usage.opens += this.sign;
      if (usage.lastOpenedAt === null || r.at > usage.lastOpenedAt) usage.lastOpenedAt = r.at;
      return;
    }
    const dwell = r.dwell_ms === null ? 0 : Number(r.dwell_ms);
    const bucket = r.dwell_bucket === null ? -1 : histogramBucket(Number(r.dwell_bucket));
    usage.views += this.sign;
    usage.dwell += this.sign * dwell;
    if (bucket >= 0) usage.histogram.add(bucket, this.sign);
    if (r.page !== null) {
      const key = `${item}\u0000${r.page}\u0000${r.day}\u0000${team}`;
      let page = this.pages.get(key);
      if (!page)
        this.pages.set(
          key,
          (page = {
            item,
            page: Number(r.page),
            day: r.day,
            team,
            views: 0,
            dwell: 0,
            histogram: new Histogram(),
          }),
        );
      page.views += this.sign;
      page.dwell += this.sign * dwell;
      if (bucket >= 0) page.histogram.add(bucket, this.sign);
    }
    if (r.meeting_id !== null) {
      // A meeting whose views carry two teams (the device moved mid-meeting) counts under the
      // greater, as PostgreSQL's fold and a rebuild take max(team).
      const itemKey = `${r.device_id}\u0000${r.meeting_id}\u0000${item}\u0000${r.day}`;
      const shown = this.meetingItems.get(itemKey);
      if (!shown || team > shown[4]) this.meetingItems.set(itemKey, [r.device_id, r.meeting_id, item, r.day, team]);
      const dayKey = `${r.device_id}\u0000${r.meeting_id}\u0000${r.day}`;
      const met = this.meetingDays.get(dayKey);
      if (!met || team > met[3]) this.meetingDays.set(dayKey, [r.device_id, r.meeting_id, r.day, team]);
    }
  }

  /** A (device, meeting, item, day) first seen (or last forgotten): one meeting more (or less) for the item that day. */
  meetingItem(item: string, day: string, team: string): void {
    this.usageOf(day, team, item).meetings += this.sign;
  }

  meetingDay(day: string, team: string): void {
    const key = `${day}\u0000${team}`;
    const found = this.teamMeetings.get(key) ?? { day, team, meetings: 0 };
    found.meetings += this.sign;
    this.teamMeetings.set(key, found);
  }
}

// ---------------------------------------------------------------------------------------------
// Writing sums made in JavaScript (a fold on SQLite, an erasure on either): on SQLite statements
// prepared once and run row by row (better-sqlite3 is synchronous and runs on the transaction
// Kysely opened); on PostgreSQL one statement per table over arrays (unnest), so it costs a
// handful of round trips whatever its size. A fold on PostgreSQL is one statement of its own
// (`foldStatement`).

const statements = new WeakMap<StudioDb, Map<string, Statement<unknown[]>>>();
function prepared(db: StudioDb, text: string): Statement<unknown[]> | undefined {
  const handle = sqliteHandleOf(db);
  if (!handle) return undefined;
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let statement = cache.get(text);
  if (!statement) cache.set(text, (statement = handle.prepare(text)));
  return statement;
}

type PgType = 'text' | 'int' | 'bigint' | 'int[]';
export type { PgType };

/**
 * `SELECT … FROM jsonb_array_elements($1)`: the rows go as one JSON text, which Node writes
 * natively, where the driver escaped every element of every array parameter in JavaScript.
 * jsonb, not json: `e->>i` on json re-reads the element's text from its start for every column,
 * which made a 26-column insert of 4,000 records cost PostgreSQL three times the CPU.
 */
export function unnest(columns: readonly (readonly [string, PgType])[], rows: readonly (readonly unknown[])[]) {
  return sql`select ${sql.join(
    columns.map(([name, type], i) =>
      type === 'text'
        ? sql`e->>${sql.lit(i)} as ${sql.ref(name)}`
        : sql`(e->>${sql.lit(i)})::${sql.raw(type)} as ${sql.ref(name)}`,
    ),
  )} from jsonb_array_elements(${JSON.stringify(rows)}::jsonb) as e`;
}

/**
 * `unnest` for rollup rows with a histogram: the histogram goes as one `int[]` literal after the
 * row's other columns, and is read out into the 44 columns. As 44 JSON numbers, each was read
 * into a numeric and written back out as text for its cast: a quarter of PostgreSQL's CPU for
 * the upsert (measured when folds still went this way). The fence (`offset 0`) keeps the literal
 * parsed once per row, not once per column.
 */
function unnestWithHistogram(columns: readonly (readonly [string, PgType])[], rows: readonly (readonly unknown[])[]) {
  return sql`select ${sql.join([
    ...columns.map(([name]) => sql.ref(name)),
    ...HISTOGRAM_COLUMNS.map((name, k) => sql`h[${sql.lit(k + 1)}] as ${sql.ref(name)}`),
  ])} from (${unnest([...columns, ['h', 'int[]']], rows)} offset 0) as rows`;
}

/** Inserts rows unless their key is taken; answers which rows were new (SQLite: PostgreSQL folds in SQL, `foldStatement`). */
function insertNew(
  db: StudioDb,
  table: string,
  columns: readonly (readonly [string, PgType])[],
  keyColumns: readonly string[],
  rows: readonly (readonly unknown[])[],
): boolean[] {
  const names = columns.map(([name]) => name);
  const statement = prepared(
    db,
    `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')}) ON CONFLICT (${keyColumns.join(', ')}) DO NOTHING`,
  );
  if (!statement) throw new Error('countRecords folds on SQLite; PostgreSQL folds with foldStatement');
  return rows.map((row) => statement.run(row as unknown[]).changes === 1);
}

/** Per table, the upsert that writes its counters and one histogram bucket (index bucket + 1; 0 for none). */
const sparseStatements = new WeakMap<StudioDb, Map<string, Statement<unknown[]>[]>>();
function sparseUpserts(db: StudioDb, table: string, bucket: number, text: () => string): Statement<unknown[]> {
  let tables = sparseStatements.get(db);
  if (!tables) sparseStatements.set(db, (tables = new Map()));
  let byBucket = tables.get(table);
  if (!byBucket) tables.set(table, (byBucket = []));
  return (byBucket[bucket + 1] ??= prepared(db, text())!);
}

/** A rollup row to add: its key and counters in the table's column order, and its histogram if the table keeps one. */
interface RollupRow {
  values: unknown[];
  histogram?: Histogram;
}

/** `ON CONFLICT … DO UPDATE SET` that adds the new row's counters to the stored row's; `latest` columns keep the greater value. */
function addingSet(
  table: string,
  written: readonly string[],
  keyColumns: readonly string[],
  latest: readonly string[],
) {
  return written
    .filter((n) => !keyColumns.includes(n))
    .map((n) =>
      latest.includes(n)
        ? `${n} = CASE WHEN excluded.${n} IS NULL OR ${table}.${n} >= excluded.${n} THEN ${table}.${n} ELSE excluded.${n} END`
        : `${n} = ${table}.${n} + excluded.${n}`,
    )
    .join(', ');
}

/** Adds rows' counters to the rows with the same key (creating them); `latest` columns keep the greater value. */
async function upsertAdd(
  trx: Transaction<StudioTables>,
  db: StudioDb,
  table: string,
  columns: readonly (readonly [string, PgType])[],
  keyColumns: readonly string[],
  latest: readonly string[],
  rows: readonly RollupRow[],
): Promise<void> {
  if (rows.length === 0) return;
  const withHistogram = rows[0]!.histogram !== undefined;
  const counters = columns.map(([name]) => name);
  const names = withHistogram ? [...counters, ...HISTOGRAM_COLUMNS] : counters;
  const setOf = (written: readonly string[]) => addingSet(table, written, keyColumns, latest);
  const conflict = `ON CONFLICT (${keyColumns.join(', ')}) DO UPDATE SET ${setOf(names)}`;
  const upsertOf = (written: readonly string[]) =>
    `INSERT INTO ${table} (${written.join(', ')}) VALUES (${written.map(() => '?').join(', ')}) ON CONFLICT (${keyColumns.join(', ')}) DO UPDATE SET ${setOf(written)}`;
  if (sqliteHandleOf(db)) {
    const every = prepared(db, upsertOf(names))!;
    for (const row of rows) {
      const bucket = row.histogram ? row.histogram.only : -1;
      if (bucket === null) {
        every.run([...row.values, ...row.histogram!.toArray()]);
        continue;
      }
      // Most rows add one view, or a few in one dwell bucket: binding and adding the other 43
      // buckets' zeros was most of the statement's work.
      const sparse = sparseUpserts(db, table, bucket, () =>
        upsertOf(bucket < 0 ? counters : [...counters, HISTOGRAM_COLUMNS[bucket]!]),
      );
      sparse.run(bucket < 0 ? row.values : [...row.values, row.histogram!.onlyCount]);
    }
    return;
  }
  const ordered = inKeyOrder(counters, keyColumns, rows);
  await sql`insert into ${sql.table(table)} (${sql.join(names.map((n) => sql.ref(n)))}) ${
    withHistogram
      ? unnestWithHistogram(
          columns,
          ordered.map((row) => [...row.values, row.histogram!.toPgArray()]),
        )
      : unnest(
          columns,
          ordered.map((row) => row.values),
        )
  } ${sql.raw(conflict)}`.execute(trx);
}

/** Rows in their key's order: concurrent folds (another Studio's, an erasure) then lock shared rollup rows in one order (pgcommits.ts). */
function inKeyOrder(names: readonly string[], keyColumns: readonly string[], rows: readonly RollupRow[]): RollupRow[] {
  const at = keyColumns.map((k) => names.indexOf(k));
  return lockOrder(rows, (row) => at.map((i) => row.values[i]));
}
const USAGE_COLUMNS = [
  ['day', 'text'],
  ['team', 'text'],
  ['item_id', 'text'],
  ['opens', 'int'],
  ['views', 'int'],
  ['dwell_ms', 'bigint'],
  ['meetings', 'int'],
  ['last_opened_at', 'text'],
] as const;
const PAGE_COLUMNS = [
  ['item_id', 'text'],
  ['page', 'int'],
  ['day', 'text'],
  ['team', 'text'],
  ['views', 'int'],
  ['dwell_ms', 'bigint'],
] as const;
const MEETING_ITEM_COLUMNS = [
  ['device_id', 'text'],
  ['meeting_id', 'text'],
  ['item_id', 'text'],
  ['day', 'text'],
  ['team', 'text'],
] as const;
const MEETING_DAY_COLUMNS = [
  ['device_id', 'text'],
  ['meeting_id', 'text'],
  ['day', 'text'],
  ['team', 'text'],
] as const;
const TEAM_COLUMNS = [
  ['day', 'text'],
  ['team', 'text'],
  ['meetings', 'int'],
] as const;

/** The daily sums folded over days: what a view over all time reads (a few thousand rows, not days × that). */
function totalsOf(delta: RollupDelta): UsageSums[] {
  const totals = new Map<string, UsageSums>();
  for (const u of delta.usage.values()) {
    const key = `${u.team}\u0000${u.item}`;
    const t = totals.get(key);
    if (!t) {
      const histogram = new Histogram();
      histogram.addAll(u.histogram);
      totals.set(key, { ...u, day: '', histogram });
      continue;
    }
    t.opens += u.opens;
    t.views += u.views;
    t.dwell += u.dwell;
    t.meetings += u.meetings;
    if (u.lastOpenedAt !== null && (t.lastOpenedAt === null || u.lastOpenedAt > t.lastOpenedAt))
      t.lastOpenedAt = u.lastOpenedAt;
    t.histogram.addAll(u.histogram);
  }
  return [...totals.values()];
}

async function writeDelta(trx: Transaction<StudioTables>, db: StudioDb, delta: RollupDelta): Promise<void> {
  // The all-time totals last: nearly every fold and erasure touches them, and a row stays locked
  // from its update to the commit, so a concurrent one queues on them for the shortest time.
  await upsertAdd(
    trx,
    db,
    'fleet_usage_daily',
    USAGE_COLUMNS,
    ['day', 'team', 'item_id'],
    ['last_opened_at'],
    [...delta.usage.values()].map((u) => ({
      values: [u.day, u.team, u.item, u.opens, u.views, u.dwell, u.meetings, u.lastOpenedAt],
      histogram: u.histogram,
    })),
  );
  await upsertAdd(
    trx,
    db,
    'fleet_page_daily',
    PAGE_COLUMNS,
    ['item_id', 'page', 'day', 'team'],
    [],
    [...delta.pages.values()].map((p) => ({
      values: [p.item, p.page, p.day, p.team, p.views, p.dwell],
      histogram: p.histogram,
    })),
  );
  await upsertAdd(
    trx,
    db,
    'fleet_team_daily',
    TEAM_COLUMNS,
    ['day', 'team'],
    [],
    [...delta.teamMeetings.values()].map((t) => ({ values: [t.day, t.team, t.meetings] })),
  );
  await upsertAdd(
    trx,
    db,
    'fleet_usage_total',
    USAGE_COLUMNS.filter(([name]) => name !== 'day'),
    ['team', 'item_id'],
    ['last_opened_at'],
    totalsOf(delta).map((u) => ({
      values: [u.team, u.item, u.opens, u.views, u.dwell, u.meetings, u.lastOpenedAt],
      histogram: u.histogram,
    })),
  );
}

/**
 * Counts records into the rollups on SQLite: a fold's, each stored once and listed once, so never
 * a repeat. Summed here, in Studio's process, where SQLite runs too; PostgreSQL sums a fold
 * itself (`foldStatement`).
 */
export async function countRecords(
  trx: Transaction<StudioTables>,
  db: StudioDb,
  stored: readonly CountedRecord[],
): Promise<void> {
  const delta = new RollupDelta(1);
  for (const r of stored) delta.add(r);
  const items = [...delta.meetingItems.values()];
  const freshItems = insertNew(
    db,
    'fleet_meeting_items',
    MEETING_ITEM_COLUMNS,
    ['device_id', 'meeting_id', 'item_id', 'day'],
    items,
  );
  items.forEach(([, , item, day, team], i) => freshItems[i] && delta.meetingItem(item, day, team));
  const days = [...delta.meetingDays.values()];
  const freshDays = insertNew(db, 'fleet_meeting_days', MEETING_DAY_COLUMNS, ['device_id', 'meeting_id', 'day'], days);
  days.forEach(([, , day, team], i) => freshDays[i] && delta.meetingDay(day, team));
  await writeDelta(trx, db, delta);
}

/**
 * On PostgreSQL, a fold in one statement: `take` (a `DELETE … RETURNING` of listed rows, the
 * listed columns) feeds every rollup, summed in PostgreSQL. The same sums as `countRecords`, but
 * no row goes to Studio and back: fetching 50,000 listed rows, summing them in JavaScript and
 * sending 60,000 rollup rows back as JSON cost Studio 16 µs of CPU per record, and PostgreSQL
 * more to read the JSON than to sum. Each insert takes its rows in key order, text byte by byte
 * (`collate "C"`: the same order whatever the database's collation), and PostgreSQL runs the
 * statement's parts in the same order every time, so two folds lock shared rows in one order. An
 * erasure (`forgetRecords`) locks the tables in its own order, and its pages' keys sort as text: a
 * deadlock between the two runs the one PostgreSQL aborted again (`retryDeadlocks`).
 * Answers how many listed rows were taken.
 */
export function foldStatement(take: RawBuilder<unknown>): RawBuilder<{ taken: number }> {
  const names = (list: readonly string[]) => sql.join(list.map((n) => sql.ref(n)));
  const histogram = sql.join(
    HISTOGRAM_COLUMNS.map((column, k) => sql`(count(*) filter (where vb = ${sql.lit(k)}))::int as ${sql.ref(column)}`),
  );
  const usageNames = [...USAGE_COLUMNS.map(([n]) => n), ...HISTOGRAM_COLUMNS];
  const totalNames = usageNames.filter((n) => n !== 'day');
  const pageNames = [...PAGE_COLUMNS.map(([n]) => n), ...HISTOGRAM_COLUMNS];
  const upsert = (table: string, written: readonly string[], keys: readonly string[], latest: readonly string[] = []) =>
    sql.raw(`on conflict (${keys.join(', ')}) do update set ${addingSet(table, written, keys, latest)}`);
  return sql<{ taken: number }>`with listed as (${take}),
    taken as (
      select device_id, at, day, coalesce(team, '') as team, event_type = 'page.viewed' as viewed,
        event_type = 'item.opened' as opened, coalesce(item_id, '') as item_id, page,
        coalesce(dwell_ms, 0) as dwell_ms, meeting_id,
        -- A page view's histogramBucket (greatest and least skip nulls: none without a dwell).
        -- Each row is tested once per bucket, so the test compares this integer, not the event's
        -- type as text 44 times a row (3% of the fold's CPU: docs/fleet-figures.md).
        case when event_type = 'page.viewed' and dwell_bucket is not null then least(${sql.lit(DWELL_HISTOGRAM_BUCKETS - 1)},
          greatest(0, dwell_bucket / ${sql.lit(FINE_PER_COARSE)} - ${sql.lit(COARSE_OFFSET)})) end as vb
      from listed
    ),
    fresh_items as (
      insert into fleet_meeting_items (device_id, meeting_id, item_id, day, team)
      select device_id, meeting_id, item_id, day, max(team) from taken
      where viewed and meeting_id is not null
      group by device_id, meeting_id, item_id, day order by device_id collate "C", meeting_id collate "C", item_id collate "C", day collate "C"
      on conflict (device_id, meeting_id, item_id, day) do nothing
      returning item_id, day, team
    ),
    fresh_days as (
      insert into fleet_meeting_days (device_id, meeting_id, day, team)
      select device_id, meeting_id, day, max(team) from taken
      where viewed and meeting_id is not null
      group by device_id, meeting_id, day order by device_id collate "C", meeting_id collate "C", day collate "C"
      on conflict (device_id, meeting_id, day) do nothing
      returning day, team
    ),
    usage as (
      -- A fresh meeting item's key is one of its page views' keys (its team is the greatest of
      -- theirs), so every meeting counted here joins a row of the views' sums.
      select v.day, v.team, v.item_id, v.opens, v.views, v.dwell_ms, coalesce(m.meetings, 0) as meetings,
        v.last_opened_at, ${names(HISTOGRAM_COLUMNS.map((c) => `v.${c}`))}
      from (
        select day, team, item_id,
          (count(*) filter (where opened))::int as opens,
          (count(*) filter (where viewed))::int as views,
          coalesce(sum(dwell_ms) filter (where viewed), 0) as dwell_ms,
          max(at) filter (where opened) as last_opened_at,
          ${histogram}
        from taken group by day, team, item_id
      ) as v
      left join (
        select day, team, item_id, count(*)::int as meetings from fresh_items group by day, team, item_id
      ) as m on m.day = v.day and m.team = v.team and m.item_id = v.item_id
    ),
    daily as (
      insert into fleet_usage_daily (${names(usageNames)})
      select ${names(usageNames)} from usage order by day collate "C", team collate "C", item_id collate "C"
      ${upsert('fleet_usage_daily', usageNames, ['day', 'team', 'item_id'], ['last_opened_at'])}
    ),
    pages as (
      insert into fleet_page_daily (${names(pageNames)})
      select item_id, page, day, team, count(*), sum(dwell_ms), ${histogram}
      from taken where viewed and page is not null
      group by item_id, page, day, team order by item_id collate "C", page, day collate "C", team collate "C"
      ${upsert('fleet_page_daily', pageNames, ['item_id', 'page', 'day', 'team'])}
    ),
    team_meetings as (
      insert into fleet_team_daily (day, team, meetings)
      select day, team, count(*) from fresh_days group by day, team order by day collate "C", team collate "C"
      ${upsert('fleet_team_daily', ['day', 'team', 'meetings'], ['day', 'team'])}
    ),
    totals as (
      insert into fleet_usage_total (${names(totalNames)})
      select team, item_id, sum(opens), sum(views), sum(dwell_ms), sum(meetings), max(last_opened_at),
        ${sql.join(HISTOGRAM_COLUMNS.map((c) => sql`sum(${sql.ref(c)})`))}
      from usage group by team, item_id order by team collate "C", item_id collate "C"
      ${upsert('fleet_usage_total', totalNames, ['team', 'item_id'], ['last_opened_at'])}
    )
    select count(*)::int as taken from taken`;
}

/**
 * Takes records about to be deleted (erasure) out of the rollups; call after deleting them, in
 * the same transaction. Sums are subtracted; meeting sets and "last opened" are recomputed from
 * the records that remain for the keys the erased records touched; rows left empty go.
 */
export async function forgetRecords(
  trx: Transaction<StudioTables>,
  db: StudioDb,
  erased: readonly CountedRecord[],
): Promise<void> {
  const delta = new RollupDelta(-1);
  for (const r of erased) delta.add(r);
  const remaining = () => trx.selectFrom('fleet_records').select(sql<number>`1`.as('one'));
  const pageViews = (q: ReturnType<typeof remaining>) =>
    q.where('kind', '=', 'event').where('event_type', '=', 'page.viewed');
  for (const [device, meeting, item, day] of delta.meetingItems.values()) {
    const left = await pageViews(remaining())
      .where('device_id', '=', device)
      .where('meeting_id', '=', meeting)
      .where('day', '=', day)
      .where(item === NONE ? sql<boolean>`item_id is null` : sql<boolean>`item_id = ${item}`)
      .limit(1)
      .executeTakeFirst();
    if (left) continue;
    const gone = await trx
      .deleteFrom('fleet_meeting_items')
      .where('device_id', '=', device)
      .where('meeting_id', '=', meeting)
      .where('item_id', '=', item)
      .where('day', '=', day)
      .returning('team')
      .executeTakeFirst();
    if (gone) delta.meetingItem(item, day, gone.team);
  }
  for (const [device, meeting, day] of delta.meetingDays.values()) {
    const left = await pageViews(remaining())
      .where('device_id', '=', device)
      .where('meeting_id', '=', meeting)
      .where('day', '=', day)
      .limit(1)
      .executeTakeFirst();
    if (left) continue;
    const gone = await trx
      .deleteFrom('fleet_meeting_days')
      .where('device_id', '=', device)
      .where('meeting_id', '=', meeting)
      .where('day', '=', day)
      .returning('team')
      .executeTakeFirst();
    if (gone) delta.meetingDay(day, gone.team);
  }
  // A maximum cannot be subtracted: the greatest remaining open is read again below.
  for (const u of delta.usage.values()) u.lastOpenedAt = null;
  await writeDelta(trx, db, delta);
  for (const u of delta.usage.values()) {
    if (u.opens !== 0) {
      // Of the folded opens only: one still listed for a fold (on SQLite, numbered past the
      // folds' mark) is not in the rollups yet, and may be erased before it is.
      const folded = sqliteHandleOf(db)
        ? sql<boolean>`coalesce(r.fold_seq, 0) <= (select folded from fleet_fold_mark where id = 1)`
        : sql<boolean>`true`;
      const last = await trx
        .selectFrom('fleet_records as r')
        .select((eb) => eb.fn.max('r.at').as('at'))
        .where('r.kind', '=', 'event')
        .where('r.event_type', '=', 'item.opened')
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('fleet_rollup_pending as p')
                .select('p.device_id')
                .whereRef('p.device_id', '=', 'r.device_id')
                .whereRef('p.idempotency_key', '=', 'r.idempotency_key'),
            ),
          ),
        )
        .where(folded)
        .where('r.day', '=', u.day)
        .where(u.team === NONE ? sql<boolean>`r.team is null` : sql<boolean>`r.team = ${u.team}`)
        .where(u.item === NONE ? sql<boolean>`r.item_id is null` : sql<boolean>`r.item_id = ${u.item}`)
        .executeTakeFirst();
      await trx
        .updateTable('fleet_usage_daily')
        .set({ last_opened_at: (last?.at as string | null | undefined) ?? null })
        .where('day', '=', u.day)
        .where('team', '=', u.team)
        .where('item_id', '=', u.item)
        .execute();
    }
  }
  for (const t of totalsOf(delta)) {
    if (t.opens === 0) continue;
    const last = await trx
      .selectFrom('fleet_usage_daily')
      .select((eb) => eb.fn.max('last_opened_at').as('at'))
      .where('team', '=', t.team)
      .where('item_id', '=', t.item)
      .executeTakeFirst();
    await trx
      .updateTable('fleet_usage_total')
      .set({ last_opened_at: (last?.at as string | null | undefined) ?? null })
      .where('team', '=', t.team)
      .where('item_id', '=', t.item)
      .execute();
  }
  await trx
    .deleteFrom('fleet_usage_total')
    .where('opens', '<=', 0)
    .where('views', '<=', 0)
    .where('meetings', '<=', 0)
    .execute();
  await trx
    .deleteFrom('fleet_usage_daily')
    .where('opens', '<=', 0)
    .where('views', '<=', 0)
    .where('meetings', '<=', 0)
    .execute();
  await trx.deleteFrom('fleet_page_daily').where('views', '<=', 0).execute();
  await trx.deleteFrom('fleet_team_daily').where('meetings', '<=', 0).execute();
}

// ---------------------------------------------------------------------------------------------
// Filling the rollups from the records (migration 040, and the test that checks the two agree).

/**
 * Empties the rollups and fills them again from every stored record, in SQL both databases
 * speak. Only with nothing listed for a fold (folding.ts): fold first, as the tests do; migration
 * 040 runs before the list exists. A listed record would otherwise be counted again by its fold.
 */
export async function rebuildRollups(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'fleet_usage_total',
    'fleet_usage_daily',
    'fleet_page_daily',
    'fleet_meeting_items',
    'fleet_meeting_days',
    'fleet_team_daily',
  ])
    await sql`delete from ${sql.table(table)}`.execute(db);
  const views = sql`kind = 'event' and event_type = 'page.viewed'`;
  const histogram = (viewsOnly: boolean) =>
    sql.join(
      HISTOGRAM_COLUMNS.map(
        (column, k) =>
          sql`sum(case when ${viewsOnly ? sql`event_type = 'page.viewed' and ` : sql``}${inBucket('dwell_bucket', k)} then 1 else 0 end) as ${sql.ref(column)}`,
      ),
    );
  const columns = (names: readonly string[]) => sql.join(names.map((n) => sql.ref(n)));
  await sql`insert into fleet_meeting_items (device_id, meeting_id, item_id, day, team)
    select device_id, meeting_id, coalesce(item_id, ''), day, max(coalesce(team, ''))
    from fleet_records where ${views} and meeting_id is not null
    group by device_id, meeting_id, coalesce(item_id, ''), day`.execute(db);
  await sql`insert into fleet_meeting_days (device_id, meeting_id, day, team)
    select device_id, meeting_id, day, max(coalesce(team, ''))
    from fleet_records where ${views} and meeting_id is not null
    group by device_id, meeting_id, day`.execute(db);
  await sql`insert into fleet_team_daily (day, team, meetings)
    select day, team, count(*) from fleet_meeting_days group by day, team`.execute(db);
  await sql`insert into fleet_usage_daily (${columns([...USAGE_COLUMNS.map(([n]) => n), ...HISTOGRAM_COLUMNS])})
    select e.day, e.team, e.item_id, e.opens, e.views, e.dwell_ms, coalesce(m.meetings, 0), e.last_opened_at, ${columns(
      HISTOGRAM_COLUMNS.map((c) => `e.${c}`),
    )}
    from (
      select day, coalesce(team, '') as team, coalesce(item_id, '') as item_id,
        sum(case when event_type = 'item.opened' then 1 else 0 end) as opens,
        sum(case when event_type = 'page.viewed' then 1 else 0 end) as views,
        sum(case when event_type = 'page.viewed' then coalesce(dwell_ms, 0) else 0 end) as dwell_ms,
        max(case when event_type = 'item.opened' then at end) as last_opened_at,
        ${histogram(true)}
      from fleet_records where kind = 'event' and event_type in ('item.opened', 'page.viewed')
      group by day, coalesce(team, ''), coalesce(item_id, '')
    ) e
    left join (
      select day, team, item_id, count(*) as meetings from fleet_meeting_items group by day, team, item_id
    ) m on m.day = e.day and m.team = e.team and m.item_id = e.item_id`.execute(db);
  const totalColumns = [...USAGE_COLUMNS.map(([n]) => n).filter((n) => n !== 'day'), ...HISTOGRAM_COLUMNS];
  await sql`insert into fleet_usage_total (${columns(totalColumns)})
    select team, item_id, sum(opens), sum(views), sum(dwell_ms), sum(meetings), max(last_opened_at), ${sql.join(
      HISTOGRAM_COLUMNS.map((c) => sql`sum(${sql.ref(c)})`),
    )}
    from fleet_usage_daily group by team, item_id`.execute(db);
  await sql`insert into fleet_page_daily (${columns([...PAGE_COLUMNS.map(([n]) => n), ...HISTOGRAM_COLUMNS])})
    select coalesce(item_id, ''), page, day, coalesce(team, ''), count(*), sum(coalesce(dwell_ms, 0)), ${histogram(false)}
    from fleet_records where ${views} and page is not null
    group by coalesce(item_id, ''), page, day, coalesce(team, '')`.execute(db);
}
