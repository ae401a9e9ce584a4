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
  connectorOf,
  salesforceRecord,
  type Batch,
  type BatchRow,
  type OpenContext,
  type StoredEndpoint,
  type Endpoint,
  type FolderEndpoint,
  type SalesforceEndpoint,
  type WebhookEndpoint,
} from './connectors/index.ts';
export { createDestinations, testDestination, type Destinations } from './destinations.ts';
// Studio forwards leads and meetings with the same connectors: the pieces it needs to keep
// settings sealed under its own key and open them only for a request.
export { applyDeliveryChange, deliveryView, type StoredDeliverySettings } from './settings.ts';
export { secretBox, type SecretBox } from './secrets.ts';
export { memoryTokenCache } from './salesforce-session.ts';
export { withoutPersonalData } from './redact.ts';
export { leadRecordsCsv, outboxCsv, spreadsheetSafe } from './csv.ts';
export { batchFileName } from './folder.ts';
export { deliveryHandlers, deliveryStatus } from './handlers.ts';
export { awaitedByStudio, sentElsewhere } from './studio-lane.ts';
