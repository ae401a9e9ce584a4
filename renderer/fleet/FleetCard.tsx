/**
 * "Your company" in settings (and on a kiosk's staff screen): whether this device reports to
 * Studio, as whom, how its uploads go, what Studio last said, and the code form when it is not
 * (or no longer) connected. A device Studio disconnected says so and keeps everything it holds.
 */
import { useState } from 'react';
import type { FleetStatus } from '#shared/contract/fleet';
import { useClient } from '../data/ClientProvider';
import { describeError } from '../api/deadline';
import { ConnectForm } from './ConnectForm';
import { ageOf, identityLine } from './presentation';
import { useFleetStatus } from './queries';

export interface FleetCardViewProps {
  status: FleetStatus;
  now: Date;
  connect(arg: { studioUrl: string; code: string }): Promise<FleetStatus>;
  onStatus(status: FleetStatus): void;
  sendNow(): Promise<FleetStatus>;
  /** "Disconnect from Studio", after the person confirmed it. */
  disconnect(): Promise<FleetStatus>;
  /** Where "What Pitchcase records" opens; none on a kiosk. */
  privacyHref?: string;
}

export function FleetCardView({
  status,
  now,
  connect,
  onStatus,
  sendNow,
  disconnect,
  privacyHref,
}: FleetCardViewProps) {
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const leave = async () => {
    setLeaving(true);
    setSendError(null);
    try {
      onStatus(await disconnect());
      setConfirming(false);
    } catch (failure) {
      setSendError(describeError(failure).message);
    } finally {
      setLeaving(false);
    }
  };
  const send = async () => {
    setSending(true);
    setSendError(null);
    try {
      onStatus(await sendNow());
    } catch (failure) {
      setSendError(describeError(failure).message);
    } finally {
      setSending(false);
    }
  };
  const connected = status.enrolled && !status.revoked;
  return (
    <section className="sync-card" aria-labelledby="fleet-heading" data-testid="fleet-card">
      <h2 className="sync-card__heading" id="fleet-heading">
        Your company
      </h2>
      {status.revoked ? (
        <p className="sync-inline-error" role="alert" data-testid="fleet-revoked">
          {status.revoked.message}. Nothing more is sent; everything on this device stays as it is.
        </p>
      ) : null}
      {status.disconnected ? (
        <p className="sync-card__intro" role="status" data-testid="fleet-disconnected">
          Disconnected from {status.disconnected.studioUrl} {ageOf(status.disconnected.at, now)}:{' '}
          {status.disconnected.studioTold
            ? 'Studio knows.'
            : 'Studio will be told the next time this device is online.'}{' '}
          Nothing is sent to it; records and content stay on this device.
        </p>
      ) : null}
      {status.enrolled ? (
        <dl className="sync-facts">
          <div className="sync-facts__row">
            <dt>Connected as</dt>
            <dd data-testid="fleet-identity">{identityLine(status.identity)}</dd>
          </div>
          <div className="sync-facts__row">
            <dt>Studio</dt>
            <dd>{status.studioUrl}</dd>
          </div>
          <div className="sync-facts__row">
            <dt>Waiting to send</dt>
            <dd data-testid="fleet-pending">{status.pending}</dd>
          </div>
          {status.refused > 0 ? (
            <div className="sync-facts__row">
              <dt>Refused by Studio</dt>
              <dd data-testid="fleet-refused">{status.refused}</dd>
            </div>
          ) : null}
          <div className="sync-facts__row">
            <dt>Last sent</dt>
            <dd>{ageOf(status.lastUploadAt, now)}</dd>
          </div>
          <div className="sync-facts__row">
            <dt>Studio last heard</dt>
            <dd data-testid="fleet-feed-age">{ageOf(status.feed?.fetchedAt ?? null, now)}</dd>
          </div>
        </dl>
      ) : (
        <p className="sync-card__intro">
          Connect this device to your company’s Pitchcase Studio with the code IT or marketing gave you: content, keys
          and where records go are set up for you. Without it the device works exactly as it does now.
        </p>
      )}
      {connected && status.lastError ? (
        <p className="sync-inline-error" role="alert" data-testid="fleet-last-error">
          {status.lastError.message}
        </p>
      ) : null}
      {connected && confirming ? (
        <div className="sync-card__confirm" role="group" aria-labelledby="fleet-disconnect-question">
          <p id="fleet-disconnect-question" className="sync-card__intro">
            Disconnect this device from Studio? Nothing more is sent to your company’s Studio and this device forgets
            its connection. Records, leads and content stay on this device; connecting again needs a new code.
          </p>
          <div className="sync-card__actions">
            <button
              type="button"
              className="button button--danger"
              disabled={leaving}
              onClick={() => void leave()}
              data-testid="fleet-disconnect-confirm"
            >
              {leaving ? 'Disconnecting…' : 'Disconnect'}
            </button>
            <button
              type="button"
              className="button button--secondary"
              disabled={leaving}
              onClick={() => setConfirming(false)}
            >
              Cancel
            </button>
          </div>
        </div>
      ) : connected ? (
        <div className="sync-card__actions">
          <button
            type="button"
            className="button button--secondary"
            disabled={sending}
            onClick={() => void send()}
            data-testid="fleet-send-now"
          >
            {sending ? 'Sending…' : 'Send to Studio now'}
          </button>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => setConfirming(true)}
            data-testid="fleet-disconnect"
          >
            Disconnect from Studio
          </button>
        </div>
      ) : (
        <ConnectForm
          connect={connect}
          onConnected={onStatus}
          studioUrl={status.studioUrl ?? ''}
          submitLabel={status.revoked ? 'Connect again' : 'Connect'}
        />
      )}
      {sendError ? (
        <p className="sync-inline-error" role="alert">
          {sendError}
        </p>
      ) : null}
      {privacyHref ? (
        <p className="sync-card__intro">
          <a href={privacyHref} data-testid="fleet-privacy-link">
            What Pitchcase records about you
          </a>
        </p>
      ) : null}
    </section>
  );
}

/** The card with its data: settings and the kiosk's staff screen place it as it is. */
export function FleetCard({ privacyHref }: { privacyHref?: string }) {
  const client = useClient();
  const status = useFleetStatus();
  const [now] = useState(() => new Date());
  if (status.status === 'loading')
    return <div className="skeleton sync-settings-skeleton" aria-busy="true" aria-label="Loading" />;
  if (status.status === 'error')
    return (
      <p className="sync-inline-error" role="alert">
        {status.error.message}
      </p>
    );
  return (
    <FleetCardView
      status={status.data}
      now={now}
      connect={(arg) => client.enrolDevice(arg)}
      onStatus={status.replace}
      sendNow={() => client.syncFleetNow({})}
      disconnect={() => client.disconnectFromStudio({})}
      {...(privacyHref ? { privacyHref } : {})}
    />
  );
}
