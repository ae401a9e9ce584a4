import { DEFAULT_SALESFORCE_TOKEN_URL } from '#shared/delivery';
import type { WriteDb } from '../storage/database.ts';
import { readSetting, writeSetting } from '../storage/settings.ts';
import type { Clock, Log } from '../types.ts';
import type { SalesforceSession } from './deliver.ts';
import { openSalesforceSecret, readStoredDelivery, type SecretBox, type StoredSalesforce } from './settings.ts';

/**
 * Access tokens for Salesforce connectors set up with OAuth refresh credentials. A Salesforce
 * session ends after a few hours; with a refresh token the connector gets a new access token
 * from the token URL (grant_type=refresh_token) instead of failing for good. The token is cached
 * sealed in the settings table, keyed by the credentials it was issued for.
 */
export const SESSIONS_KEY = 'outbox.salesforceSessions';

interface CachedToken {
  /** Sealed access token. */
  token: string;
  obtainedAt: string;
}

export interface SalesforceSessionOptions {
  db: WriteDb;
  box: SecretBox;
  clock: Clock;
  log: Log;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
}

/** The OAuth error of a token endpoint's answer: `invalid_grant: expired access/refresh token`. */
function oauthMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; error_description?: unknown };
    const said = [parsed.error, parsed.error_description].filter((v): v is string => typeof v === 'string' && v.length > 0);
    if (said.length) return said.join(': ').slice(0, 300);
  } catch {
    // Not JSON.
  }
  return body.trim().replace(/\s+/g, ' ').slice(0, 300);
}

export function createSalesforceSessions(options: SalesforceSessionOptions) {
  const doFetch = options.fetchImpl ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const renewing = new Map<string, Promise<string>>();

  const cache = () => readSetting<Record<string, CachedToken>>(options.db, SESSIONS_KEY, {});

  function cachedToken(credentialId: string): string | null {
    const entry = cache()[credentialId];
    if (!entry) return null;
    try {
      return options.box.open<string>(entry.token);
    } catch {
      return null;
    }
  }

  async function fetchToken(entry: StoredSalesforce): Promise<string> {
    const tokenUrl = entry.tokenUrl ?? DEFAULT_SALESFORCE_TOKEN_URL;
    const form = new URLSearchParams({ grant_type: 'refresh_token', client_id: entry.clientId ?? '', refresh_token: openSalesforceSecret(entry, 'refreshToken', options.box) ?? '' });
    const secret = openSalesforceSecret(entry, 'clientSecret', options.box);
    if (secret) form.set('client_secret', secret);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let status: number;
    let body: string;
    try {
      const response = await doFetch(tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: form.toString(),
        signal: controller.signal,
      });
      status = response.status;
      body = await response.text();
    } catch (error) {
      const reason = controller.signal.aborted ? `no answer within ${Math.round(timeoutMs / 1000)} s` : ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message;
      throw new Error(`Salesforce token refresh failed: ${tokenUrl} could not be reached (${reason})`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
    if (status < 200 || status > 299) {
      throw new Error(`Salesforce token refresh failed: ${tokenUrl} answered HTTP ${status}: ${oauthMessage(body)}. Set new refresh credentials under "Where records go".`);
    }
    let token: unknown;
    try {
      token = (JSON.parse(body) as { access_token?: unknown }).access_token;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || !token) throw new Error(`Salesforce token refresh failed: ${tokenUrl} answered without an access_token`);
    return token;
  }

  function renew(entry: StoredSalesforce): Promise<string> {
    const id = entry.credentialId!;
    let running = renewing.get(id);
    if (!running) {
      running = fetchToken(entry)
        .then((token) => {
          // Settings changed while the request ran: the token belongs to credentials now gone.
          const stillUsed = Object.values(readStoredDelivery(options.db)).some((e) => e?.type === 'salesforce' && e.credentialId === id);
          if (stillUsed) {
            writeSetting(options.db, SESSIONS_KEY, { ...cache(), [id]: { token: options.box.seal(token), obtainedAt: options.clock.now().toISOString() } });
          }
          options.log.info('Salesforce access token renewed', { tokenUrl: entry.tokenUrl ?? DEFAULT_SALESFORCE_TOKEN_URL });
          return token;
        })
        .finally(() => renewing.delete(id));
      renewing.set(id, running);
    }
    return running;
  }

  return {
    /** The session of an entry with refresh credentials; undefined for a plain access token. */
    sessionFor(entry: StoredSalesforce): SalesforceSession | undefined {
      if (!entry.credentialId || !entry.clientId || !entry.refreshToken) return undefined;
      return {
        accessToken: async () => cachedToken(entry.credentialId!) ?? openSalesforceSecret(entry, 'accessToken', options.box) ?? renew(entry),
        renew: () => renew(entry),
      };
    },

    /** The best token known without a request (the CRM cache reads with it). */
    knownToken(entry: StoredSalesforce): string {
      return (entry.credentialId ? cachedToken(entry.credentialId) : null) ?? openSalesforceSecret(entry, 'accessToken', options.box) ?? '';
    },

    /** Forgets tokens of credentials no longer configured. */
    prune(): void {
      const used = new Set(Object.values(readStoredDelivery(options.db)).flatMap((e) => (e?.type === 'salesforce' && e.credentialId ? [e.credentialId] : [])));
      const current = cache();
      const kept = Object.fromEntries(Object.entries(current).filter(([id]) => used.has(id)));
      if (Object.keys(kept).length !== Object.keys(current).length) writeSetting(options.db, SESSIONS_KEY, kept);
    },
  };
}

export type SalesforceSessions = ReturnType<typeof createSalesforceSessions>;
