export {
  enqueue,
  lastDeliveryAt,
  lastOutboxError,
  onQueued,
  pendingOutboxByKind,
  pendingOutboxCount,
  type OutboxRow,
} from './store.ts';
export { batchKey, createDelivery, type DeliveryReport } from './deliver.ts';
export { endpointMessage, exchange, redirectProblem } from './http.ts';
export {
  salesforceRecord,
  type Endpoint,
  type FolderEndpoint,
  type SalesforceEndpoint,
  type WebhookEndpoint,
} from './connectors/index.ts';
export { createDestinations, type Destinations } from './destinations.ts';
export { leadRecordsCsv, outboxCsv, spreadsheetSafe } from './csv.ts';
export { batchFileName } from './folder.ts';
export { deliveryHandlers, deliveryStatus } from './handlers.ts';
export { awaitedByStudio, sentElsewhere } from './studio-lane.ts';
