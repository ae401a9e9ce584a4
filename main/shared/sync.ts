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

/**
 * Where the outbox delivers each kind of record: a change as the UI, the CLI and tests send it.
 * Secrets are write-only: a secret field that is absent keeps the one stored (while the
 * endpoint's origin stays the same), a string replaces it and null clears it. They are sealed
 * with the profile's key in the core and never read back; see DeliverySettingsView.
 */
export interface WebhookEndpointSettings {
  type: 'webhook';
  url: string;
  /** Extra headers such as Authorization (all of them sealed: any header may carry a credential). */
  headers?: Record<string, string> | null;
  /** The Authorization header alone, e.g. "Bearer …"; null removes it. */
  authorization?: string | null;
}

/** Salesforce REST: leads become Leads and meetings Tasks, upserted by an external id. */
export interface SalesforceEndpointSettings {
  type: 'salesforce';
  instanceUrl: string;
  /** A session or access token; with refresh credentials it is used until refused. */
  accessToken?: string | null;
  /** OAuth refresh credentials of a connected app: a new access token whenever one expires. */
  clientId?: string | null;
  clientSecret?: string | null;
  refreshToken?: string | null;
  /** Default https://login.salesforce.com/services/oauth2/token (a sandbox: test.salesforce.com). */
  tokenUrl?: string | null;
  apiVersion?: string;
  /** A unique external-id field present on Lead and Task (default Pitchcase_Id__c). */
  externalIdField?: string;
}

/**
 * A folder on this device, a network share or a OneDrive/SharePoint folder synced here: each
 * batch becomes one CSV file in it, for an importer or a person to pick up. No secrets: the
 * folder's own permissions decide who reads it.
 */
export interface FolderEndpointSettings {
  type: 'folder';
  /** An absolute path: /mnt/crm-drop, C:\Users\…\OneDrive - Acme\Pitchcase, \\server\share\in. */
  path: string;
}

export type EndpointSettings = WebhookEndpointSettings | SalesforceEndpointSettings | FolderEndpointSettings;

/** The record kinds whose destination is configured; follow-ups go where meetings go. */
export type DeliveryKind = 'lead' | 'meeting' | 'event';

export interface DeliverySettings {
  lead?: EndpointSettings | null;
  meeting?: EndpointSettings | null;
  /** Activity goes to marketing's webhook or a folder; Salesforce does not take it. */
  event?: WebhookEndpointSettings | FolderEndpointSettings | null;
}

/** A webhook as read back: which headers are set, never their values. */
export interface WebhookEndpointView {
  type: 'webhook';
  url: string;
  headerNames: string[];
  hasAuthorization: boolean;
}

/** Salesforce as read back: which credentials are set, never the secrets themselves. */
export interface SalesforceEndpointView {
  type: 'salesforce';
  instanceUrl: string;
  apiVersion: string | null;
  externalIdField: string | null;
  hasAccessToken: boolean;
  /** A client id is not a secret (it is in every authorization URL of the connected app). */
  clientId: string | null;
  hasClientSecret: boolean;
  hasRefreshToken: boolean;
  /** The token URL used for refreshing (the default when none was set). */
  tokenUrl: string;
}

/** A folder has nothing secret: read back as it was set. */
export interface FolderEndpointView {
  type: 'folder';
  path: string;
}

export type EndpointView = WebhookEndpointView | SalesforceEndpointView | FolderEndpointView;

/** Delivery settings over the API: every kind present (null = records of it wait), no secrets. */
export interface DeliverySettingsView {
  lead: EndpointView | null;
  meeting: EndpointView | null;
  event: WebhookEndpointView | FolderEndpointView | null;
}

/** The outcome of "Test connection": a harmless request to the endpoint, and what it said. */
export interface ConnectionTestResult {
  ok: boolean;
  /** One line for the screen: what was tried and what came back. */
  message: string;
  /** The HTTP status of the last answer, null when none came (network, timeout, bad settings, a folder). */
  status: number | null;
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
