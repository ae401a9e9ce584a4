/** The one way Pitchcase says "nothing here" or "this went wrong": a calm message and a way on. */
import type { ReactNode } from 'react';
import { AlertIcon, InboxIcon } from './icons';

export interface StateMessageProps {
  tone: 'empty' | 'error';
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
  /** Dark variant for the viewer's stage. */
  onDark?: boolean;
  testId?: string;
}

export function StateMessage({ tone, title, children, actions, onDark = false, testId }: StateMessageProps) {
  return (
    <div
      className={`state-message state-message--${tone}${onDark ? ' state-message--dark' : ''}`}
      role={tone === 'error' ? 'alert' : 'status'}
      data-testid={testId}
    >
      <div className="state-message__icon">{tone === 'error' ? <AlertIcon size={28} /> : <InboxIcon size={28} />}</div>
      <h2 className="state-message__title">{title}</h2>
      {children ? <div className="state-message__body">{children}</div> : null}
      {actions ? <div className="state-message__actions">{actions}</div> : null}
    </div>
  );
}
