/**
 * The frame every presenting list screen shares (pitches, meetings to log, the usage report): a
 * modal screen with a way back to the library, its heading and a line of context, optional
 * actions on the right, and the content below.
 */
import type { ReactNode } from 'react';
import { BackIcon } from '../ui/icons';

export interface PresentingScreenProps {
  /** The dialog's accessible name. */
  label: string;
  title: string;
  subtitle: ReactNode;
  onBack(): void;
  testId: string;
  backTestId?: string;
  /** Buttons at the bar's end, e.g. "New pitch". */
  actions?: ReactNode;
  children: ReactNode;
}

export function PresentingScreen({
  label,
  title,
  subtitle,
  onBack,
  testId,
  backTestId,
  actions,
  children,
}: PresentingScreenProps) {
  return (
    <div className="presenting-screen" role="dialog" aria-modal="true" aria-label={label} data-testid={testId}>
      <header className="presenting-screen__bar">
        <button
          type="button"
          className="icon-button"
          aria-label="Back to library"
          onClick={onBack}
          data-testid={backTestId}
        >
          <BackIcon />
          <span className="icon-button__label">Library</span>
        </button>
        <div className="presenting-screen__heading">
          <h1>{title}</h1>
          <p>{subtitle}</p>
        </div>
        {actions}
      </header>
      {children}
    </div>
  );
}
