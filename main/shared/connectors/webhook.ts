import { endpointUrlProblem, hostOf, originOf, secretProblem } from '../delivery.ts';
import type { ConnectorRules } from './rules.ts';

/**
 * Header names are HTTP tokens (RFC 9110), here the letters, digits and dashes real headers use,
 * and never a name JavaScript objects treat specially: a header map built from
 * `{"__proto__": …}` would silently lose it.
 */
const headerToken = /^[A-Za-z0-9-]{1,64}$/;
const reservedNames = new Set(['__proto__', 'constructor', 'prototype']);

/** Why a text cannot be a header name, or null. */
export function headerNameProblem(name: string): string | null {
  const shown = JSON.stringify(name.slice(0, 64));
  if (reservedNames.has(name.toLowerCase())) return `${shown} cannot be a header name`;
  if (!headerToken.test(name)) return `${shown} is not a header name (letters, digits and -)`;
  return null;
}

/** An HTTPS endpoint that receives batches as JSON, with any headers (all of them sealed). */
export const webhookRules: ConnectorRules<'webhook'> = {
  type: 'webhook',
  label: 'HTTPS webhook',
  takes: () => true,
  secrets: ['authorization'],
  origins: (endpoint) => [originOf(endpoint.url.trim())],
  storedSecrets: (view) => ({ authorization: view.hasAuthorization }),
  problems(_kind, endpoint, add) {
    add('url', endpointUrlProblem(endpoint.url, 'webhook URL'));
    for (const [name, value] of Object.entries(endpoint.headers ?? {})) {
      add('headers', headerNameProblem(name) ?? secretProblem(value, `${name} header`));
    }
    add('authorization', secretProblem(endpoint.authorization, 'Authorization header'));
  },
  summary: (view) => ({ title: `Webhook · ${hostOf(view.url)}`, detail: view.hasAuthorization ? 'Authorization header set' : 'No Authorization header' }),
  line(view) {
    const headers = view.headerNames.length ? `headers set: ${view.headerNames.join(', ')}` : 'no Authorization header';
    return `webhook ${view.url} (${headers})`;
  },
};
