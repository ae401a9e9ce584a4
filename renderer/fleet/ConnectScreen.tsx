/**
 * The first-run "Connect to your company" screen of the rep app: a code from Studio sets up
 * content, keys, identity and where records go. "Not now" skips it for good (settings keep the
 * same form); a device that never connects works exactly as before.
 */
import { useEffect, useState } from 'react';
import type { FleetStatus } from '#shared/contract/fleet';
import { useClient } from '../data/ClientProvider';
import { describeError } from '../api/deadline';
import { ConnectForm } from './ConnectForm';
import { identityLine } from './presentation';
import { useFleetStatus } from './queries';

export interface ConnectScreenViewProps {
  connect(arg: { studioUrl: string; code: string }): Promise<FleetStatus>;
  skip(): Promise<unknown>;
  /** Connected, or skipped: the app goes on. */
  onDone(status: FleetStatus | null): void;
}

export function ConnectScreenView({ connect, skip, onDone }: ConnectScreenViewProps) {
  const [connected, setConnected] = useState<FleetStatus | null>(null);
  const [skipError, setSkipError] = useState<string | null>(null);
  return (
    <div
      className="sync-screen fleet-first-run"
      role="dialog"
      aria-modal="true"
      aria-labelledby="fleet-first-run-title"
      data-testid="fleet-first-run"
    >
      <div className="sync-screen__body fleet-first-run__body">
        <section className="sync-card">
          <h1 className="sync-card__heading" id="fleet-first-run-title">
            Connect to your company
          </h1>
          {connected ? (
            <>
              <p className="sync-card__intro" role="status" data-testid="fleet-connected">
                Connected as {identityLine(connected.identity)}. Your company’s content arrives on this device, and what
                you show is reported to {connected.studioUrl}.
              </p>
              <button
                type="button"
                className="button button--primary"
                onClick={() => onDone(connected)}
                data-testid="fleet-continue"
              >
                Continue
              </button>
            </>
          ) : (
            <>
              <p className="sync-card__intro">
                Enter the Studio address and the code your IT or marketing team gave you. Content, keys and where your
                meetings and activity go are set up for you.
              </p>
              <ConnectForm connect={connect} onConnected={setConnected} />
              <button
                type="button"
                className="button button--secondary"
                onClick={() =>
                  void skip().then(
                    () => onDone(null),
                    (failure: unknown) => setSkipError(describeError(failure).message),
                  )
                }
                data-testid="fleet-skip"
              >
                Not now
              </button>
              {skipError ? (
                <p className="sync-inline-error" role="alert">
                  {skipError}
                </p>
              ) : null}
              <p className="sync-card__intro">You can connect later under Content sync → Your company.</p>
            </>
          )}
        </section>
      </div>
    </div>
  );
}

/**
 * Shown over the app while the device is neither connected nor told "Not now". Decided once, on
 * the first answer: connecting changes the status (and the core says so at once), and the
 * screen must stay for its "Connected as …" until the rep continues.
 */
export function FirstRunConnect() {
  const client = useClient();
  const status = useFleetStatus();
  const [showing, setShowing] = useState<boolean | null>(null);
  const ready = status.status === 'ready' ? status.data : null;
  useEffect(() => {
    if (ready && showing === null) setShowing(!ready.enrolled && !ready.connectSkipped);
  }, [ready, showing]);
  if (!showing) return null;
  return (
    <ConnectScreenView
      connect={(arg) => client.enrolDevice(arg)}
      skip={() => client.skipFleetConnect({})}
      onDone={(next) => {
        setShowing(false);
        if (next) status.replace(next);
        else status.refresh();
      }}
    />
  );
}
