export { enqueue, lastDeliveryAt, lastOutboxError, pendingOutboxCount, type OutboxRow } from './store.ts';
export { batchKey, createDelivery, type DeliveryReport, type Endpoint, type WebhookEndpoint } from './deliver.ts';
