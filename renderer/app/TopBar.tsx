import type { ReactNode } from 'react';
import type { ReleaseInfo } from '#shared/library';
import { releaseLabel } from '../library/presentation';
import { BrandMark } from '../ui/icons';

export interface TopBarProps {
  appName: string;
  release: ReleaseInfo | null;
  /** Where the search field goes (search issue); nothing is rendered until it exists. */
  search?: ReactNode;
  /** Where sync health goes (sync issue). */
  status?: ReactNode;
  /** Links to other screens (pitches, usage report), before the status. */
  nav?: ReactNode;
}

export function TopBar({ appName, release, search, status, nav }: TopBarProps) {
  const label = releaseLabel(release);
  return (
    <header className="top-bar">
      <div className="top-bar__brand">
        <span className="top-bar__mark">
          <BrandMark size={22} />
        </span>
        <span className="top-bar__name">{appName}</span>
      </div>
      <div className="top-bar__search">{search}</div>
      <div className="top-bar__status">
        {nav}
        {status}
        {label ? (
          <span
            className="release-chip"
            data-testid="release-chip"
            title={release ? `Published ${formatDate(release.publishedAt)}` : undefined}
          >
            <span className="release-chip__dot" aria-hidden="true" />
            {label}
          </span>
        ) : null}
      </div>
    </header>
  );
}

function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleDateString(undefined, { dateStyle: 'medium' });
}
