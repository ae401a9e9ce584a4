/** The outbox's slice of the contract: where records go, connection tests, and upload health. */
import type { DeliveryApi } from '#shared/contract';
import type { DeliveryStatus } from '#shared/sync';
import type { ReadDb } from '../storage/database.ts';
import type { createDelivery } from './deliver.ts';
import type { Destinations } from './destinations.ts';
import { lastDeliveryAt, lastOutboxError, pendingOutboxByKind, pendingOutboxCount } from './store.ts';

/** Pending uploads, the last success and the last error: the sync-health panel. */
export function deliveryStatus(read: ReadDb): DeliveryStatus {
  return {
    pending: pendingOutboxCount(read),
    pendingByKind: pendingOutboxByKind(read),
    lastDeliveredAt: lastDeliveryAt(read),
    lastError: lastOutboxError(read),
  };
}

export function deliveryHandlers(ctx: {
  read: ReadDb;
  destinations: Destinations;
  delivery: ReturnType<typeof createDelivery>;
  /** Upload in the background (the apps); tests and one-shot commands flush by hand. */
  backgroundSync: boolean;
  /** The network is there: the CRM cache refreshes too when it is due. */
  onDelivered(): void;
}): DeliveryApi {
  return {
    async getDeliverySettings() {
      return ctx.destinations.view();
    },
    async updateDeliverySettings(change) {
      const view = ctx.destinations.update(change);
      // Records waiting for a destination (or refused by the old one) try the new one now.
      if (ctx.backgroundSync) void ctx.delivery.flush({ retryNow: true });
      return view;
    },
    async testDeliveryConnection({ kind, endpoint }) {
      return ctx.destinations.test(kind, endpoint);
    },
    async deliverNow() {
      // The rep (or IT) asked: waiting records go now, not when their backoff says.
      await ctx.delivery.flush({ retryNow: true });
      // Announced by 'crm.changed' when it happens.
      ctx.onDelivered();
      return deliveryStatus(ctx.read);
    },
    async getDeliveryStatus() {
      return deliveryStatus(ctx.read);
    },
  };
}
