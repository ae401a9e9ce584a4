import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { route, type Caller, type RawResponse, type Routes, type StudioContext } from '../context.ts';
import { StudioError } from '../errors.ts';
import { channelId } from '../library/routes.ts';
import {
  booths,
  contentDimensions,
  contentUsage,
  filterChoices,
  fleetFilters,
  pageDropOff,
  readiness,
  searchGaps,
  teamView,
  unusedItems,
  type ContentDimension,
  type Dashboard,
} from './dashboards.ts';
import { fleetScope, type FleetScope } from './scope.ts';

/** Every view answers JSON, or one of its tables as CSV (`?format=csv&table=name`). */
const output = {
  format: z.enum(['json', 'csv']).default('json'),
  table: z.string().max(40).optional(),
  channel: channelId.default('default'),
};

function asCsv(dashboard: Dashboard, table: string | undefined, name: string): RawResponse {
  const key = table ?? Object.keys(dashboard.tables)[0]!;
  const found = dashboard.tables[key];
  if (!found)
    throw new StudioError(
      'not-found',
      `No table "${key}" here; there are ${Object.keys(dashboard.tables).join(', ')}.`,
    );
  const csv = stringify(
    found.rows.map((row) => found.columns.map((c) => row[c.key] ?? '')),
    { header: true, columns: found.columns.map((c) => c.label) },
  );
  return {
    raw: true,
    status: 200,
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}-${key}-${dashboard.generatedAt.slice(0, 10)}.csv"`,
      'Cache-Control': 'no-store',
    },
    // A byte-order mark so spreadsheet programs read the UTF-8 as UTF-8.
    body: Buffer.from(`\ufeff${csv}`, 'utf8'),
  };
}

interface Output {
  format: 'json' | 'csv';
  table?: string | undefined;
}

function view<A>(name: string, build: (ctx: StudioContext, scope: FleetScope, args: A) => Promise<Dashboard>) {
  return async (ctx: StudioContext, caller: Caller, args: A & Output) => {
    const dashboard = await build(ctx, await fleetScope(ctx, caller), args);
    return args.format === 'csv' ? asCsv(dashboard, args.table, name) : dashboard;
  };
}

export const dashboardRoutes: Routes = {
  'fleet.content': route({
    method: 'GET',
    path: '/api/fleet/dashboards/content',
    args: fleetFilters
      .extend({
        ...output,
        groupBy: z.enum(Object.keys(contentDimensions) as [ContentDimension, ...ContentDimension[]]).default('item'),
      })
      .strict(),
    run: view('content', contentUsage),
  }),
  'fleet.pages': route({
    method: 'GET',
    path: '/api/fleet/dashboards/pages',
    args: fleetFilters.extend({ ...output, item: z.string().min(1).max(128) }).strict(),
    run: view('pages', pageDropOff),
  }),
  'fleet.unused': route({
    method: 'GET',
    path: '/api/fleet/dashboards/unused',
    args: z.object({ ...output, days: z.coerce.number().int().min(1).max(3650).default(90) }).strict(),
    run: view('unused', unusedItems),
  }),
  'fleet.searchGaps': route({
    method: 'GET',
    path: '/api/fleet/dashboards/search-gaps',
    args: fleetFilters.extend(output).strict(),
    run: view('search-gaps', searchGaps),
  }),
  'fleet.readiness': route({
    method: 'GET',
    path: '/api/fleet/dashboards/readiness',
    args: fleetFilters.extend(output).strict(),
    run: view('readiness', readiness),
  }),
  'fleet.team': route({
    method: 'GET',
    path: '/api/fleet/dashboards/team',
    args: fleetFilters.extend(output).strict(),
    run: view('team', teamView),
  }),
  'fleet.choices': route({
    method: 'GET',
    path: '/api/fleet/choices',
    args: z.object({}).strict(),
    run: async (ctx: StudioContext, caller: Caller) => filterChoices(ctx, await fleetScope(ctx, caller)),
  }),
  'fleet.booths': route({
    method: 'GET',
    path: '/api/fleet/dashboards/booths',
    args: fleetFilters.extend(output).strict(),
    run: view('booths', booths),
  }),
};
