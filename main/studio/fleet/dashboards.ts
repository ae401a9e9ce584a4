import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import { z } from 'zod';
import { editDistanceWithin, maxEditsFor } from '#shared/text';
import type { StudioContext } from '../context.ts';
import type { StudioTables } from '../database/schema.ts';
import { foldBeforeReading } from './folding.ts';
import { kindLiteral } from './records.ts';
import { HISTOGRAM_COLUMNS, histogramBucket, histogramMedian, NONE } from './rollups.ts';
import type { FleetScope } from './scope.ts';

/**
 * The fleet's views, read live from the ingested records or from the rollups kept with them in
 * the same transaction (so either is as fresh as the last upload). Each view returns named tables with their columns, which the UI draws as a chart and
 * a table and exports as CSV, and every query is narrowed to the caller's scope first.
 */
export interface Column {
  key: string;
  label: string;
  kind?: 'number' | 'text' | 'date' | 'ms';
}
export type Cell = string | number | null;
export interface Table {
  title: string;
  columns: Column[];
  rows: Record<string, Cell>[];
}
export interface Dashboard {
  generatedAt: string;
  tables: Record<string, Table>;
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const name = z.string().trim().min(1).max(320);

export const fleetFilters = z.object({
  from: day.optional(),
  to: day.optional(),
  team: name.optional(),
  region: name.optional(),
  rep: name.optional(),
  release: z.coerce.number().int().nonnegative().optional(),
});
export type FleetFilters = z.infer<typeof fleetFilters>;

export const contentDimensions = {
  item: 'item_id',
  team: 'team',
  region: 'region',
  rep: 'rep',
  release: 'release_version',
  day: 'day',
} as const;
export type ContentDimension = keyof typeof contentDimensions;

type RecordQuery = SelectQueryBuilder<StudioTables & { r: StudioTables['fleet_records'] }, 'r', object>;

/** The filters and the caller's scope, on records aliased `r`. */
function narrowed<Q extends RecordQuery>(query: Q, scope: FleetScope, f: FleetFilters): Q {
  let q = query as RecordQuery;
  if (scope.team !== null) q = q.where('r.team', '=', scope.team);
  if (f.team) q = q.where('r.team', '=', f.team);
  if (f.region) q = q.where('r.region', '=', f.region);
  if (f.rep) q = q.where('r.rep', '=', f.rep);
  if (f.release !== undefined) q = q.where('r.release_version', '=', f.release);
  // A record's day is its instant's UTC date: the same period, and the team index's order.
  if (f.from) q = q.where('r.day', '>=', f.from);
  if (f.to) q = q.where('r.day', '<=', f.to);
  return q as Q;
}

const n = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));

/**
 * Where a view reads from: the rollups when its filters are ones they carry (period, team, the
 * manager's scope), else the records. Tests read both and compare.
 */
export type Source = 'rollups' | 'records';

/** Adds a fine-bucket count to a histogram of the rollups' buckets, so both sources give the same median. */
function addFine(histogram: number[], fine: unknown, count: number) {
  if (fine === null || fine === undefined) return;
  histogram[histogramBucket(Number(fine))]! += count;
}
const emptyHistogram = () => new Array<number>(HISTOGRAM_COLUMNS.length).fill(0);
const histogramSums = () => HISTOGRAM_COLUMNS.map((c) => sql<number>`sum(${sql.ref(c)})`.as(c));
const histogramOf = (row: Record<string, unknown>) => HISTOGRAM_COLUMNS.map((c) => n(row[c]));

/** The rollups' key columns hold '' for none. */
const fromKey = (value: unknown) => (value === null || value === undefined || value === NONE ? null : String(value));

/** Rollup rows narrowed to the caller's scope, the team filter and the period (by day). */
function rollupNarrowed<T extends { where: (...args: never[]) => T }>(query: T, scope: FleetScope, f: FleetFilters): T {
  type Q = { where(column: string, op: string, value: unknown): Q };
  let q = query as unknown as Q;
  if (scope.team !== null) q = q.where('team', '=', scope.team);
  if (f.team) q = q.where('team', '=', f.team);
  if (f.from) q = q.where('day', '>=', f.from);
  if (f.to) q = q.where('day', '<=', f.to);
  return q as unknown as T;
}

/** The rollups carry day and team, not region, rep or release. */
const rollupsServe = (f: FleetFilters) => !f.region && !f.rep && f.release === undefined;

/** Rows of the content table, before titles: one per key. */
interface Totals {
  key: string | null;
  opens: number;
  views: number;
  meetings: number;
  dwell: number;
  histogram: number[];
}

async function itemTitles(ctx: StudioContext, channel: string): Promise<Map<string, string>> {
  const rows = await ctx.db
    .selectFrom('items')
    .select(['id', 'title', 'file_name'])
    .where('channel', '=', channel)
    .execute();
  return new Map(rows.map((r) => [r.id, r.title ?? r.file_name]));
}

const records = (ctx: StudioContext) => ctx.db.selectFrom('fleet_records as r');

/** Opens, views, dwell and meetings per key, from the records. */
async function usageFromRecords(
  ctx: StudioContext,
  scope: FleetScope,
  f: FleetFilters & { groupBy: ContentDimension },
): Promise<Totals[]> {
  const column = sql.ref(`r.${contentDimensions[f.groupBy]}`);
  const events = (type: string) =>
    narrowed(records(ctx).where('r.kind', '=', 'event').where('r.event_type', '=', type), scope, f);
  const [opens, views, meetings] = await Promise.all([
    events('item.opened')
      .select([column.as('key'), (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(column)
      .execute(),
    events('page.viewed')
      .select([
        column.as('key'),
        'r.dwell_bucket',
        (eb) => eb.fn.countAll<number>().as('n'),
        sql<number>`sum(r.dwell_ms)`.as('dwell'),
      ])
      .groupBy([column, 'r.dwell_bucket'])
      .execute(),
    // A meeting counts once per day it showed the key, as the rollups count it.
    events('page.viewed')
      .where('r.meeting_id', 'is not', null)
      .select([
        column.as('key'),
        sql<number>`count(distinct r.device_id || ' ' || r.meeting_id || ' ' || r.day)`.as('n'),
      ])
      .groupBy(column)
      .execute(),
  ]);
  const byKey = new Map<string, Totals>();
  const entry = (raw: unknown): Totals => {
    const key = raw === null || raw === undefined ? null : String(raw);
    let found = byKey.get(String(key));
    if (!found)
      byKey.set(String(key), (found = { key, opens: 0, views: 0, meetings: 0, dwell: 0, histogram: emptyHistogram() }));
    return found;
  };
  for (const r of opens) entry(r.key).opens += n(r.n);
  for (const r of meetings) entry(r.key).meetings += n(r.n);
  for (const r of views) {
    const t = entry(r.key);
    t.views += n(r.n);
    t.dwell += n(r.dwell);
    addFine(t.histogram, r.dwell_bucket, n(r.n));
  }
  return [...byKey.values()];
}

/** The same from the rollups: per item one table; per team or day meetings come from their own. */
async function usageFromRollups(
  ctx: StudioContext,
  scope: FleetScope,
  f: FleetFilters & { groupBy: 'item' | 'team' | 'day' },
): Promise<Totals[]> {
  const column = f.groupBy === 'item' ? 'item_id' : f.groupBy;
  // Over all time and not by day, the totals (teams × items rows) answer; a period needs the days.
  const daily = f.from !== undefined || f.to !== undefined || f.groupBy === 'day';
  await foldBeforeReading(ctx);
  const [usage, meetings] = await Promise.all([
    rollupNarrowed(
      ctx.db.selectFrom(daily ? 'fleet_usage_daily' : ('fleet_usage_total' as 'fleet_usage_daily')),
      scope,
      f,
    )
      .select([
        sql.ref(column).as('key'),
        sql<number>`sum(opens)`.as('opens'),
        sql<number>`sum(views)`.as('views'),
        sql<number>`sum(dwell_ms)`.as('dwell'),
        sql<number>`sum(meetings)`.as('meetings'),
        ...histogramSums(),
      ])
      .groupBy(sql.ref(column))
      .execute(),
    f.groupBy === 'item'
      ? Promise.resolve(null)
      : rollupNarrowed(ctx.db.selectFrom('fleet_team_daily'), scope, f)
          .select([sql.ref(column).as('key'), sql<number>`sum(meetings)`.as('meetings')])
          .groupBy(sql.ref(column))
          .execute(),
  ]);
  const meetingsOf = new Map((meetings ?? []).map((m) => [String(m.key), n(m.meetings)]));
  return usage.map((u) => ({
    key: fromKey(u.key),
    opens: n(u.opens),
    views: n(u.views),
    dwell: n(u.dwell),
    meetings: meetings ? (meetingsOf.get(String(u.key)) ?? 0) : n(u.meetings),
    histogram: histogramOf(u),
  }));
}

/** Content: opens, meetings, dwell (median and total) per item or per team, region, rep, release, day. */
export async function contentUsage(
  ctx: StudioContext,
  scope: FleetScope,
  f: FleetFilters & { groupBy: ContentDimension; channel: string },
  source: Source = 'rollups',
): Promise<Dashboard> {
  const groupBy = f.groupBy;
  const fromRollups =
    source === 'rollups' && rollupsServe(f) && (groupBy === 'item' || groupBy === 'team' || groupBy === 'day');
  const [totals, titles] = await Promise.all([
    fromRollups ? usageFromRollups(ctx, scope, { ...f, groupBy }) : usageFromRecords(ctx, scope, f),
    f.groupBy === 'item' ? itemTitles(ctx, f.channel) : Promise.resolve(new Map<string, string>()),
  ]);
  const rows = totals
    .map((r) => ({
      key: r.key ?? '(none)',
      title: r.key !== null ? (titles.get(r.key) ?? r.key) : '(none)',
      opens: r.opens,
      views: r.views,
      meetings: r.meetings,
      dwellTotalMs: r.dwell,
      dwellMedianMs: histogramMedian(r.histogram),
    }))
    .sort((a, b) =>
      f.groupBy === 'day'
        ? a.key.localeCompare(b.key)
        : b.opens - a.opens || b.views - a.views || a.key.localeCompare(b.key),
    );
  return {
    generatedAt: ctx.now().toISOString(),
    tables: {
      usage: {
        title: `Content use by ${f.groupBy}`,
        columns: [
          { key: 'title', label: f.groupBy === 'item' ? 'Item' : f.groupBy[0]!.toUpperCase() + f.groupBy.slice(1) },
          { key: 'opens', label: 'Opens', kind: 'number' },
          { key: 'meetings', label: 'Meetings shown in', kind: 'number' },
          { key: 'views', label: 'Page views', kind: 'number' },
          { key: 'dwellMedianMs', label: 'Median dwell', kind: 'ms' },
          { key: 'dwellTotalMs', label: 'Total dwell', kind: 'ms' },
        ],
        rows,
      },
    },
  };
}

/** Views, dwell and histogram per page of one item. */
interface PageTotals {
  page: number;
  views: number;
  dwell: number;
  histogram: number[];
}

async function pagesFromRecords(
  ctx: StudioContext,
  scope: FleetScope,
  f: FleetFilters & { item: string },
): Promise<PageTotals[]> {
  const rows = await narrowed(
    records(ctx)
      .where('r.kind', '=', 'event')
      .where('r.event_type', '=', 'page.viewed')
      .where('r.item_id', '=', f.item)
      .where('r.page', 'is not', null),
    scope,
    f,
  )
    .select([
      'r.page',
      'r.dwell_bucket',
      (eb) => eb.fn.countAll<number>().as('views'),
      sql<number>`sum(r.dwell_ms)`.as('dwell'),
    ])
    .groupBy(['r.page', 'r.dwell_bucket'])
    .execute();
  const byPage = new Map<number, PageTotals>();
  for (const r of rows) {
    const page = Number(r.page);
    const t = byPage.get(page) ?? { page, views: 0, dwell: 0, histogram: emptyHistogram() };
    t.views += n(r.views);
    t.dwell += n(r.dwell);
    addFine(t.histogram, r.dwell_bucket, n(r.views));
    byPage.set(page, t);
  }
  return [...byPage.values()];
}

async function pagesFromRollups(
  ctx: StudioContext,
  scope: FleetScope,
  f: FleetFilters & { item: string },
): Promise<PageTotals[]> {
  await foldBeforeReading(ctx);
  const rows = await rollupNarrowed(ctx.db.selectFrom('fleet_page_daily').where('item_id', '=', f.item), scope, f)
    .select(['page', sql<number>`sum(views)`.as('views'), sql<number>`sum(dwell_ms)`.as('dwell'), ...histogramSums()])
    .groupBy('page')
    .execute();
  return rows.map((r) => ({ page: Number(r.page), views: n(r.views), dwell: n(r.dwell), histogram: histogramOf(r) }));
}

/**
 * Page drop-off of one item: views per page, and how many of page 1's viewers each page keeps.
 * Titled by the item's title in `channel` (its id when the library no longer has it).
 */
export async function pageDropOff(
  ctx: StudioContext,
  scope: FleetScope,
  f: FleetFilters & { item: string; channel?: string },
  source: Source = 'rollups',
): Promise<Dashboard> {
  const [found, item] = await Promise.all([
    source === 'rollups' && rollupsServe(f) ? pagesFromRollups(ctx, scope, f) : pagesFromRecords(ctx, scope, f),
    ctx.db
      .selectFrom('items')
      .select(['title', 'file_name'])
      .where('channel', '=', f.channel ?? 'default')
      .where('id', '=', f.item)
      .executeTakeFirst(),
  ]);
  const pages = found.sort((a, b) => a.page - b.page);
  const first = n(pages[0]?.views);
  return {
    generatedAt: ctx.now().toISOString(),
    tables: {
      pages: {
        title: `Page drop-off: ${item ? (item.title ?? item.file_name) : f.item}`,
        columns: [
          { key: 'page', label: 'Page', kind: 'number' },
          { key: 'views', label: 'Views', kind: 'number' },
          { key: 'kept', label: '% of first page', kind: 'number' },
          { key: 'dwellMedianMs', label: 'Median dwell', kind: 'ms' },
          { key: 'dwellTotalMs', label: 'Total dwell', kind: 'ms' },
        ],
        rows: pages.map((p) => ({
          page: p.page,
          views: p.views,
          kept: first ? Math.round((p.views / first) * 1000) / 10 : null,
          dwellMedianMs: histogramMedian(p.histogram),
          dwellTotalMs: p.dwell,
        })),
      },
    },
  };
}

/** Retirement candidates: items never opened, or not for N days, beside their expiry. */
export async function unusedItems(
  ctx: StudioContext,
  scope: FleetScope,
  f: { days: number; channel: string },
  source: Source = 'rollups',
): Promise<Dashboard> {
  if (source === 'rollups') await foldBeforeReading(ctx);
  const [items, opened] = await Promise.all([
    ctx.db
      .selectFrom('items')
      .select(['id', 'title', 'file_name', 'valid_until'])
      .where('channel', '=', f.channel)
      .execute(),
    source === 'rollups'
      ? rollupNarrowed(ctx.db.selectFrom('fleet_usage_total'), scope, {})
          .select(['item_id', (eb) => eb.fn.max('last_opened_at').as('last'), sql<number>`sum(opens)`.as('opens')])
          .groupBy('item_id')
          .having(sql<boolean>`sum(opens) > 0`)
          .execute()
      : narrowed(records(ctx).where('r.kind', '=', 'event').where('r.event_type', '=', 'item.opened'), scope, {})
          .select(['r.item_id', (eb) => eb.fn.max('r.at').as('last'), (eb) => eb.fn.countAll<number>().as('opens')])
          .groupBy('r.item_id')
          .execute(),
  ]);
  const last = new Map(opened.map((o) => [fromKey(o.item_id), { at: String(o.last), opens: n(o.opens) }]));
  const since = new Date(ctx.now().getTime() - f.days * 86_400_000).toISOString();
  const rows = items
    .map((item) => {
      const use = last.get(item.id);
      return {
        item: item.title ?? item.file_name,
        id: item.id,
        lastOpened: use?.at ?? null,
        opens: use?.opens ?? 0,
        expires: item.valid_until,
        state: !use ? 'never opened' : use.at < since ? `unused ${f.days}+ days` : 'in use',
      };
    })
    .filter((r) => r.state !== 'in use')
    .sort((a, b) => (a.lastOpened ?? '').localeCompare(b.lastOpened ?? '') || a.item.localeCompare(b.item));
  return {
    generatedAt: ctx.now().toISOString(),
    tables: {
      unused: {
        title: `Never opened or unused for ${f.days} days`,
        columns: [
          { key: 'item', label: 'Item' },
          { key: 'state', label: 'State' },
          { key: 'lastOpened', label: 'Last opened', kind: 'date' },
          { key: 'opens', label: 'Opens ever', kind: 'number' },
          { key: 'expires', label: 'Expires', kind: 'date' },
        ],
        rows,
      },
    },
  };
}

/**
 * Zero-result searches, folded for case and accents at ingest and here for typos: each query
 * joins the most-asked query within its length's typo allowance ("tide tabels" -> "tide tables").
 */
export async function searchGaps(ctx: StudioContext, scope: FleetScope, f: FleetFilters): Promise<Dashboard> {
  const rows = await narrowed(records(ctx).where('r.kind', '=', kindLiteral('search-miss')), scope, f)
    .select([
      'r.query_folded',
      (eb) => eb.fn.countAll<number>().as('count'),
      (eb) => eb.fn.max('r.at').as('last'),
      sql<number>`count(distinct r.device_id)`.as('devices'),
    ])
    .groupBy('r.query_folded')
    .orderBy(sql`count(*)`, 'desc')
    .limit(5000)
    .execute();
  interface Gap {
    query: string;
    variants: string[];
    count: number;
    devices: number;
    lastSeen: string;
  }
  const gaps: Gap[] = [];
  const byLength = new Map<number, Gap[]>();
  for (const r of rows) {
    const query = String(r.query_folded);
    const limit = maxEditsFor(query.length);
    let home: Gap | undefined;
    for (let d = -limit; d <= limit && !home; d++)
      home = byLength.get(query.length + d)?.find((g) => editDistanceWithin(g.query, query, limit));
    if (home) {
      home.variants.push(query);
      home.count += n(r.count);
      home.devices = Math.max(home.devices, n(r.devices));
      if (String(r.last) > home.lastSeen) home.lastSeen = String(r.last);
      continue;
    }
    const gap = { query, variants: [], count: n(r.count), devices: n(r.devices), lastSeen: String(r.last) };
    gaps.push(gap);
    byLength.set(query.length, [...(byLength.get(query.length) ?? []), gap]);
  }
  gaps.sort((a, b) => b.count - a.count || a.query.localeCompare(b.query));
  return {
    generatedAt: ctx.now().toISOString(),
    tables: {
      gaps: {
        title: 'Searches that found nothing',
        columns: [
          { key: 'query', label: 'Query' },
          { key: 'count', label: 'Times', kind: 'number' },
          { key: 'devices', label: 'Devices (most for one spelling)', kind: 'number' },
          { key: 'lastSeen', label: 'Last seen', kind: 'date' },
          { key: 'variants', label: 'Also typed as' },
        ],
        rows: gaps.map((g) => ({ ...g, variants: g.variants.join(', ') })),
      },
    },
  };
}

/** A device is stale when Studio has not heard from it for this long. */
export const STALE_AFTER_DAYS = 3;

async function currentVersion(ctx: StudioContext, channel: string): Promise<number | null> {
  const row = await ctx.db
    .selectFrom('releases')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('channel', '=', channel)
    .where('state', '=', 'published')
    .executeTakeFirst();
  return row?.v === null || row?.v === undefined ? null : Number(row.v);
}

/**
 * The teams, regions and reps' e-mails devices were enrolled with, for the filters'
 * suggestions: a filter matches a name exactly, and "north" finds nothing in "North". A manager
 * gets their own team's.
 */
export async function filterChoices(
  ctx: StudioContext,
  scope: FleetScope,
): Promise<{ teams: string[]; regions: string[]; reps: string[] }> {
  const distinct = async (column: 'team' | 'region' | 'rep_email') => {
    let q = ctx.db.selectFrom('fleet_devices').select(column).distinct().where(column, 'is not', null);
    if (scope.team !== null) q = q.where('team', '=', scope.team);
    const rows = await q.execute();
    return rows.map((r) => r[column]!).sort((a, b) => a.localeCompare(b));
  };
  const [teams, regions, reps] = await Promise.all([distinct('team'), distinct('region'), distinct('rep_email')]);
  return { teams, regions, reps };
}

/** Readiness: devices per release and app version, stale devices, and per team "ready for tomorrow". */
export async function readiness(ctx: StudioContext, scope: FleetScope, f: FleetFilters & { channel: string }) {
  let devices = ctx.db
    .selectFrom('fleet_devices as d')
    .leftJoin('fleet_device_status as s', 's.device_id', 'd.id')
    .select([
      'd.id',
      'd.name',
      'd.rep_name',
      'd.rep_email',
      'd.booth_event',
      'd.team',
      'd.region',
      'd.app_version',
      'd.last_seen_at',
      's.release_version',
      's.last_sync_at',
      's.app_version as status_app_version',
      's.pitches_total',
      's.pitches_ready',
    ])
    .where('d.revoked_at', 'is', null)
    .where('d.channel', '=', f.channel);
  if (scope.team !== null) devices = devices.where('d.team', '=', scope.team);
  if (f.team) devices = devices.where('d.team', '=', f.team);
  if (f.region) devices = devices.where('d.region', '=', f.region);
  if (f.rep) devices = devices.where('d.rep_email', '=', f.rep);
  const [list, current] = await Promise.all([devices.execute(), currentVersion(ctx, f.channel)]);
  const staleBefore = new Date(ctx.now().getTime() - STALE_AFTER_DAYS * 86_400_000).toISOString();
  const versions = new Map<string, { release: number | null; appVersion: string; devices: number }>();
  const teams = new Map<string, { team: string; devices: number; ready: number }>();
  const notReady: Record<string, Cell>[] = [];
  for (const d of list) {
    const release = d.release_version === null || d.release_version === undefined ? null : Number(d.release_version);
    const appVersion = d.status_app_version ?? d.app_version;
    const versionKey = `${release}|${appVersion}`;
    const v = versions.get(versionKey) ?? { release, appVersion, devices: 0 };
    v.devices += 1;
    versions.set(versionKey, v);
    const stale = !d.last_seen_at || d.last_seen_at < staleBefore;
    const current_ = current === null || release === current;
    const pitchesReady = n(d.pitches_ready) === n(d.pitches_total);
    const ready = !stale && current_ && pitchesReady && release !== null;
    const team = d.team ?? '(no team)';
    const t = teams.get(team) ?? { team, devices: 0, ready: 0 };
    t.devices += 1;
    if (ready) t.ready += 1;
    teams.set(team, t);
    if (!ready)
      notReady.push({
        device: d.name,
        who: d.rep_name ?? d.booth_event,
        team: d.team,
        release,
        appVersion,
        lastSeen: d.last_seen_at,
        lastSync: d.last_sync_at ?? null,
        why: [
          release === null ? 'no status yet' : null,
          stale ? `not seen for ${STALE_AFTER_DAYS}+ days` : null,
          release !== null && !current_ ? `on release ${release}, current is ${current}` : null,
          !pitchesReady ? `${n(d.pitches_total) - n(d.pitches_ready)} pitch(es) not offline` : null,
        ]
          .filter(Boolean)
          .join('; '),
      });
  }
  const generatedAt = ctx.now().toISOString();
  return {
    generatedAt,
    currentRelease: current,
    tables: {
      versions: {
        title: 'Devices per release and app version',
        columns: [
          { key: 'release', label: 'Release', kind: 'number' },
          { key: 'appVersion', label: 'App version' },
          { key: 'devices', label: 'Devices', kind: 'number' },
        ],
        rows: [...versions.values()].sort((a, b) => n(b.release) - n(a.release) || b.devices - a.devices),
      },
      teams: {
        title: 'Ready for tomorrow, per team',
        columns: [
          { key: 'team', label: 'Team' },
          { key: 'devices', label: 'Devices', kind: 'number' },
          { key: 'ready', label: 'Ready', kind: 'number' },
          { key: 'readyForTomorrow', label: 'Ready for tomorrow' },
        ],
        rows: [...teams.values()]
          .sort((a, b) => a.team.localeCompare(b.team))
          .map((t) => ({ ...t, readyForTomorrow: t.ready === t.devices ? 'yes' : `no (${t.devices - t.ready} not)` })),
      },
      notReady: {
        title: 'Devices not ready (stale, behind, or pitches not offline)',
        columns: [
          { key: 'device', label: 'Device' },
          { key: 'who', label: 'Rep or booth' },
          { key: 'team', label: 'Team' },
          { key: 'release', label: 'Release', kind: 'number' },
          { key: 'appVersion', label: 'App version' },
          { key: 'lastSeen', label: 'Last seen', kind: 'date' },
          { key: 'lastSync', label: 'Last sync', kind: 'date' },
          { key: 'why', label: 'Why' },
        ],
        rows: notReady.slice(0, 5000),
      },
    },
  } satisfies Dashboard & { currentRelease: number | null };
}

/** A manager's view of their team: meetings per rep, content shown by account and outcome. */
export async function teamView(ctx: StudioContext, scope: FleetScope, f: FleetFilters): Promise<Dashboard> {
  const meetings = narrowed(records(ctx).where('r.kind', '=', kindLiteral('meeting')), scope, f);
  const [perRep, byAccount] = await Promise.all([
    meetings
      .select([
        'r.rep',
        (eb) => eb.fn.countAll<number>().as('meetings'),
        sql<number>`count(distinct r.account)`.as('accounts'),
        (eb) => eb.fn.max('r.at').as('last'),
      ])
      .groupBy('r.rep')
      .orderBy(sql`count(*)`, 'desc')
      .execute(),
    narrowed(
      records(ctx)
        .innerJoin('fleet_records as m', (join) => {
          let on = join
            .onRef('m.meeting_id', '=', 'r.meeting_id')
            .onRef('m.device_id', '=', 'r.device_id')
            .on('m.kind', '=', kindLiteral('meeting'));
          // A meeting and its views come from one device, so one team: naming the team on the
          // meeting too lets the planner start from that team's meetings, not the fleet's.
          for (const team of [scope.team, f.team]) if (team) on = on.on('m.team', '=', team);
          return on;
        })
        .where('r.kind', '=', 'event')
        .where('r.event_type', '=', 'page.viewed'),
      scope,
      f,
    )
      .select([
        'm.account',
        'm.outcome',
        'r.item_id',
        (eb: ExpressionBuilder<StudioTables & { r: StudioTables['fleet_records'] }, 'r'>) =>
          eb.fn.countAll<number>().as('views'),
        sql<number>`sum(r.dwell_ms)`.as('dwell'),
      ])
      .groupBy(['m.account', 'm.outcome', 'r.item_id'])
      .orderBy(sql`count(*)`, 'desc')
      .limit(2000)
      .execute(),
  ]);
  const titles = await itemTitles(ctx, 'default');
  return {
    generatedAt: ctx.now().toISOString(),
    tables: {
      meetings: {
        title: 'Meetings per rep',
        columns: [
          { key: 'rep', label: 'Rep' },
          { key: 'meetings', label: 'Meetings', kind: 'number' },
          { key: 'accounts', label: 'Accounts', kind: 'number' },
          { key: 'last', label: 'Last meeting', kind: 'date' },
        ],
        rows: perRep.map((r) => ({
          rep: r.rep ?? '(unknown)',
          meetings: n(r.meetings),
          accounts: n(r.accounts),
          last: String(r.last),
        })),
      },
      accounts: {
        title: 'Content shown by account and outcome',
        columns: [
          { key: 'account', label: 'Account' },
          { key: 'outcome', label: 'Outcome' },
          { key: 'item', label: 'Item' },
          { key: 'views', label: 'Page views', kind: 'number' },
          { key: 'dwellTotalMs', label: 'Total dwell', kind: 'ms' },
        ],
        rows: byAccount.map((r) => ({
          account: r.account ?? '(none)',
          outcome: r.outcome ?? '(none)',
          item: r.item_id ? (titles.get(r.item_id) ?? r.item_id) : '(none)',
          views: n(r.views),
          dwellTotalMs: n(r.dwell),
        })),
      },
    },
  };
}

/** Booths: leads per event, booth and day, consent rate, and what visitors looked at first. */
export async function booths(ctx: StudioContext, scope: FleetScope, f: FleetFilters): Promise<Dashboard> {
  // An update of a lead sent before (staff qualified it) is the same visitor, not another lead.
  const leads = narrowed(
    records(ctx).where('r.kind', '=', kindLiteral('lead')).where('r.event_type', 'is', null),
    scope,
    f,
  );
  const [perDay, viewed, devices, titles] = await Promise.all([
    leads
      .select([
        'r.booth',
        'r.device_id',
        'r.day',
        (eb) => eb.fn.countAll<number>().as('leads'),
        sql<number>`sum(case when r.consent_version is not null then 1 else 0 end)`.as('consented'),
      ])
      .groupBy(['r.booth', 'r.device_id', 'r.day'])
      .orderBy('r.day', 'desc')
      .limit(5000)
      .execute(),
    leads.select(['r.booth', 'r.viewed_items']).limit(200_000).execute(),
    ctx.db.selectFrom('fleet_devices').select(['id', 'name']).where('kind', '=', 'booth').execute(),
    itemTitles(ctx, 'default'),
  ]);
  const deviceName = new Map(devices.map((d) => [d.id, d.name]));
  const looked = new Map<string, { event: string; item: string; leads: number }>();
  for (const lead of viewed) {
    const items = new Set(JSON.parse(lead.viewed_items ?? '[]') as string[]);
    for (const item of items) {
      const key = `${lead.booth}|${item}`;
      const entry = looked.get(key) ?? { event: lead.booth ?? '(none)', item: titles.get(item) ?? item, leads: 0 };
      entry.leads += 1;
      looked.set(key, entry);
    }
  }
  return {
    generatedAt: ctx.now().toISOString(),
    tables: {
      leads: {
        title: 'Leads per event, booth and day',
        columns: [
          { key: 'event', label: 'Event' },
          { key: 'booth', label: 'Booth device' },
          { key: 'day', label: 'Day', kind: 'date' },
          { key: 'leads', label: 'Leads', kind: 'number' },
          { key: 'consentRate', label: 'Consent %', kind: 'number' },
        ],
        rows: perDay.map((r) => ({
          event: r.booth ?? '(none)',
          booth: deviceName.get(r.device_id) ?? r.device_id,
          day: r.day,
          leads: n(r.leads),
          consentRate: n(r.leads) ? Math.round((n(r.consented) / n(r.leads)) * 1000) / 10 : null,
        })),
      },
      viewed: {
        title: 'What visitors looked at before leaving their details',
        columns: [
          { key: 'event', label: 'Event' },
          { key: 'item', label: 'Item' },
          { key: 'leads', label: 'Leads who viewed it', kind: 'number' },
        ],
        rows: [...looked.values()].sort((a, b) => b.leads - a.leads).slice(0, 1000),
      },
    },
  };
}
