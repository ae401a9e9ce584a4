/**
 * The staff PIN pad: big digit buttons and a masked entry. Unlocks with the PIN. It never sets
 * one: a kiosk without a PIN shows "set up by staff" instead (SetUpByStaff). Wrong PINs are
 * counted by the core, which locks the pad for a while after too many; the pad counts that down.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { KioskUnlock } from '#shared/kiosk';
import { describeError } from '../api/deadline';
import { addDigit, lockedLine, pinProblem, secondsUntil } from './staff';

export interface StaffPadProps {
  /** Tries the PIN; the core counts wrong ones and says how long the pad stays locked. */
  unlock(pin: string): Promise<KioskUnlock>;
  onUnlocked(): void;
  onCancel(): void;
}

export function StaffPad({ unlock, onUnlocked, onCancel }: StaffPadProps) {
  const [pin, setPin] = useState('');
  const [message, setMessage] = useState<{ tone: 'info' | 'error'; text: string } | null>(null);
  const [lockedUntil, setLockedUntil] = useState<number | null>(null);
  const [secondsLeft, setSecondsLeft] = useState(0);
  const [busy, setBusy] = useState(false);
  const live = useRef(true);
  const dialog = useRef<HTMLDivElement>(null);

  useEffect(() => {
    live.current = true;
    dialog.current?.focus({ preventScroll: true });
    return () => {
      live.current = false;
    };
  }, []);

  // The lock's countdown, one tick a second (Playwright's clock drives it in the tests).
  useEffect(() => {
    if (lockedUntil === null) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = () => {
      const now = Date.now();
      const left = secondsUntil(lockedUntil, now);
      setSecondsLeft(left);
      if (left === 0) {
        setLockedUntil(null);
        setMessage(null);
        return;
      }
      timer = setTimeout(tick, (lockedUntil - now) % 1000 || 1000);
    };
    tick();
    return () => clearTimeout(timer);
  }, [lockedUntil]);

  const locked = lockedUntil !== null;
  const lock = (seconds: number) => {
    setLockedUntil(Date.now() + seconds * 1000);
    setSecondsLeft(seconds);
  };

  const submit = useCallback(async () => {
    if (busy || locked) return;
    const problem = pinProblem(pin);
    if (problem) {
      setMessage({ tone: 'error', text: problem });
      return;
    }
    setPin('');
    setBusy(true);
    try {
      const result = await unlock(pin);
      if (!live.current) return;
      if (result.unlocked) {
        onUnlocked();
        return;
      }
      if (result.reason === 'no-pin') {
        setMessage({
          tone: 'error',
          text: 'No staff PIN is set on this kiosk: staff set one with pitchcase kiosk pin',
        });
      } else if (result.reason === 'locked' || result.retryInSeconds > 0) {
        setMessage({ tone: 'error', text: 'Too many tries' });
        lock(Math.max(1, result.retryInSeconds));
      } else {
        setMessage({ tone: 'error', text: 'Wrong PIN' });
      }
    } catch (error) {
      if (live.current) setMessage({ tone: 'error', text: describeError(error).message });
    } finally {
      if (live.current) setBusy(false);
    }
  }, [busy, locked, onUnlocked, pin, unlock]);

  const press = (digit: string) => {
    if (locked || busy) return;
    setPin((current) => addDigit(current, digit));
  };
  const erase = () => setPin((current) => current.slice(0, -1));

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (/^\d$/.test(event.key)) press(event.key);
    else if (event.key === 'Backspace') erase();
    else if (event.key === 'Enter') void submit();
    else if (event.key === 'Escape') onCancel();
    else return;
    event.preventDefault();
  };

  const shown = locked ? lockedLine(secondsLeft) : message?.text;
  return (
    <div className="staff-pad-backdrop" data-testid="staff-pad">
      <div
        ref={dialog}
        className="staff-pad"
        role="dialog"
        aria-modal="true"
        aria-labelledby="staff-pad-title"
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <h2 id="staff-pad-title" className="staff-pad__title" data-testid="staff-pad-title">
          Staff PIN
        </h2>
        <div
          className="staff-pad__dots"
          data-testid="staff-pin-dots"
          data-length={pin.length}
          aria-label={`${pin.length} digits entered`}
        >
          {pin.length === 0 ? <span className="staff-pad__placeholder">Enter PIN</span> : '•'.repeat(pin.length)}
        </div>
        <p
          className={`staff-pad__message${locked || message?.tone === 'error' ? ' staff-pad__message--error' : ''}`}
          data-testid="staff-pad-message"
          role="status"
          aria-live="polite"
        >
          {shown ?? '\u00a0'}
        </p>
        <div className="staff-pad__keys">
          {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((digit) => (
            <button
              key={digit}
              type="button"
              className="staff-pad__key"
              data-testid={`pin-key-${digit}`}
              disabled={locked || busy}
              onClick={() => press(digit)}
            >
              {digit}
            </button>
          ))}
          <button
            type="button"
            className="staff-pad__key staff-pad__key--small"
            data-testid="pin-erase"
            aria-label="Delete last digit"
            onClick={erase}
          >
            ⌫
          </button>
          <button
            type="button"
            className="staff-pad__key"
            data-testid="pin-key-0"
            disabled={locked || busy}
            onClick={() => press('0')}
          >
            0
          </button>
          <button
            type="button"
            className="staff-pad__key staff-pad__key--ok"
            data-testid="pin-ok"
            disabled={locked || busy || pin.length === 0}
            onClick={() => void submit()}
          >
            OK
          </button>
        </div>
        <button
          type="button"
          className="kiosk-button kiosk-button--quiet staff-pad__cancel"
          data-testid="staff-pad-cancel"
          onClick={onCancel}
        >
          Cancel
        </button>
      </div>
    </div>
  );
}
