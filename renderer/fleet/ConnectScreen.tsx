/**
 * The first-run "Connect to your company" screen of the rep app: a code from Studio sets up
 * content, keys, identity and where records go. "Not now" skips it for good (settings keep the
 * same form); a device that never connects works exactly as before.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { FleetStatus } from '#shared/contract/fleet';
import { useClient } from '../data/ClientProvider';
import { describeError } from '../api/deadline';
import type { EnrolLink } from '#shared/enrol-link';
import { hostOf } from '#shared/connectors/addresses';
import { ConnectForm } from './ConnectForm';
import { identityLine } from './presentation';
import { useFleetStatus } from './queries';

/** The connect screens' frame: a modal over the app, one card, its heading naming the dialog. */
function ConnectDialog({
  title,
  titleId,
  testId,
  children,
}: {
  title: string;
  titleId: string;
  testId: string;
  children: ReactNode;
}) {
  return (
    <div
      className="sync-screen fleet-first-run"
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      data-testid={testId}
    >
      <div className="sync-screen__body fleet-first-run__body">
        <section className="sync-card">
          <h1 className="sync-card__heading" id={titleId}>
            {title}
          </h1>
          {children}
        </section>
      </div>
    </div>
  );
}

export interface ConnectScreenViewProps {
  connect(arg: { studioUrl: string; code: string }): Promise<FleetStatus>;
  skip(): Promise<unknown>;
  /** Connected, or skipped: the app goes on. */
  onDone(status: FleetStatus | null): void;
  /** An enrolment link's Studio and code, filled in; the rep still taps Connect. */
  link?: EnrolLink;
}

export function ConnectScreenView({ connect, skip, onDone, link }: ConnectScreenViewProps) {
  const [connected, setConnected] = useState<FleetStatus | null>(null);
  const [skipError, setSkipError] = useState<string | null>(null);
  return (
    <ConnectDialog title="Connect to your company" titleId="fleet-first-run-title" testId="fleet-first-run">
      {connected ? (
        <>
          <p className="sync-card__intro" role="status" data-testid="fleet-connected">
            Connected as {identityLine(connected.identity)}. Your company’s content arrives on this device, and what you
            show is reported to {connected.studioUrl}.
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
          {link ? (
            <p className="sync-card__intro" data-testid="fleet-link-intro">
              A link asks to connect this device to <strong>{hostOf(link.studioUrl)}</strong>. Connect only if that is
              your company’s Studio: content then comes from it, and what you show in meetings is reported to it.
            </p>
          ) : (
            <p className="sync-card__intro">
              Enter the Studio address and the code your IT or marketing team gave you. Content, keys and where your
              meetings and activity go are set up for you.
            </p>
          )}
          <ConnectForm
            connect={connect}
            onConnected={setConnected}
            {...(link ? { studioUrl: link.studioUrl, code: link.code } : {})}
          />
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
            {link ? 'Cancel' : 'Not now'}
          </button>
          {skipError ? (
            <p className="sync-inline-error" role="alert">
              {skipError}
            </p>
          ) : null}
          <p className="sync-card__intro">You can connect later under Content sync → Your company.</p>
        </>
      )}
    </ConnectDialog>
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

/**
 * The connect screen an enrolment link opened (`#/connect?…`): filled in, waiting for the rep's
 * Connect. A device already connected says where, and changes nothing: it must be disconnected
 * first, on purpose, under Content sync → Your company.
 */
export function ConnectFromLink({ link, onClose }: { link: EnrolLink; onClose(): void }) {
  const client = useClient();
  const status = useFleetStatus();
  const ready = status.status === 'ready' ? status.data : null;
  // Decided on the first answer, as the first-run screen is: connecting from here changes the
  // status, and the screen must stay for its "Connected as …" until the rep continues.
  const [connectedBefore, setConnectedBefore] = useState<FleetStatus | null | undefined>(undefined);
  useEffect(() => {
    if (ready && connectedBefore === undefined) setConnectedBefore(ready.enrolled && !ready.revoked ? ready : null);
  }, [ready, connectedBefore]);
  if (connectedBefore === undefined) return null;
  if (connectedBefore)
    return (
      <ConnectDialog title="Already connected" titleId="fleet-link-title" testId="fleet-link-already">
        <p className="sync-card__intro">
          This device is connected to {connectedBefore.studioUrl}
          {connectedBefore.identity ? ` as ${identityLine(connectedBefore.identity)}` : ''}. The link asks to connect it
          to {link.studioUrl} instead. To do that, disconnect first under Content sync → Your company, then open the
          link again.
        </p>
        <button type="button" className="button button--primary" onClick={onClose} data-testid="fleet-link-close">
          Close
        </button>
      </ConnectDialog>
    );
  return (
    <ConnectScreenView
      link={link}
      connect={(arg) => client.enrolDevice(arg)}
      skip={() => Promise.resolve()}
      onDone={(next) => {
        if (next) status.replace(next);
        onClose();
      }}
    />
  );
}
