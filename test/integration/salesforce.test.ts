import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import { tempDir } from '../support/release.ts';

/**
 * Leads and meetings to Salesforce REST as upserts by external id, against a local stand-in
 * that answers like Salesforce (201 created, 204 updated, 503 now and then).
 */
const profile = tempDir('pitchcase-salesforce-');
let core: Core;
let now = Date.parse('2026-05-12T10:00:00Z');
const records = new Map<string, Record<string, unknown>>();
const calls: { method: string; url: string; auth: string | undefined }[] = [];
let failNext = 2;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    calls.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization });
    if (failNext-- > 0) {
      res.writeHead(503).end('[{"errorCode":"SERVER_UNAVAILABLE"}]');
      return;
    }
    const existed = records.has(req.url ?? '');
    records.set(req.url ?? '', JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>);
    res
      .writeHead(existed ? 204 : 201, { 'Content-Type': 'application/json' })
      .end(existed ? undefined : '{"id":"00Q000000000001","success":true}');
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  core = await createCore({
    profileDir: profile.dir,
    shell: 'browser',
    profileKind: 'kiosk',
    siteBaseUrl: 'http://x',
    clock: { now: () => new Date(now) },
    delivery: { retryBaseMs: 1000 },
  });
});
afterAll(async () => {
  core?.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  profile.cleanup();
});

describe('Salesforce connector', () => {
  it('upserts a lead as a Lead and a logged meeting as a Task, by external id, through failures', async () => {
    const instanceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const salesforce = { type: 'salesforce' as const, instanceUrl, accessToken: 'token-123' };
    await core.api.updateDeliverySettings({ lead: salesforce, meeting: salesforce });
    const version = (await core.api.getKioskConfig({})).leadForm.consent.version;
    const { sessionId } = await core.api.startVisitorSession({});
    const lead = await core.api.captureLead({
      sessionId,
      fields: { firstName: 'Ana', lastName: 'Lima', email: 'ana@example.com', company: 'Marston Brewery' },
      consent: { given: true, version },
    });
    // Staff qualify it before it went out: the lead's own record carries the rating.
    await core.api.qualifyLead({ leadId: 'leadId' in lead ? lead.leadId : '', rating: 'hot', note: '' });
    await core.api.saveMeeting({
      id: 'meeting-sf-01',
      startedAt: '2026-05-12T09:00:00Z',
      endedAt: '2026-05-12T09:30:00Z',
      status: 'logged',
      account: 'Marston Brewery',
      outcome: 'Trial agreed',
    });
    for (let round = 0; round < 10 && (await core.api.getDeliveryStatus({})).pending > 0; round++) {
      await core.api.deliverNow({});
      now += 60 * 60_000;
    }
    expect((await core.api.getDeliveryStatus({})).pending).toBe(0);
    const leadId = 'leadId' in lead ? lead.leadId : '';
    const leadUrl = `/services/data/v61.0/sobjects/Lead/Pitchcase_Id__c/${encodeURIComponent(`lead:${leadId}`)}`;
    expect(records.get(leadUrl)).toMatchObject({
      FirstName: 'Ana',
      LastName: 'Lima',
      Email: 'ana@example.com',
      Company: 'Marston Brewery',
      LeadSource: 'Trade Show',
      Rating: 'Hot',
    });
    expect(
      records.get(`/services/data/v61.0/sobjects/Task/Pitchcase_Id__c/${encodeURIComponent('meeting:meeting-sf-01')}`),
    ).toMatchObject({
      Subject: expect.stringContaining('Marston Brewery'),
      Status: 'Completed',
      ActivityDate: '2026-05-12',
    });
    expect(calls.every((c) => c.method === 'PATCH' && c.auth === 'Bearer token-123')).toBe(true);
    expect(await core.api.getLeadStats({})).toMatchObject({ undelivered: 0 });

    // Qualified again after it was sent: an update upserts the same Lead, never a second one.
    await core.api.qualifyLead({ leadId, rating: 'cold', note: 'Budget frozen until Q3' });
    expect((await core.api.getDeliveryStatus({})).pending).toBe(1);
    await core.api.deliverNow({});
    expect((await core.api.getDeliveryStatus({})).pending).toBe(0);
    expect([...records.keys()].filter((url) => url.includes('/sobjects/Lead/'))).toEqual([leadUrl]);
    expect(records.get(leadUrl)).toMatchObject({
      LastName: 'Lima',
      Rating: 'Cold',
      Description: expect.stringContaining('Staff note: Budget frozen until Q3'),
    });
  });

  it('refuses an instance URL that is not https at the boundary', async () => {
    expect(
      await core.handle('updateDeliverySettings', {
        lead: { type: 'salesforce', instanceUrl: 'http://example.com', accessToken: 't' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });
});
