import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDelivery, enqueue, onQueued, pendingOutboxCount } from '#core/outbox/index';
import { openStorage } from '#core/storage/database';
import { tempDir } from '../support/release.ts';
import { recordingWebhook, type WebhookRequest } from '../support/webhook.ts';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * A batch, once attempted, is the same batch until it is acknowledged: after a refusal and a
 * restart, with newer records waiting that would fill it differently, it goes again with the same
 * Idempotency-Key and exactly the same records; the newer ones form the next batch.
 */
describe('outbox batches', () => {
  it('re-sends an attempted batch with its key and records across a restart, whatever arrived since', async () => {
    const t = tempDir('pitchcase-outbox-batches-');
    cleanups.push(t.cleanup);
    const file = path.join(t.dir, 'pitchcase.db');
    let refuse = true;
    const hook = await recordingWebhook({ answer: () => (refuse ? { status: 503, body: 'busy' } : null) });
    cleanups.push(hook.close);
    const now = Date.parse('2026-11-23T09:00:00Z');
    const at = new Date(now).toISOString();
    const start = () => {
      const storage = openStorage(file);
      const delivery = createDelivery({
        db: storage.write,
        clock: { now: () => new Date(now) },
        log: quiet,
        batchSize: 3,
        retryBaseMs: 1000,
        endpoints: () => ({ event: { type: 'webhook', url: hook.url } }),
      });
      return { storage, delivery };
    };

    let device = start();
    for (const id of ['a', 'b'])
      enqueue(device.storage.write, { kind: 'event', idempotencyKey: `event:${id}`, payload: { id }, createdAt: at });
    expect(await device.delivery.flush()).toMatchObject({ delivered: 0, failed: 2 });
    device.storage.close();

    // Restarted, with newer records that would have made a batch of three.
    device = start();
    for (const id of ['c', 'd', 'e'])
      enqueue(device.storage.write, { kind: 'event', idempotencyKey: `event:${id}`, payload: { id }, createdAt: at });
    refuse = false;
    await device.delivery.flush({ retryNow: true });
    expect(pendingOutboxCount(device.storage.write)).toBe(0);
    device.storage.close();

    const sent = (r: WebhookRequest) => ({
      key: String(r.headers['idempotency-key']),
      records: r.records.map((x) => x.idempotencyKey),
    });
    const [refused, again, next] = hook.requests.map(sent);
    expect(refused!.records).toEqual(['event:a', 'event:b']);
    expect(again).toEqual(refused);
    expect(next!.records).toEqual(['event:c', 'event:d', 'event:e']);
    expect(next!.key).not.toBe(refused!.key);
    expect(hook.requests).toHaveLength(3);
  });
});

describe('queued records', () => {
  it('are announced once per transaction, after it, and never to a database closed meanwhile', async () => {
    const t = tempDir('pitchcase-outbox-queued-');
    cleanups.push(t.cleanup);
    const storage = openStorage(path.join(t.dir, 'pitchcase.db'));
    const heard: number[] = [];
    const stop = onQueued(storage.write, () => heard.push(pendingOutboxCount(storage.write)));
    storage.write.transaction(() => {
      for (const id of ['a', 'b', 'c'])
        enqueue(storage.write, { kind: 'event', idempotencyKey: `event:${id}`, payload: { id }, createdAt: 'now' });
      // Inside the transaction nobody has heard yet.
      expect(heard).toEqual([]);
    })();
    await Promise.resolve();
    expect(heard).toEqual([3]);
    enqueue(storage.write, { kind: 'event', idempotencyKey: 'event:d', payload: {}, createdAt: 'now' });
    storage.close();
    await Promise.resolve();
    expect(heard).toEqual([3]);
    stop();
  });
});
