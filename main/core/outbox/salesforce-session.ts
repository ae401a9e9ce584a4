import { DEFAULT_SALESFORCE_TOKEN_URL } from '#shared/delivery';
import { z } from 'zod';
import type { WriteDb } from '../storage/database.ts';
import { defineSetting, getSetting, putSetting } from '../storage/settings.ts';
import type { Clock, Log } from '../types.ts';
import { exchange, redirectProblem } from './http.ts';
import type { SecretBox } from './secrets.ts';

/**
 * Access tokens for Salesforce connectors set up with OAuth refresh credentials. A Salesforce
 * session ends after a few hours; with a refresh token the connector gets a new access token
 * from the token URL (grant_type=refresh_token) instead of failing for good. The token is cached
 * sealed in the settings table, keyed by the credentials it was issued for.
 */
export const SESSIONS_KEY = 'outbox.salesforceSessions';

/** Sealed access tokens by the id of the refresh credentials they were issued for. */
const sessionsSetting = defineSetting(
  SESSIONS_KEY,
  z.record(z.string(), z.object({ token: z.string(), obtainedAt: z.string() })),
  {},
);

/** A sealed access token, by the id of the refresh credentials it was issued for. */
export type CachedTokens = Record<string, { token: string; obtainedAt: string }>;

/**
 * Where the sealed tokens are kept: the profile's settings table on a device, Studio's own
 * store on the server. The connector reads and replaces the whole map; it is a few entries.
 */
export interface TokenCache {
  read(): CachedTokens;
  write(tokens: CachedTokens): void;
}

/** The device's token cache: a row of the settings table. */
export function settingsTokenCache(db: WriteDb, log: Log): TokenCache {
  return {
    read: () => getSetting(db, sessionsSetting, log),
    write: (tokens) => putSetting(db, sessionsSetting, tokens),
  };
}

/** A token cache for the life of the process (Studio: a restart costs one token refresh). */
export function memoryTokenCache(): TokenCache {
  let tokens: CachedTokens = {};
  return {
    read: () => tokens,
    write: (next) => {
      tokens = { ...next };
    },
  };
}

/** What a session needs of a stored Salesforce entry. */
export interface SessionEntry {
  credentialId?: string | undefined;
  clientId?: string | undefined;
  tokenUrl?: string | undefined;
  accessToken?: string | undefined;
  clientSecret?: string | undefined;
  refreshToken?: string | undefined;
}

/** Access tokens of a Salesforce connector set up with refresh credentials. */
export interface SalesforceSession {
  /** The token to use now: cached, else the configured one, else a fresh one. */
  accessToken(): Promise<string>;
  /** A new token from the token URL (the last one was refused). Throws a clear error when refused. */
  renew(): Promise<string>;
}

export interface SalesforceSessionOptions {
  tokens: TokenCache;
  box: SecretBox;
  clock: Clock;
  log: Log;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
  /** The credential ids of every Salesforce entry stored now. */
  usedCredentialIds(): Set<string>;
}

/** The OAuth error of a token endpoint's answer: `invalid_grant: expired access/refresh token`. */
function oauthMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; error_description?: unknown };
    const said = [parsed.error, parsed.error_description].filter(
      (v): v is string => typeof v === 'string' && v.length > 0,
    );
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

  const cache = () => options.tokens.read();
  const open = (sealed: string | undefined): string | null => (sealed ? options.box.open<string>(sealed) : null);

  function cachedToken(credentialId: string): string | null {
    const entry = cache()[credentialId];
    if (!entry) return null;
    try {
      return options.box.open<string>(entry.token);
    } catch {
      return null;
    }
  }

  async function fetchToken(entry: SessionEntry): Promise<string> {
    const tokenUrl = entry.tokenUrl ?? DEFAULT_SALESFORCE_TOKEN_URL;
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: entry.clientId ?? '',
      refresh_token: open(entry.refreshToken) ?? '',
    });
    const secret = open(entry.clientSecret);
    if (secret) form.set('client_secret', secret);
    let answer;
    try {
      answer = await exchange(
        doFetch,
        tokenUrl,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
          body: form.toString(),
        },
        timeoutMs,
        tokenUrl,
      );
    } catch (error) {
      const reason = /did not answer within/.test((error as Error).message)
        ? `no answer within ${Math.round(timeoutMs / 1000)} s`
        : (((error as Error).cause as Error | undefined)?.message ?? (error as Error).message);
      throw new Error(`Salesforce token refresh failed: ${tokenUrl} could not be reached (${reason})`, {
        cause: error,
      });
    }
    const redirect = redirectProblem(tokenUrl, answer, tokenUrl);
    if (redirect) throw new Error(`Salesforce token refresh failed: ${redirect}`);
    const { status, body } = answer;
    if (status < 200 || status > 299) {
      throw new Error(
        `Salesforce token refresh failed: ${tokenUrl} answered HTTP ${status}: ${oauthMessage(body)}. Set new refresh credentials under "Where records go".`,
      );
    }
    let token: unknown;
    try {
      token = (JSON.parse(body) as { access_token?: unknown }).access_token;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || !token)
      throw new Error(`Salesforce token refresh failed: ${tokenUrl} answered without an access_token`);
    return token;
  }

  function renew(entry: SessionEntry): Promise<string> {
    const id = entry.credentialId!;
    let running = renewing.get(id);
    if (!running) {
      running = fetchToken(entry)
        .then((token) => {
          // Settings changed while the request ran: the token belongs to credentials now gone.
          if (options.usedCredentialIds().has(id)) {
            options.tokens.write({
              ...cache(),
              [id]: { token: options.box.seal(token), obtainedAt: options.clock.now().toISOString() },
            });
          }
          options.log.info('Salesforce access token renewed', {
            tokenUrl: entry.tokenUrl ?? DEFAULT_SALESFORCE_TOKEN_URL,
          });
          return token;
        })
        .finally(() => renewing.delete(id));
      renewing.set(id, running);
    }
    return running;
  }

  return {
    /** The session of an entry with refresh credentials; undefined for a plain access token. */
    sessionFor(entry: SessionEntry): SalesforceSession | undefined {
      if (!entry.credentialId || !entry.clientId || !entry.refreshToken) return undefined;
      return {
        accessToken: async () => cachedToken(entry.credentialId!) ?? open(entry.accessToken) ?? renew(entry),
        renew: () => renew(entry),
      };
    },

    /** The best token known without a request (the CRM cache reads with it). */
    knownToken(entry: SessionEntry): string {
      return (entry.credentialId ? cachedToken(entry.credentialId) : null) ?? open(entry.accessToken) ?? '';
    },

    /** Forgets tokens of credentials no longer configured. */
    prune(): void {
      const used = options.usedCredentialIds();
      const current = cache();
      const kept = Object.fromEntries(Object.entries(current).filter(([id]) => used.has(id)));
      if (Object.keys(kept).length !== Object.keys(current).length) options.tokens.write(kept);
    },
  };
}

export type SalesforceSessions = ReturnType<typeof createSalesforceSessions>;
