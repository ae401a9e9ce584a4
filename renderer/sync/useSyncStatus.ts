import { useEffect } from 'react';
import type { AppUpdateStatus, SyncStatus } from '#shared/sync';
import { useClient } from '../data/ClientProvider';
import { useAppUpdateQuery, useSyncStatusQuery } from './queries';

/**
 * The content channel's health, as the core last reported it: read once, then kept current by
 * the `sync.status` events the core sends on every change (checking, progress, plan, failure).
 * Until it is known (or when it cannot be read) the chip stays hidden.
 */
export function useSyncStatus(): SyncStatus | null {
  return useSyncStatusQuery().data ?? null;
}

/**
 * Checks the channel once when the network comes back. Connections flap (a tablet walking
 * between access points fires several `online` events), so the check waits for a quiet moment.
 */
export function useCheckWhenOnline(quietMs = 2000): void {
  const client = useClient();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const cancel = () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    };
    const onOnline = () => {
      cancel();
      timer = setTimeout(() => {
        timer = null;
        // The outcome, a failure included, arrives as a sync.status event and shows on the chip.
        client.checkForContent({}).catch(() => {});
      }, quietMs);
    };
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', cancel);
    return () => {
      cancel();
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', cancel);
    };
  }, [client, quietMs]);
}

/** The desktop app's own update (electron-updater), kept current by `update.*` events. */
export function useAppUpdate(): AppUpdateStatus | null {
  return useAppUpdateQuery().data ?? null;
}
