/**
 * What the sync screens read from the core. Status values arrive with their events, so those
 * events replace the data outright: an event is always newer than an answer still on its way.
 */
import type { AppUpdateStatus, ChannelSettings, DeliverySettingsView, DeliveryStatus, SyncStatus } from '#shared/sync';
import { useQuery } from '../data/useQuery';
import type { Query } from '../data/query';

export const syncQueries = {
  syncStatus: (): Query<SyncStatus> => ({
    key: ['sync-status'],
    what: 'Reading the sync status',
    deadlineMs: 15_000,
    load: (client) => client.getSyncStatus({}),
    replaceOn: { 'sync.status': (status) => status },
  }),
  appUpdate: (): Query<AppUpdateStatus> => ({
    key: ['app-update'],
    what: 'Reading the app update',
    deadlineMs: 15_000,
    load: (client) => client.getAppUpdateStatus({}),
    replaceOn: {
      'update.status': (status) => status,
      'update.ready': ({ version }) => ({ state: 'ready', version, percent: 100, message: null }),
    },
  }),
  /**
   * The outbox's health: the core announces `delivery.status` after every upload run and
   * whenever a record is queued, so the open panel follows it without polling.
   */
  deliveryStatus: (): Query<DeliveryStatus> => ({
    key: ['delivery-status'],
    what: 'Reading the uploads',
    deadlineMs: 15_000,
    load: (client) => client.getDeliveryStatus({}),
    replaceOn: { 'delivery.status': (status) => status },
  }),
  channelSettings: (): Query<ChannelSettings> => ({
    key: ['channel-settings'],
    what: 'Loading the channel settings',
    deadlineMs: 15_000,
    load: (client) => client.getChannelSettings({}),
  }),
  deliverySettings: (): Query<DeliverySettingsView> => ({
    key: ['delivery-settings'],
    what: 'Loading where records go',
    deadlineMs: 15_000,
    load: (client) => client.getDeliverySettings({}),
  }),
};

export const useSyncStatusQuery = () => useQuery(syncQueries.syncStatus());
export const useAppUpdateQuery = () => useQuery(syncQueries.appUpdate());
export const useDeliveryStatusQuery = () => useQuery(syncQueries.deliveryStatus());
export const useChannelSettings = () => useQuery(syncQueries.channelSettings());
export const useDeliverySettings = () => useQuery(syncQueries.deliverySettings());
