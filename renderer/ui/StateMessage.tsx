/** The one way Pitchcase says "nothing here" or "this went wrong": a calm message and a way on. */
import type { ReactNode } from 'react';
import { AlertIcon, InboxIcon } from './icons';

export interface StateMessageProps {
  tone: 'empty' | 'error';
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
  /** A "Try again" button, before any other actions: what most errors offer first. */
  onRetry?: (() => void) | undefined;
  /** Dark variant for the viewer's stage. */
  onDark?: boolean;
  testId?: string;
}

export function StateMessage({ tone, title, children, actions, onRetry, onDark = false, testId }: StateMessageProps) {
  const retry = onRetry ? (
    <button type="button" className="button button--primary" onClick={onRetry}>
      Try again
    </button>
  ) : null;
  return (
    <div
      className={`state-message state-message--${tone}${onDark ? ' state-message--dark' : ''}`}
      role={tone === 'error' ? 'alert' : 'status'}
      data-testid={testId}
    >
      <div className="state-message__icon">{tone === 'error' ? <AlertIcon size={28} /> : <InboxIcon size={28} />}</div>
      <h2 className="state-message__title">{title}</h2>
      {children ? <div className="state-message__body">{children}</div> : null}
      {retry || actions ? (
        <div className="state-message__actions">
          {retry}
          {actions}
        </div>
      ) : null}
    </div>
  );
}
