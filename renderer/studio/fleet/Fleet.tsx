import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { Role } from '../api.ts';
import { formatWhen } from '../format.ts';
import { DashboardTable, type RowAction } from './DashboardTable.tsx';
import { Devices } from './Devices.tsx';
import { Forwarding } from './Forwarding.tsx';
import { Suggestions } from './Suggestions.tsx';
import { dashboardUrl, fleetApi, type Dashboard, type DashboardName, type FilterChoices } from './api.ts';

type View = 'content' | 'search-gaps' | 'readiness' | 'team' | 'booths' | 'devices' | 'forwarding';

const labels: Record<View, string> = {
  content: 'Content',
  'search-gaps': 'Search gaps',
  readiness: 'Readiness',
  team: 'My team',
  booths: 'Booths',
  devices: 'Devices',
  forwarding: 'Forwarding',
};

/** What each role may open; the server checks the same (main/studio/access.ts). */
function viewsFor(role: Role): View[] {
  const views: View[] = ['content', 'search-gaps', 'readiness'];
  if (role === 'admin' || role === 'manager') views.push('team');
  if (role === 'admin' || role === 'editor' || role === 'manager') views.push('booths');
  if (role === 'admin' || role === 'manager') views.push('devices');
  if (role === 'admin') views.push('forwarding');
  return views;
}

/** Dashboards refresh on their own, so what is on screen is never more than a minute old. */
const REFRESH_MS = 30_000;

/** One dashboard's answer for the choices on screen, asked again every REFRESH_MS; exported for its test. */
export function useDashboard(name: DashboardName, args: Record<string, string | undefined>) {
  const [data, setData] = useState<Dashboard | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify([name, args]);
  // The request on screen now: an answer to an earlier one (grouped by team, say, arriving after
  // the switch back to items) is dropped, never shown under the new choice.
  const current = useRef(key);
  current.current = key;
  const load = useCallback(async () => {
    const asked = key;
    try {
      const answer = await fleetApi.dashboard(name, args);
      if (current.current !== asked) return;
      setData(answer);
      setError(null);
    } catch (e) {
      if (current.current === asked) setError((e as Error).message);
    }
    // `key` stands for name and args: a new object with the same values is the same dashboard.
  }, [key]);
  useEffect(() => {
    // What was shown for other choices goes at once; "Loading…" until this one's answer.
    setData(null);
    setError(null);
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);
  return { data, error, reload: load };
}

/**
 * Tables drawn without a chart: a row there is named by more than its first column (an account
 * and an outcome, an event and booth and day or item, a release and an app version), so bars named by that
 * column would repeat names; or a list with no figure to compare (devices not ready, unused items).
 */
const UNCHARTED: Partial<Record<DashboardName, readonly string[]>> = {
  readiness: ['versions', 'notReady'],
  team: ['accounts'],
  booths: ['leads', 'viewed'],
  unused: ['unused'],
};

function DashboardView({
  name,
  args,
  rowAction,
}: {
  name: DashboardName;
  args: Record<string, string | undefined>;
  rowAction?: RowAction | undefined;
}) {
  const { data, error, reload } = useDashboard(name, args);
  return (
    <div className="fleet-view" aria-busy={!data && !error}>
      <p className="studio-muted fleet-updated">
        {data ? `Updated ${formatWhen(data.generatedAt)}` : 'Loading…'}
        {data?.currentRelease !== undefined && ` · current release ${data.currentRelease ?? 'none published'}`}{' '}
        <button type="button" className="studio-link" onClick={() => void reload()}>
          Refresh
        </button>
      </p>
      {error && (
        <p role="alert" className="studio-error">
          {error}
        </p>
      )}
      {data &&
        Object.entries(data.tables).map(([key, table]) => (
          <DashboardTable
            key={key}
            table={table}
            chart={!UNCHARTED[name]?.includes(key)}
            rowAction={rowAction}
            csvHref={dashboardUrl(name, { ...args, format: 'csv', table: key })}
          />
        ))}
    </div>
  );
}

interface Filters {
  from?: string;
  to?: string;
  team?: string;
  region?: string;
  rep?: string;
  release?: string;
}

function FilterBar({
  filters,
  onChange,
  manager,
  choices,
}: {
  filters: Filters;
  onChange(f: Filters): void;
  manager: boolean;
  /** Suggested while typing a team, region or rep (a filter matches the name exactly). */
  choices: FilterChoices;
}) {
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (k: string) => String(form.get(k) ?? '').trim() || undefined;
    onChange({
      from: value('from'),
      to: value('to'),
      team: manager ? undefined : value('team'),
      region: value('region'),
      rep: value('rep'),
      release: value('release'),
    });
  };
  return (
    <form className="fleet-filters" onSubmit={submit} aria-label="Filters">
      <label>
        From
        <input type="date" name="from" defaultValue={filters.from} />
      </label>
      <label>
        To
        <input type="date" name="to" defaultValue={filters.to} />
      </label>
      {!manager && (
        <label>
          Team
          <input name="team" list="fleet-teams" defaultValue={filters.team} />
        </label>
      )}
      <label>
        Region
        <input name="region" list="fleet-regions" defaultValue={filters.region} />
      </label>
      <Suggestions id="fleet-teams" values={choices.teams} />
      <Suggestions id="fleet-regions" values={choices.regions} />
      <Suggestions id="fleet-reps" values={choices.reps} />
      <label>
        Rep (e-mail)
        <input name="rep" type="email" list="fleet-reps" defaultValue={filters.rep} />
      </label>
      <label>
        Release
        <input name="release" inputMode="numeric" pattern="[0-9]*" defaultValue={filters.release} />
      </label>
      <button type="submit" className="button">
        Apply
      </button>
    </form>
  );
}

function ContentView({ filters }: { filters: Filters }) {
  const [groupBy, setGroupBy] = useState('item');
  // The item whose pages are shown, picked from its row in the table by item.
  const [item, setItem] = useState<{ id: string; title: string } | null>(null);
  const [days, setDays] = useState('90');
  const pages = useRef<HTMLDivElement>(null);
  // The row's button that opened the drop-off: the focus goes back to it when it closes.
  const opener = useRef<HTMLElement | null>(null);
  useEffect(() => {
    // The drop-off opens below a table that may be hundreds of rows long: bring it (and the
    // keyboard's focus) to it.
    if (item) pages.current?.focus();
  }, [item]);
  const openPages: RowAction = {
    label: 'Pages',
    describe: (row) => `Pages of ${String(row.title)}`,
    applies: (row) => typeof row.key === 'string' && row.key !== '(none)',
    onSelect: (row) => {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      setItem({ id: String(row.key), title: String(row.title) });
    },
  };
  const closePages = () => {
    setItem(null);
    if (opener.current?.isConnected) opener.current.focus();
  };
  return (
    <>
      <label className="fleet-inline">
        Group by{' '}
        <select
          value={groupBy}
          onChange={(e) => {
            setGroupBy(e.target.value);
            // The drop-off belongs to the table by item.
            if (e.target.value !== 'item') setItem(null);
          }}
        >
          <option value="item">Item</option>
          <option value="team">Team</option>
          <option value="region">Region</option>
          <option value="rep">Rep</option>
          <option value="release">Release</option>
          <option value="day">Day</option>
        </select>
      </label>
      {groupBy !== 'item' && <p className="studio-muted">Group by item to see an item’s page drop-off.</p>}
      <DashboardView
        name="content"
        args={{ ...filters, groupBy }}
        rowAction={groupBy === 'item' ? openPages : undefined}
      />
      {item && (
        // Focused when it opens; the table inside is the region, named "Page drop-off: <title>".
        <div ref={pages} tabIndex={-1} className="fleet-pages" data-testid="page-drop-off">
          <DashboardView name="pages" args={{ ...filters, item: item.id }} />
          <button type="button" className="studio-link" onClick={closePages}>
            Close the page drop-off
          </button>
        </div>
      )}
      <label className="fleet-inline">
        Retirement candidates: unused for{' '}
        <select value={days} onChange={(e) => setDays(e.target.value)}>
          {['30', '60', '90', '180', '365'].map((d) => (
            <option key={d} value={d}>
              {d} days
            </option>
          ))}
        </select>
      </label>
      <DashboardView name="unused" args={{ days }} />
    </>
  );
}

/** The fleet section of Studio: what happened on the devices, and the devices themselves. */
export function Fleet({ role }: { role: Role }) {
  const views = viewsFor(role);
  const [view, setView] = useState<View>(role === 'manager' ? 'team' : 'content');
  const [filters, setFilters] = useState<Filters>({});
  const [choices, setChoices] = useState<FilterChoices>({ teams: [], regions: [], reps: [] });
  useEffect(() => {
    // Asked again on each view (devices enrol meanwhile). Only suggestions: without them the
    // filters still take any name.
    fleetApi.choices().then(setChoices, () => undefined);
  }, [view]);
  const manager = role === 'manager';
  return (
    <section className="studio-section" aria-labelledby="fleet-title">
      <div className="studio-section__head">
        <h2 id="fleet-title">Fleet</h2>
        <nav className="studio-tabs" aria-label="Fleet views">
          {views.map((v) => (
            <button
              key={v}
              type="button"
              className="studio-tab"
              aria-current={view === v ? 'page' : undefined}
              onClick={() => setView(v)}
            >
              {labels[v]}
            </button>
          ))}
        </nav>
      </div>
      {manager && <p className="studio-muted">You see your own team only.</p>}
      {view !== 'devices' && view !== 'readiness' && view !== 'forwarding' && (
        <FilterBar filters={filters} onChange={setFilters} manager={manager} choices={choices} />
      )}
      {view === 'content' && <ContentView filters={filters} />}
      {view === 'search-gaps' && <DashboardView name="search-gaps" args={{ ...filters }} />}
      {view === 'readiness' && <DashboardView name="readiness" args={{}} />}
      {view === 'team' && (
        <>
          <DashboardView name="team" args={{ ...filters }} />
          <DashboardView name="readiness" args={{}} />
        </>
      )}
      {view === 'booths' && <DashboardView name="booths" args={{ ...filters }} />}
      {view === 'devices' && <Devices role={role} />}
      {view === 'forwarding' && <Forwarding />}
    </section>
  );
}
