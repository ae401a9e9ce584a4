/** The content channel's slice of the contract. */
import type { SyncApi } from '#shared/contract';
import type { Sync } from './sync.ts';

export function syncHandlers(sync: Sync): SyncApi {
  return {
    async getChannelSettings() {
      return sync.settings();
    },
    async updateChannelSettings(change) {
      return sync.updateSettings(change);
    },
    async checkForContent() {
      return sync.check();
    },
    async applyContent() {
      return sync.apply();
    },
    async getSyncStatus() {
      return sync.status();
    },
    async markLibrarySeen() {
      return sync.markSeen();
    },
  };
}
