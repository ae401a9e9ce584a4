import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import { endpointMessage, enqueue, pendingOutboxByKind } from '#core/outbox/index';
import { openStorage } from '#core/storage/database';
import type { DeliveryStatus } from '#shared/sync';
import { tempDir } from '../support/release.ts';

/**
 * What the sync-health panel reads: waiting records by kind, when a batch last got through, and
 * the last failure with its time and what the endpoint said; "Retry now" does not wait for the
 * backoff.
 */
const profile = tempDir('pitchcase-delivery-health-');
let core: Core;
let now = Date.parse('2026-06-02T09:00:00Z');
const clock = { now: () => new Date(now) };
/** Per path: how the endpoint answers. */
const answers = new Map<string, 'ok' | 'maintenance' | 'html-error'>();
const requests: string[] = [];
const server: Server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    requests.push(req.url ?? '');
    const answer = answers.get(req.url ?? '') ?? 'ok';
    if (answer === 'maintenance')
      res
        .writeHead(503, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ message: 'Service down for maintenance until 10:00' }));
    else if (answer === 'html-error')
      res.writeHead(502, { 'Content-Type': 'text/html' }).end('<h1>Bad   gateway</h1>\n');
    else res.writeHead(200).end('{}');
  });
});
const url = (name: string) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/${name}`;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  core = await createCore({
    profileDir: profile.dir,
    shell: 'browser',
    siteBaseUrl: 'http://127.0.0.1',
    clock,
    delivery: { retryBaseMs: 60_000 },
  });
});
afterAll(async () => {
  core?.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  profile.cleanup();
});

async function recordSomething(n: number): Promise<void> {
  const at = new Date(now).toISOString();
  await core.api.recordActivity({
    events: [
      { id: `opened-${n}-000`, type: 'item.opened', at, itemId: 'brochure' },
      { id: `viewed-${n}-000`, type: 'page.viewed', at, itemId: 'brochure', page: 2, dwellMs: 4000 },
    ],
  });
  await core.api.saveMeeting({
    id: `meeting-${n}-000`,
    startedAt: at,
    endedAt: at,
    status: 'logged',
    account: 'Marston Brewery',
    outcome: 'Trial agreed',
  });
}

function nextStatusEvent(): Promise<DeliveryStatus> {
  return new Promise((resolve) => {
    const off = core.events.on('delivery.status', (status) => {
      off();
      resolve(status);
    });
  });
}

describe('delivery health', () => {
  it('counts waiting records by kind before anything is configured', async () => {
    await recordSomething(1);
    expect(await core.api.getDeliveryStatus({})).toEqual({
      pending: 3,
      pendingByKind: { event: 2, meeting: 1 },
      lastDeliveredAt: null,
      lastError: null,
    });
  });

  it('keeps the last failure with its time and the endpoint message, and Retry now does not wait for the backoff', async () => {
    answers.set('/crm', 'maintenance');
    await core.api.updateDeliverySettings({
      event: { type: 'webhook', url: url('crm') },
      meeting: { type: 'webhook', url: url('crm') },
    });
    const announced = nextStatusEvent();
    const failedAt = new Date(now).toISOString();
    const status = await core.api.deliverNow({});
    expect(status).toMatchObject({ pending: 3, pendingByKind: { event: 2, meeting: 1 }, lastDeliveredAt: null });
    expect(status.lastError).toEqual({
      at: failedAt,
      kind: expect.stringMatching(/^(event|meeting)$/),
      message: `${url('crm')} answered HTTP 503: Service down for maintenance until 10:00`,
    });
    expect(await announced).toEqual(status);

    // A minute later the backoff (60 s, then 120 s) has not passed, but the rep asked.
    now += 60_000;
    const before = requests.length;
    const again = await core.api.deliverNow({});
    // One attempt per kind: a refused kind does not stop the other from being tried.
    expect(requests.length).toBe(before + 2);
    expect(again.lastError?.at).toBe(new Date(now).toISOString());
    expect(again.pending).toBe(3);
  });

  it('shows the last success and clears the failure once the endpoint takes everything', async () => {
    answers.set('/crm', 'ok');
    now += 60_000;
    const status = await core.api.deliverNow({});
    expect(status).toEqual({
      pending: 0,
      pendingByKind: {},
      lastDeliveredAt: new Date(now).toISOString(),
      lastError: null,
    });
  });

  it('keeps a failing kind on record while another kind gets through, and remembers both after a restart', async () => {
    now += 60_000;
    await recordSomething(2);
    answers.set('/tasks', 'html-error');
    await core.api.updateDeliverySettings({ meeting: { type: 'webhook', url: url('tasks') } });
    const status = await core.api.deliverNow({});
    expect(status).toMatchObject({
      pending: 1,
      pendingByKind: { meeting: 1 },
      lastDeliveredAt: new Date(now).toISOString(),
    });
    expect(status.lastError).toEqual({
      at: new Date(now).toISOString(),
      kind: 'meeting',
      message: `${url('tasks')} answered HTTP 502: <h1>Bad gateway</h1>`,
    });

    // Activity of the next meeting goes out; the meeting's endpoint still refuses.
    now += 60_000;
    await core.api.recordActivity({
      events: [{ id: 'opened-3-000', type: 'item.opened', at: new Date(now).toISOString(), itemId: 'deck' }],
    });
    answers.set('/tasks', 'html-error');
    const later = await core.api.deliverNow({});
    expect(later.pendingByKind).toEqual({ meeting: 1 });
    expect(later.lastDeliveredAt).toBe(new Date(now).toISOString());
    expect(later.lastError).toMatchObject({ kind: 'meeting', message: expect.stringContaining('HTTP 502') });

    core.close();
    core = await createCore({ profileDir: profile.dir, shell: 'browser', siteBaseUrl: 'http://127.0.0.1', clock });
    expect(await core.api.getDeliveryStatus({})).toEqual(later);
  });
});

describe('pending records by kind', () => {
  it('groups every waiting kind, and leaves out sent ones', () => {
    const dir = tempDir('pitchcase-pending-kind-');
    const storage = openStorage(path.join(dir.dir, 'pitchcase.db'));
    try {
      const at = '2026-06-02T09:00:00.000Z';
      for (const [kind, n] of [
        ['lead', 2],
        ['meeting', 1],
        ['event', 3],
        ['followup', 1],
      ] as const) {
        for (let i = 0; i < n; i++)
          enqueue(storage.write, { kind, idempotencyKey: `${kind}:${i}`, payload: {}, createdAt: at });
      }
      storage.write.prepare(`UPDATE outbox SET sent_at = ? WHERE idempotency_key = 'event:0'`).run(at);
      expect(pendingOutboxByKind(storage.read)).toEqual({ lead: 2, meeting: 1, event: 2, followup: 1 });
    } finally {
      storage.close();
      dir.cleanup();
    }
  });
});

describe('what an endpoint said', () => {
  it.each([
    ['{"message":"Quota exceeded"}', 'Quota exceeded'],
    ['{"error":"invalid token"}', 'invalid token'],
    ['{"error":{"code":42,"message":"Account locked"}}', 'Account locked'],
    [
      '[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]',
      'Session expired or invalid (INVALID_SESSION_ID)',
    ],
    ['  Service\n  unavailable  ', 'Service unavailable'],
    ['{"status":"down"}', '{"status":"down"}'],
    ['', ''],
  ])('%s -> %s', (body, message) => {
    expect(endpointMessage(body)).toBe(message);
  });

  it('is short enough for a panel', () => {
    expect(endpointMessage('x'.repeat(5000))).toHaveLength(300);
  });
});
