/**
 * Turns this device into a trade-show kiosk from the rep's settings. A staff PIN is needed to
 * leave kiosk mode again, so one is asked for here when none is set; the app starts again as a
 * kiosk (the browser host has to be restarted by hand).
 */
import { useState } from 'react';
import { describeError } from '../api/deadline';

export interface KioskModeCardProps {
  /** Switches the profile to a kiosk from the next start; rejects with the core's reason. */
  switchToKiosk(pin: string | null): Promise<unknown>;
}

export function KioskModeCard({ switchToKiosk }: KioskModeCardProps) {
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);

  const enter = async () => {
    setBusy(true);
    setNote(null);
    try {
      await switchToKiosk(pin || null);
      setNote({
        tone: 'ok',
        text: 'Kiosk mode is on from the next start. Pitchcase restarts as a kiosk (in a browser: restart it).',
      });
    } catch (error) {
      setNote({ tone: 'error', text: describeError(error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="sync-card" aria-labelledby="kiosk-mode-heading" data-testid="kiosk-mode">
      <h2 className="sync-card__heading" id="kiosk-mode-heading">
        Trade-show kiosk
      </h2>
      <p className="sync-card__intro">
        Locks this device into a full-screen kiosk for a booth: only kiosk items, an attract loop, lead capture. Staff
        leave it with the PIN.
      </p>
      <label className="sync-field">
        <span className="sync-field__label">Staff PIN (4–12 digits; needed if none is set yet)</span>
        <input
          className="sync-input"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          value={pin}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 12))}
          data-testid="kiosk-mode-pin"
        />
      </label>
      <button
        type="button"
        className="button button--secondary"
        disabled={busy}
        onClick={() => void enter()}
        data-testid="kiosk-mode-enter"
      >
        {busy ? 'Switching…' : 'Switch this device to kiosk mode'}
      </button>
      {note ? (
        <p
          className={note.tone === 'error' ? 'sync-inline-error' : 'sync-card__intro'}
          role={note.tone === 'error' ? 'alert' : 'status'}
          data-testid="kiosk-mode-result"
        >
          {note.text}
        </p>
      ) : null}
    </section>
  );
}
