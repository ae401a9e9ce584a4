/**
 * Something the rep does (duplicate, delete, retry an upload): while it runs the screen can
 * say so, and when it fails the screen shows why. A failure is never swallowed.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PitchcaseClient } from '#shared/client';
import { describeError } from '../api/deadline';
import { useClient } from './ClientProvider';

export interface ActionState<A, R> {
  /** Resolves with the answer, or with undefined once the failure is on screen. */
  run(arg: A): Promise<R | undefined>;
  pending: boolean;
  /** Why the last run failed, already phrased for the rep; null after a success. */
  error: string | null;
  dismiss(): void;
}

export function useAction<A, R>(
  perform: (client: PitchcaseClient, arg: A) => Promise<R>,
  failurePrefix = '',
): ActionState<A, R> {
  const client = useClient();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mounted = useRef(true);
  const latest = useRef(perform);
  latest.current = perform;
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback(
    async (arg: A) => {
      setPending(true);
      setError(null);
      try {
        const answer = await latest.current(client, arg);
        return answer;
      } catch (failure) {
        if (mounted.current) setError(`${failurePrefix}${describeError(failure).message}`);
        return undefined;
      } finally {
        if (mounted.current) setPending(false);
      }
    },
    [client, failurePrefix],
  );
  const dismiss = useCallback(() => setError(null), []);
  return { run, pending, error, dismiss };
}
