import { useState } from 'react';
import type { AppUpdateStatus } from '#shared/sync';
import { describeError } from '../api/deadline';
import { CloseIcon, DownloadIcon } from '../ui/icons';
import { appUpdateNotice } from './presentation';

/**
 * "Pitchcase 1.4.0 is ready — Restart to update": a quiet banner, never a modal, so a rep in a
 * meeting finishes first. "Later" hides it until the next version; quitting installs it anyway.
 */
export interface UpdateBannerProps {
  update: AppUpdateStatus | null;
  /** Quits and installs; rejects when the update cannot be installed now. */
  restart(): Promise<unknown>;
}

export function UpdateBanner({ update, restart }: UpdateBannerProps) {
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [restarting, setRestarting] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const notice = appUpdateNotice(update);
  if (!notice || dismissed === (update?.version ?? '')) return null;
  return (
    <div className="update-banner" role="status" data-testid="update-banner">
      <DownloadIcon size={20} />
      <span className="update-banner__text">
        {notice} — <span className="update-banner__hint">installs when you restart</span>
        {failure ? (
          <span className="update-banner__error" role="alert" data-testid="restart-error">
            {' '}
            Could not restart: {failure}
          </span>
        ) : null}
      </span>
      <button
        type="button"
        className="button button--primary update-banner__restart"
        data-testid="restart-to-update"
        disabled={restarting}
        onClick={() => {
          setRestarting(true);
          setFailure(null);
          restart().catch((error: unknown) => {
            setRestarting(false);
            setFailure(describeError(error).message);
          });
        }}
      >
        Restart to update
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label="Later"
        onClick={() => setDismissed(update?.version ?? '')}
      >
        <CloseIcon size={20} />
      </button>
    </div>
  );
}
