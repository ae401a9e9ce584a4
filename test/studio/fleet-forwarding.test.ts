import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, startStudio, type RunningStudio } from '#studio/index';
import { forwarderOf } from '#studio/forwarding/queue';
import { DEFAULT_LEAD_RETENTION_DAYS } from '#studio/fleet/records';
import { tempDir } from '../support/release.ts';
import { recordingWebhook, type WebhookAnswer } from '../support/webhook.ts';
import { StudioClient } from './client.ts';
import { postgresUnavailable, startPostgres, type TestPostgres } from './postgres.ts';
import { SimulatedDevice } from './fleet-device.ts';

/**
 * Studio forwards the leads and meetings it takes in to the CRM with the devices' connectors: an
 * admin sets the destination (secrets sealed, never read back), tests it, and every lead with
 * consent, meeting and follow-up reaches the CRM once, with its booth or rep; a refusal is
 * retried with backoff and shown without the visitor's data; a restart loses nothing; an erased
 * lead is never sent.
 */
const password = 'correct horse battery';
const pgMissing = postgresUnavailable();

describe.each(['sqlite', 'postgres'] as const)('forwarding to the CRM on %s', (backend) => {
  const skip = backend === 'postgres' && pgMissing !== null;
  let data: ReturnType<typeof tempDir>;
  let pg: TestPostgres | null = null;
  let now = new Date('2026-11-02T09:00:00Z');
  let studio: RunningStudio;
  let admin: StudioClient;
  let editor: StudioClient;
  let refuse: WebhookAnswer | null = null;
  let crm: Awaited<ReturnType<typeof recordingWebhook>>;
  const SECRET = 'Bearer crm-secret-7f3a91';

  async function start(): Promise<void> {
    studio = await startStudio({
      dataDir: data.dir,
      port: 0,
      database: pg?.url,
      config: { scryptCost: 2 ** 10 },
      now: () => now,
      log: () => {},
      // Only the test's runs and ingest's nudges: each step is awaited, never timed.
      forwarding: { intervalMs: 3_600_000, retryBaseMs: 60_000 },
    });
    admin = new StudioClient(studio.url);
    editor = new StudioClient(studio.url);
    expect((await admin.signIn('admin@example.com', password)).status).toBe(200);
    expect((await editor.signIn('editor@example.com', password)).status).toBe(200);
  }

  beforeAll(async () => {
    if (skip) return;
    if (backend === 'postgres') pg = await startPostgres();
    data = tempDir('studio-forwarding-');
    crm = await recordingWebhook({ answer: () => refuse });
    const first = await startStudio({
      dataDir: data.dir,
      port: 0,
      database: pg?.url,
      config: { scryptCost: 2 ** 10 },
      log: () => {},
    });
    for (const role of ['admin', 'editor'] as const)
      await createUser(first.context, { email: `${role}@example.com`, name: role, role, password }, null);
    await first.close();
    await start();
  }, 60_000);

  afterAll(async () => {
    await studio?.close();
    await crm?.close();
    pg?.stop();
    data?.cleanup();
  });

  async function booth(event: string): Promise<SimulatedDevice> {
    const made = await admin.call<{ code: string }>('POST', '/api/fleet/codes', {
      kind: 'booth',
      event,
      team: 'North',
    });
    expect(made.status).toBe(200);
    const device = new SimulatedDevice(studio.url);
    expect((await device.enrol(made.value.code, 'kiosk')).status).toBe(200);
    return device;
  }

  const forwarded = () => forwarderOf(studio.context)!.runNow();

  /** A visitor's lead with consent, captured at `at` (now by default). */
  const visitor = (kiosk: SimulatedDevice, email: string, options: { at?: string; id?: string } = {}) =>
    kiosk.lead(options.at ?? now.toISOString(), {
      id: options.id ?? randomUUID(),
      email,
      consentVersion: 'v3',
      viewedItems: [],
    });

  interface Forward {
    kind: string;
    key: string;
    state: string;
    booth: string | null;
    lastError: string | null;
    attempts: number;
    sentTo: string | null;
  }

  it.skipIf(skip)('is set up by an admin only; secrets are sealed and read back only as set', async () => {
    const change = { lead: { type: 'webhook', url: crm.url, authorization: SECRET } };
    expect((await editor.call('PUT', '/api/forwarding', change)).status).toBe(403);
    expect((await editor.call('GET', '/api/forwarding')).status).toBe(403);
    const bad = await admin.call('PUT', '/api/forwarding', { lead: { type: 'webhook', url: 'ftp://nowhere' } });
    expect(bad.status).toBe(400);

    const saved = await admin.call<{ lead: Record<string, unknown> }>('PUT', '/api/forwarding', {
      ...change,
      meeting: { type: 'webhook', url: crm.url, authorization: SECRET },
    });
    expect(saved.status, JSON.stringify(saved.error)).toBe(200);
    expect(saved.value.lead).toEqual({
      type: 'webhook',
      url: crm.url,
      headerNames: ['Authorization'],
      hasAuthorization: true,
    });
    const read = await admin.call<{ destinations: unknown }>('GET', '/api/forwarding');
    expect(JSON.stringify(read.value)).not.toContain('crm-secret');
    const row = await studio.context.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'forwarding.destinations')
      .executeTakeFirstOrThrow();
    expect(row.value).not.toContain('crm-secret');
    if (backend === 'sqlite')
      for (const file of ['studio.sqlite', 'studio.sqlite-wal'].map((f) => path.join(data.dir, f)).filter(existsSync))
        expect(readFileSync(file).includes('crm-secret')).toBe(false);
  });

  it.skipIf(skip)(
    'tests the connection: the stored destination, and a candidate at another host without the stored secret',
    async () => {
      const tested = await admin.call<{ ok: boolean; message: string }>('POST', '/api/forwarding/test', {
        kind: 'lead',
      });
      expect(tested.value).toMatchObject({ ok: true });
      expect(crm.requests.at(-1)!.headers.authorization).toBe(SECRET);
      expect(crm.requests.at(-1)!.headers['pitchcase-test']).toBe('1');
      const elsewhere = await admin.call<{ ok: boolean; message: string }>('POST', '/api/forwarding/test', {
        kind: 'lead',
        endpoint: { type: 'webhook', url: 'http://127.0.0.1:9/hook' },
      });
      expect(elsewhere.value.ok).toBe(false);
      expect(elsewhere.value.message).toMatch(/Could not reach 127\.0\.0\.1:9/);
    },
  );

  it.skipIf(skip)(
    'sends each lead with consent, meeting and follow-up once, with the booth; holds a lead without consent',
    async () => {
      crm.records.length = 0;
      const kiosk = await booth('Harbour Expo 2026');
      const at = now.toISOString();
      const lead = visitor(kiosk, 'vera@expo.example', { at });
      const noConsent = kiosk.lead(at, {
        id: randomUUID(),
        email: 'nora@expo.example',
        consentVersion: null,
        viewedItems: [],
      });
      const meeting = kiosk.meeting(at, { id: randomUUID(), account: 'Harbour Ltd', outcome: 'Demo booked' });
      const followUpId = randomUUID();
      const followup = {
        idempotencyKey: `followup:${followUpId}`,
        kind: 'followup',
        at,
        source: kiosk.source(),
        payload: {
          followUpId,
          meetingId: null,
          Subject: 'Your quote',
          Body: 'As promised',
          To: 'buyer@harbour.example',
        },
      };
      const event = kiosk.event(at, { itemId: 'item-1' });
      const key = randomUUID();
      expect((await kiosk.send([lead, noConsent, meeting, followup, event], key)).status).toBe(200);
      await forwarded();
      // The same batch again (the device never heard the answer), and the lead in another batch.
      expect((await kiosk.send([lead, noConsent, meeting, followup, event], key)).body.duplicate).toBe(true);
      expect((await kiosk.send([lead])).status).toBe(200);
      await forwarded();

      expect(crm.records.map((r) => r.idempotencyKey).sort()).toEqual(
        [lead.idempotencyKey, meeting.idempotencyKey, followup.idempotencyKey].sort(),
      );
      // A follow-up goes where meetings go, as on a device.
      expect(crm.records.find((r) => r.kind === 'followup')!.payload).toMatchObject({ Subject: 'Your quote' });
      const sentLead = crm.records.find((r) => r.kind === 'lead')!;
      expect(sentLead.payload).toMatchObject({ email: 'vera@expo.example', consentVersion: 'v3' });
      expect((sentLead as unknown as { source: unknown }).source).toMatchObject({
        deviceId: kiosk.id,
        booth: 'Harbour Expo 2026',
        team: 'North',
      });
      expect(crm.requests.at(-1)!.headers.authorization).toBe(SECRET);

      const list = await admin.call<Forward[]>('GET', '/api/forwarding/records?kind=lead');
      expect(list.value.map((f) => [f.key, f.state])).toEqual(
        expect.arrayContaining([
          [lead.idempotencyKey, 'sent'],
          [noConsent.idempotencyKey, 'held'],
        ]),
      );
      expect(list.value.find((f) => f.key === lead.idempotencyKey)).toMatchObject({
        booth: 'Harbour Expo 2026',
        sentTo: expect.stringContaining('127.0.0.1'),
        attempts: 1,
      });
      expect(JSON.stringify(list.value)).not.toContain('vera@expo.example');
      expect((await editor.call('GET', '/api/forwarding/records')).status).toBe(403);
    },
  );

  it.skipIf(skip)(
    'retries a refusal with backoff, shows the error without the visitor’s data, and survives a restart',
    async () => {
      crm.records.length = 0;
      const kiosk = await booth('Dock Fair');
      refuse = { status: 422, body: JSON.stringify({ error: 'duplicate contact mira@dock.example' }) };
      const lead = visitor(kiosk, 'mira@dock.example');
      expect((await kiosk.send([lead])).status).toBe(200);
      await forwarded();
      const failed = await admin.call<Forward[]>('GET', '/api/forwarding/records?state=retrying');
      const row = failed.value.find((f) => f.key === lead.idempotencyKey)!;
      expect(row).toMatchObject({ state: 'retrying', attempts: 1 });
      expect(row.lastError).toMatch(/HTTP 422/);
      expect(row.lastError).not.toContain('mira@dock.example');
      const overview = await admin.call<{ counts: Record<string, number>; lastError: string }>(
        'GET',
        '/api/forwarding',
      );
      expect(overview.value.counts.retrying).toBeGreaterThanOrEqual(1);

      // Not due yet: nothing is sent before the backoff is over.
      refuse = null;
      await forwarded();
      expect(crm.records).toHaveLength(0);

      // Studio stops and starts again; the retry falls due and the lead goes, once.
      await studio.close();
      now = new Date(now.getTime() + 61_000);
      await start();
      await forwarded();
      expect(crm.records.map((r) => r.idempotencyKey)).toEqual([lead.idempotencyKey]);
      await forwarded();
      expect(crm.records).toHaveLength(1);
    },
  );

  it.skipIf(skip)(
    'never sends a lead erased before it went, nor one waiting for a destination until one is set',
    async () => {
      crm.records.length = 0;
      expect((await admin.call('PUT', '/api/forwarding', { lead: null })).status).toBe(200);
      const kiosk = await booth('Quay Show');
      const kept = visitor(kiosk, 'kim@quay.example');
      const erasedId = randomUUID();
      const erased = visitor(kiosk, 'eve@quay.example', { id: erasedId });
      expect((await kiosk.send([kept, erased])).status).toBe(200);
      await forwarded();
      expect(crm.records).toHaveLength(0);
      const waiting = await admin.call<Forward[]>('GET', '/api/forwarding/records?state=waiting');
      expect(waiting.value.map((f) => f.key)).toEqual(
        expect.arrayContaining([kept.idempotencyKey, erased.idempotencyKey]),
      );

      expect((await admin.call('POST', '/api/fleet/privacy/erase', { lead: erasedId })).status).toBe(200);
      const listed = await admin.call<Forward[]>('GET', '/api/forwarding/records?kind=lead');
      expect(listed.value.map((f) => f.key)).not.toContain(erased.idempotencyKey);
      expect((await admin.call('PUT', '/api/forwarding', { lead: { type: 'webhook', url: crm.url } })).status).toBe(
        200,
      );
      await forwarded();
      expect(crm.records.map((r) => r.idempotencyKey)).toEqual([kept.idempotencyKey]);
      // A new URL at the same host keeps no secret it was not given again: none was given here.
      expect(crm.requests.at(-1)!.headers.authorization).toBeUndefined();
    },
  );

  it.skipIf(skip)(
    'a rep’s erasure and a lead past its retention take their unsent forwards with them, and only theirs',
    async () => {
      expect((await admin.call('PUT', '/api/forwarding', { lead: null, meeting: null })).status).toBe(200);
      const code = await admin.call<{ code: string }>('POST', '/api/fleet/codes', {
        kind: 'rep',
        name: 'Ola',
        email: 'ola@example.com',
        team: 'North',
      });
      const rep = new SimulatedDevice(studio.url);
      expect((await rep.enrol(code.value.code)).status).toBe(200);
      const meeting = rep.meeting(now.toISOString(), { id: randomUUID(), account: 'Harbour Ltd', outcome: 'won' });
      expect((await rep.send([meeting])).status).toBe(200);
      const kiosk = await booth('Pier Days');
      const lapsed = new Date(now.getTime() - (DEFAULT_LEAD_RETENTION_DAYS + 1) * 86_400_000).toISOString();
      const expired = visitor(kiosk, 'old@pier.example', { at: lapsed });
      const current = visitor(kiosk, 'new@pier.example');
      expect((await kiosk.send([expired, current])).status).toBe(200);
      const keys = async () =>
        (await admin.call<Forward[]>('GET', '/api/forwarding/records?state=waiting')).value.map((f) => f.key);
      expect(await keys()).toEqual(
        expect.arrayContaining([meeting.idempotencyKey, expired.idempotencyKey, current.idempotencyKey]),
      );
      const before = await admin.call<{ counts: Record<string, number> }>('GET', '/api/forwarding');

      expect((await admin.call('POST', '/api/fleet/privacy/erase', { rep: 'ola@example.com' })).status).toBe(200);
      // The hourly purge of lapsed leads rides on the next upload an hour on.
      now = new Date(now.getTime() + 61 * 60_000);
      const later = visitor(kiosk, 'later@pier.example');
      expect((await kiosk.send([later])).status).toBe(200);

      const waiting = await keys();
      expect(waiting).not.toContain(meeting.idempotencyKey);
      expect(waiting).not.toContain(expired.idempotencyKey);
      expect(waiting).toEqual(expect.arrayContaining([current.idempotencyKey, later.idempotencyKey]));
      // The overview counts what is still to send: two gone, one come.
      const after = await admin.call<{ counts: Record<string, number> }>('GET', '/api/forwarding');
      expect(after.value.counts.waiting).toBe(before.value.counts.waiting! - 1);
    },
  );
});
