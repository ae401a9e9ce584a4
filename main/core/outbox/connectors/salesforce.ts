import type { RecordSource } from '#shared/fleet';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  DEFAULT_EXTERNAL_ID_FIELD,
  DEFAULT_SALESFORCE_API_VERSION,
  DEFAULT_SALESFORCE_TOKEN_URL,
} from '#shared/delivery';
import { salesforceRules } from '#shared/connectors/salesforce';
import type { ConnectionTestResult, SalesforceEndpointSettings } from '#shared/sync';
import { endpointMessage, exchange, networkReason, redirectProblem, type Answer } from '../http.ts';
import { createSalesforceSessions, type SalesforceSession, type SalesforceSessions } from '../salesforce-session.ts';
import type { Connector, OpenContext, Transport } from './connector.ts';

/**
 * Salesforce REST: each record is an upsert by an external id (the record's idempotency key),
 * so a record sent twice updates the same Lead or Task instead of creating a second one.
 */
export interface SalesforceEndpoint {
  type: 'salesforce';
  /** e.g. https://mycompany.my.salesforce.com */
  instanceUrl: string;
  accessToken: string;
  apiVersion?: string;
  /** A unique external-id field on Lead and Task (default Pitchcase_Id__c). */
  externalIdField?: string;
  /** With OAuth refresh credentials: where the token comes from, and a new one after a 401. */
  session?: SalesforceSession;
}

const storedSalesforce = z.object({
  type: z.literal('salesforce'),
  instanceUrl: z.string(),
  apiVersion: z.string().optional(),
  externalIdField: z.string().optional(),
  clientId: z.string().optional(),
  tokenUrl: z.string().optional(),
  /**
   * Names the refresh credentials: a new id whenever they change or the endpoint moves, so an
   * access token cached for the old ones is never used with (or sent to) the new ones.
   */
  credentialId: z.string().optional(),
  accessToken: z.string().optional(),
  clientSecret: z.string().optional(),
  refreshToken: z.string().optional(),
  /** Marks the sealed format (a row written before it holds the secrets in clear). */
  sealed: z.literal(true),
});
export type StoredSalesforce = z.infer<typeof storedSalesforce>;

/**
 * Salesforce fields of a lead or meeting record; null for kinds Salesforce does not take.
 * `externalId` is the record's key when it is not the outbox row's own: a qualification update
 * of a lead upserts the Lead its first record made.
 */
export function salesforceRecord(
  kind: string,
  payload: Record<string, unknown>,
  source?: RecordSource | null,
): SalesforceRecord | null {
  const made = salesforceFields(kind, payload);
  // Only where the record has a Description of its own: a lead's later update (its qualification)
  // must not replace the Description with this line alone.
  if (!made || !source || typeof made.fields.Description !== 'string') return made;
  // Custom fields would make every org create them first, and an upsert naming a field the org
  // lacks is refused whole: who and what made the record goes on a line of the Description.
  const line = sourceLine(source);
  const description = made.fields.Description;
  return { ...made, fields: { ...made.fields, Description: description ? `${description}\n${line}` : line } };
}

type SalesforceRecord = { sobject: 'Lead' | 'Task'; fields: Record<string, unknown>; externalId?: string };

/** "Pitchcase: device …, rep …, team …, app 3.4.5, release 12": the record's source in one line. */
export function sourceLine(source: RecordSource): string {
  return [
    `Pitchcase: device ${source.deviceId}`,
    source.rep ? `rep ${source.rep}` : '',
    source.booth ? `booth ${source.booth}` : '',
    source.team ? `team ${source.team}` : '',
    source.region ? `region ${source.region}` : '',
    `app ${source.appVersion}`,
    `release ${source.releaseVersion ?? 'none'}`,
  ]
    .filter(Boolean)
    .join(', ');
}

function salesforceFields(kind: string, payload: Record<string, unknown>): SalesforceRecord | null {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  if (kind === 'lead') {
    const rating = text(payload.rating);
    const update = payload.update === 'qualification' && text(payload.leadId);
    return {
      sobject: 'Lead',
      ...(update ? { externalId: `lead:${text(payload.leadId)}` } : {}),
      fields: {
        FirstName: text(payload.firstName),
        // LastName and Company are required by Salesforce.
        LastName: text(payload.lastName) || '(unknown)',
        Company: text(payload.company) || '(unknown)',
        Email: text(payload.email),
        Title: text(payload.role),
        Phone: text(payload.phone),
        LeadSource: 'Trade Show',
        ...(rating ? { Rating: rating.charAt(0).toUpperCase() + rating.slice(1) } : {}),
        Description: [
          text(payload.note),
          Array.isArray(payload.interests) && payload.interests.length
            ? `Interests: ${payload.interests.join(', ')}`
            : '',
          Array.isArray(payload.viewedItems) && payload.viewedItems.length
            ? `Viewed: ${payload.viewedItems.join(', ')}`
            : '',
          text(payload.staffNote) ? `Staff note: ${text(payload.staffNote)}` : '',
          text(payload.eventName) ? `Event: ${text(payload.eventName)}` : '',
          `Consent ${text(payload.consentVersion)} given ${text(payload.capturedAt)}`,
        ]
          .filter(Boolean)
          .join('\n'),
      },
    };
  }
  // The contact (WhoId) and opportunity or account (WhatId) picked from the CRM cache.
  const links = {
    ...(text(payload.WhoId) ? { WhoId: text(payload.WhoId) } : {}),
    ...(text(payload.WhatId) ? { WhatId: text(payload.WhatId) } : {}),
  };
  if (kind === 'meeting') {
    return {
      sobject: 'Task',
      fields: {
        Subject: text(payload.Subject),
        Description: text(payload.Description),
        ActivityDate: text(payload.ActivityDate),
        Status: text(payload.Status) || 'Completed',
        ...links,
      },
    };
  }
  if (kind === 'followup') {
    // A completed Task of Type "Email", not an EmailMessage: the rep has not sent this through
    // Salesforce, EmailMessage needs Enhanced Email switched on and its recipients as separate
    // EmailMessageRelation records, and a Task upserts by the same external-id field as the
    // meeting's Task. TaskSubtype is left out because Salesforce refuses it on the update an
    // upsert repeated after a lost answer becomes.
    const to = text(payload.To);
    return {
      sobject: 'Task',
      fields: {
        Subject: `Email: ${text(payload.Subject)}`.slice(0, 255),
        Description: [to ? `To: ${to}` : '', text(payload.Body)].filter(Boolean).join('\n\n'),
        ActivityDate: text(payload.ActivityDate),
        Status: 'Completed',
        Type: 'Email',
        ...links,
      },
    };
  }
  return null;
}

const base = (endpoint: { instanceUrl: string }) => endpoint.instanceUrl.replace(/\/$/, '');

/** A request to the org with the token; a redirect is never followed with it. */
async function call(transport: Transport, url: string, init: RequestInit, token: string): Promise<Answer> {
  const answer = await exchange(
    transport.fetchImpl,
    url,
    { ...init, headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${token}` } },
    transport.timeoutMs,
    'Salesforce',
  );
  const redirect = redirectProblem(url, answer, 'Salesforce');
  if (redirect) throw new Error(redirect);
  return answer;
}

function sessions(context: OpenContext): SalesforceSessions {
  // One per timeout: a connection test waits less long than a delivery.
  return context.memo(`salesforce.sessions.${context.transport.timeoutMs}`, () =>
    createSalesforceSessions({
      tokens: context.tokens,
      box: context.box,
      clock: context.clock,
      log: context.log,
      fetchImpl: context.transport.fetchImpl,
      timeoutMs: context.transport.timeoutMs,
      usedCredentialIds: () =>
        new Set(
          context
            .storedOfType()
            .flatMap((e) => ((e as StoredSalesforce).credentialId ? [(e as StoredSalesforce).credentialId!] : [])),
        ),
    }),
  );
}

/** The Salesforce entry the CRM cache reads with: the meeting's, else the lead's. */
export function crmEntry(stored: {
  meeting?: { type: string } | null;
  lead?: { type: string } | null;
}): StoredSalesforce | null {
  return [stored.meeting, stored.lead].find((e): e is StoredSalesforce => e?.type === 'salesforce') ?? null;
}

/** The connector the CRM cache reads with: the best token known, no request made. */
export function crmEndpoint(entry: StoredSalesforce, context: OpenContext): SalesforceEndpoint {
  const { session: _session, ...plain } = salesforceConnector.open(entry, context);
  return { ...plain, accessToken: sessions(context).knownToken(entry) };
}

/** Makes sure a connector with refresh credentials has a token before the CRM cache reads. */
export async function primeToken(entry: StoredSalesforce, context: OpenContext): Promise<void> {
  const session = sessions(context).sessionFor(entry);
  if (session && !sessions(context).knownToken(entry)) await session.accessToken().catch(() => undefined);
}

export const salesforceConnector: Connector<'salesforce', StoredSalesforce, SalesforceEndpoint> = {
  type: 'salesforce',
  rules: salesforceRules,
  stored: storedSalesforce,
  isLegacy: (entry) => entry.sealed !== true,
  maxBatch: 1,

  store(change: SalesforceEndpointSettings, previous, box) {
    const secretOf = (field: 'accessToken' | 'clientSecret' | 'refreshToken'): string | undefined => {
      const given = change[field];
      if (given === null) return undefined;
      if (given !== undefined) return box.seal(given.trim());
      return previous?.[field];
    };
    const clientId = change.clientId?.trim() || undefined;
    const tokenUrl = change.tokenUrl?.trim() || undefined;
    const accessToken = secretOf('accessToken');
    const clientSecret = secretOf('clientSecret');
    const refreshToken = secretOf('refreshToken');
    // `previous` is null when the endpoint moved: then the id is new and no cached token follows.
    const sameCredentials =
      previous?.credentialId !== undefined &&
      previous.clientId === clientId &&
      (previous.tokenUrl ?? undefined) === tokenUrl &&
      change.refreshToken === undefined &&
      Boolean(refreshToken);
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
  },

  view: (entry) => ({
    type: 'salesforce',
    instanceUrl: entry.instanceUrl,
    apiVersion: entry.apiVersion ?? null,
    externalIdField: entry.externalIdField ?? null,
    hasAccessToken: Boolean(entry.accessToken),
    clientId: entry.clientId ?? null,
    hasClientSecret: Boolean(entry.clientSecret),
    hasRefreshToken: Boolean(entry.refreshToken),
    tokenUrl: entry.tokenUrl ?? DEFAULT_SALESFORCE_TOKEN_URL,
  }),

  open(entry, context) {
    const session = sessions(context).sessionFor(entry);
    return {
      type: 'salesforce',
      instanceUrl: entry.instanceUrl,
      accessToken: session || !entry.accessToken ? '' : context.box.open<string>(entry.accessToken),
      ...(entry.apiVersion ? { apiVersion: entry.apiVersion } : {}),
      ...(entry.externalIdField ? { externalIdField: entry.externalIdField } : {}),
      ...(session ? { session } : {}),
    };
  },

  afterChange: (context) => sessions(context).prune(),

  async send(endpoint, batch, transport) {
    const version = endpoint.apiVersion ?? DEFAULT_SALESFORCE_API_VERSION;
    const field = endpoint.externalIdField ?? DEFAULT_EXTERNAL_ID_FIELD;
    let token = endpoint.session ? await endpoint.session.accessToken() : endpoint.accessToken;
    for (const [i, row] of batch.rows.entries()) {
      const record = salesforceRecord(row.kind, batch.payloads[i] as Record<string, unknown>, row.source);
      if (!record) throw new Error(`Salesforce does not take "${row.kind}" records`);
      const url = `${base(endpoint)}/services/data/v${version}/sobjects/${record.sobject}/${field}/${encodeURIComponent(record.externalId ?? row.idempotencyKey)}`;
      const upsert = (bearer: string) =>
        call(
          transport,
          url,
          { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(record.fields) },
          bearer,
        );
      let answer = await upsert(token);
      // Salesforce answers 401 (INVALID_SESSION_ID) only when the session expired or was revoked:
      // with refresh credentials, renew once and send the same upsert again.
      if (answer.status === 401 && endpoint.session) {
        token = await endpoint.session.renew();
        answer = await upsert(token);
      }
      if (answer.status === 401 && !endpoint.session) {
        throw new Error(
          `Salesforce refused the access token (HTTP 401: ${endpointMessage(answer.body)}): set a new token, or OAuth refresh credentials, under "Where records go"`,
        );
      }
      if (answer.status < 200 || answer.status > 299)
        throw new Error(`Salesforce answered HTTP ${answer.status}: ${endpointMessage(answer.body)}`);
    }
  },

  // A describe of the object the kind becomes (Lead; Task for meetings and follow-ups): it checks
  // the token (renewed first with refresh credentials), that the user may read the object, and
  // that the external-id field upserts need is there. It creates nothing.
  async test(kind, endpoint, transport): Promise<ConnectionTestResult> {
    const sobject = kind === 'lead' ? 'Lead' : 'Task';
    const field = endpoint.externalIdField ?? DEFAULT_EXTERNAL_ID_FIELD;
    const url = `${base(endpoint)}/services/data/v${endpoint.apiVersion ?? DEFAULT_SALESFORCE_API_VERSION}/sobjects/${sobject}/describe`;
    const host = new URL(url).host;
    let answer: Answer;
    try {
      let token = endpoint.session ? await endpoint.session.accessToken() : endpoint.accessToken;
      answer = await call(transport, url, { headers: { Accept: 'application/json' } }, token);
      if (answer.status === 401 && endpoint.session) {
        token = await endpoint.session.renew();
        answer = await call(transport, url, { headers: { Accept: 'application/json' } }, token);
      }
    } catch (error) {
      const message = (error as Error).message;
      if (/^Salesforce (token refresh failed|answered HTTP 3)/.test(message))
        return { ok: false, status: null, message };
      return {
        ok: false,
        status: null,
        message: `Could not reach Salesforce at ${host}: ${networkReason(error).replace('Salesforce did not answer', 'no answer')}`,
      };
    }
    if (answer.status === 401) {
      return {
        ok: false,
        status: 401,
        message: `Salesforce refused the access token: ${endpointMessage(answer.body)}${endpoint.session ? '' : ' — set a new token, or refresh credentials'}`,
      };
    }
    if (answer.status !== 200)
      return {
        ok: false,
        status: answer.status,
        message: `Salesforce answered HTTP ${answer.status} for ${sobject}: ${endpointMessage(answer.body)}`,
      };
    let fields: { name?: unknown; externalId?: unknown }[] = [];
    try {
      const parsed = JSON.parse(answer.body) as { fields?: unknown };
      if (Array.isArray(parsed.fields)) fields = parsed.fields as typeof fields;
    } catch {
      return {
        ok: false,
        status: 200,
        message: `Salesforce answered the ${sobject} describe with something that is not JSON: is the instance URL right?`,
      };
    }
    const found = fields.find((f) => typeof f.name === 'string' && f.name.toLowerCase() === field.toLowerCase());
    if (!found || found.externalId !== true) {
      return {
        ok: false,
        status: 200,
        message: `Connected to Salesforce, but ${sobject} has no external-id field ${field}: create it (Text, Unique, External ID) on ${sobject}, or name the one you have`,
      };
    }
    return {
      ok: true,
      status: 200,
      message: `Connected to Salesforce: ${sobject} records will be upserted by ${field}`,
    };
  },
};
