import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import { tempDir } from '../support/release.ts';

/**
 * Leads through the outbox to a flaky CRM webhook (fails, stores then drops the answer,
 * answers): every lead arrives, the receiver can dedupe by key, and a lead counts as delivered
 * only after a 2xx.
 */
const profile = tempDir('pitchcase-delivery-');
let core: Core;
let now = Date.parse('2026-05-12T10:00:00Z');
const received = new Map<string, Record<string, unknown>>();
const deliveries: string[] = [];
let request = 0;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const mode = ['fail', 'store-and-drop', 'ok'][request++ % 3];
    if (mode === 'fail') {
      res.writeHead(500).end();
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString()) as {
      records: { idempotencyKey: string; payload: Record<string, unknown> }[];
    };
    for (const r of body.records) {
      deliveries.push(r.idempotencyKey);
      received.set(r.idempotencyKey, r.payload);
    }
    if (mode === 'store-and-drop') req.socket.destroy();
    else res.writeHead(201).end('{}');
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  core = await createCore({
    profileDir: profile.dir,
    shell: 'browser',
    profileKind: 'kiosk',
    siteBaseUrl: 'http://127.0.0.1',
    clock: { now: () => new Date(now) },
    delivery: { retryBaseMs: 1000, timeoutMs: 2000 },
  });
});
afterAll(async () => {
  core?.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  profile.cleanup();
});

describe('lead delivery', () => {
  it('delivers every lead exactly once by key and marks it delivered only after a 2xx', async () => {
    const version = (await core.api.getKioskConfig({})).leadForm.consent.version;
    const emails: string[] = [];
    for (let i = 0; i < 12; i++) {
      const { sessionId } = await core.api.startVisitorSession({});
      const email = `visitor${i}@example.com`;
      emails.push(email);
      await core.api.captureLead({
        sessionId,
        fields: { firstName: 'V', lastName: String(i), email, company: 'Expo' },
        consent: { given: true, version },
      });
    }
    expect(await core.api.deliverNow({})).toMatchObject({ pending: 12, lastDeliveredAt: null });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/crm`;
    expect(await core.handle('updateDeliverySettings', { lead: { type: 'webhook', url: 'ftp://nope' } })).toMatchObject(
      { ok: false, error: { code: 'bad-request', message: expect.stringMatching(/https/) } },
    );
    await core.api.updateDeliverySettings({ lead: { type: 'webhook', url } });
    for (let round = 0; round < 20 && (await core.api.getDeliveryStatus({})).pending > 0; round++) {
      await core.api.deliverNow({});
      now += 60 * 60_000;
    }
    const status = await core.api.getDeliveryStatus({});
    expect(status.pending).toBe(0);
    expect([...received.values()].map((p) => p.email).sort()).toEqual([...emails].sort());
    // The dropped answer made the device send the same leads again, with the same keys.
    expect(deliveries.length).toBeGreaterThan(received.size);
    expect(await core.api.getLeadStats({})).toMatchObject({ total: 12, undelivered: 0 });
    expect([...received.values()][0]).toMatchObject({ consentVersion: version, company: 'Expo' });
  });

  it('purges delivered leads past the retention period when the app starts, and keeps undelivered ones', async () => {
    const version = (await core.api.getKioskConfig({})).leadForm.consent.version;
    const { sessionId } = await core.api.startVisitorSession({});
    await core.api.updateDeliverySettings({ lead: null });
    await core.api.captureLead({
      sessionId,
      fields: { firstName: 'Late', lastName: 'Visitor', email: 'late@example.com', company: 'Expo' },
      consent: { given: true, version },
    });
    expect(await core.api.getLeadStats({})).toMatchObject({ total: 13, undelivered: 1 });
    now += 31 * 86_400_000;
    const later = await createCore({
      profileDir: profile.dir,
      shell: 'browser',
      profileKind: 'kiosk',
      siteBaseUrl: 'http://127.0.0.1',
      clock: { now: () => new Date(now) },
    });
    try {
      expect(await later.api.getLeadStats({})).toMatchObject({ total: 1, undelivered: 1, undeliveredNearLimit: 1 });
    } finally {
      later.close();
    }
  });
});
