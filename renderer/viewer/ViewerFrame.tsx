/**
 * The full-screen layer every viewer shares: a bar with Back, the title and the viewer's tools,
 * and the stage below. Escape goes back, like the Back button.
 */
import { useEffect, useRef, type HTMLAttributes, type ReactNode } from 'react';
import { useSearchLauncher } from '../search/launcher';
import { BackIcon, SearchIcon } from '../ui/icons';
import { useFavourite } from './favourite';
import { PageActions } from './PageActions';

export interface ViewerFrameProps {
  title: string;
  subtitle?: string | null;
  onBack(): void;
  tools?: ReactNode;
  /** Hides the bar while presenting; it comes back on a tap in the middle. */
  chromeHidden?: boolean;
  rootProps?: HTMLAttributes<HTMLDivElement> & Record<`data-${string}`, string | number | undefined>;
  children: ReactNode;
}

export function ViewerFrame({
  title,
  subtitle,
  onBack,
  tools,
  chromeHidden = false,
  rootProps,
  children,
}: ViewerFrameProps) {
  const rootRef = useRef<HTMLDivElement>(null);
  const openSearch = useSearchLauncher();
  const favourite = useFavourite();

  useEffect(() => {
    // Keyboard input goes to the viewer as soon as it opens.
    rootRef.current?.focus({ preventScroll: true });
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) {
        event.preventDefault();
        onBack();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onBack]);

  return (
    <div
      {...rootProps}
      ref={rootRef}
      className={`viewer${chromeHidden ? ' viewer--chrome-hidden' : ''}${rootProps?.className ? ` ${rootProps.className}` : ''}`}
      role="dialog"
      aria-modal="true"
      aria-label={title}
      tabIndex={-1}
    >
      <div className="viewer__bar">
        <button
          type="button"
          className="icon-button icon-button--on-dark"
          data-testid="back-button"
          aria-label="Back to library"
          onClick={onBack}
        >
          <BackIcon />
          <span className="icon-button__label">Library</span>
        </button>
        <div className="viewer__heading">
          <h1 className="viewer__title">{title}</h1>
          {subtitle ? <p className="viewer__subtitle">{subtitle}</p> : null}
        </div>
        <div className="viewer__tools">
          {tools}
          <PageActions />
          {favourite ? (
            <button
              type="button"
              className="icon-button icon-button--on-dark viewer__favourite"
              data-testid="favourite-toggle"
              aria-pressed={favourite.favourite}
              onClick={favourite.toggle}
            >
              <span aria-hidden="true">{favourite.favourite ? '★' : '☆'}</span>
              <span className="icon-button__label">Favourite</span>
            </button>
          ) : null}
          {favourite?.error ? (
            <p className="viewer__alert" role="alert" data-testid="favourite-error">
              {favourite.error}
            </p>
          ) : null}
          {openSearch ? (
            <button
              type="button"
              className="icon-button icon-button--on-dark"
              data-testid="viewer-search-button"
              aria-label="Search the library"
              onClick={openSearch}
            >
              <SearchIcon />
            </button>
          ) : null}
        </div>
      </div>
      {children}
    </div>
  );
}
