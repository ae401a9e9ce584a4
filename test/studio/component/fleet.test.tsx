/**
 * The fleet's props-only dashboard table with fake data: figures formatted by their column's
 * kind, the CSV link for exactly this table, and a note instead of an empty table.
 */
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DashboardTable, formatMs } from '../../../renderer/studio/fleet/DashboardTable';
import type { Table } from '../../../renderer/studio/fleet/api';

const table: Table = {
  title: 'Content use by item',
  columns: [
    { key: 'title', label: 'Item' },
    { key: 'opens', label: 'Opens', kind: 'number' },
    { key: 'dwellMedianMs', label: 'Median dwell', kind: 'ms' },
  ],
  rows: [
    { title: 'Harbour brochure', opens: 1234, dwellMedianMs: 12_500 },
    { title: 'Price sheet', opens: 3, dwellMedianMs: null },
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
    ]);
    const link = within(region).getByRole('link', { name: 'Export CSV' });
    expect(link.getAttribute('href')).toBe('/api/fleet/dashboards/content?format=csv&table=usage');
    expect(link.hasAttribute('download')).toBe(true);
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
