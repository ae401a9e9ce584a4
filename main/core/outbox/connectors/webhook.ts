import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { headerNameProblem } from '#shared/connectors/index';
import { webhookRules } from '#shared/connectors/webhook';
import { PitchcaseError } from '#shared/result';
import type { WebhookEndpointSettings } from '#shared/sync';
import { endpointMessage, exchange, networkReason, redirectProblem } from '../http.ts';
import type { SecretBox } from '../secrets.ts';
import type { Connector } from './connector.ts';

/**
 * A generic HTTPS webhook: each batch is POSTed as `{"records": [...]}` with the batch's
 * Idempotency-Key; every record carries its own stable `idempotencyKey` as well. Any header may
 * carry a credential, so all of them are sealed together.
 */
export interface WebhookEndpoint {
  type: 'webhook';
  url: string;
  /** Extra headers, e.g. Authorization. */
  headers?: Record<string, string>;
}

const storedWebhook = z.object({
  type: z.literal('webhook'),
  url: z.string(),
  headerNames: z.array(z.string()),
  /** Sealed JSON object of every header (Authorization included). */
  headers: z.string().optional(),
});
export type StoredWebhook = z.infer<typeof storedWebhook>;

/** A header map without a prototype: no name can reach Object.prototype or be lost to it. */
function headerMap(entries: Iterable<[string, string]>): Record<string, string> {
  const map = Object.create(null) as Record<string, string>;
  for (const [name, value] of entries) {
    const problem = headerNameProblem(name);
    if (problem) throw new PitchcaseError('bad-request', problem);
    map[name] = value;
  }
  return map;
}

function openHeaders(entry: StoredWebhook, box: SecretBox): Record<string, string> {
  return headerMap(Object.entries(entry.headers ? box.open<Record<string, string>>(entry.headers) : {}));
}

/** The request's headers: ours, then the configured ones (which may not replace ours). */
function requestHeaders(endpoint: WebhookEndpoint, own: Record<string, string>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(endpoint.headers ?? {})) headers.set(name, value);
  for (const [name, value] of Object.entries(own)) headers.set(name, value);
  return headers;
}

export const webhookConnector: Connector<'webhook', StoredWebhook, WebhookEndpoint> = {
  type: 'webhook',
  rules: webhookRules,
  stored: storedWebhook,
  isLegacy: (entry) => !Array.isArray(entry.headerNames),

  store(change: WebhookEndpointSettings, previous, box) {
    const url = change.url.trim();
    let headers: Record<string, string> | null;
    let changed = false;
    if (change.headers !== undefined) {
      headers = headerMap(Object.entries(change.headers ?? {}));
      changed = true;
    } else if (previous) {
      headers = null; // kept sealed as they are, unless Authorization changes below
    } else {
      headers = headerMap([]);
    }
    if (change.authorization !== undefined) {
      headers ??= previous ? openHeaders(previous, box) : headerMap([]);
      for (const name of Object.keys(headers)) if (name.toLowerCase() === 'authorization') delete headers[name];
      if (change.authorization !== null) headers.Authorization = change.authorization.trim();
      changed = true;
    }
    if (!changed && previous)
      return {
        type: 'webhook',
        url,
        headerNames: previous.headerNames,
        ...(previous.headers ? { headers: previous.headers } : {}),
      };
    const final = headers ?? headerMap([]);
    const names = Object.keys(final);
    return { type: 'webhook', url, headerNames: names, ...(names.length ? { headers: box.seal({ ...final }) } : {}) };
  },

  view: (entry) => ({
    type: 'webhook',
    url: entry.url,
    headerNames: [...entry.headerNames],
    hasAuthorization: entry.headerNames.some((n) => n.toLowerCase() === 'authorization'),
  }),

  open: (entry, context) => ({ type: 'webhook', url: entry.url, headers: openHeaders(entry, context.box) }),

  async send(endpoint, batch, transport) {
    const answer = await exchange(
      transport.fetchImpl,
      endpoint.url,
      {
        method: 'POST',
        headers: requestHeaders(endpoint, { 'Content-Type': 'application/json', 'Idempotency-Key': batch.key }),
        body: JSON.stringify({
          records: batch.rows.map((r, i) => ({
            idempotencyKey: r.idempotencyKey,
            kind: r.kind,
            createdAt: r.createdAt,
            // Who and what made it (device, rep or booth, team, app and release version); null
            // for records made by a version before sources were stamped.
            source: r.source ?? null,
            payload: batch.payloads[i],
          })),
        }),
      },
      transport.timeoutMs,
      endpoint.url,
    );
    const redirect = redirectProblem(endpoint.url, answer, endpoint.url);
    if (redirect) throw new Error(redirect);
    if (answer.status < 200 || answer.status > 299) {
      const said = endpointMessage(answer.body);
      throw new Error(`${endpoint.url} answered HTTP ${answer.status}${said ? `: ${said}` : ''}`);
    }
  },

  // What it gets in production, a POST with an empty batch, marked `Pitchcase-Test: 1` and with
  // an Idempotency-Key of its own: OPTIONS or HEAD would say little, as many receivers route
  // POST only and check credentials on POST alone.
  async test(_kind, endpoint, transport) {
    const host = new URL(endpoint.url).host;
    let answer;
    try {
      answer = await exchange(
        transport.fetchImpl,
        endpoint.url,
        {
          method: 'POST',
          headers: requestHeaders(endpoint, {
            'Content-Type': 'application/json',
            'Idempotency-Key': `pitchcase-test-${randomUUID()}`,
            'Pitchcase-Test': '1',
          }),
          body: JSON.stringify({ records: [] }),
        },
        transport.timeoutMs,
        host,
      );
    } catch (error) {
      return {
        ok: false,
        status: null,
        message: `Could not reach ${host}: ${networkReason(error).replace(`${host} did not answer`, 'no answer')}`,
      };
    }
    const redirect = redirectProblem(endpoint.url, answer, host);
    if (redirect) return { ok: false, status: answer.status, message: redirect };
    if (answer.status >= 200 && answer.status <= 299)
      return { ok: true, status: answer.status, message: `${host} accepted a test batch (HTTP ${answer.status})` };
    const said = endpointMessage(answer.body);
    const hint = answer.status === 401 || answer.status === 403 ? ' — check the Authorization header' : '';
    return {
      ok: false,
      status: answer.status,
      message: `${host} answered HTTP ${answer.status}${said ? `: ${said}` : ''}${hint}`,
    };
  },
};
