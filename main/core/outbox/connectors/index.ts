/**
 * The connectors the outbox can deliver to, by type: a new one (HubSpot, Dynamics) is its own
 * file here, its rules in main/shared/connectors, and one line in each registry.
 */
import type { EndpointSettings } from '#shared/sync';
import type { Connector } from './connector.ts';
import { folderConnector } from './folder.ts';
import { salesforceConnector } from './salesforce.ts';
import { webhookConnector } from './webhook.ts';

export const connectors = {
  webhook: webhookConnector,
  salesforce: salesforceConnector,
  folder: folderConnector,
} as const satisfies { [K in EndpointSettings['type']]: Connector<K, { type: K }, { type: K }> };

/** A stored entry of any connector, as the settings table keeps it. */
export type StoredEndpoint = {
  [K in keyof typeof connectors]: (typeof connectors)[K] extends Connector<K, infer S, { type: K }> ? S : never;
}[keyof typeof connectors];
/** An entry with its secrets opened, as a request needs it. */
export type Endpoint = {
  [K in keyof typeof connectors]: (typeof connectors)[K] extends Connector<K, { type: K }, infer O> ? O : never;
}[keyof typeof connectors];

/** The connector of a type, typed loosely for code that holds any entry. */
export function connectorOf(
  type: EndpointSettings['type'],
): Connector<EndpointSettings['type'], StoredEndpoint, Endpoint> {
  return connectors[type] as unknown as Connector<EndpointSettings['type'], StoredEndpoint, Endpoint>;
}

export type { Batch, BatchRow, Connector, OpenContext, Transport } from './connector.ts';
export type { WebhookEndpoint, StoredWebhook } from './webhook.ts';
export type { SalesforceEndpoint, StoredSalesforce } from './salesforce.ts';
export type { FolderEndpoint, StoredFolder } from './folder.ts';
export { salesforceRecord, crmEndpoint, crmEntry, primeToken } from './salesforce.ts';
