/**
 * The frame of a screen that opens over the library (Quizzes, Rehearse): a modal dialog with a
 * Back button and a title in its bar, the screen's own content below. Back and Escape both leave.
 */
import { useEffect, type ReactNode } from 'react';
import { BackIcon } from './icons';

export interface ScreenFrameProps {
  /** Names the screen's classes (`<name>-screen`, `<name>-screen__body` …) beside the frame's, and its test ids. */
  name: string;
  title: string;
  onBack(): void;
  /** What goes in the body, under the bar. */
  children: ReactNode;
}

export function ScreenFrame({ name, title, onBack, children }: ScreenFrameProps) {
  useEffect(() => {
    // A dialog on top that handles Escape itself (stops it or prevents its default) keeps the screen open.
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) onBack();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onBack]);

  const block = `${name}-screen`;
  return (
    <div
      className={`screen-frame ${block}`}
      role="dialog"
      aria-modal="true"
      aria-labelledby={`${name}-title`}
      data-testid={block}
    >
      <div className={`screen-frame__bar ${block}__bar`}>
        <button type="button" className="icon-button" data-testid={`${name}-back`} aria-label="Back" onClick={onBack}>
          <BackIcon />
          <span className="icon-button__label">Back</span>
        </button>
        <h1 className={`screen-frame__title ${block}__title`} id={`${name}-title`}>
          {title}
        </h1>
      </div>
      <div className={`${block}__body`}>{children}</div>
    </div>
  );
}
