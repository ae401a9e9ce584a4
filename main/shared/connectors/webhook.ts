import { z } from 'zod';
import { endpointUrlProblem, hostOf, originOf, secretProblem } from './addresses.ts';
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

const settings = z
  .object({
    type: z.literal('webhook'),
    url: z.string().max(2048),
    // Names are checked on the object as sent: zod's record leaves a `__proto__` key out unseen.
    headers: z
      .unknown()
      .superRefine((value, ctx) => {
        if (typeof value !== 'object' || value === null) return;
        for (const name of Object.keys(value)) {
          const problem = headerNameProblem(name);
          if (problem) ctx.addIssue({ code: 'custom', message: problem, path: [name] });
        }
      })
      .pipe(z.record(z.string().max(64), z.string().max(4096)).nullable())
      .optional(),
    authorization: z.string().max(4096).nullable().optional(),
  })
  .strict();

/** An HTTPS endpoint that receives batches as JSON, with any headers (all of them sealed). */
export const webhookRules: ConnectorRules<'webhook'> = {
  type: 'webhook',
  label: 'HTTPS webhook',
  takes: () => true,
  settings,
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
  summary: (view) => ({
    title: `Webhook · ${hostOf(view.url)}`,
    detail: view.hasAuthorization ? 'Authorization header set' : 'No Authorization header',
  }),
  line(view) {
    const headers = view.headerNames.length ? `headers set: ${view.headerNames.join(', ')}` : 'no Authorization header';
    return `webhook ${view.url} (${headers})`;
  },
};
