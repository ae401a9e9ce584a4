import { useEffect, useState } from 'react';
import type { AppUpdateStatus, SyncStatus } from '#shared/sync';
import { client } from '../api/client';

/**
 * The content channel's health, as the core last reported it: read once, then kept current by
 * the `sync.status` events the core sends on every change (checking, progress, plan, failure).
 */
export function useSyncStatus(): SyncStatus | null {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  useEffect(() => {
    let live = true;
    let heard = false;
    const stop = client.on('sync.status', (next) => {
      heard = true;
      setStatus(next);
    });
    client.getSyncStatus({}).then(
      (first) => {
        // An event that arrived meanwhile is newer than this answer.
        if (live && !heard) setStatus(first);
      },
      () => {
        // No status yet: the chip stays hidden until the first event.
      },
    );
    return () => {
      live = false;
      stop();
    };
  }, []);
  return status;
}

/**
 * Checks the channel once when the network comes back. Connections flap (a tablet walking
 * between access points fires several `online` events), so the check waits for a quiet moment.
 */
export function useCheckWhenOnline(quietMs = 2000): void {
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
        // The outcome (and any failure) arrives as a sync.status event.
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
  }, [quietMs]);
}

/** The desktop app's own update (electron-updater), kept current by `update.*` events. */
export function useAppUpdate(): AppUpdateStatus | null {
  const [update, setUpdate] = useState<AppUpdateStatus | null>(null);
  useEffect(() => {
    let live = true;
    let heard = false;
    const stopStatus = client.on('update.status', (next) => {
      heard = true;
      setUpdate(next);
    });
    const stopReady = client.on('update.ready', ({ version }) => {
      heard = true;
      setUpdate({ state: 'ready', version, percent: 100, message: null });
    });
    client.getAppUpdateStatus({}).then(
      (first) => {
        if (live && !heard) setUpdate(first);
      },
      () => {},
    );
    return () => {
      live = false;
      stopStatus();
      stopReady();
    };
  }, []);
  return update;
}
