/**
 * The app's own updates, behind a small adapter: electron-updater in Electron (main/electron),
 * a fake in tests, none in the browser host (the core then reports 'unsupported').
 */
import type { UpdatesApi } from '#shared/contract';
import type { AppUpdateStatus } from '#shared/sync';
import type { AppUpdater } from '../types.ts';
import type { EventBus } from '../events.ts';

const unsupported: AppUpdateStatus = {
  state: 'unsupported',
  version: null,
  percent: null,
  message: 'App updates are installed by the desktop app.',
};

/** Announces the updater's states on the bus; returns the function that stops it. */
export function announceUpdates(updater: AppUpdater | null, events: EventBus): () => void {
  if (!updater) return () => {};
  return updater.onStatus((status) => {
    events.emit('update.status', status);
    if (status.state === 'ready' && status.version) events.emit('update.ready', { version: status.version });
  });
}

export function updatesHandlers(updater: AppUpdater | null): UpdatesApi {
  return {
    async getAppUpdateStatus() {
      return updater ? updater.status() : unsupported;
    },
    async restartToUpdate() {
      if (!updater) return unsupported;
      updater.restartToUpdate();
      return updater.status();
    },
  };
}
