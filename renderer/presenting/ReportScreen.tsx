/**
 * The usage report for the rep: which items are used most and least, how long each page of a
 * deck holds attention and where people stop, searches that found nothing, items never opened.
 */
import { useId, useState } from 'react';
import type { PageUsage, UsageReport } from '#shared/presenting';
import { StateMessage } from '../ui/StateMessage';
import { PresentingScreen } from './PresentingScreen';
import { useUsageReport } from './queries';
import { pageChart, percent } from './report';
import { formatDwell } from './wrap-up';

export function ReportScreen({ onBack }: { onBack(): void }) {
  const state = useUsageReport();
  const [deck, setDeck] = useState<string | null>(null);
  const selectId = useId();

  const report = state.data ?? null;
  const chosen = report?.pages.find((p) => p.itemId === deck) ?? report?.pages[0] ?? null;

  return (
    <PresentingScreen
      label="Usage report"
      testId="usage-report"
      title="Usage report"
      subtitle="What is shown in meetings, from the activity on this device."
      onBack={onBack}
    >
      {/* The report is read, not operated: the region itself takes focus so the keyboard can scroll it. */}
      <div className="presenting-screen__content report" tabIndex={0} role="region" aria-label="Usage figures">
        {state.status === 'loading' ? <div className="skeleton skeleton--card" /> : null}
        {state.status === 'error' ? (
          <StateMessage tone="error" title="The report could not be loaded" onRetry={state.retry}>
            {state.error.message}
          </StateMessage>
        ) : null}
        {report ? (
          <>
            <section className="report__card" data-testid="report-most-used">
              <h2>Most used</h2>
              <UsageTable rows={report.mostUsed} empty="Nothing has been opened yet." />
            </section>
            <section className="report__card" data-testid="report-least-used">
              <h2>Least used</h2>
              <UsageTable rows={report.leastUsed} empty="No items in the library." />
            </section>
            <section className="report__card report__card--wide" data-testid="report-pages">
              <div className="report__card-head">
                <h2>Time per page and drop-off</h2>
                {report.pages.length > 0 ? (
                  <label className="field field--inline" htmlFor={selectId}>
                    <span className="field__label">Deck</span>
                    <select
                      id={selectId}
                      className="field__input"
                      value={chosen?.itemId ?? ''}
                      onChange={(e) => setDeck(e.target.value)}
                      data-testid="report-deck"
                    >
                      {report.pages.map((p) => (
                        <option key={p.itemId} value={p.itemId}>
                          {p.title}
                        </option>
                      ))}
                    </select>
                  </label>
                ) : null}
              </div>
              {chosen ? (
                <PageChart title={chosen.title} pages={chosen.pages} />
              ) : (
                <p className="muted">No page views yet. Present a deck and its pages appear here.</p>
              )}
            </section>
            <section className="report__card" data-testid="report-zero-results">
              <h2>Searches that found nothing</h2>
              {report.zeroResultSearches.length === 0 ? <p className="muted">None.</p> : null}
              <ul className="report__list">
                {report.zeroResultSearches.map((s) => (
                  <li key={`${s.scope}:${s.query}`} data-scope={s.scope}>
                    <span>“{s.query}”</span>{' '}
                    <span className="muted">
                      ×{s.count}
                      {s.scope === 'kiosk' ? ' · kiosk' : ''}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
            <section className="report__card" data-testid="report-never-opened">
              <h2>Never opened</h2>
              {report.neverOpened.length === 0 ? <p className="muted">Every item has been opened.</p> : null}
              <ul className="report__list">
                {report.neverOpened.map((i) => (
                  <li key={i.itemId}>{i.title}</li>
                ))}
              </ul>
            </section>
          </>
        ) : null}
      </div>
    </PresentingScreen>
  );
}

function UsageTable({ rows, empty }: { rows: UsageReport['mostUsed']; empty: string }) {
  if (rows.length === 0) return <p className="muted">{empty}</p>;
  return (
    <table className="report__table">
      <thead>
        <tr>
          <th scope="col">Item</th>
          <th scope="col">Opened</th>
          <th scope="col">Page views</th>
          <th scope="col">Time</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.itemId} data-item-id={row.itemId}>
            <td>{row.title}</td>
            <td>{row.opens}</td>
            <td>{row.pageViews}</td>
            <td>{formatDwell(row.dwellMs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PageChart({ title, pages }: { title: string; pages: PageUsage[] }) {
  const width = Math.max(320, pages.length * 56);
  const layout = pageChart(pages, { width, height: 220 });
  return (
    <figure className="report__chart">
      <svg
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        width="100%"
        height={layout.height}
        role="img"
        aria-label={`Average time and drop-off per page of ${title}`}
        data-testid="page-chart"
      >
        <line x1={0} x2={layout.width} y1={layout.baseline} y2={layout.baseline} className="chart__axis" />
        {layout.bars.map((bar) => (
          <g key={bar.page} data-testid="page-bar" data-page={bar.page}>
            <title>{bar.label}</title>
            <rect x={bar.x} y={bar.y} width={bar.width} height={bar.height} rx={3} className="chart__dwell" />
            <rect
              x={bar.x + bar.width + 2}
              y={bar.dropY}
              width={bar.width}
              height={bar.dropHeight}
              rx={3}
              className="chart__drop"
            />
            <text x={bar.x + bar.width + 1} y={layout.baseline + 18} textAnchor="middle" className="chart__label">
              {bar.page}
            </text>
          </g>
        ))}
      </svg>
      <figcaption className="chart__legend">
        <span className="chart__key chart__key--dwell" /> average time on page (longest {formatDwell(layout.maxDwellMs)}
        )
        <span className="chart__key chart__key--drop" /> drop-off (share of openings that never reached the page)
      </figcaption>
      <table className="visually-hidden">
        <tbody>
          {pages.map((p) => (
            <tr key={p.page}>
              <td>Page {p.page}</td>
              <td>{p.views} views</td>
              <td>{formatDwell(p.averageDwellMs)}</td>
              <td>{percent(p.dropOff)} drop-off</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
