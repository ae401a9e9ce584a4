import { deliveryKindLabels, deliveryKinds, endpointProblems, isDeliveryKind, problemLine } from '#shared/delivery';
import { rulesOf } from '#shared/connectors/index';
import { PitchcaseError } from '#shared/result';
import type {
  ConnectionTestResult,
  DeliveryKind,
  DeliverySettings,
  DeliverySettingsView,
  EndpointSettings,
} from '#shared/sync';
import type { KeyProvider } from '../crypto/index.ts';
import type { ReadDb, WriteDb } from '../storage/database.ts';
import type { Clock, Log } from '../types.ts';
import {
  connectorOf,
  connectors,
  crmEndpoint,
  crmEntry,
  primeToken,
  type Endpoint,
  type OpenContext,
  type SalesforceEndpoint,
  type StoredEndpoint,
} from './connectors/index.ts';
import { settingsTokenCache } from './salesforce-session.ts';
import { secretBox, type SecretBox } from './secrets.ts';
import {
  applyDeliveryChange,
  deliveryView,
  keptFor,
  readStoredDelivery,
  sealLegacyDelivery,
  writeStoredDelivery,
} from './settings.ts';
import { recordDeliveryFailure } from './store.ts';

/**
 * Where records go: the settings (sealed secrets, read back without them), the endpoints the
 * outbox delivers to (secrets opened only for the request), and "Test connection". What each
 * connector does is its own (connectors/); this is the part common to all of them.
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
  const memos = new Map<string, unknown>();
  const stored = () => readStoredDelivery(options.read, options.log);
  const tokens = settingsTokenCache(options.db, options.log);
  const contextFor = (type: EndpointSettings['type'], timeoutMs: number): OpenContext => ({
    tokens,
    box,
    clock: options.clock,
    log: options.log,
    transport: { fetchImpl: options.fetchImpl ?? fetch, timeoutMs },
    storedOfType: () => Object.values(readStoredDelivery(options.db, options.log)).filter((e) => e?.type === type),
    memo: <T>(key: string, make: () => T): T => {
      if (!memos.has(key)) memos.set(key, make());
      return memos.get(key) as T;
    },
  });
  const context = (type: EndpointSettings['type']) => contextFor(type, options.timeoutMs ?? 30_000);

  try {
    if (sealLegacyDelivery(options.db, box))
      options.log.info('delivery secrets stored in clear by an older version are now sealed');
  } catch (error) {
    options.log.error('delivery secrets stored in clear could not be sealed', { reason: (error as Error).message });
  }

  const open = (entry: StoredEndpoint): Endpoint => connectorOf(entry.type).open(entry, context(entry.type));

  // The CRM cache reads Salesforce: the connector says which entry and with what token.
  const crmSource = () => crmEntry(stored());
  const crmContext = () => context(connectors.salesforce.type);

  return {
    view(): DeliverySettingsView {
      return deliveryView(stored());
    },

    update(change: DeliverySettings): DeliverySettingsView {
      const next = applyDeliveryChange(stored(), change, box);
      writeStoredDelivery(options.db, next);
      // Every connector, also one no kind uses any more: it may forget what it kept for it.
      for (const type of Object.keys(connectors) as EndpointSettings['type'][])
        connectorOf(type).afterChange?.(context(type));
      return deliveryView(next);
    },

    /**
     * Each outbox kind's endpoint, with its secrets opened; a follow-up goes where the meeting
     * it follows goes. A kind whose secrets cannot be opened (another user's keystore) waits,
     * and the Uploads card says why.
     */
    endpoints(): Record<string, Endpoint> {
      const all = stored();
      const out: Record<string, Endpoint> = {};
      for (const kind of deliveryKinds) {
        const entry = all[kind];
        if (!entry) continue;
        try {
          out[kind] = open(entry);
        } catch (error) {
          const message = `The credentials for ${deliveryKindLabels[kind].toLowerCase()} cannot be opened on this device (${(error as Error).message}): set them again under "Where records go"`;
          options.log.error('delivery credentials cannot be opened', { kind, reason: (error as Error).message });
          recordDeliveryFailure(options.db, { at: options.clock.now().toISOString(), kind, message });
        }
      }
      if (out.meeting) out.followup = out.meeting;
      return out;
    },

    /** A destination is set for the kind (a follow-up goes where meetings go). */
    has(kind: string): boolean {
      const target = kind === 'followup' ? 'meeting' : kind;
      return isDeliveryKind(target) && Boolean(stored()[target]);
    },

    /** Where records of a kind go, as the Uploads card titles it ("Webhook · crm.example.com"). */
    describe(kind: string): string[] {
      const target = kind === 'followup' ? 'meeting' : kind;
      if (!isDeliveryKind(target)) return [];
      const view = deliveryView(stored())[target];
      return view ? [rulesOf(view.type).summary(view as never).title] : [];
    },

    /** The Salesforce connector the CRM cache reads with, with the best token known. */
    crmSalesforce(): SalesforceEndpoint | null {
      const entry = crmSource();
      if (!entry) return null;
      try {
        return crmEndpoint(entry, crmContext());
      } catch {
        return null;
      }
    },

    /** Makes sure the CRM's Salesforce connector has a token when it has refresh credentials. */
    async primeCrmToken(): Promise<void> {
      const entry = crmSource();
      if (entry) await primeToken(entry, crmContext());
    },

    /**
     * "Test connection" of a kind's stored endpoint, or of `candidate` with the stored secrets
     * it keeps: none when the candidate points elsewhere, so a test never sends a stored
     * credential (or a token cached for it) to a host it was not given for.
     */
    async test(kind: DeliveryKind, candidate?: EndpointSettings): Promise<ConnectionTestResult> {
      return testDestination({
        current: stored()[kind] ?? null,
        kind,
        candidate,
        box,
        context: (type) => contextFor(type, Math.min(options.timeoutMs ?? 15_000, 15_000)),
      });
    },
  };
}

export type Destinations = ReturnType<typeof createDestinations>;

/**
 * "Test connection" of a kind's stored entry, or of `candidate` with the stored secrets it keeps:
 * none when the candidate points elsewhere, so a test never sends a stored credential (or a
 * token cached for it) to a host it was not given for. Shared by a device and Studio, which
 * keep their entries in different stores.
 */
export async function testDestination(request: {
  current: StoredEndpoint | null;
  kind: DeliveryKind;
  candidate?: EndpointSettings | undefined;
  box: SecretBox;
  context(type: EndpointSettings['type']): OpenContext;
}): Promise<ConnectionTestResult> {
  const { current, kind, candidate, box } = request;
  let entry: StoredEndpoint | null = current;
  if (candidate) {
    const problems = endpointProblems(kind, candidate, keptFor(current, candidate));
    if (problems.length) return { ok: false, status: null, message: problemLine(problems[0]!) };
    // The candidate as it would be stored, without storing it; new refresh credentials get a
    // credential id of their own, so no token cached for others is used.
    entry = applyDeliveryChange({ [kind]: current }, { [kind]: candidate }, box)[kind] ?? null;
  }
  if (!entry) throw new PitchcaseError('bad-request', `${deliveryKindLabels[kind]}: nothing is set up to test`);
  const connector = connectorOf(entry.type);
  const testContext = request.context(entry.type);
  let endpoint: Endpoint;
  try {
    endpoint = connector.open(entry, testContext);
  } catch (error) {
    return {
      ok: false,
      status: null,
      message: `The stored credentials cannot be opened here: ${(error as Error).message}`,
    };
  }
  return connector.test(kind, endpoint, testContext.transport);
}
