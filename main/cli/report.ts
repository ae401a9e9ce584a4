import { writeFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { createCore } from '#core/index';
import type { UsageReport } from '#shared/presenting';

const seconds = (ms: number) => `${(ms / 1000).toFixed(0)} s`;

/** Rows of one table: what marketing reads, and what the CSV holds, in the same shape. */
export function reportRows(report: UsageReport): Record<string, string | number>[] {
  const rows: Record<string, string | number>[] = [];
  for (const u of report.mostUsed)
    rows.push({
      section: 'most used',
      item: u.itemId,
      title: u.title,
      opens: u.opens,
      page_views: u.pageViews,
      dwell_s: Math.round(u.dwellMs / 1000),
      page: '',
      value: '',
    });
  for (const u of report.leastUsed)
    rows.push({
      section: 'least used',
      item: u.itemId,
      title: u.title,
      opens: u.opens,
      page_views: u.pageViews,
      dwell_s: Math.round(u.dwellMs / 1000),
      page: '',
      value: '',
    });
  for (const d of report.pages)
    for (const p of d.pages)
      rows.push({
        section: 'page dwell',
        item: d.itemId,
        title: d.title,
        opens: '',
        page_views: p.views,
        dwell_s: Math.round(p.averageDwellMs / 1000),
        page: p.page,
        value: `drop-off ${(p.dropOff * 100).toFixed(0)}%`,
      });
  for (const z of report.zeroResultSearches)
    rows.push({
      section: 'zero-result search',
      item: '',
      title: z.scope === 'kiosk' ? `${z.query} (kiosk)` : z.query,
      opens: '',
      page_views: '',
      dwell_s: '',
      page: '',
      value: `${z.count}× (last ${z.lastAt})`,
    });
  for (const n of report.neverOpened)
    rows.push({
      section: 'never opened',
      item: n.itemId,
      title: n.title,
      opens: 0,
      page_views: 0,
      dwell_s: 0,
      page: '',
      value: `since ${n.since}`,
    });
  return rows;
}

/** `pitchcase report`: usage for marketing, as a terminal table and optionally CSV. */
export async function runReport(options: {
  profileDir: string;
  csv?: string;
  json: boolean;
  from?: string;
  to?: string;
}): Promise<void> {
  const core = await createCore({ profileDir: options.profileDir, shell: 'browser', siteBaseUrl: 'http://127.0.0.1' });
  try {
    const report = await core.api.getUsageReport({
      ...(options.from ? { from: options.from } : {}),
      ...(options.to ? { to: options.to } : {}),
    });
    if (options.csv) writeFileSync(options.csv, stringify(reportRows(report), { header: true }));
    if (options.json) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
      return;
    }
    const out: string[] = [];
    const table = (title: string, header: string[], rows: string[][]) => {
      out.push(`\n${title}`);
      if (rows.length === 0) {
        out.push('  (none)');
        return;
      }
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
      const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`.trimEnd();
      out.push(line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line));
    };
    table(
      'Most used',
      ['item', 'opens', 'page views', 'time on pages'],
      report.mostUsed.map((u) => [u.title, String(u.opens), String(u.pageViews), seconds(u.dwellMs)]),
    );
    table(
      'Least used',
      ['item', 'opens', 'page views'],
      report.leastUsed.map((u) => [u.title, String(u.opens), String(u.pageViews)]),
    );
    for (const d of report.pages)
      table(
        `Pages of ${d.title}`,
        ['page', 'views', 'average time', 'drop-off'],
        d.pages.map((p) => [
          String(p.page),
          String(p.views),
          seconds(p.averageDwellMs),
          `${(p.dropOff * 100).toFixed(0)}%`,
        ]),
      );
    table(
      'Searches that found nothing',
      ['query', 'times', 'last'],
      report.zeroResultSearches.map((z) => [
        z.scope === 'kiosk' ? `${z.query} (kiosk)` : z.query,
        String(z.count),
        z.lastAt,
      ]),
    );
    table(
      'Never opened',
      ['item', 'since'],
      report.neverOpened.map((n) => [n.title, n.since]),
    );
    process.stdout.write(`${out.join('\n').trimStart()}\n${options.csv ? `\nCSV written to ${options.csv}\n` : ''}`);
  } finally {
    core.close();
  }
}
