/**
 * The fleet's props-only dashboard table with fake data: figures formatted by their column's
 * kind, the CSV link for exactly this table, a note instead of an empty table, a row's own
 * button (an item's page drop-off), and the chart's cut names.
 */
import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { barLabel, chartedFigure, DashboardTable, formatMs } from '../../../renderer/studio/fleet/DashboardTable';
import type { Table } from '../../../renderer/studio/fleet/api';

const table: Table = {
  title: 'Content use by item',
  columns: [
    { key: 'title', label: 'Item' },
    { key: 'opens', label: 'Opens', kind: 'number' },
    { key: 'dwellMedianMs', label: 'Median dwell', kind: 'ms' },
  ],
  rows: [
    { key: 'harbour', title: 'Harbour brochure', opens: 1234, dwellMedianMs: 12_500 },
    { key: 'price', title: 'Price sheet', opens: 3, dwellMedianMs: null },
    { key: '(none)', title: '(none)', opens: 2, dwellMedianMs: null },
  ],
};

describe('DashboardTable', () => {
  it('shows each row with figures formatted by their column, and exports this table as CSV', () => {
    render(
      <DashboardTable table={table} chart={false} csvHref="/api/fleet/dashboards/content?format=csv&table=usage" />,
    );
    const region = screen.getByRole('region', { name: 'Content use by item' });
    const rows = within(region).getAllByRole('row');
    expect(rows.map((r) => r.textContent)).toEqual([
      'ItemOpensMedian dwell',
      `Harbour brochure${(1234).toLocaleString()}12.5 s`,
      'Price sheet3—',
      '(none)2—',
    ]);
    const link = within(region).getByRole('link', { name: 'Export CSV' });
    expect(link.getAttribute('href')).toBe('/api/fleet/dashboards/content?format=csv&table=usage');
    expect(link.hasAttribute('download')).toBe(true);
  });

  it('gives each row it applies to a button of its own, named for that row', () => {
    const picked: unknown[] = [];
    render(
      <DashboardTable
        table={table}
        chart={false}
        csvHref="/x"
        rowAction={{
          label: 'Pages',
          describe: (row) => `Pages of ${String(row.title)}`,
          applies: (row) => row.key !== '(none)',
          onSelect: (row) => picked.push(row.key),
        }}
      />,
    );
    const region = screen.getByRole('region', { name: 'Content use by item' });
    expect(
      within(region)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Item', 'Opens', 'Median dwell', 'Pages']);
    expect(
      within(region)
        .getAllByRole('button')
        .map((b) => b.getAttribute('aria-label')),
    ).toEqual(['Pages of Harbour brochure', 'Pages of Price sheet']);
    fireEvent.click(within(region).getByRole('button', { name: 'Pages of Price sheet' }));
    expect(picked).toEqual(['price']);
  });

  it('charts the first figure after the column that names the bars, a page number included', () => {
    expect(chartedFigure(table)?.key).toBe('opens');
    const pages: Table = {
      title: 'Page drop-off: Harbour brochure',
      columns: [
        { key: 'page', label: 'Page', kind: 'number' },
        { key: 'views', label: 'Views', kind: 'number' },
      ],
      rows: [{ page: 1, views: 12 }],
    };
    expect(chartedFigure(pages)?.key).toBe('views');
    expect(chartedFigure({ ...pages, columns: [{ key: 'state', label: 'State' }] })).toBeUndefined();
  });

  it("cuts a bar's name under the chart with an ellipsis, never inside a character", () => {
    expect(barLabel('Price list 2026')).toBe('Price list 20…');
    expect(barLabel('Service plan (three years)')).toBe('Service plan…');
    expect(barLabel('FlowSense')).toBe('FlowSense');
    expect(barLabel('Harbour 1234😀xy')).toBe('Harbour 1234…');
  });

  it('says so when nothing was recorded', () => {
    render(<DashboardTable table={{ ...table, rows: [] }} chart={false} csvHref="/x" />);
    expect(screen.getByText('Nothing recorded yet.')).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('formats durations as people read them', () => {
    expect([formatMs(450), formatMs(12_500), formatMs(600_000), formatMs(5_400_000)]).toEqual([
      '450 ms',
      '12.5 s',
      '10 min',
      '1.5 h',
    ]);
  });
});
