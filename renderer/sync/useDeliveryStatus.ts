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
 * The outbox's health while the sync screen is open: read at once, replaced by every
 * `delivery.status` the core sends after an upload run, and re-read now and then because new
 * records (a lead, a meeting) raise the waiting counts without an upload run.
 */
export function useDeliveryStatus(refreshMs = 15_000): DeliveryHealth {
  const [status, setStatus] = useState<DeliveryStatus | null>(null);
  const [retrying, setRetrying] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const live = useRef(true);

  useEffect(() => {
    live.current = true;
    const load = () =>
      client.getDeliveryStatus({}).then(
        (next) => {
          if (!live.current) return;
          setStatus(next);
          setError(null);
        },
        (failure: unknown) => live.current && setError(describeError(failure).message),
      );
    const stop = client.on('delivery.status', (next) => live.current && setStatus(next));
    void load();
    const timer = setInterval(() => void load(), refreshMs);
    return () => {
      live.current = false;
      stop();
      clearInterval(timer);
    };
  }, [refreshMs]);

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
