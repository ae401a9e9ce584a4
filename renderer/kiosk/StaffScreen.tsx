/**
 * The staff screen behind the PIN: how many leads, how many still waiting for delivery (with a
 * warning when some near the retention limit), the last delivery, the event this kiosk stands
 * at, this booth's leads with their qualification and delivery, a CSV export to a USB drive or a
 * folder staff choose, changing the PIN, and "Lock", which returns the kiosk to its attract loop.
 */
import { useState } from 'react';
import type { KioskConfig, LeadListFilter } from '#shared/kiosk';
import { useClient } from '../data/ClientProvider';
import { useAction } from '../data/useAction';
import { describeError } from '../api/deadline';
import { DeliveryTargets } from '../sync/DeliveryTargetsCard';
import { FleetCard } from '../fleet/FleetCard';
import { IdleWarning } from './IdleWarning';
import { useBoothLeads, useExportFolders, useKioskSettings, useStaffCounts } from './queries';
import { StaffExport } from './StaffExport';
import { StaffLeads } from './StaffLeads';
import { dayLabel, lastDeliveryLine, nearLimitLine, pinProblem, savedLine } from './staff';
import { useIdle } from './useIdle';

export interface StaffScreenProps {
  config: KioskConfig;
  /** Lock the kiosk and go back to the attract loop. */
  onLock(): void;
}

type Note = { tone: 'ok' | 'error'; text: string } | null;

export function StaffScreen({ config, onLock }: StaffScreenProps) {
  const client = useClient();
  const stats = useStaffCounts();
  const [doneNote, setDoneNote] = useState<string | null>(null);
  const [changingPin, setChangingPin] = useState(false);
  const [pinNote, setPinNote] = useState<Note>(null);

  // Left unattended while unlocked, the kiosk locks itself and resets like a visit.
  const idle = useIdle({ timing: config, enabled: true, isBusy: () => false, onExpire: onLock });

  const [showDelivery, setShowDelivery] = useState(false);
  const [filter, setFilter] = useState<LeadListFilter>({});
  const leads = useBoothLeads(filter);
  const settings = useKioskSettings();
  // null: the export panel is closed; a number: the drives were looked for that many times.
  const [scan, setScan] = useState<number | null>(null);
  const folders = useExportFolders(scan);
  const exportAction = useAction((client, folder: string) => client.exportLeadsToFolder({ folder, filter }));
  const leaveAction = useAction((client, _: void) => client.setProfileKind({ kind: 'standard' }));
  const exporting = exportAction.pending;
  const leaving = leaveAction.pending;
  const failed = exportAction.error ?? leaveAction.error;
  const exportNote: Note = failed ? { tone: 'error', text: failed } : doneNote ? { tone: 'ok', text: doneNote } : null;

  const exportLeads = async (folder: string) => {
    setDoneNote(null);
    leaveAction.dismiss();
    const saved = await exportAction.run(folder);
    if (saved) {
      setDoneNote(savedLine(saved.count, saved.path));
      folders.refresh();
    }
  };
  const list = leads.status === 'ready' ? leads.data : null;
  const exportWhat = list
    ? `${list.leads.length} ${list.leads.length === 1 ? 'lead' : 'leads'}: ${dayLabel(list.day, list.today).toLowerCase()}${
        list.event === 'all' ? ', all events' : list.event.name ? `, ${list.event.name}` : ''
      }`
    : 'leads';

  const leaveKiosk = async () => {
    setDoneNote(null);
    exportAction.dismiss();
    // The desktop app restarts as the rep's app by itself; the browser host needs a restart.
    if (await leaveAction.run())
      setDoneNote("Kiosk mode is off. Pitchcase restarts as the rep's app (in a browser: restart it).");
  };

  return (
    // The page's main landmark while staff have the kiosk: it replaces the visitor's screens.
    <main className="staff-screen" data-testid="staff-screen">
      <header className="staff-screen__bar">
        <div>
          <h1 className="staff-screen__title">Staff</h1>
          <p className="staff-screen__subtitle">The kiosk is unlocked. Lock it before you leave the booth.</p>
        </div>
        <button type="button" className="kiosk-button kiosk-button--primary" data-testid="staff-lock" onClick={onLock}>
          Lock
        </button>
      </header>

      {stats.status === 'error' ? (
        <p className="staff-screen__note staff-screen__note--error" role="alert" data-testid="staff-stats-error">
          Could not read the lead counts: {stats.error.message}
        </p>
      ) : null}
      {stats.status === 'ready' && stats.data.stats.undeliveredNearLimit > 0 ? (
        <p className="staff-screen__warning" role="alert" data-testid="staff-retention-warning">
          {nearLimitLine(stats.data.stats.undeliveredNearLimit, stats.data.retentionDays)}
        </p>
      ) : null}

      <dl className="staff-stats" aria-busy={stats.status === 'loading'}>
        <Stat
          label="Leads"
          testId="staff-total"
          value={stats.status === 'ready' ? String(stats.data.stats.total) : '…'}
        />
        <Stat
          label="Not yet delivered"
          testId="staff-undelivered"
          value={stats.status === 'ready' ? String(stats.data.stats.undelivered) : '…'}
        />
        <Stat
          label="Last delivery"
          testId="staff-last-delivery"
          value={stats.status === 'ready' ? lastDeliveryLine(stats.data.stats.lastDeliveredAt) : '…'}
        />
      </dl>

      {settings.status === 'ready' ? (
        <StaffEvent
          name={settings.data.eventName}
          save={async (eventName) => {
            const next = await client.updateKioskSettings({ eventName });
            settings.replace(next);
            // The list follows the kiosk's event unless staff picked another.
            leads.refresh();
            return next.eventName;
          }}
        />
      ) : null}

      <section className="staff-screen__actions">
        <button
          type="button"
          className="kiosk-button kiosk-button--quiet"
          data-testid="staff-export"
          aria-expanded={scan !== null}
          onClick={() => {
            setDoneNote(null);
            exportAction.dismiss();
            setScan((n) => (n === null ? 0 : null));
          }}
        >
          Export leads (CSV)
        </button>
        <button
          type="button"
          className="kiosk-button kiosk-button--quiet"
          data-testid="staff-change-pin"
          aria-expanded={changingPin}
          onClick={() => {
            setChangingPin((open) => !open);
            setPinNote(null);
          }}
        >
          Change PIN
        </button>
        <button
          type="button"
          className="kiosk-button kiosk-button--quiet"
          data-testid="staff-delivery"
          aria-expanded={showDelivery}
          onClick={() => setShowDelivery((open) => !open)}
        >
          Where records go
        </button>
        <button
          type="button"
          className="kiosk-button kiosk-button--quiet"
          data-testid="staff-leave-kiosk"
          disabled={leaving}
          onClick={() => void leaveKiosk()}
        >
          {leaving ? 'Leaving…' : 'Leave kiosk mode'}
        </button>
      </section>
      {scan !== null ? (
        <StaffExport
          folders={
            folders.status === 'ready' ? folders.data : folders.status === 'error' ? { volumes: [], last: null } : null
          }
          what={exportWhat}
          pending={exporting}
          onExport={(folder) => void exportLeads(folder)}
          onRescan={() => setScan((n) => (n ?? 0) + 1)}
          onClose={() => setScan(null)}
        />
      ) : null}
      {exportNote ? (
        <p
          className={`staff-screen__note staff-screen__note--${exportNote.tone}`}
          role="status"
          data-testid="staff-export-result"
        >
          {exportNote.text}
        </p>
      ) : null}
      {/* Behind the PIN only: the core refuses these settings while the kiosk is locked. */}
      {showDelivery ? <DeliveryTargets /> : null}
      {/* The booth's connection to the company's Studio: enrolled here by staff, as a booth. */}
      <FleetCard />
      {changingPin ? (
        <ChangePin
          save={(pin, currentPin) => client.setKioskPin({ pin, currentPin })}
          onDone={(text) => {
            setChangingPin(false);
            setPinNote({ tone: 'ok', text });
          }}
        />
      ) : null}
      {pinNote ? (
        <p
          className={`staff-screen__note staff-screen__note--${pinNote.tone}`}
          role="status"
          data-testid="staff-pin-result"
        >
          {pinNote.text}
        </p>
      ) : null}
      {leads.status === 'error' ? (
        <p className="staff-screen__note staff-screen__note--error" role="alert" data-testid="staff-leads-error">
          Could not read the leads: {leads.error.message}{' '}
          <button type="button" className="kiosk-button kiosk-button--quiet" onClick={leads.retry}>
            Try again
          </button>
        </p>
      ) : list ? (
        <StaffLeads
          list={list}
          onFilter={setFilter}
          onQualify={async (q) => {
            const stored = await client.qualifyLead(q);
            leads.refresh();
            return stored;
          }}
        />
      ) : (
        <p className="staff-screen__note" role="status">
          Reading the leads…
        </p>
      )}
      {idle.state.phase === 'warning' ? (
        <IdleWarning secondsLeft={idle.state.secondsLeft} total={config.warningSeconds} onContinue={idle.stillHere} />
      ) : null}
    </main>
  );
}

/** The trade show this kiosk stands at: each lead is filed under it. */
function StaffEvent({ name, save }: { name: string | null; save(name: string | null): Promise<string | null> }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(name ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const saved = await save(draft.trim() === '' ? null : draft);
      setDraft(saved ?? '');
      setEditing(false);
    } catch (failure) {
      setError(describeError(failure).message);
    } finally {
      setBusy(false);
    }
  };
  if (!editing && name !== null)
    return (
      <section className="staff-event" data-testid="staff-event">
        <p className="staff-event__line">
          Event: <strong data-testid="staff-event-name">{name}</strong>
        </p>
        <button
          type="button"
          className="kiosk-button kiosk-button--quiet"
          data-testid="staff-event-change"
          onClick={() => setEditing(true)}
        >
          Change event
        </button>
      </section>
    );
  return (
    <form className="staff-event" data-testid="staff-event-form" onSubmit={(e) => void submit(e)} autoComplete="off">
      <label className="lead-field staff-event__field">
        <span className="lead-field__label">
          {name === null ? 'No event is set: name the trade show, and new leads are filed under it' : 'Event name'}
        </span>
        <input
          className="lead-input"
          type="text"
          maxLength={120}
          data-testid="staff-event-input"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
      </label>
      <button
        type="submit"
        className="kiosk-button kiosk-button--primary"
        data-testid="staff-event-save"
        disabled={busy}
      >
        {busy ? 'Saving…' : 'Save event'}
      </button>
      {name !== null ? (
        <button type="button" className="kiosk-button kiosk-button--quiet" onClick={() => setEditing(false)}>
          Cancel
        </button>
      ) : null}
      {error ? (
        <p className="staff-screen__note staff-screen__note--error" role="alert" data-testid="staff-event-error">
          {error}
        </p>
      ) : null}
    </form>
  );
}

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="staff-stat">
      <dt className="staff-stat__label">{label}</dt>
      <dd className="staff-stat__value" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

interface ChangePinProps {
  /** Replaces the PIN; the core refuses a wrong current one. */
  save(pin: string, currentPin: string): Promise<unknown>;
  onDone(message: string): void;
}

function ChangePin({ save, onDone }: ChangePinProps) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const problem = pinProblem(next);
    if (problem) return setError(`New PIN: ${problem.toLowerCase()}`);
    if (next !== again) return setError('The new PINs do not match');
    setBusy(true);
    setError(null);
    try {
      await save(next, current);
      onDone('The staff PIN was changed');
    } catch (failure) {
      setError(describeError(failure).message);
      setBusy(false);
    }
  };

  const field = (label: string, value: string, set: (value: string) => void, testId: string) => (
    <label className="lead-field">
      <span className="lead-field__label">{label}</span>
      <input
        className="lead-input"
        type="password"
        inputMode="numeric"
        autoComplete="off"
        maxLength={12}
        data-testid={testId}
        value={value}
        onChange={(event) => set(event.target.value.replace(/\D/g, ''))}
      />
    </label>
  );

  return (
    <form
      className="staff-pin-form"
      data-testid="staff-pin-form"
      onSubmit={(event) => void submit(event)}
      autoComplete="off"
    >
      {field('Current PIN', current, setCurrent, 'staff-pin-current')}
      {field('New PIN (4 to 12 digits)', next, setNext, 'staff-pin-new')}
      {field('New PIN again', again, setAgain, 'staff-pin-again')}
      {error ? (
        <p className="staff-screen__note staff-screen__note--error" role="alert" data-testid="staff-pin-error">
          {error}
        </p>
      ) : null}
      <button type="submit" className="kiosk-button kiosk-button--primary" data-testid="staff-pin-save" disabled={busy}>
        {busy ? 'Saving…' : 'Save PIN'}
      </button>
    </form>
  );
}
