import { useEffect, useRef } from 'react';

export interface IdleWarningProps {
  secondsLeft: number;
  total: number;
  onContinue(): void;
}

/** "Still there?" over everything, counting down to the reset; a touch anywhere continues. */
export function IdleWarning({ secondsLeft, total, onContinue }: IdleWarningProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus({ preventScroll: true }), []);
  const fraction = total > 0 ? Math.min(1, Math.max(0, secondsLeft / total)) : 0;
  const circumference = 2 * Math.PI * 54;
  return (
    <div
      ref={ref}
      className="idle-warning"
      data-testid="idle-warning"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="idle-warning-title"
      aria-describedby="idle-warning-detail"
      tabIndex={-1}
      onClick={(event) => {
        event.stopPropagation();
        onContinue();
      }}
    >
      <div className="idle-warning__card">
        <div className="idle-warning__ring" aria-hidden="true">
          <svg viewBox="0 0 120 120" width="132" height="132">
            <circle cx="60" cy="60" r="54" className="idle-warning__track" />
            <circle
              cx="60"
              cy="60"
              r="54"
              className="idle-warning__progress"
              strokeDasharray={circumference}
              strokeDashoffset={circumference * (1 - fraction)}
            />
          </svg>
          <span className="idle-warning__number" data-testid="idle-seconds">
            {secondsLeft}
          </span>
        </div>
        <h2 id="idle-warning-title" className="idle-warning__title">
          Still there?
        </h2>
        <p id="idle-warning-detail" className="idle-warning__detail" aria-live="polite" data-testid="idle-countdown">
          Resetting in {secondsLeft}…
        </p>
        <p className="idle-warning__hint">Touch anywhere to continue</p>
      </div>
    </div>
  );
}
