/**
 * The "Where records go" card beside Uploads: where leads, meetings (with follow-ups) and
 * activity are sent, and the dialog to change it. On a kiosk it is reached from the staff
 * screen only (the core refuses these calls while the kiosk is locked).
 */
import { useState } from 'react';
import { deliveryKindLabels, deliveryKinds } from '#shared/delivery';
import type { DeliverySettingsView } from '#shared/sync';
import { destinationSummary } from './delivery-form';
import { DeliverySettingsDialog } from './DeliverySettingsDialog';
import { useDeliverySettings } from './queries';

export interface DeliveryTargetsCardProps {
  /** null until read. */
  settings: DeliverySettingsView | null;
  /** Why they could not be read. */
  error: string | null;
  onSaved(settings: DeliverySettingsView): void;
}

export function DeliveryTargetsCard({ settings, error, onSaved }: DeliveryTargetsCardProps) {
  const [open, setOpen] = useState(false);

  return (
    <section className="sync-card" aria-labelledby="delivery-targets-heading" data-testid="delivery-targets">
      <div className="delivery-card__head">
        <div>
          <h2 className="sync-card__heading" id="delivery-targets-heading">
            Where records go
          </h2>
          <p className="sync-card__intro">
            Leads, meetings and activity are sent here when a network is there. Your IT team provides the addresses and
            credentials.
          </p>
        </div>
        <button
          type="button"
          className="button button--secondary"
          data-testid="delivery-change"
          disabled={!settings}
          onClick={() => setOpen(true)}
        >
          Change
        </button>
      </div>
      {settings ? (
        <dl className="sync-facts">
          {deliveryKinds.map((kind) => {
            const summary = destinationSummary(settings[kind]);
            return (
              <div
                key={kind}
                className="sync-facts__row"
                data-testid={`delivery-target-${kind}`}
                data-type={settings[kind]?.type ?? 'none'}
              >
                <dt>{deliveryKindLabels[kind]}</dt>
                <dd>
                  <span className="delivery-card__title">{summary.title}</span>
                  <span className="delivery-card__detail">{summary.detail}</span>
                </dd>
              </div>
            );
          })}
        </dl>
      ) : error ? (
        <p className="sync-inline-error" role="alert" data-testid="delivery-targets-error">
          {error}
        </p>
      ) : (
        <div className="skeleton sync-settings-skeleton" aria-busy="true" aria-label="Loading where records go" />
      )}
      {open && settings ? (
        <DeliverySettingsDialog settings={settings} onSaved={onSaved} onClose={() => setOpen(false)} />
      ) : null}
    </section>
  );
}

/** The card's container: reads where records go and keeps what the dialog saved. */
export function DeliveryTargets() {
  const settings = useDeliverySettings();
  return (
    <DeliveryTargetsCard
      settings={settings.data ?? null}
      error={settings.error?.message ?? null}
      onSaved={settings.replace}
    />
  );
}
