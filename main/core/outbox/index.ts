export { enqueue, lastDeliveryAt, lastOutboxError, pendingOutboxByKind, pendingOutboxCount, type OutboxRow } from './store.ts';
export { batchKey, createDelivery, endpointMessage, salesforceRecord, type DeliveryReport, type Endpoint, type FolderEndpoint, type SalesforceEndpoint, type WebhookEndpoint } from './deliver.ts';
export { createDestinations, type Destinations } from './destinations.ts';
export { leadRecordsCsv, outboxCsv, spreadsheetSafe } from './csv.ts';
export { batchFileName } from './folder.ts';
export { deliveryHandlers, deliveryStatus } from './handlers.ts';
