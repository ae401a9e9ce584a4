/**
 * The staff screen behind the PIN: how many leads, how many still waiting for delivery (with a
 * warning when some near the retention limit), the last delivery, a CSV export to the profile's
 * exports folder, changing the PIN, and "Lock", which returns the kiosk to its attract loop.
 */
import { useState } from 'react';
import type { KioskConfig } from '#shared/kiosk';
import { useClient } from '../data/ClientProvider';
import { useAction } from '../data/useAction';
import { describeError } from '../api/deadline';
import { DeliveryTargets } from '../sync/DeliveryTargetsCard';
import { FleetCard } from '../fleet/FleetCard';
import { IdleWarning } from './IdleWarning';
import { useStaffCounts } from './queries';
import { lastDeliveryLine, nearLimitLine, pinProblem, savedLine } from './staff';
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
  const exportAction = useAction((client, _: void) => client.exportLeadsToFile({}));
  const leaveAction = useAction((client, _: void) => client.setProfileKind({ kind: 'standard' }));
  const exporting = exportAction.pending;
  const leaving = leaveAction.pending;
  const failed = exportAction.error ?? leaveAction.error;
  const exportNote: Note = failed ? { tone: 'error', text: failed } : doneNote ? { tone: 'ok', text: doneNote } : null;

  const exportLeads = async () => {
    setDoneNote(null);
    leaveAction.dismiss();
    const saved = await exportAction.run();
    if (saved) setDoneNote(savedLine(saved.count, saved.path));
  };

  const leaveKiosk = async () => {
    setDoneNote(null);
    exportAction.dismiss();
    // The desktop app restarts as the rep's app by itself; the browser host needs a restart.
    if (await leaveAction.run())
      setDoneNote("Kiosk mode is off. Pitchcase restarts as the rep's app (in a browser: restart it).");
  };

  return (
    <div className="staff-screen" data-testid="staff-screen">
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

      <section className="staff-screen__actions">
        <button
          type="button"
          className="kiosk-button kiosk-button--quiet"
          data-testid="staff-export"
          disabled={exporting}
          onClick={() => void exportLeads()}
        >
          {exporting ? 'Exporting…' : 'Export leads (CSV)'}
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
      {idle.state.phase === 'warning' ? (
        <IdleWarning secondsLeft={idle.state.secondsLeft} total={config.warningSeconds} onContinue={idle.stillHere} />
      ) : null}
    </div>
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
