import { createHash } from 'node:crypto';
import type { WriteDb } from '../storage/database.ts';
import type { Clock, Log } from '../types.ts';
import { outboxCsv } from './csv.ts';
import { batchFileName, writeBatchFile } from './folder.ts';
import { dueRows, makeAllDue, markFailed, markSent, pinBatch, pinnedRows, recordDeliveryFailure, recordDeliverySuccess, unpinBatch, type OutboxRow } from './store.ts';

/**
 * Delivery of the outbox: batches of due rows go to the endpoint configured for their kind; a
 * row is marked sent only after the endpoint answered 2xx (a folder: its file is in place), and
 * a failed batch is retried with exponential backoff. Nothing is dropped and, because every
 * record and batch carries an idempotency key, a batch repeated after a lost answer is
 * recognised by the receiver (a folder: the batch's file is replaced).
 */
export interface WebhookEndpoint {
  type: 'webhook';
  url: string;
  /** Extra headers, e.g. Authorization. */
  headers?: Record<string, string>;
}

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

/** Access tokens of a Salesforce connector set up with refresh credentials (salesforce-session.ts). */
export interface SalesforceSession {
  /** The token to use now: cached, else the configured one, else a fresh one. */
  accessToken(): Promise<string>;
  /** A new token from the token URL (the last one was refused). Throws a clear error when refused. */
  renew(): Promise<string>;
}

/**
 * A folder (a network share, a synced OneDrive or SharePoint folder): each batch becomes one CSV
 * file, named by its kind, first date and batch key (folder.ts, csv.ts).
 */
export interface FolderEndpoint {
  type: 'folder';
  /** Absolute, on this computer. */
  path: string;
}

export type Endpoint = WebhookEndpoint | SalesforceEndpoint | FolderEndpoint;

/** Salesforce fields of a lead or meeting record; null for kinds Salesforce does not take. */
export function salesforceRecord(kind: string, payload: Record<string, unknown>): { sobject: 'Lead' | 'Task'; fields: Record<string, unknown> } | null {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  if (kind === 'lead') {
    const rating = text(payload.rating);
    return {
      sobject: 'Lead',
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
          Array.isArray(payload.interests) && payload.interests.length ? `Interests: ${payload.interests.join(', ')}` : '',
          Array.isArray(payload.viewedItems) && payload.viewedItems.length ? `Viewed: ${payload.viewedItems.join(', ')}` : '',
          `Consent ${text(payload.consentVersion)} given ${text(payload.capturedAt)}`,
        ]
          .filter(Boolean)
          .join('\n'),
      },
    };
  }
  // The contact (WhoId) and opportunity or account (WhatId) picked from the CRM cache.
  const links = { ...(text(payload.WhoId) ? { WhoId: text(payload.WhoId) } : {}), ...(text(payload.WhatId) ? { WhatId: text(payload.WhatId) } : {}) };
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

export interface DeliveryOptions {
  db: WriteDb;
  clock: Clock;
  log: Log;
  /** Where each kind of row goes; kinds without an endpoint wait. */
  endpoints(): Partial<Record<string, Endpoint>>;
  fetchImpl?: typeof fetch;
  batchSize?: number;
  timeoutMs?: number;
  /** First retry delay; doubles per attempt up to maxBackoffMs. */
  retryBaseMs?: number;
  maxBackoffMs?: number;
  /** What a row becomes on the wire (a lead's sealed fields are opened only here). */
  expand?(row: OutboxRow): unknown;
  /** Runs in the transaction that marks rows sent (a lead becomes "delivered"). */
  onSent?(rows: readonly OutboxRow[], at: string): void;
  /** After every run of flush, whatever its outcome (the sync-health panel refreshes). */
  onReport?(report: DeliveryReport): void;
}

export interface DeliveryReport {
  delivered: number;
  failed: number;
  lastError: string | null;
}

/**
 * What an endpoint said when it refused: the `message` or `error` of a JSON body (Salesforce
 * answers a list of them), else the text itself, on one line and short enough for a panel.
 */
export function endpointMessage(body: string): string {
  const text = body.trim();
  try {
    const parsed = JSON.parse(text) as unknown;
    const messages = (Array.isArray(parsed) ? parsed : [parsed])
      .map((entry) => {
        if (typeof entry !== 'object' || entry === null) return '';
        const { message, error, errorCode } = entry as { message?: unknown; error?: unknown; errorCode?: unknown };
        const nested = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
        const said = [message, error, nested].find((m): m is string => typeof m === 'string') ?? '';
        return said && typeof errorCode === 'string' ? `${said} (${errorCode})` : said;
      })
      .filter(Boolean);
    if (messages.length > 0) return messages.join('; ').slice(0, 300);
  } catch {
    // Not JSON: the text as it came.
  }
  return text.replace(/\s+/g, ' ').slice(0, 300);
}

/** The key of a batch: the same rows give the same key, so a resent batch is recognisable. */
export function batchKey(rows: readonly OutboxRow[]): string {
  return createHash('sha256')
    .update(rows.map((r) => r.idempotencyKey).join('\n'))
    .digest('hex');
}

export function createDelivery(options: DeliveryOptions) {
  const doFetch = options.fetchImpl ?? fetch;
  const batchSize = options.batchSize ?? 100;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const base = options.retryBaseMs ?? 30_000;
  const cap = options.maxBackoffMs ?? 60 * 60_000;
  let running: Promise<DeliveryReport> | null = null;

  const nextAttempt = (attempts: number) => new Date(options.clock.now().getTime() + Math.min(cap, base * 2 ** (attempts - 1))).toISOString();

  async function sendWebhook(endpoint: WebhookEndpoint, rows: OutboxRow[]): Promise<void> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await doFetch(endpoint.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': batchKey(rows), ...endpoint.headers },
        body: JSON.stringify({
          records: rows.map((r) => ({ idempotencyKey: r.idempotencyKey, kind: r.kind, createdAt: r.createdAt, payload: options.expand ? options.expand(r) : r.payload })),
        }),
        signal: controller.signal,
      });
      if (response.status < 200 || response.status > 299) {
        const said = endpointMessage(await response.text());
        throw new Error(`${endpoint.url} answered HTTP ${response.status}${said ? `: ${said}` : ''}`);
      }
      await response.body?.cancel();
    } catch (error) {
      if (controller.signal.aborted) throw new Error(`${endpoint.url} did not answer within ${Math.round(timeoutMs / 1000)} s`, { cause: error });
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async function sendSalesforce(endpoint: SalesforceEndpoint, rows: OutboxRow[]): Promise<void> {
    const version = endpoint.apiVersion ?? '61.0';
    const field = endpoint.externalIdField ?? 'Pitchcase_Id__c';
    let token = endpoint.session ? await endpoint.session.accessToken() : endpoint.accessToken;
    for (const row of rows) {
      const record = salesforceRecord(row.kind, (options.expand ? options.expand(row) : row.payload) as Record<string, unknown>);
      if (!record) throw new Error(`Salesforce does not take "${row.kind}" records`);
      const url = `${endpoint.instanceUrl.replace(/\/$/, '')}/services/data/v${version}/sobjects/${record.sobject}/${field}/${encodeURIComponent(row.idempotencyKey)}`;
      let answer = await upsert(url, token, record.fields);
      // Salesforce answers 401 (INVALID_SESSION_ID) only when the session expired or was revoked:
      // with refresh credentials, renew once and send the same upsert again.
      if (answer.status === 401 && endpoint.session) {
        token = await endpoint.session.renew();
        answer = await upsert(url, token, record.fields);
      }
      if (answer.status === 401 && !endpoint.session) {
        throw new Error(`Salesforce refused the access token (HTTP 401: ${endpointMessage(answer.body)}): set a new token, or OAuth refresh credentials, under "Where records go"`);
      }
      if (answer.status < 200 || answer.status > 299) throw new Error(`Salesforce answered HTTP ${answer.status}: ${endpointMessage(answer.body)}`);
    }
  }

  async function sendFolder(endpoint: FolderEndpoint, rows: OutboxRow[]): Promise<void> {
    const kind = rows[0]!.kind;
    const csv = outboxCsv(kind, rows.map((r) => ({ idempotencyKey: r.idempotencyKey, payload: options.expand ? options.expand(r) : r.payload })));
    await writeBatchFile(endpoint.path, batchFileName(kind, rows.map((r) => r.createdAt), batchKey(rows)), csv);
  }

  /** The rows a folder gets: its pinned batch if one may have been written, else these, pinned. */
  function folderBatch(kind: string, rows: OutboxRow[]): OutboxRow[] {
    const pinned = pinnedRows(options.db, kind);
    if (pinned) return pinned;
    pinBatch(options.db, kind, rows.map((r) => r.id));
    return rows;
  }

  async function upsert(url: string, token: string, fields: Record<string, unknown>): Promise<{ status: number; body: string }> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await doFetch(url, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(fields),
        signal: controller.signal,
      });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      if (controller.signal.aborted) throw new Error(`Salesforce did not answer within ${Math.round(timeoutMs / 1000)} s`, { cause: error });
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async function flushOnce(): Promise<DeliveryReport> {
    const report: DeliveryReport = { delivered: 0, failed: 0, lastError: null };
    const endpoints = options.endpoints();
    let kinds = Object.keys(endpoints).filter((k) => endpoints[k]);
    for (;;) {
      // Rows of kinds without an endpoint wait until one is configured.
      const rows = dueRows(options.db, options.clock.now().toISOString(), batchSize, kinds);
      if (rows.length === 0) return report;
      const kind = rows[0]!.kind;
      const endpoint = endpoints[kind]!;
      // Salesforce takes one upsert per record: send one row at a time so each is marked alone.
      const batch = endpoint.type === 'salesforce' ? rows.slice(0, 1) : endpoint.type === 'folder' ? folderBatch(kind, rows) : rows;
      const ids = batch.map((r) => r.id);
      try {
        if (endpoint.type === 'salesforce') await sendSalesforce(endpoint, batch);
        else if (endpoint.type === 'folder') await sendFolder(endpoint, batch);
        else await sendWebhook(endpoint, batch);
        const at = options.clock.now().toISOString();
        options.db.transaction(() => {
          markSent(options.db, ids, at);
          if (endpoint.type === 'folder') unpinBatch(options.db, kind);
          options.onSent?.(batch, at);
          recordDeliverySuccess(options.db, at);
        })();
        report.delivered += batch.length;
      } catch (error) {
        const message = (error as Error).message;
        options.log.warn('outbox delivery failed', { kind, rows: batch.length, reason: message });
        options.db.transaction(() => {
          markFailed(options.db, ids, message, nextAttempt);
          recordDeliveryFailure(options.db, { at: options.clock.now().toISOString(), kind, message });
        })();
        report.failed += ids.length;
        report.lastError = message;
        // One endpoint refusing must not hold up the others: this kind waits for the next run.
        kinds = kinds.filter((k) => k !== kind);
      }
    }
  }

  function flush(): Promise<DeliveryReport> {
    running ??= flushOnce()
      .then((report) => {
        options.onReport?.(report);
        return report;
      })
      .finally(() => {
        running = null;
      });
    return running;
  }

  return {
    /**
     * Sends everything due now; concurrent calls share one run. `retryNow` (the rep asked) first
     * makes every waiting row due, after a run already under way has finished.
     */
    flush(request: { retryNow?: boolean } = {}): Promise<DeliveryReport> {
      if (!request.retryNow) return flush();
      const previous = running ? running.then(() => undefined, () => undefined) : Promise.resolve();
      return previous.then(() => {
        makeAllDue(options.db);
        return flush();
      });
    },
  };
}
