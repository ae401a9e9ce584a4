import { createHash } from 'node:crypto';
import type { WriteDb } from '../storage/database.ts';
import type { Clock, Log } from '../types.ts';
import { connectorOf, type Batch, type Endpoint } from './connectors/index.ts';
import { withoutPersonalData } from './redact.ts';
import {
  dueBatch,
  dueRows,
  formBatch,
  makeAllDue,
  markFailed,
  markSent,
  recordDeliveryFailure,
  recordDeliverySuccess,
  reportHealthTo,
  type OutboxRow,
} from './store.ts';

/**
 * Delivery of the outbox: batches of due rows go to the connector configured for their kind; a
 * row is marked sent only after the endpoint answered 2xx (a folder: its file is in place), and
 * a failed batch is retried with exponential backoff. Nothing is dropped. A batch is formed once
 * and kept: it is sent again with the same rows under the same Idempotency-Key until it is
 * acknowledged, and every record carries its own stable key, so a receiver recognises a repeat
 * by either (a folder: the batch's file is replaced).
 */
export interface DeliveryOptions {
  db: WriteDb;
  clock: Clock;
  log: Log;
  /** Where each kind of row goes, secrets opened; kinds without an endpoint wait. */
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

/** The key of a batch: the same rows give the same key (a folder's file is named by it). */
export function batchKey(rows: readonly Pick<OutboxRow, 'idempotencyKey'>[]): string {
  return createHash('sha256')
    .update(rows.map((r) => r.idempotencyKey).join('\n'))
    .digest('hex');
}

export function createDelivery(options: DeliveryOptions) {
  const transport = { fetchImpl: options.fetchImpl ?? fetch, timeoutMs: options.timeoutMs ?? 30_000 };
  const batchSize = options.batchSize ?? 100;
  const base = options.retryBaseMs ?? 30_000;
  const cap = options.maxBackoffMs ?? 60 * 60_000;
  let running: Promise<DeliveryReport> | null = null;
  reportHealthTo(options.log);

  const nextAttempt = (attempts: number) =>
    new Date(options.clock.now().getTime() + Math.min(cap, base * 2 ** (attempts - 1))).toISOString();

  /** The next batch to send: one already attempted and due again, else a new one, kept before it goes. */
  function nextBatch(
    kinds: readonly string[],
    endpoints: Partial<Record<string, Endpoint>>,
  ): (Omit<Batch, 'payloads' | 'rows'> & { rows: readonly OutboxRow[] }) | null {
    const now = options.clock.now().toISOString();
    const open = dueBatch(options.db, now, kinds);
    if (open) return open;
    const rows = dueRows(options.db, now, batchSize, kinds);
    if (rows.length === 0) return null;
    const kind = rows[0]!.kind;
    const chosen = rows.slice(0, connectorOf(endpoints[kind]!.type).maxBatch ?? batchSize);
    const key = batchKey(chosen);
    formBatch(
      options.db,
      key,
      chosen.map((r) => r.id),
    );
    return { key, kind, rows: chosen };
  }

  async function flushOnce(): Promise<DeliveryReport> {
    const report: DeliveryReport = { delivered: 0, failed: 0, lastError: null };
    const endpoints = options.endpoints();
    let kinds = Object.keys(endpoints).filter((k) => endpoints[k]);
    for (;;) {
      // Rows of kinds without an endpoint wait until one is configured.
      const formed = nextBatch(kinds, endpoints);
      if (!formed) return report;
      const { kind, rows } = formed;
      const endpoint = endpoints[kind]!;
      const ids = rows.map((r) => r.id);
      let payloads: unknown[] = [];
      try {
        payloads = rows.map((r) => (options.expand ? options.expand(r) : r.payload));
        await connectorOf(endpoint.type).send(endpoint, { ...formed, payloads }, transport);
        const at = options.clock.now().toISOString();
        options.db.transaction(() => {
          markSent(options.db, ids, at);
          options.onSent?.(rows, at);
          recordDeliverySuccess(options.db, at);
        })();
        report.delivered += rows.length;
      } catch (error) {
        // Kept and shown without what the records hold: an endpoint may echo a visitor's e-mail.
        const message = withoutPersonalData((error as Error).message, payloads);
        options.log.warn('outbox delivery failed', { kind, rows: rows.length, reason: message });
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
      const previous = running
        ? running.then(
            () => undefined,
            () => undefined,
          )
        : Promise.resolve();
      return previous.then(() => {
        makeAllDue(options.db);
        return flush();
      });
    },
  };
}
