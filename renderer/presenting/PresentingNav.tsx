/**
 * The top bar's way into pitches, meetings saved for later and the usage report; `children` are
 * further links of the same kind (Rehearse, Quizzes), kept in the one navigation landmark.
 */
import type { ReactNode } from 'react';
import type { PresentingRoute } from './routes';

export function PresentingNav({ onOpen, children }: { onOpen(route: PresentingRoute): void; children?: ReactNode }) {
  return (
    <nav className="presenting-nav" aria-label="Presenting">
      <button
        type="button"
        className="button presenting-nav__link"
        data-testid="nav-pitches"
        onClick={() => onOpen({ name: 'pitches' })}
      >
        Pitches
      </button>
      <button
        type="button"
        className="button presenting-nav__link"
        data-testid="nav-meetings"
        onClick={() => onOpen({ name: 'meetings' })}
      >
        Meetings
      </button>
      <button
        type="button"
        className="button presenting-nav__link"
        data-testid="nav-report"
        onClick={() => onOpen({ name: 'report' })}
      >
        Report
      </button>
      {children}
    </nav>
  );
}
