/**
 * Sync health of what the device sends back (leads, meetings, activity, follow-ups): what is
 * waiting by kind, when an upload last got through, the last failure with what the endpoint
 * said, and "Retry now". Props only; the sync screen feeds it from useDeliveryStatus.
 */
import type { DeliveryStatus } from '#shared/sync';
import { AlertIcon, SyncIcon } from '../ui/icons';
import { ChipIcon } from './SyncChip';
import { formatWhen } from './presentation';
import { failureTitle, pendingRows, uploadHeadline, waitingLabel } from './upload-health';

export interface UploadHealthCardProps {
  status: DeliveryStatus | null;
  now: Date;
  retrying: boolean;
  error: string | null;
  onRetry(): void;
}

export function UploadHealthCard({ status, now, retrying, error, onRetry }: UploadHealthCardProps) {
  const headline = status ? uploadHeadline(status) : null;
  return (
    <section
      className="sync-card"
      aria-labelledby="uploads-heading"
      data-testid="upload-health"
      data-pending={status?.pending ?? ''}
    >
      <div className="sync-status">
        <span className={`sync-status__icon sync-status__icon--${headline?.tone ?? 'off'}`}>
          <ChipIcon tone={headline?.tone ?? 'off'} size={26} />
        </span>
        <div className="sync-status__text">
          <h2 className="sync-card__heading" id="uploads-heading">
            Uploads
          </h2>
          <p className="sync-status__detail" data-testid="upload-headline">
            {headline?.label ?? 'Loading…'}
          </p>
        </div>
        <button
          type="button"
          className="button button--secondary sync-status__action"
          data-testid="retry-uploads"
          disabled={retrying || !status || status.pending === 0}
          onClick={onRetry}
        >
          <SyncIcon size={18} />
          {retrying ? 'Retrying…' : 'Retry now'}
        </button>
      </div>

      <dl className="sync-facts">
        {status
          ? pendingRows(status.pendingByKind).map((row) => (
              <div
                key={row.kind}
                className="sync-facts__row"
                data-testid={`upload-pending-${row.kind}`}
                data-count={row.count}
              >
                <dt>{row.label}</dt>
                <dd>{waitingLabel(row.count)}</dd>
              </div>
            ))
          : null}
        <div className="sync-facts__row">
          <dt>Last successful upload</dt>
          <dd data-testid="upload-last-success">{status ? formatWhen(status.lastDeliveredAt, now) : '—'}</dd>
        </div>
      </dl>

      {status?.lastError ? (
        <div className="sync-error" role="alert" data-testid="upload-error">
          <AlertIcon size={20} />
          <div>
            <p className="sync-error__title" data-testid="upload-error-title">
              {failureTitle(status.lastError, now)}
            </p>
            <p className="sync-error__message" data-testid="upload-error-message">
              {status.lastError.message}
            </p>
          </div>
        </div>
      ) : null}
      {error ? (
        <p className="sync-inline-error" role="alert" data-testid="upload-action-error">
          {error}
        </p>
      ) : null}
    </section>
  );
}
