import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Cell, Column, Table } from './api.ts';

/** A duration as people read it on a dashboard. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

function formatCell(value: Cell, column: Column): string {
  if (value === null || value === '') return '—';
  if (column.kind === 'ms') return formatMs(Number(value));
  if (column.kind === 'number') return Number(value).toLocaleString();
  if (column.kind === 'date' && typeof value === 'string' && value.length > 10)
    return new Date(value).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return String(value);
}

/**
 * One chart (uPlot, bars of the first figure for the first rows) drawn on a canvas. The table
 * below holds the same numbers, so the chart is described by its label, not read out.
 */
function BarChart({ table, label }: { table: Table; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  const figure = table.columns.find((c) => c.kind === 'number' || c.kind === 'ms');
  const nameColumn = table.columns[0]!;
  const rows = table.rows.slice(0, 25);
  useEffect(() => {
    if (!host.current || !figure || rows.length === 0) return;
    const xs = rows.map((_, i) => i);
    const ys = rows.map((r) => Number(r[figure.key] ?? 0));
    const names = rows.map((r) => String(r[nameColumn.key] ?? ''));
    const plot = new uPlot(
      {
        width: Math.max(320, host.current.clientWidth),
        height: 220,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false, range: [-0.5, rows.length - 0.5] } },
        axes: [
          { values: (_u, splits) => splits.map((s) => (Number.isInteger(s) ? (names[s]?.slice(0, 14) ?? '') : '')) },
          { values: (_u, splits) => splits.map((s) => (figure.kind === 'ms' ? formatMs(s) : s.toLocaleString())) },
        ],
        series: [
          {},
          {
            label: figure.label,
            fill: 'rgba(37, 99, 235, 0.55)',
            stroke: 'rgb(37, 99, 235)',
            paths: uPlot.paths.bars!({ size: [0.7, 48] }),
            points: { show: false },
          },
        ],
      },
      [xs, ys],
      host.current,
    );
    return () => plot.destroy();
  }, [figure, nameColumn.key, rows]);
  if (!figure || rows.length === 0) return null;
  return (
    <div
      className="fleet-chart"
      ref={host}
      role="img"
      aria-label={`${label}: ${figure.label} for the first ${rows.length} rows (the table below has every figure)`}
    />
  );
}

/** A dashboard table with its chart and its CSV export; props only. */
export function DashboardTable({ table, csvHref, chart = true }: { table: Table; csvHref: string; chart?: boolean }) {
  return (
    <section className="fleet-panel" aria-label={table.title}>
      <div className="studio-section__head">
        <h3>{table.title}</h3>
        <a className="button" href={csvHref} download>
          Export CSV
        </a>
      </div>
      {chart && <BarChart table={table} label={table.title} />}
      {table.rows.length === 0 ? (
        <p className="studio-muted">Nothing recorded yet.</p>
      ) : (
        <div className="fleet-scroll">
          <table className="studio-table">
            <thead>
              <tr>
                {table.columns.map((c) => (
                  <th
                    key={c.key}
                    scope="col"
                    className={c.kind === 'number' || c.kind === 'ms' ? 'fleet-num' : undefined}
                  >
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.slice(0, 500).map((row, i) => (
                <tr key={i}>
                  {table.columns.map((c) => (
                    <td key={c.key} className={c.kind === 'number' || c.kind === 'ms' ? 'fleet-num' : undefined}>
                      {formatCell(row[c.key] ?? null, c)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {table.rows.length > 500 && (
            <p className="studio-muted">The first 500 of {table.rows.length} rows; the CSV has them all.</p>
          )}
        </div>
      )}
    </section>
  );
}
