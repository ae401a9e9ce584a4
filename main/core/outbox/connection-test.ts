import { randomUUID } from 'node:crypto';
import { DEFAULT_EXTERNAL_ID_FIELD, DEFAULT_SALESFORCE_API_VERSION } from '#shared/delivery';
import type { ConnectionTestResult, DeliveryKind } from '#shared/sync';
import { endpointMessage, type Endpoint, type FolderEndpoint, type SalesforceEndpoint, type WebhookEndpoint } from './deliver.ts';
import { probeFolder } from './folder.ts';

/**
 * "Test connection": one harmless request that proves the endpoint is there and takes our
 * credentials, without creating anything.
 * - A webhook gets what it gets in production, a POST with an empty batch (`{"records":[]}`),
 *   marked `Pitchcase-Test: 1` and with an Idempotency-Key of its own. OPTIONS or HEAD would
 *   say little: many receivers route POST only and answer anything else 404 or 405, and
 *   credentials are often checked on POST alone.
 * - Salesforce gets a describe of the object the kind becomes (Lead; Task for meetings and
 *   follow-ups): it checks the token (renewed first with refresh credentials), that the
 *   user may read the object, and that the external-id field upserts need is there.
 * - A folder gets a test file written, fsynced and removed (a batch's file is written and
 *   replaced the same way), and its disk is asked for free space.
 */
export interface ConnectionTestOptions {
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
}

/** Why a request never got an answer, in words: "connection refused", "no answer within 10 s". */
function networkReason(error: unknown, aborted: boolean, timeoutMs: number): string {
  if (aborted) return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  const cause = (error as Error).cause as { code?: unknown; message?: unknown } | undefined;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if (cause?.code === 'ENOTFOUND') return 'host not found';
  return typeof cause?.message === 'string' ? cause.message : (error as Error).message;
}

async function request(doFetch: typeof fetch, url: string, init: RequestInit, timeoutMs: number): Promise<{ status: number; body: string } | { error: string }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await doFetch(url, { ...init, signal: controller.signal, redirect: 'manual' });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { error: networkReason(error, controller.signal.aborted, timeoutMs) };
  } finally {
    clearTimeout(timer);
  }
}

async function testWebhook(endpoint: WebhookEndpoint, doFetch: typeof fetch, timeoutMs: number): Promise<ConnectionTestResult> {
  const host = new URL(endpoint.url).host;
  const answer = await request(
    doFetch,
    endpoint.url,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `pitchcase-test-${randomUUID()}`, 'Pitchcase-Test': '1', ...endpoint.headers },
      body: JSON.stringify({ records: [] }),
    },
    timeoutMs,
  );
  if ('error' in answer) return { ok: false, status: null, message: `Could not reach ${host}: ${answer.error}` };
  if (answer.status >= 200 && answer.status <= 299) return { ok: true, status: answer.status, message: `${host} accepted a test batch (HTTP ${answer.status})` };
  const said = endpointMessage(answer.body);
  const hint = answer.status === 401 || answer.status === 403 ? ' — check the Authorization header' : '';
  return { ok: false, status: answer.status, message: `${host} answered HTTP ${answer.status}${said ? `: ${said}` : ''}${hint}` };
}

async function testSalesforce(kind: DeliveryKind, endpoint: SalesforceEndpoint, doFetch: typeof fetch, timeoutMs: number): Promise<ConnectionTestResult> {
  const sobject = kind === 'lead' ? 'Lead' : 'Task';
  const field = endpoint.externalIdField ?? DEFAULT_EXTERNAL_ID_FIELD;
  const url = `${endpoint.instanceUrl.replace(/\/$/, '')}/services/data/v${endpoint.apiVersion ?? DEFAULT_SALESFORCE_API_VERSION}/sobjects/${sobject}/describe`;
  let token: string;
  try {
    token = endpoint.session ? await endpoint.session.accessToken() : endpoint.accessToken;
  } catch (error) {
    return { ok: false, status: null, message: (error as Error).message };
  }
  const describe = (bearer: string) => request(doFetch, url, { headers: { Accept: 'application/json', Authorization: `Bearer ${bearer}` } }, timeoutMs);
  let answer = await describe(token);
  if (!('error' in answer) && answer.status === 401 && endpoint.session) {
    try {
      token = await endpoint.session.renew();
    } catch (error) {
      return { ok: false, status: null, message: (error as Error).message };
    }
    answer = await describe(token);
  }
  if ('error' in answer) return { ok: false, status: null, message: `Could not reach Salesforce at ${new URL(url).host}: ${answer.error}` };
  if (answer.status === 401) {
    return { ok: false, status: 401, message: `Salesforce refused the access token: ${endpointMessage(answer.body)}${endpoint.session ? '' : ' — set a new token, or refresh credentials'}` };
  }
  if (answer.status !== 200) return { ok: false, status: answer.status, message: `Salesforce answered HTTP ${answer.status} for ${sobject}: ${endpointMessage(answer.body)}` };
  let fields: { name?: unknown; externalId?: unknown }[] = [];
  try {
    const parsed = JSON.parse(answer.body) as { fields?: unknown };
    if (Array.isArray(parsed.fields)) fields = parsed.fields as typeof fields;
  } catch {
    return { ok: false, status: 200, message: `Salesforce answered the ${sobject} describe with something that is not JSON: is the instance URL right?` };
  }
  const found = fields.find((f) => typeof f.name === 'string' && f.name.toLowerCase() === field.toLowerCase());
  if (!found || found.externalId !== true) {
    return {
      ok: false,
      status: 200,
      message: `Connected to Salesforce, but ${sobject} has no external-id field ${field}: create it (Text, Unique, External ID) on ${sobject}, or name the one you have`,
    };
  }
  return { ok: true, status: 200, message: `Connected to Salesforce: ${sobject} records will be upserted by ${field}` };
}

function gigabytes(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${Math.max(1, Math.round(bytes / 1e6))} MB`;
}

async function testFolder(endpoint: FolderEndpoint): Promise<ConnectionTestResult> {
  try {
    const { freeBytes } = await probeFolder(endpoint.path);
    const room = freeBytes === null ? '' : ` (${gigabytes(freeBytes)} free)`;
    return { ok: true, status: null, message: `Pitchcase can write to ${endpoint.path}${room}: each batch becomes a CSV file there` };
  } catch (error) {
    return { ok: false, status: null, message: (error as Error).message };
  }
}

export async function testConnection(kind: DeliveryKind, endpoint: Endpoint, options: ConnectionTestOptions = {}): Promise<ConnectionTestResult> {
  const doFetch = options.fetchImpl ?? fetch;
  const timeoutMs = Math.min(options.timeoutMs ?? 15_000, 15_000);
  if (endpoint.type === 'folder') return testFolder(endpoint);
  return endpoint.type === 'webhook' ? testWebhook(endpoint, doFetch, timeoutMs) : testSalesforce(kind, endpoint, doFetch, timeoutMs);
}
