/** The content channel and app updates, as the UI and the CLI see them. */

export interface ChannelSettings {
  /** Where releases come from: https://…/, http://…/ (loopback/test only) or file:///… (USB, share). */
  channelUrl: string | null;
  /** Pinned ed25519 public keys (PEM); a release must be signed by one of them. */
  publicKeys: string[];
  /** Apply a verified release as soon as it is downloaded, without asking. */
  autoApply: boolean;
  /** Minutes between background checks while the app runs. */
  checkIntervalMinutes: number;
}

export interface PlannedItem {
  id: string;
  title: string;
}

/** What a new release would change, shown before it is applied. */
export interface SyncPlan {
  channel: string;
  fromVersion: number | null;
  toVersion: number;
  publishedAt: string;
  added: PlannedItem[];
  updated: PlannedItem[];
  removed: PlannedItem[];
  /** Bytes still to download (files already on the device are not fetched again). */
  downloadBytes: number;
  downloadFiles: number;
  /** Bytes of the whole release once applied. */
  totalBytes: number;
}

export type SyncState = 'idle' | 'checking' | 'available' | 'downloading' | 'applying' | 'error';

export interface SyncProgress {
  bytesDone: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
  /** Seconds left at the current rate, once there is a rate. */
  etaSeconds: number | null;
}

export interface SyncStatus {
  state: SyncState;
  channelUrl: string | null;
  plan: SyncPlan | null;
  progress: SyncProgress | null;
  lastCheckAt: string | null;
  lastSuccessAt: string | null;
  lastError: { at: string; message: string } | null;
  /** Bytes of content files on this device. */
  storageBytes: number;
  /** Items new or changed since the rep last looked at the library. */
  newSinceSeen: number;
  /** Activity, leads and meetings waiting for a network to be uploaded. */
  pendingUploads: number;
}

export type AppUpdateState = 'unsupported' | 'idle' | 'checking' | 'downloading' | 'ready' | 'error';

export interface AppUpdateStatus {
  state: AppUpdateState;
  /** The version being downloaded or ready to install. */
  version: string | null;
  percent: number | null;
  message: string | null;
}

/** Where the outbox delivers each kind of record (a generic HTTPS webhook for now). */
export interface WebhookEndpointSettings {
  type: 'webhook';
  url: string;
  /** Extra headers such as Authorization. */
  headers?: Record<string, string>;
}

/** Salesforce REST: leads become Leads and meetings Tasks, upserted by an external id. */
export interface SalesforceEndpointSettings {
  type: 'salesforce';
  instanceUrl: string;
  accessToken: string;
  apiVersion?: string;
  /** A unique external-id field present on Lead and Task (default Pitchcase_Id__c). */
  externalIdField?: string;
}

export type EndpointSettings = WebhookEndpointSettings | SalesforceEndpointSettings;

export interface DeliverySettings {
  lead?: EndpointSettings | null;
  meeting?: EndpointSettings | null;
  /** Activity goes to marketing's webhook; Salesforce does not take it. */
  event?: WebhookEndpointSettings | null;
}

export interface DeliveryStatus {
  pending: number;
  /** Waiting records by outbox kind: lead, meeting, event (activity), followup. */
  pendingByKind: Record<string, number>;
  /** When a batch last got a 2xx. */
  lastDeliveredAt: string | null;
  /**
   * The last refusal or network failure, with what the endpoint said; cleared once no waiting
   * record carries an error. `at` is null only for failures recorded by an older version.
   */
  lastError: { at: string | null; message: string; kind?: string } | null;
}
