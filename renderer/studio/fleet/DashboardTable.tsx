import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { cutText } from '#shared/contract/text';
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

/** A bar's name under the chart: at most 14 characters, an ellipsis where it was cut. */
export function barLabel(name: string): string {
  return name.length > 14 ? `${cutText(name, 13).trimEnd()}…` : name;
}

/**
 * The column a table's chart shows: the first figure after the first column, which names the
 * bars (an item, a day, a page number: a page number is a name there, not a figure).
 */
export function chartedFigure(table: Table): Column | undefined {
  return table.columns.slice(1).find((c) => c.kind === 'number' || c.kind === 'ms');
}

const WHOLE_STEPS = Array.from({ length: 10 }, (_, power) => [1, 2, 5].map((step) => step * 10 ** power)).flat();

/**
 * One chart (uPlot, bars of the first figure for the first rows, named by the first column)
 * drawn on a canvas. The table below holds the same numbers, so the chart is described by its
 * label, not read out.
 */
function BarChart({ table, label }: { table: Table; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  const nameColumn = table.columns[0]!;
  const figure = chartedFigure(table);
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
        // Bars stand on zero, so their heights compare (uPlot fits the axis to the data otherwise).
        scales: {
          x: { time: false, range: [-0.5, rows.length - 0.5] },
          y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.05 : 1] },
        },
        axes: [
          {
            grid: { show: false },
            values: (_u, splits) => splits.map((s) => (Number.isInteger(s) ? barLabel(names[s] ?? '') : '')),
          },
          {
            // Counts step by whole numbers (1, 2, 5, 10…), never 2.5 views.
            ...(figure.kind === 'number' ? { incrs: WHOLE_STEPS } : {}),
            values: (_u, splits) => splits.map((s) => (figure.kind === 'ms' ? formatMs(s) : s.toLocaleString())),
          },
        ],
        series: [
          {},
          {
            label: figure.label,
            // Studio's accent (--accent in renderer/styles/base.css): a canvas cannot read the variable.
            fill: 'rgba(10, 124, 116, 0.6)',
            stroke: 'rgb(10, 124, 116)',
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

/** A button on each row of a table, for the rows `applies` to (an item's page drop-off, say). */
export interface RowAction {
  /** The column's heading and the button's text. */
  label: string;
  /** What the button does for this row, read out in full (the button's accessible name). */
  describe(row: Table['rows'][number]): string;
  applies(row: Table['rows'][number]): boolean;
  onSelect(row: Table['rows'][number]): void;
}

/** A dashboard table with its chart and its CSV export; props only. */
export function DashboardTable({
  table,
  csvHref,
  chart = true,
  rowAction,
}: {
  table: Table;
  csvHref: string;
  chart?: boolean;
  rowAction?: RowAction | undefined;
}) {
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
                {rowAction && <th scope="col">{rowAction.label}</th>}
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
                  {rowAction && (
                    <td>
                      {rowAction.applies(row) && (
                        <button
                          type="button"
                          className="studio-link"
                          aria-label={rowAction.describe(row)}
                          onClick={() => rowAction.onSelect(row)}
                        >
                          {rowAction.label}
                        </button>
                      )}
                    </td>
                  )}
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
