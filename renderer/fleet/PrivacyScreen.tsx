/**
 * "What Pitchcase records" (`#/privacy`): every kind of record this device makes about the rep,
 * what each holds and where it goes from here, who the records say the rep is, and the latest
 * records themselves with whether Studio has them. Nothing on it is hidden from the rep.
 */
import type { RecordsAboutMe } from '#shared/contract/fleet';
import { BackIcon } from '../ui/icons';
import { StateMessage } from '../ui/StateMessage';
import { useRecordsAboutMe } from './queries';

const studioState: Record<string, string> = {
  sent: 'Studio has it',
  waiting: 'Waiting for Studio',
  refused: 'Refused by Studio',
  'not-sent': 'Not for Studio',
};

export function RecordsAboutMeView({ data }: { data: RecordsAboutMe }) {
  const source = data.source;
  return (
    <>
      <section className="sync-card" aria-labelledby="privacy-who">
        <h2 className="sync-card__heading" id="privacy-who">
          Who your records say you are
        </h2>
        <dl className="sync-facts" data-testid="privacy-source">
          <div className="sync-facts__row">
            <dt>Device</dt>
            <dd>{source.deviceId}</dd>
          </div>
          <div className="sync-facts__row">
            <dt>{source.booth ? 'Booth' : 'Rep'}</dt>
            <dd>{source.booth ?? source.rep ?? 'Not named (not connected to your company)'}</dd>
          </div>
          <div className="sync-facts__row">
            <dt>Team</dt>
            <dd>{source.team ?? '—'}</dd>
          </div>
          <div className="sync-facts__row">
            <dt>App and release</dt>
            <dd>
              {source.appVersion} · release {source.releaseVersion ?? 'none'}
            </dd>
          </div>
        </dl>
      </section>
      <section className="sync-card" aria-labelledby="privacy-kinds">
        <h2 className="sync-card__heading" id="privacy-kinds">
          What is recorded, and where it goes
        </h2>
        <ul className="fleet-kinds" data-testid="privacy-kinds">
          {data.kinds.map((kind) => (
            <li key={kind.kind} data-kind={kind.kind}>
              <strong>{kind.label}</strong>
              <p className="sync-card__intro">{kind.holds}</p>
              <p className="sync-card__intro">
                {kind.destinations.length ? `Goes to: ${kind.destinations.join('; ')}` : 'Stays on this device'}
              </p>
            </li>
          ))}
        </ul>
      </section>
      <section className="sync-card" aria-labelledby="privacy-recent">
        <h2 className="sync-card__heading" id="privacy-recent">
          The latest records
        </h2>
        {data.recent.length === 0 ? (
          <p className="sync-card__intro">Nothing recorded yet.</p>
        ) : (
          <ol className="fleet-records" data-testid="privacy-recent">
            {data.recent.map((record, i) => (
              <li key={i} data-kind={record.kind}>
                <span>{new Date(record.at).toLocaleString()}</span> · <span>{record.summary}</span> ·{' '}
                <span>
                  {studioState[record.studio.state]}
                  {record.studio.reason ? `: ${record.studio.reason}` : ''}
                </span>
                {record.sentElsewhere ? <span> · sent to your CRM</span> : null}
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}

export function PrivacyScreen({ onBack }: { onBack(): void }) {
  const records = useRecordsAboutMe();
  return (
    <div
      className="sync-screen"
      role="dialog"
      aria-modal="true"
      aria-labelledby="privacy-title"
      tabIndex={-1}
      data-testid="privacy-screen"
    >
      <div className="sync-screen__bar">
        <button type="button" className="icon-button" aria-label="Back" onClick={onBack} data-testid="privacy-back">
          <BackIcon />
          <span className="icon-button__label">Back</span>
        </button>
        <h1 className="sync-screen__title" id="privacy-title">
          What Pitchcase records
        </h1>
      </div>
      <div className="sync-screen__body">
        <div className="sync-screen__column">
          {records.status === 'ready' ? (
            <RecordsAboutMeView data={records.data} />
          ) : records.status === 'error' ? (
            <StateMessage tone="error" title="Could not read the records" onRetry={records.retry}>
              {records.error.message}
            </StateMessage>
          ) : (
            <div className="skeleton sync-settings-skeleton" aria-busy="true" aria-label="Loading" />
          )}
        </div>
      </div>
    </div>
  );
}
