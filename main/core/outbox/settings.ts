import { hkdfSync, randomUUID } from 'node:crypto';
import {
  DEFAULT_SALESFORCE_TOKEN_URL,
  deliveryKinds,
  endpointProblems,
  originOf,
  problemLine,
  type KeptSecrets,
} from '#shared/delivery';
import { PitchcaseError } from '#shared/result';
import type {
  DeliveryKind,
  DeliverySettings,
  DeliverySettingsView,
  EndpointSettings,
  EndpointView,
  FolderEndpointView,
  SalesforceEndpointSettings,
  WebhookEndpointSettings,
  WebhookEndpointView,
} from '#shared/sync';
import { seal, unseal, type KeyProvider } from '../crypto/index.ts';
import type { ReadDb, WriteDb } from '../storage/database.ts';
import { readSetting, writeSetting } from '../storage/settings.ts';

/**
 * Delivery settings as the settings table keeps them: URLs and ids in clear, every secret
 * (webhook headers, Salesforce access token, client secret, refresh token) sealed one by one
 * with a key derived from the profile's lead key, so the database and its WAL never hold them in
 * clear and a change to one secret needs no other opened. No migration: it is one settings row.
 */
export const ENDPOINTS_KEY = 'outbox.endpoints';

export interface StoredWebhook {
  type: 'webhook';
  url: string;
  headerNames: string[];
  /** Sealed JSON object of every header (Authorization included). */
  headers?: string;
}

export interface StoredSalesforce {
  type: 'salesforce';
  instanceUrl: string;
  apiVersion?: string;
  externalIdField?: string;
  clientId?: string;
  tokenUrl?: string;
  /**
   * Names the refresh credentials: a new id whenever client id, token URL or refresh token
   * change, so an access token cached for the old ones is never used with the new ones.
   */
  credentialId?: string;
  accessToken?: string;
  clientSecret?: string;
  refreshToken?: string;
  /** Marks the sealed format (a row written before it holds the secrets in clear). */
  sealed: true;
}

/** A folder: its path, nothing sealed. */
export interface StoredFolder {
  type: 'folder';
  path: string;
}

export type StoredEndpoint = StoredWebhook | StoredSalesforce | StoredFolder;
export type StoredDeliverySettings = Partial<Record<DeliveryKind, StoredEndpoint | null>>;

/** Opens and seals secret strings with the profile's key; the key is asked for only when needed. */
export interface SecretBox {
  seal(value: unknown): string;
  open<T>(sealed: string): T;
}

export function secretBox(keys: KeyProvider): SecretBox {
  let key: Buffer | null = null;
  // A key of its own for delivery secrets, derived from the lead key: one keystore entry, and
  // a sealed token can never be mistaken for (or opened as) a sealed lead.
  const derived = () => (key ??= Buffer.from(hkdfSync('sha256', keys.leadKey(), Buffer.alloc(0), 'pitchcase delivery secrets', 32)));
  return {
    seal: (value) => seal(derived(), value).toString('base64'),
    open: <T>(sealed: string) => unseal<T>(derived(), Buffer.from(sealed, 'base64')),
  };
}

export function readStoredDelivery(db: ReadDb | WriteDb): StoredDeliverySettings {
  return readSetting<StoredDeliverySettings>(db, ENDPOINTS_KEY, {});
}

/** Stored in clear by a version before sealing (the shape of DeliverySettings itself). */
function isLegacy(entry: unknown): boolean {
  if (typeof entry !== 'object' || entry === null) return false;
  const e = entry as { type?: unknown; sealed?: unknown; headerNames?: unknown };
  return e.type === 'salesforce' ? e.sealed !== true : e.type === 'webhook' && !Array.isArray(e.headerNames);
}

/**
 * Seals what an older version stored in clear. Runs when the core opens; a key that cannot be
 * had (OS keystore refusing) leaves the row as it is, to try again next time.
 */
export function sealLegacyDelivery(db: WriteDb, box: SecretBox): boolean {
  const stored = readSetting<Record<string, unknown>>(db, ENDPOINTS_KEY, {});
  if (!Object.values(stored).some(isLegacy)) return false;
  const next: StoredDeliverySettings = {};
  for (const kind of deliveryKinds) {
    const entry = stored[kind];
    if (!entry) continue;
    next[kind] = isLegacy(entry) ? storeNew(entry as EndpointSettings, box) : (entry as StoredEndpoint);
  }
  writeSetting(db, ENDPOINTS_KEY, next);
  return true;
}

function storeNew(endpoint: EndpointSettings, box: SecretBox): StoredEndpoint {
  return mergeEndpoint(null, endpoint, box);
}

function webhookHeaders(entry: StoredWebhook, box: SecretBox): Record<string, string> {
  return entry.headers ? box.open<Record<string, string>>(entry.headers) : {};
}

/** The secrets a change keeps from the stored entry: same type, same origin, not replaced. */
export function keptSecrets(stored: StoredEndpoint | null | undefined, change: EndpointSettings): KeptSecrets {
  if (!stored || stored.type !== change.type || stored.type === 'folder') return { accessToken: false, clientSecret: false, refreshToken: false, authorization: false };
  if (stored.type === 'webhook') {
    const sameOrigin = originOf(stored.url) === originOf((change as WebhookEndpointSettings).url);
    return { accessToken: false, clientSecret: false, refreshToken: false, authorization: sameOrigin && stored.headerNames.some((n) => n.toLowerCase() === 'authorization') };
  }
  const next = change as SalesforceEndpointSettings;
  const sameInstance = originOf(stored.instanceUrl) === originOf(next.instanceUrl);
  const sameTokenUrl = originOf(stored.tokenUrl ?? DEFAULT_SALESFORCE_TOKEN_URL) === originOf(next.tokenUrl || DEFAULT_SALESFORCE_TOKEN_URL);
  return { accessToken: sameInstance && Boolean(stored.accessToken), clientSecret: sameTokenUrl && Boolean(stored.clientSecret), refreshToken: sameTokenUrl && Boolean(stored.refreshToken), authorization: false };
}

/**
 * One kind's new entry from its change. A secret left out is kept only while the origin it was
 * given for stays the same: pointing an endpoint at another host never sends it the old secret.
 */
function mergeEndpoint(stored: StoredEndpoint | null | undefined, change: EndpointSettings, box: SecretBox): StoredEndpoint {
  if (change.type === 'folder') return { type: 'folder', path: change.path.trim() };
  const kept = keptSecrets(stored, change);
  if (change.type === 'webhook') {
    const previous = stored?.type === 'webhook' ? stored : null;
    const url = change.url.trim();
    let headers: Record<string, string> | null;
    let headersChanged = false;
    if (change.headers !== undefined) {
      headers = { ...(change.headers ?? {}) };
      headersChanged = true;
    } else if (previous && originOf(previous.url) === originOf(url)) {
      headers = null; // kept sealed as they are, unless Authorization changes below
    } else {
      headers = {};
      headersChanged = Boolean(previous?.headers);
    }
    if (change.authorization !== undefined) {
      headers ??= previous ? webhookHeaders(previous, box) : {};
      for (const name of Object.keys(headers)) if (name.toLowerCase() === 'authorization') delete headers[name];
      if (change.authorization !== null) headers.Authorization = change.authorization.trim();
      headersChanged = true;
    }
    if (!headersChanged && previous) return { type: 'webhook', url, headerNames: previous.headerNames, ...(previous.headers ? { headers: previous.headers } : {}) };
    const final = headers ?? {};
    const names = Object.keys(final);
    return { type: 'webhook', url, headerNames: names, ...(names.length ? { headers: box.seal(final) } : {}) };
  }
  const previous = stored?.type === 'salesforce' ? stored : null;
  const secretOf = (field: 'accessToken' | 'clientSecret' | 'refreshToken'): string | undefined => {
    const given = change[field];
    if (given === null) return undefined;
    if (given !== undefined) return box.seal(given.trim());
    return kept[field] ? previous?.[field] : undefined;
  };
  const clientId = change.clientId?.trim() || undefined;
  const tokenUrl = change.tokenUrl?.trim() || undefined;
  const accessToken = secretOf('accessToken');
  const clientSecret = secretOf('clientSecret');
  const refreshToken = secretOf('refreshToken');
  const sameCredentials =
    previous?.credentialId !== undefined && previous.clientId === clientId && (previous.tokenUrl ?? undefined) === tokenUrl && change.refreshToken === undefined && Boolean(refreshToken);
  return {
    type: 'salesforce',
    instanceUrl: change.instanceUrl.trim(),
    ...(change.apiVersion ? { apiVersion: change.apiVersion } : {}),
    ...(change.externalIdField ? { externalIdField: change.externalIdField } : {}),
    ...(clientId ? { clientId } : {}),
    ...(tokenUrl ? { tokenUrl } : {}),
    ...(clientId && refreshToken ? { credentialId: sameCredentials ? previous.credentialId : randomUUID() } : {}),
    ...(accessToken ? { accessToken } : {}),
    ...(clientSecret ? { clientSecret } : {}),
    ...(refreshToken ? { refreshToken } : {}),
    sealed: true,
  };
}

/**
 * The stored settings after a change, or a bad-request error naming the kind and the field.
 * Kinds the change leaves out stay as they are; null removes a kind's endpoint.
 */
export function applyDeliveryChange(stored: StoredDeliverySettings, change: DeliverySettings, box: SecretBox): StoredDeliverySettings {
  const next: StoredDeliverySettings = { ...stored };
  for (const kind of deliveryKinds) {
    const target = change[kind];
    if (target === undefined) continue;
    if (target === null) {
      next[kind] = null;
      continue;
    }
    const problems = endpointProblems(kind, target, keptSecrets(stored[kind], target));
    if (problems.length) throw new PitchcaseError('bad-request', problemLine(problems[0]!));
    next[kind] = mergeEndpoint(stored[kind], target, box);
  }
  return next;
}

function endpointView(entry: StoredEndpoint): EndpointView {
  if (entry.type === 'folder') return { type: 'folder', path: entry.path };
  if (entry.type === 'webhook') {
    return { type: 'webhook', url: entry.url, headerNames: [...entry.headerNames], hasAuthorization: entry.headerNames.some((n) => n.toLowerCase() === 'authorization') };
  }
  return {
    type: 'salesforce',
    instanceUrl: entry.instanceUrl,
    apiVersion: entry.apiVersion ?? null,
    externalIdField: entry.externalIdField ?? null,
    hasAccessToken: Boolean(entry.accessToken),
    clientId: entry.clientId ?? null,
    hasClientSecret: Boolean(entry.clientSecret),
    hasRefreshToken: Boolean(entry.refreshToken),
    tokenUrl: entry.tokenUrl ?? DEFAULT_SALESFORCE_TOKEN_URL,
  };
}

/** What the API returns: every kind, and of each secret only whether it is set. */
export function deliveryView(stored: StoredDeliverySettings): DeliverySettingsView {
  const view = (kind: DeliveryKind) => {
    const entry = stored[kind];
    return entry && !isLegacy(entry) ? endpointView(entry) : null;
  };
  return { lead: view('lead'), meeting: view('meeting'), event: view('event') as WebhookEndpointView | FolderEndpointView | null };
}

/** A webhook's headers in clear, for the request only. */
export function openWebhookHeaders(entry: StoredWebhook, box: SecretBox): Record<string, string> {
  return webhookHeaders(entry, box);
}

/** One of a Salesforce entry's secrets in clear, for the request only. */
export function openSalesforceSecret(entry: StoredSalesforce, field: 'accessToken' | 'clientSecret' | 'refreshToken', box: SecretBox): string | null {
  const sealed = entry[field];
  return sealed ? box.open<string>(sealed) : null;
}
