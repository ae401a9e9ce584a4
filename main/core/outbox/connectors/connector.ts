import type { z } from 'zod';
import type { ConnectorRules } from '#shared/connectors/index';
import type { ConnectionTestResult, DeliveryKind, EndpointSettings, EndpointView } from '#shared/sync';
import type { Clock, Log } from '../../types.ts';
import type { SecretBox } from '../secrets.ts';
import type { TokenCache } from '../salesforce-session.ts';
import type { OutboxRow } from '../store.ts';

/**
 * A connector: where the outbox's records can go (a webhook, Salesforce, a folder). Each one
 * is one file that knows how its settings are stored (secrets sealed), read back (secrets only
 * as "set"), opened for a request, sent a batch and tested; the outbox, the settings and
 * "Test connection" ask it instead of switching on its type. Its shared rules (label, secrets,
 * origins, validation) are in main/shared/connectors.
 */
export interface Batch {
  /** The batch's Idempotency-Key: kept with its rows until they are acknowledged. */
  key: string;
  kind: string;
  rows: readonly BatchRow[];
  /** Each row as it goes on the wire (a lead's sealed fields opened). */
  payloads: readonly unknown[];
}

/** What a connector reads of a record besides its payload: a device's outbox row, or Studio's forward. */
export type BatchRow = Pick<OutboxRow, 'idempotencyKey' | 'kind' | 'createdAt' | 'source'>;

/** What a connector may use to reach its endpoint. */
export interface Transport {
  fetchImpl: typeof fetch;
  timeoutMs: number;
}

/** What opening a stored entry may need: the owner's key (a profile's, Studio's), and state kept by it. */
export interface OpenContext {
  /** Access tokens a connector obtained, kept sealed between requests. */
  tokens: TokenCache;
  box: SecretBox;
  clock: Clock;
  log: Log;
  transport: Transport;
  /** Every stored entry of this connector's type (a cache may keep only what is still used). */
  storedOfType(): unknown[];
  /** A value kept for the life of the profile's core, made once per key. */
  memo<T>(key: string, make: () => T): T;
}

type Settings<K> = Extract<EndpointSettings, { type: K }>;

export interface Connector<K extends EndpointSettings['type'], Stored extends { type: K }, Opened extends { type: K }> {
  type: K;
  rules: ConnectorRules<K>;
  /** The shape of its stored entry: anything else in the settings table is not trusted. */
  stored: z.ZodType<Stored>;
  /** An entry written in clear by a version before secrets were sealed. */
  isLegacy?(entry: Record<string, unknown>): boolean;
  /**
   * The entry to store for a change, secrets sealed. `previous` is the stored entry when it is
   * of this type at the same origins, else null: secrets left out of the change are kept only
   * from it, so none ever follows the endpoint to another host.
   */
  store(change: Settings<K>, previous: Stored | null, box: SecretBox): Stored;
  view(entry: Stored): Extract<EndpointView, { type: K }>;
  /** The entry with its secrets opened, for requests only. */
  open(entry: Stored, context: OpenContext): Opened;
  /** At most this many records per batch (Salesforce upserts one at a time). */
  maxBatch?: number;
  send(endpoint: Opened, batch: Batch, transport: Transport): Promise<void>;
  test(kind: DeliveryKind, endpoint: Opened, transport: Transport): Promise<ConnectionTestResult>;
  /** After the settings changed: forget state kept for entries no longer stored. */
  afterChange?(context: OpenContext): void;
}
