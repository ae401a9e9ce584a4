import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDelivery, enqueue, pendingOutboxCount } from '#core/outbox/index';
import { openStorage, type Storage } from '#core/storage/database';
import { tempDir } from '../support/release.ts';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function storage(): Storage {
  const t = tempDir('pitchcase-outbox-');
  const s = openStorage(path.join(t.dir, 'pitchcase.db'));
  cleanups.push(
    () => t.cleanup(),
    () => s.close(),
  );
  return s;
}

/**
 * A receiver like a CRM webhook: it stores each record once by idempotency key. `behaviour`
 * decides per request: answer 200, answer 503, or store the batch and then drop the connection
 * before answering (the device must resend; the receiver must not double-count).
 */
async function receiver(behaviour: (request: number) => 'ok' | 'fail' | 'lose-answer' | 'slow') {
  const stored = new Map<string, number>();
  const batchKeys: string[] = [];
  let requests = 0;
  const server: Server = createServer((req, res) => {
    const n = ++requests;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const mode = behaviour(n);
      if (mode === 'fail') {
        res.writeHead(503).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { records: { idempotencyKey: string }[] };
      batchKeys.push(String(req.headers['idempotency-key']));
      for (const r of body.records) stored.set(r.idempotencyKey, (stored.get(r.idempotencyKey) ?? 0) + 1);
      if (mode === 'lose-answer') {
        req.socket.destroy();
        return;
      }
      if (mode === 'slow') return; // never answers: the device times out
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    stored,
    batchKeys,
    requests: () => requests,
  };
}

describe('outbox delivery', () => {
  it('delivers every row exactly once by idempotency key through failures and lost answers', async () => {
    const s = storage();
    let now = Date.parse('2026-05-01T09:00:00Z');
    const clock = { now: () => new Date(now) };
    const keys = Array.from({ length: 250 }, (_, i) => `event-${i}`);
    for (const key of keys)
      enqueue(s.write, {
        kind: 'event',
        idempotencyKey: key,
        payload: { n: key },
        createdAt: new Date(now).toISOString(),
      });
    const pattern = ['fail', 'lose-answer', 'ok', 'fail', 'ok', 'lose-answer', 'slow', 'ok'] as const;
    const hook = await receiver((n) => pattern[(n - 1) % pattern.length]!);
    const delivery = createDelivery({
      db: s.write,
      clock,
      log: { info() {}, warn() {}, error() {} },
      endpoints: () => ({ event: { type: 'webhook', url: hook.url } }),
      batchSize: 40,
      timeoutMs: 300,
      retryBaseMs: 1000,
    });
    for (let round = 0; round < 60 && pendingOutboxCount(s.write) > 0; round++) {
      await delivery.flush();
      now += 60 * 60_000; // every backoff has passed
    }
    expect(pendingOutboxCount(s.write)).toBe(0);
    expect([...hook.stored.keys()].sort()).toEqual([...keys].sort());
    // Lost answers made the device resend: the receiver saw repeats, recognisable by key.
    expect([...hook.stored.values()].some((count) => count > 1)).toBe(true);
    expect(hook.batchKeys.every((k) => /^[0-9a-f]{64}$/.test(k))).toBe(true);
  });

  it('marks nothing sent without a 2xx and backs off exponentially', async () => {
    const s = storage();
    const now = Date.parse('2026-05-01T09:00:00Z');
    enqueue(s.write, { kind: 'lead', idempotencyKey: 'lead-1', payload: {}, createdAt: new Date(now).toISOString() });
    const hook = await receiver(() => 'fail');
    let t = now;
    const delivery = createDelivery({
      db: s.write,
      clock: { now: () => new Date(t) },
      log: { info() {}, warn() {}, error() {} },
      endpoints: () => ({ lead: { type: 'webhook', url: hook.url } }),
      retryBaseMs: 1000,
    });
    const next: number[] = [];
    for (let i = 0; i < 4; i++) {
      const report = await delivery.flush();
      expect(report).toMatchObject({ delivered: 0, failed: 1 });
      const row = s.write.prepare(`SELECT attempts, next_attempt_at, sent_at, last_error FROM outbox`).get() as {
        attempts: number;
        next_attempt_at: string;
        sent_at: string | null;
        last_error: string;
      };
      expect(row.sent_at).toBeNull();
      expect(row.last_error).toMatch(/HTTP 503/);
      next.push(Date.parse(row.next_attempt_at) - t);
      // Not due yet: a flush right away sends nothing.
      expect((await delivery.flush()).failed).toBe(0);
      t = Date.parse(row.next_attempt_at);
    }
    expect(next).toEqual([1000, 2000, 4000, 8000]);
    expect(hook.requests()).toBe(4);
  });

  it('keeps rows whose kind has no endpoint until one is configured', async () => {
    const s = storage();
    enqueue(s.write, { kind: 'meeting', idempotencyKey: 'm-1', payload: {}, createdAt: '2026-05-01T09:00:00.000Z' });
    enqueue(s.write, { kind: 'event', idempotencyKey: 'e-1', payload: {}, createdAt: '2026-05-01T09:00:00.000Z' });
    const hook = await receiver(() => 'ok');
    const delivery = createDelivery({
      db: s.write,
      clock: { now: () => new Date('2026-05-01T10:00:00Z') },
      log: { info() {}, warn() {}, error() {} },
      endpoints: () => ({ event: { type: 'webhook', url: hook.url } }),
    });
    expect(await delivery.flush()).toMatchObject({ delivered: 1, failed: 0 });
    expect(pendingOutboxCount(s.write)).toBe(1);
    expect([...hook.stored.keys()]).toEqual(['e-1']);
  });

  it('ignores a repeated enqueue of the same key', () => {
    const s = storage();
    const row = { kind: 'event', idempotencyKey: 'same', payload: { a: 1 }, createdAt: '2026-05-01T09:00:00.000Z' };
    enqueue(s.write, row);
    enqueue(s.write, { ...row, payload: { a: 2 } });
    expect(pendingOutboxCount(s.write)).toBe(1);
  });
});
