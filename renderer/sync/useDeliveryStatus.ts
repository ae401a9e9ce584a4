import { useCallback, useEffect, useRef, useState } from 'react';
import type { DeliveryStatus } from '#shared/sync';
import { client } from '../api/client';
import { describeError } from '../api/deadline';

export interface DeliveryHealth {
  status: DeliveryStatus | null;
  retrying: boolean;
  /** Why the status could not be read or "Retry now" did not run (not an endpoint's refusal). */
  error: string | null;
  retryNow(): void;
}

/**
 * The outbox's health while the sync screen is open: read once, then replaced by every
 * `delivery.status` the core sends: when a record is queued (a lead, a meeting, activity) and
 * after every upload run. No polling: the event is the news.
 */
export function useDeliveryStatus(): DeliveryHealth {
  const [status, setStatus] = useState<DeliveryStatus | null>(null);
  const [retrying, setRetrying] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const live = useRef(true);

  useEffect(() => {
    live.current = true;
    const stop = client.on('delivery.status', (next) => {
      if (!live.current) return;
      setStatus(next);
      setError(null);
    });
    client.getDeliveryStatus({}).then(
      (next) => {
        if (!live.current) return;
        // An event that arrived while the first read was under way is newer: keep it.
        setStatus((current) => current ?? next);
        setError(null);
      },
      (failure: unknown) => live.current && setError(describeError(failure).message),
    );
    return () => {
      live.current = false;
      stop();
    };
  }, []);

  const retryNow = useCallback(() => {
    setRetrying(true);
    setError(null);
    client.deliverNow({}).then(
      (next) => {
        if (!live.current) return;
        setStatus(next);
        setRetrying(false);
      },
      (failure: unknown) => {
        if (!live.current) return;
        setError(describeError(failure).message);
        setRetrying(false);
      },
    );
  }, []);

  return { status, retrying, error, retryNow };
}
