import { deliveryKindLabels, deliveryKinds, endpointProblems, problemLine } from '#shared/delivery';
import { PitchcaseError } from '#shared/result';
import type { ConnectionTestResult, DeliveryKind, DeliverySettings, DeliverySettingsView, EndpointSettings } from '#shared/sync';
import type { KeyProvider } from '../crypto/index.ts';
import type { ReadDb, WriteDb } from '../storage/database.ts';
import { writeSetting } from '../storage/settings.ts';
import type { Clock, Log } from '../types.ts';
import { testConnection } from './connection-test.ts';
import type { Endpoint, SalesforceEndpoint } from './deliver.ts';
import { createSalesforceSessions } from './salesforce-session.ts';
import {
  applyDeliveryChange,
  deliveryView,
  ENDPOINTS_KEY,
  keptSecrets,
  openSalesforceSecret,
  openWebhookHeaders,
  readStoredDelivery,
  sealLegacyDelivery,
  secretBox,
  type StoredEndpoint,
} from './settings.ts';
import { recordDeliveryFailure } from './store.ts';

/**
 * Where records go: the settings (sealed secrets, read back without them), the endpoints the
 * outbox delivers to (secrets opened only for the request), Salesforce sessions renewed from
 * refresh credentials, and "Test connection".
 */
export interface DestinationsOptions {
  db: WriteDb;
  read: ReadDb;
  keys: KeyProvider;
  clock: Clock;
  log: Log;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
}

export function createDestinations(options: DestinationsOptions) {
  const box = secretBox(options.keys);
  const sessions = createSalesforceSessions({ db: options.db, box, clock: options.clock, log: options.log, ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}), ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });

  try {
    if (sealLegacyDelivery(options.db, box)) options.log.info('delivery secrets stored in clear by an older version are now sealed');
  } catch (error) {
    options.log.error('delivery secrets stored in clear could not be sealed', { reason: (error as Error).message });
  }

  function runtime(entry: StoredEndpoint): Endpoint {
    if (entry.type === 'webhook') return { type: 'webhook', url: entry.url, headers: openWebhookHeaders(entry, box) };
    if (entry.type === 'folder') return { type: 'folder', path: entry.path };
    const session = sessions.sessionFor(entry);
    return {
      type: 'salesforce',
      instanceUrl: entry.instanceUrl,
      accessToken: session ? '' : (openSalesforceSecret(entry, 'accessToken', box) ?? ''),
      ...(entry.apiVersion ? { apiVersion: entry.apiVersion } : {}),
      ...(entry.externalIdField ? { externalIdField: entry.externalIdField } : {}),
      ...(session ? { session } : {}),
    };
  }

  return {
    view(): DeliverySettingsView {
      return deliveryView(readStoredDelivery(options.read));
    },

    update(change: DeliverySettings): DeliverySettingsView {
      const next = applyDeliveryChange(readStoredDelivery(options.read), change, box);
      writeSetting(options.db, ENDPOINTS_KEY, next);
      sessions.prune();
      return deliveryView(next);
    },

    /**
     * Each outbox kind's endpoint, with its secrets opened; a follow-up goes where the meeting
     * it follows goes. A kind whose secrets cannot be opened (another user's keystore) waits,
     * and the Uploads card says why.
     */
    endpoints(): Record<string, Endpoint> {
      const stored = readStoredDelivery(options.read);
      const out: Record<string, Endpoint> = {};
      for (const kind of deliveryKinds) {
        const entry = stored[kind];
        if (!entry) continue;
        try {
          out[kind] = runtime(entry);
        } catch (error) {
          const message = `The credentials for ${deliveryKindLabels[kind].toLowerCase()} cannot be opened on this device (${(error as Error).message}): set them again under "Where records go"`;
          options.log.error('delivery credentials cannot be opened', { kind, reason: (error as Error).message });
          recordDeliveryFailure(options.db, { at: options.clock.now().toISOString(), kind, message });
        }
      }
      if (out.meeting) out.followup = out.meeting;
      return out;
    },

    /**
     * The Salesforce connector the CRM cache reads with (the meeting's, else the lead's), with
     * the best token known; `renewToken` first gets one when only refresh credentials are there.
     */
    crmSalesforce(): SalesforceEndpoint | null {
      const stored = readStoredDelivery(options.read);
      const entry = stored.meeting?.type === 'salesforce' ? stored.meeting : stored.lead?.type === 'salesforce' ? stored.lead : null;
      if (!entry) return null;
      try {
        const endpoint = runtime(entry) as SalesforceEndpoint;
        const { session: _session, ...plain } = endpoint;
        return { ...plain, accessToken: sessions.knownToken(entry) };
      } catch {
        return null;
      }
    },

    /** Makes sure the CRM's Salesforce connector has a token when it has refresh credentials. */
    async primeCrmToken(): Promise<void> {
      const stored = readStoredDelivery(options.read);
      const entry = stored.meeting?.type === 'salesforce' ? stored.meeting : stored.lead?.type === 'salesforce' ? stored.lead : null;
      const session = entry?.type === 'salesforce' ? sessions.sessionFor(entry) : undefined;
      if (session && !sessions.knownToken(entry!)) await session.accessToken().catch(() => undefined);
    },

    /** "Test connection" of a kind's stored endpoint, or of `candidate` with the stored secrets it keeps. */
    async test(kind: DeliveryKind, candidate?: EndpointSettings): Promise<ConnectionTestResult> {
      const stored = readStoredDelivery(options.read)[kind] ?? null;
      let entry: StoredEndpoint | null = stored;
      if (candidate) {
        const problems = endpointProblems(kind, candidate, keptSecrets(stored, candidate));
        if (problems.length) return { ok: false, status: null, message: problemLine(problems[0]!) };
        // The candidate as it would be stored, without storing it; its session caches nothing.
        // New refresh credentials get a credential id of their own, so no token is cached for them.
        entry = applyDeliveryChange({ [kind]: stored }, { [kind]: candidate }, box)[kind] ?? null;
      }
      if (!entry) throw new PitchcaseError('bad-request', `${deliveryKindLabels[kind]}: nothing is set up to test`);
      let endpoint: Endpoint;
      try {
        endpoint = runtime(entry);
      } catch (error) {
        return { ok: false, status: null, message: `The stored credentials cannot be opened on this device: ${(error as Error).message}` };
      }
      return testConnection(kind, endpoint, { ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}), ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
    },
  };
}

export type Destinations = ReturnType<typeof createDestinations>;
