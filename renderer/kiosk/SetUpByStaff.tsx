/**
 * A kiosk without a staff PIN shows this and nothing else: no attract loop, no visitor screens,
 * no PIN pad. Whoever stands at the kiosk may be a visitor, so the PIN is never set here; staff
 * set it on the computer (`pitchcase kiosk pin`) or when switching the rep's app to kiosk mode.
 */
import { useState } from 'react';

export function SetUpByStaff({ onCheck }: { onCheck(): Promise<boolean> }) {
  const [checking, setChecking] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const check = () => {
    setChecking(true);
    setMessage(null);
    onCheck()
      .then(
        (set) => setMessage(set ? 'Staff PIN set: opening the kiosk' : 'Still no staff PIN on this kiosk'),
        () => setMessage('Could not check: try again'),
      )
      .finally(() => setChecking(false));
  };
  return (
    <div className="kiosk-setup" data-testid="kiosk-setup" role="status">
      <h1 className="kiosk-setup__title">Set up by staff</h1>
      <p className="kiosk-setup__detail">This kiosk has no staff PIN yet, so it cannot be used.</p>
      <p className="kiosk-setup__detail">
        Staff: on this computer, run <code>pitchcase kiosk pin --profile &lt;profile folder&gt;</code>, then tap Check
        again.
      </p>
      <button
        type="button"
        className="kiosk-button kiosk-button--primary"
        data-testid="kiosk-setup-check"
        disabled={checking}
        onClick={check}
      >
        Check again
      </button>
      <p className="kiosk-setup__detail" data-testid="kiosk-setup-message" aria-live="polite">
        {message ?? '\u00a0'}
      </p>
    </div>
  );
}
