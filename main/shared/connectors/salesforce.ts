import { z } from 'zod';
import { DEFAULT_SALESFORCE_TOKEN_URL, endpointUrlProblem, hostOf, originOf, secretProblem } from './addresses.ts';
import type { ConnectorRules, KeptSecrets } from './rules.ts';

/** Whether a secret is there after the change: given now, or kept and not cleared. */
function present(value: string | null | undefined, kept: boolean): boolean {
  return value === undefined ? kept : value !== null;
}

const secret = z.string().max(4096).nullable().optional();

/** Salesforce REST: leads become Leads, meetings and follow-ups Tasks, upserted by an external id. */
export const salesforceRules: ConnectorRules<'salesforce'> = {
  type: 'salesforce',
  label: 'Salesforce',
  takes: (kind) => kind !== 'event',
  settings: z
    .object({
      type: z.literal('salesforce'),
      instanceUrl: z.string().max(2048),
      accessToken: secret,
      clientId: z.string().max(512).nullable().optional(),
      clientSecret: secret,
      refreshToken: secret,
      tokenUrl: z.string().max(2048).nullable().optional(),
      apiVersion: z.string().max(8).optional(),
      externalIdField: z.string().max(40).optional(),
    })
    .strict(),
  secrets: ['accessToken', 'clientSecret', 'refreshToken'],
  // The org and the login host: the refresh token and client secret go to the second, the
  // tokens it issues to the first, so both must stay for any of them to be kept.
  origins: (endpoint) => [
    originOf(endpoint.instanceUrl.trim()),
    originOf(endpoint.tokenUrl?.trim() || DEFAULT_SALESFORCE_TOKEN_URL),
  ],
  storedSecrets: (view) => ({
    accessToken: view.hasAccessToken,
    clientSecret: view.hasClientSecret,
    refreshToken: view.hasRefreshToken,
  }),
  problems(kind, endpoint, add, kept?: KeptSecrets) {
    if (kind === 'event') {
      add('type', 'Salesforce does not take activity events: send them to a webhook or a folder');
      return;
    }
    const instance = endpointUrlProblem(endpoint.instanceUrl, 'Salesforce instance URL');
    add('instanceUrl', instance);
    if (!instance && /[?]/.test(endpoint.instanceUrl))
      add(
        'instanceUrl',
        'The Salesforce instance URL is the address of your org, e.g. https://mycompany.my.salesforce.com, without a query',
      );
    if (endpoint.tokenUrl) add('tokenUrl', endpointUrlProblem(endpoint.tokenUrl, 'token URL'));
    if (endpoint.clientId !== undefined && endpoint.clientId !== null) {
      if (!endpoint.clientId.trim()) add('clientId', 'The client id is empty');
      else if (endpoint.clientId.length > 512 || /\s/.test(endpoint.clientId))
        add('clientId', 'The client id is the consumer key of the connected app: one word, at most 512 characters');
    }
    add('accessToken', secretProblem(endpoint.accessToken, 'access token'));
    add('clientSecret', secretProblem(endpoint.clientSecret, 'client secret'));
    add('refreshToken', secretProblem(endpoint.refreshToken, 'refresh token'));
    if (endpoint.apiVersion !== undefined && !/^\d{2,3}\.\d$/.test(endpoint.apiVersion))
      add('apiVersion', 'The API version looks like 61.0');
    if (endpoint.externalIdField !== undefined && !/^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(endpoint.externalIdField)) {
      add('externalIdField', 'The external-id field is an API name such as Pitchcase_Id__c');
    }
    if (!kept) return;
    const refreshToken = present(endpoint.refreshToken, kept.refreshToken);
    const clientId = Boolean(endpoint.clientId?.trim());
    if (refreshToken && !clientId)
      add('clientId', 'A refresh token needs the client id (consumer key) of the connected app');
    if (clientId && !refreshToken)
      add('refreshToken', 'Enter the refresh token the connected app issued, or remove the client id');
    if (!present(endpoint.accessToken, kept.accessToken) && !refreshToken && !clientId) {
      add(
        'accessToken',
        'Salesforce needs an access token, or OAuth refresh credentials (client id and refresh token)',
      );
    }
  },
  summary(view) {
    const detail = view.hasRefreshToken
      ? 'Signs in with refresh credentials'
      : view.hasAccessToken
        ? 'Access token set (expires after a few hours)'
        : 'No credentials';
    return { title: `Salesforce · ${hostOf(view.instanceUrl)}`, detail };
  },
  line(view) {
    const auth = view.hasRefreshToken
      ? `refresh credentials set for client ${view.clientId ?? '?'}${view.hasClientSecret ? ' with secret' : ''}, token URL ${view.tokenUrl}`
      : view.hasAccessToken
        ? 'access token set (expires: add refresh credentials)'
        : 'no credentials';
    return `Salesforce ${view.instanceUrl} (${auth})`;
  },
};
