import { useCallback } from 'react';
import type { DeliveryStatus } from '#shared/sync';
import { useAction } from '../data/useAction';
import { useDeliveryStatusQuery } from './queries';

export interface DeliveryHealth {
  status: DeliveryStatus | null;
  retrying: boolean;
  /** Why the status could not be read or "Retry now" did not run (not an endpoint's refusal). */
  error: string | null;
  retryNow(): void;
}

/**
 * The outbox's health while the sync screen is open: read at once, then replaced by every
 * `delivery.status` the core sends (after an upload run, and when a record is queued).
 */
export function useDeliveryStatus(): DeliveryHealth {
  const query = useDeliveryStatusQuery();
  const deliver = useAction((client, _: void) => client.deliverNow({}));
  const { run, pending } = deliver;
  const { replace } = query;
  const retryNow = useCallback(() => {
    void run().then((next) => next && replace(next));
  }, [run, replace]);
  return {
    status: query.data ?? null,
    retrying: pending,
    error: deliver.error ?? query.error?.message ?? null,
    retryNow,
  };
}
