import { z } from 'zod';
import { deliveryKinds, endpointProblems, keptSecrets, problemLine } from '#shared/delivery';
import { rulesOf } from '#shared/connectors/index';
import { PitchcaseError } from '#shared/result';
import type {
  DeliveryKind,
  DeliverySettings,
  DeliverySettingsView,
  EndpointSettings,
  EndpointView,
  FolderEndpointView,
  WebhookEndpointView,
} from '#shared/sync';
import type { ReadDb, WriteDb } from '../storage/database.ts';
import { defineSetting, getSetting, putSetting, readStoredJson, type SettingReport } from '../storage/settings.ts';
import { connectorOf, connectors, type StoredEndpoint } from './connectors/index.ts';
import type { SecretBox } from './secrets.ts';

/**
 * Delivery settings as the settings table keeps them: URLs and ids in clear, every secret
 * sealed one by one with a key derived from the profile's lead key, so the database and its WAL
 * never hold them in clear and a change to one secret needs no other opened. Each connector
 * says how its entry is stored (connectors/); this file applies a change to all kinds.
 */
export const ENDPOINTS_KEY = 'outbox.endpoints';

const storedEndpoint = z.union([connectors.webhook.stored, connectors.salesforce.stored, connectors.folder.stored]);
const endpointsSetting = defineSetting(
  ENDPOINTS_KEY,
  z.object({
    lead: storedEndpoint.nullable().optional(),
    meeting: storedEndpoint.nullable().optional(),
    event: storedEndpoint.nullable().optional(),
  }),
  {},
);

export type StoredDeliverySettings = Partial<Record<DeliveryKind, StoredEndpoint | null>>;

export function readStoredDelivery(db: ReadDb | WriteDb, report: SettingReport): StoredDeliverySettings {
  return getSetting(db, endpointsSetting, report) as StoredDeliverySettings;
}

export function writeStoredDelivery(db: WriteDb, settings: StoredDeliverySettings): void {
  putSetting(db, endpointsSetting, settings);
}

/** Stored in clear by a version before sealing (the shape of DeliverySettings itself). */
function isLegacy(entry: unknown): boolean {
  if (typeof entry !== 'object' || entry === null) return false;
  const type = (entry as { type?: unknown }).type;
  if (typeof type !== 'string' || !(type in connectors)) return false;
  return connectorOf(type as EndpointSettings['type']).isLegacy?.(entry as Record<string, unknown>) ?? false;
}

/**
 * Seals what an older version stored in clear. Runs when the core opens; a key that cannot be
 * had (OS keystore refusing) leaves the row as it is, to try again next time.
 */
export function sealLegacyDelivery(db: WriteDb, box: SecretBox): boolean {
  // Read as stored: the legacy shape is exactly what the typed setting would refuse.
  const raw = readStoredJson(db, ENDPOINTS_KEY);
  const stored: Record<string, unknown> =
    typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  if (!Object.values(stored).some(isLegacy)) return false;
  const next: StoredDeliverySettings = {};
  for (const kind of deliveryKinds) {
    const entry = stored[kind];
    if (!entry) continue;
    next[kind] = isLegacy(entry) ? storeEndpoint(null, entry as EndpointSettings, box) : (entry as StoredEndpoint);
  }
  writeStoredDelivery(db, next);
  return true;
}

/** Which secrets are stored in an entry, by the names its rules declare. */
function storedSecrets(entry: StoredEndpoint): Record<string, boolean> {
  return rulesOf(entry.type).storedSecrets(connectorOf(entry.type).view(entry) as never);
}

/** The secrets a change keeps from the stored entry: same connector, same origins, not replaced. */
export function keptFor(stored: StoredEndpoint | null | undefined, change: EndpointSettings) {
  return keptSecrets(
    stored ? connectorOf(stored.type).view(stored) : null,
    stored ? storedSecrets(stored) : {},
    change,
  );
}

/**
 * One kind's new entry from its change. The previous entry is handed to the connector only when
 * it is the same connector at the same origins: a secret is kept only for where it was given.
 */
function storeEndpoint(
  stored: StoredEndpoint | null | undefined,
  change: EndpointSettings,
  box: SecretBox,
): StoredEndpoint {
  const connector = connectorOf(change.type);
  const unmoved = stored && stored.type === change.type && sameOrigins(stored, change);
  return connector.store(change, unmoved ? stored : null, box);
}

function sameOrigins(stored: StoredEndpoint, change: EndpointSettings): boolean {
  const rules = rulesOf(change.type);
  const a = rules.origins(connectorOf(stored.type).view(stored) as never);
  const b = rules.origins(change as never);
  return a.length === b.length && a.every((origin, i) => origin !== null && origin === b[i]);
}

/**
 * The stored settings after a change, or a bad-request error naming the kind and the field.
 * Kinds the change leaves out stay as they are; null removes a kind's endpoint.
 */
export function applyDeliveryChange(
  stored: StoredDeliverySettings,
  change: DeliverySettings,
  box: SecretBox,
): StoredDeliverySettings {
  const next: StoredDeliverySettings = { ...stored };
  for (const kind of deliveryKinds) {
    const target = change[kind];
    if (target === undefined) continue;
    if (target === null) {
      next[kind] = null;
      continue;
    }
    const problems = endpointProblems(kind, target, keptFor(stored[kind], target));
    if (problems.length) throw new PitchcaseError('bad-request', problemLine(problems[0]!));
    next[kind] = storeEndpoint(stored[kind], target, box);
  }
  return next;
}

/** What the API returns: every kind, and of each secret only whether it is set. */
export function deliveryView(stored: StoredDeliverySettings): DeliverySettingsView {
  const view = (kind: DeliveryKind): EndpointView | null => {
    const entry = stored[kind];
    return entry ? connectorOf(entry.type).view(entry) : null;
  };
  return {
    lead: view('lead'),
    meeting: view('meeting'),
    event: view('event') as WebhookEndpointView | FolderEndpointView | null,
  };
}
