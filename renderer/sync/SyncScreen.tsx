/**
 * The sync screen (`#/sync`): what is installed, whether the channel has something newer and
 * what it would change, the download as it happens, what went wrong, the channel settings, and
 * the health of the uploads going the other way (leads, meetings, activity).
 * The library stays usable underneath; Back or Escape returns to it.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ReleaseInfo } from '#shared/library';
import type { AppUpdateStatus, PlannedItem, SyncPlan, SyncStatus } from '#shared/sync';
import { useClient } from '../data/ClientProvider';
import { useAction } from '../data/useAction';
import { AlertIcon, BackIcon, DownloadIcon, SyncIcon } from '../ui/icons';
import { FleetCard } from '../fleet/FleetCard';
import { ChannelSettingsForm } from './ChannelSettingsForm';
import { DeliveryTargets } from './DeliveryTargetsCard';
import { KioskModeCard } from './KioskModeCard';
import { UploadHealthCard } from './UploadHealthCard';
import { useDeliveryStatus } from './useDeliveryStatus';
import { ChipIcon } from './SyncChip';
import { useChannelSettings } from './queries';
import {
  appUpdateLine,
  formatBytes,
  formatMegabytes,
  formatWhen,
  isSyncBusy,
  planCounts,
  progressDetail,
  progressPercent,
  syncChip,
} from './presentation';

export interface SyncScreenProps {
  status: SyncStatus | null;
  release: ReleaseInfo | null;
  appUpdate: AppUpdateStatus | null;
  onBack(): void;
}

/**
 * The time "5 min ago" is measured from: taken afresh with every status the core reports, and
 * twice a minute while the screen stays open.
 */
function useNow(status: SyncStatus | null, everyMs = 30_000): Date {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return useMemo(() => new Date(), [status, tick]);
}

function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleDateString(undefined, { dateStyle: 'medium' });
}

export function SyncScreen({ status, release, appUpdate, onBack }: SyncScreenProps) {
  const rootRef = useRef<HTMLDivElement>(null);
  const now = useNow(status);
  const client = useClient();
  const channelSettings = useChannelSettings();
  const settings = channelSettings.data ?? null;
  const settingsError = channelSettings.error?.message ?? null;
  const [requested, setRequested] = useState<'check' | 'apply' | null>(null);
  const contentAction = useAction((api, what: 'check' | 'apply') =>
    what === 'check' ? api.checkForContent({}) : api.applyContent({}),
  );
  const restartAction = useAction((api, _: void) => api.restartToUpdate({}), 'Could not restart: ');
  const actionError = contentAction.error ?? restartAction.error;
  const uploads = useDeliveryStatus();
  const uploadsNow = useMemo(() => new Date(), [uploads.status, now]);

  useEffect(() => {
    rootRef.current?.focus({ preventScroll: true });
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target instanceof Element ? event.target : null;
      if (event.key === 'Escape' && !event.defaultPrevented && !target?.closest('input, textarea, select')) {
        event.preventDefault();
        onBack();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onBack]);

  const { run: runContent } = contentAction;
  const run = useCallback(
    (what: 'check' | 'apply') => {
      setRequested(what);
      void runContent(what).then(() => setRequested(null));
    },
    [runContent],
  );

  const state = status?.state ?? 'idle';
  const busy = isSyncBusy(state) || requested !== null;
  const chip = status ? syncChip(status) : null;
  const configured = Boolean(status?.channelUrl);
  const plan = status?.plan ?? null;
  const showProgress = (state === 'downloading' || state === 'applying') && status?.progress;
  const updateLine = appUpdateLine(appUpdate);

  return (
    <div
      ref={rootRef}
      className="sync-screen"
      role="dialog"
      aria-modal="true"
      aria-labelledby="sync-screen-title"
      tabIndex={-1}
      data-testid="sync-screen"
    >
      <div className="sync-screen__bar">
        <button
          type="button"
          className="icon-button"
          data-testid="sync-back"
          aria-label="Back to library"
          onClick={onBack}
        >
          <BackIcon />
          <span className="icon-button__label">Library</span>
        </button>
        <h1 className="sync-screen__title" id="sync-screen-title">
          Content sync
        </h1>
      </div>

      <div className="sync-screen__body">
        <div className="sync-screen__column">
          <section
            className="sync-card sync-card--status"
            aria-labelledby="sync-state-heading"
            data-testid="sync-state"
            data-state={state}
          >
            <div className="sync-status">
              <span className={`sync-status__icon sync-status__icon--${chip?.tone ?? 'off'}`}>
                <ChipIcon tone={chip?.tone ?? 'off'} size={26} />
              </span>
              <div className="sync-status__text">
                <h2 className="sync-status__label" id="sync-state-heading" data-testid="sync-state-label">
                  {chip?.label ?? 'Loading…'}
                </h2>
                <p className="sync-status__detail">
                  {configured
                    ? `Last successful sync: ${formatWhen(status?.lastSuccessAt ?? null, now)}`
                    : 'No channel is set up: this device keeps the library it has. Add a channel below to receive new releases.'}
                </p>
              </div>
              <button
                type="button"
                className="button button--primary sync-status__action"
                data-testid="check-now"
                disabled={busy || !configured}
                onClick={() => run('check')}
              >
                <SyncIcon size={18} />
                {state === 'checking' || requested === 'check' ? 'Checking…' : 'Check now'}
              </button>
            </div>

            {showProgress && status?.progress ? (
              <div className="sync-progress" data-testid="sync-progress">
                <div
                  className="sync-progress__track"
                  role="progressbar"
                  aria-label="Download progress"
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={progressPercent(status.progress)}
                >
                  <div className="sync-progress__fill" style={{ width: `${progressPercent(status.progress)}%` }} />
                </div>
                <p className="sync-progress__detail">
                  {state === 'applying' ? 'Switching to the new release…' : progressDetail(status.progress)}
                </p>
              </div>
            ) : null}

            {status?.lastError ? (
              <div className="sync-error" role="alert" data-testid="sync-error">
                <AlertIcon size={20} />
                <div>
                  <p className="sync-error__title">Last failure · {formatWhen(status.lastError.at, now)}</p>
                  <p className="sync-error__message" data-testid="sync-error-message">
                    {status.lastError.message}
                  </p>
                </div>
              </div>
            ) : null}
            {actionError ? (
              <p className="sync-inline-error" role="alert" data-testid="sync-action-error">
                {actionError}
              </p>
            ) : null}
          </section>

          {plan ? (
            <PlanCard
              plan={plan}
              canApply={(state === 'available' || state === 'error') && requested === null}
              applying={state === 'downloading' || state === 'applying' || requested === 'apply'}
              onApply={() => run('apply')}
            />
          ) : null}

          <section className="sync-card" aria-labelledby="release-heading" data-testid="current-release">
            <h2 className="sync-card__heading" id="release-heading">
              On this device
            </h2>
            <dl className="sync-facts">
              <Fact label="Channel" testId="release-channel" value={release?.channel ?? 'None'} />
              <Fact
                label="Release"
                testId="release-version"
                value={release ? `Version ${release.version}` : 'None installed'}
              />
              <Fact label="Published" value={release ? formatDate(release.publishedAt) : '—'} />
              <Fact label="Items" testId="release-items" value={release ? String(release.itemCount) : '0'} />
              <Fact
                label="Last successful sync"
                testId="last-success"
                value={formatWhen(status?.lastSuccessAt ?? null, now)}
              />
              <Fact label="Last check" value={formatWhen(status?.lastCheckAt ?? null, now)} />
              <Fact label="Storage used" testId="storage-used" value={formatMegabytes(status?.storageBytes ?? 0)} />
            </dl>
            {updateLine ? (
              <div className="sync-app-update" data-testid="app-update-row" data-state={appUpdate?.state}>
                <span>
                  <strong>App update</strong> · {updateLine}
                </span>
                {appUpdate?.state === 'ready' ? (
                  <button type="button" className="button button--secondary" onClick={() => void restartAction.run()}>
                    Restart to update
                  </button>
                ) : null}
              </div>
            ) : null}
          </section>

          <UploadHealthCard
            status={uploads.status}
            now={uploadsNow}
            retrying={uploads.retrying}
            error={uploads.error}
            onRetry={uploads.retryNow}
          />
          <DeliveryTargets />
        </div>

        <div className="sync-screen__column">
          <FleetCard privacyHref="#/privacy" />
          <section className="sync-card" aria-labelledby="settings-heading">
            <h2 className="sync-card__heading" id="settings-heading">
              Channel settings
            </h2>
            <p className="sync-card__intro">
              Where new releases come from, and the keys that prove they are genuine. Your IT or marketing team provides
              both.
            </p>
            {settings ? (
              <ChannelSettingsForm
                settings={settings}
                save={(change) => client.updateChannelSettings(change)}
                onSaved={channelSettings.replace}
              />
            ) : settingsError ? (
              <p className="sync-inline-error" role="alert">
                {settingsError}
              </p>
            ) : (
              <div className="skeleton sync-settings-skeleton" aria-busy="true" aria-label="Loading settings" />
            )}
          </section>
          <KioskModeCard switchToKiosk={(pin) => client.setProfileKind({ kind: 'kiosk', ...(pin ? { pin } : {}) })} />
        </div>
      </div>
    </div>
  );
}

function Fact({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="sync-facts__row">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}

interface PlanCardProps {
  plan: SyncPlan;
  canApply: boolean;
  applying: boolean;
  onApply(): void;
}

function PlanCard({ plan, canApply, applying, onApply }: PlanCardProps) {
  return (
    <section
      className="sync-card sync-card--plan"
      aria-labelledby="plan-heading"
      data-testid="sync-plan"
      data-to-version={plan.toVersion}
    >
      <div className="sync-plan__head">
        <div>
          <h2 className="sync-card__heading" id="plan-heading">
            Release {plan.toVersion} is available
          </h2>
          <p className="sync-card__intro">
            {plan.channel} · published {formatDate(plan.publishedAt)}
            {plan.fromVersion !== null ? ` · you have version ${plan.fromVersion}` : ''}
          </p>
        </div>
        <button
          type="button"
          className="button button--primary"
          data-testid="apply-content"
          disabled={!canApply}
          onClick={onApply}
        >
          <DownloadIcon size={18} />
          {applying ? 'Downloading…' : 'Download and apply'}
        </button>
      </div>
      <p className="sync-plan__summary" data-testid="plan-summary">
        <strong>{planCounts(plan)}</strong>
        <span data-testid="plan-download">
          {plan.downloadBytes > 0
            ? `${formatBytes(plan.downloadBytes)} to download (${plan.downloadFiles === 1 ? '1 file' : `${plan.downloadFiles} files`})`
            : 'Nothing to download'}
        </span>
        <span>{formatBytes(plan.totalBytes)} in total</span>
      </p>
      <div className="sync-plan__lists">
        <PlanList title="New" tone="added" items={plan.added} />
        <PlanList title="Updated" tone="updated" items={plan.updated} />
        <PlanList title="Removed" tone="removed" items={plan.removed} />
      </div>
    </section>
  );
}

const listLimit = 8;

function PlanList({
  title,
  tone,
  items,
}: {
  title: string;
  tone: 'added' | 'updated' | 'removed';
  items: PlannedItem[];
}) {
  const [expanded, setExpanded] = useState(false);
  if (items.length === 0) return null;
  const shown = expanded ? items : items.slice(0, listLimit);
  return (
    <div className={`sync-plan__list sync-plan__list--${tone}`} data-testid={`plan-${tone}`}>
      <h3 className="sync-plan__list-title">
        {title} <span className="sync-plan__count">{items.length}</span>
      </h3>
      <ul>
        {shown.map((item) => (
          <li key={item.id} data-item-id={item.id}>
            {item.title}
          </li>
        ))}
      </ul>
      {items.length > shown.length ? (
        <button type="button" className="sync-link" onClick={() => setExpanded(true)}>
          {items.length - shown.length} more
        </button>
      ) : null}
    </div>
  );
}
