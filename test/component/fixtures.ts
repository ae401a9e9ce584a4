/** Small, typed stand-ins for what the core answers, shared by the component tests. */
import type { ItemDetail, ItemSummary, LibraryView } from '#shared/library';
import type { DeliveryStatus, SyncStatus } from '#shared/sync';

export function itemSummary(id: string, title: string, change: Partial<ItemSummary> = {}): ItemSummary {
  return {
    id,
    kind: 'pdf',
    category: 'brochure',
    title,
    description: `${title}, the description`,
    tags: [],
    products: [],
    audiences: [],
    collectionIds: ['main'],
    kiosk: true,
    pageCount: 4,
    thumbnail: null,
    validUntil: null,
    changedInVersion: 1,
    ...change,
  };
}

export function itemDetail(summary: ItemSummary, change: Partial<ItemDetail> = {}): ItemDetail {
  return {
    ...summary,
    primary: { sha256: 'a'.repeat(64), size: 10, mime: 'image/png' },
    poster: null,
    pageThumbnails: [],
    siteUrl: null,
    shareUrl: null,
    ...change,
  };
}

export function library(items: ItemSummary[], version = 3): LibraryView {
  return {
    release: {
      channel: 'demo',
      version,
      publishedAt: '2026-11-01T09:00:00.000Z',
      expiresAt: '2027-11-01T09:00:00.000Z',
      installedAt: '2026-11-02T09:00:00.000Z',
      itemCount: items.length,
    },
    lastSeenVersion: version,
    collections: [{ id: 'main', title: 'Brochures', description: '', itemIds: items.map((item) => item.id) }],
    items,
    glossary: [],
  };
}

export const syncStatus: SyncStatus = {
  state: 'idle',
  channelUrl: null,
  plan: null,
  progress: null,
  lastCheckAt: null,
  lastSuccessAt: null,
  lastError: null,
  storageBytes: 0,
  newSinceSeen: 0,
  pendingUploads: 0,
};

export function deliveryStatus(
  pendingByKind: Record<string, number>,
  change: Partial<DeliveryStatus> = {},
): DeliveryStatus {
  const pending = Object.values(pendingByKind).reduce((sum, n) => sum + n, 0);
  return { pending, pendingByKind, lastDeliveredAt: null, lastError: null, ...change };
}
