export { enqueue, lastDeliveryAt, lastOutboxError, pendingOutboxCount, type OutboxRow } from './store.ts';
export { batchKey, createDelivery, salesforceRecord, type DeliveryReport, type Endpoint, type SalesforceEndpoint, type WebhookEndpoint } from './deliver.ts';
