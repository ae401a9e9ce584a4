import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import { REVOKED_MESSAGE } from '#shared/contract/fleet';
import type { DeviceStatusPayload, FleetRecord } from '#shared/fleet';
import { fakeStudio, type FakeStudio } from '../support/fake-studio.ts';
import { recordingWebhook } from '../support/webhook.ts';
import { makeChannel, tempDir, type TestChannel } from '../support/release.ts';

/**
 * The device's half of the fleet against a Studio that keeps the wire contract: enrolment by a
 * code, the source stamped on every record, batches with the device credential and an
 * Idempotency-Key, per-record refusals, revocation, searches that found nothing, device status
 * and the feed.
 */
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

let sharedChannel: TestChannel | null = null;
async function channel(): Promise<TestChannel> {
  if (!sharedChannel) {
    sharedChannel = await makeChannel({ items: [{ id: 'brochure', file: 'docs/brochure.pdf' }] });
    await sharedChannel.publish();
  }
  return sharedChannel;
}

interface Device {
  core: Core;
  studio: FakeStudio;
  profileDir: string;
  advance(ms: number): void;
  reopen(): Promise<Core>;
}

async function device(options: { kind?: 'standard' | 'kiosk' } = {}): Promise<Device> {
  const ch = await channel();
  const studio = await fakeStudio({
    channel: { url: pathToFileURL(ch.releaseDir).href, publicKeys: [ch.publicPem] },
  });
  const profile = tempDir('pitchcase-fleet-');
  let now = Date.parse('2026-11-02T09:00:00Z');
  const open = () =>
    createCore({
      profileDir: profile.dir,
      shell: 'browser',
      siteBaseUrl: 'http://127.0.0.1',
      profileKind: options.kind ?? 'standard',
      appVersion: '3.4.5',
      clock: { now: () => new Date(now) },
      delivery: { retryBaseMs: 60_000 },
    });
  const made: Device = {
    core: await open(),
    studio,
    profileDir: profile.dir,
    advance: (ms) => (now += ms),
    reopen: async () => {
      made.core.close();
      made.core = await open();
      return made.core;
    },
  };
  cleanups.push(
    () => profile.cleanup(),
    () => studio.close(),
    () => made.core.close(),
  );
  return made;
}

const rep = { rep: { name: 'Ana Ortiz', email: 'ana@acme.example' }, team: 'North', region: 'EMEA' };

async function recordOpen(core: Core, id: string, at: string) {
  await core.api.recordActivity({ events: [{ id, type: 'item.opened', at, itemId: 'brochure' }] });
}

const stored = (studio: FakeStudio, kind: string): FleetRecord[] =>
  [...studio.records.values()].filter((r) => r.kind === kind);

describe('enrolment', () => {
  it('takes a code and stores the channel, pinned key, sealed credential and identity; Studio becomes a destination', async () => {
    const { core, studio, profileDir } = await device();
    expect((await core.api.getFleetStatus({})).enrolled).toBe(false);

    const status = await core.api.enrolDevice({ studioUrl: studio.url, code: studio.code(rep) });
    expect(status).toMatchObject({
      enrolled: true,
      revoked: null,
      studioUrl: studio.url,
      identity: { rep: rep.rep, booth: null, team: 'North', region: 'EMEA' },
    });
    const [deviceId, registered] = [...studio.devices.entries()][0]!;
    expect(status.deviceId).toBe(deviceId);
    expect(registered.request).toMatchObject({ appVersion: '3.4.5', profileKind: 'standard' });

    const settings = await core.api.getChannelSettings({});
    expect(settings.channelUrl).toBe(studio.channel.url);
    expect(settings.publicKeys.map((k) => k.trim())).toEqual(studio.channel.publicKeys.map((k) => k.trim()));
    // The credential is sealed: neither the database nor its WAL holds the secret in clear.
    const db = readFileSync(path.join(profileDir, 'pitchcase.db'));
    const wal = (() => {
      try {
        return readFileSync(path.join(profileDir, 'pitchcase.db-wal'));
      } catch {
        return Buffer.alloc(0);
      }
    })();
    expect(Buffer.concat([db, wal]).includes(Buffer.from(registered.secret))).toBe(false);

    // The channel Studio gave works: content comes from it.
    const synced = await core.api.checkForContent({});
    expect(synced.lastError).toBeNull();
    expect((await core.api.getLibrary({})).items.map((i) => i.id)).toContain('brochure');
  });

  it('a used, unknown or expired code is refused with Studio’s words and changes nothing', async () => {
    const { core, studio } = await device();
    const code = studio.code(rep);
    await core.api.enrolDevice({ studioUrl: studio.url, code });
    const other = await device();
    await expect(other.core.api.enrolDevice({ studioUrl: other.studio.url, code: 'NOPE1234' })).rejects.toThrow(
      /unknown code/,
    );
    const expired = other.studio.code({ ...rep, expiresInMs: -1 });
    await expect(other.core.api.enrolDevice({ studioUrl: other.studio.url, code: expired })).rejects.toThrow(/expired/);
    await expect(other.core.api.enrolDevice({ studioUrl: 'ftp://studio.example', code: 'ABCD1234' })).rejects.toThrow(
      /https/,
    );
    expect(await other.core.api.getFleetStatus({})).toMatchObject({ enrolled: false, identity: null });
    expect((await other.core.api.getChannelSettings({})).channelUrl).toBeNull();
    // Studio unreachable: a clear message, nothing stored.
    const closed = other.studio.url;
    await other.studio.close();
    await expect(other.core.api.enrolDevice({ studioUrl: closed, code: 'ABCD1234' })).rejects.toThrow(
      /Could not reach Studio/,
    );
    expect((await other.core.api.getFleetStatus({})).enrolled).toBe(false);
    // An enrolled device is not enrolled again over its enrolment.
    await expect(core.api.enrolDevice({ studioUrl: studio.url, code: studio.code(rep) })).rejects.toThrow(
      /already connected/,
    );
  });
});

describe('identity on every record', () => {
  it('stamps device, rep, team, app and release version when the record is made; an unenrolled device has its local id', async () => {
    const { core, studio } = await device();
    await recordOpen(core, 'before-enrol-0001', '2026-11-02T09:00:00.000Z');
    const before = (await core.api.getRecordsAboutMe({})).recent.find((r) => r.kind === 'event')!;
    const local = (await core.api.getFleetStatus({})).deviceId;
    expect(local).toMatch(/^local-/);
    expect(before.source).toEqual({
      deviceId: local,
      rep: null,
      booth: null,
      team: null,
      region: null,
      appVersion: '3.4.5',
      releaseVersion: null,
    });
    expect(before.studio.state).toBe('not-sent');

    // Enrolment brings the channel; the release a record names is the one current when it was made.
    await core.api.enrolDevice({ studioUrl: studio.url, code: studio.code(rep) });
    await core.api.checkForContent({});
    await recordOpen(core, 'after-enrol-00001', '2026-11-02T09:05:00.000Z');
    await core.api.syncFleetNow({});
    const [sent] = stored(studio, 'event');
    expect(sent).toMatchObject({
      idempotencyKey: 'event:after-enrol-00001',
      source: {
        deviceId: (await core.api.getFleetStatus({})).deviceId,
        rep: 'ana@acme.example',
        booth: null,
        team: 'North',
        region: 'EMEA',
        appVersion: '3.4.5',
        releaseVersion: 1,
      },
    });
    // Records made before enrolment stay on the device as they were: never sent to Studio.
    expect(studio.records.has('event:before-enrol-0001')).toBe(false);
  });
});

describe('the other destinations', () => {
  it('a webhook gets each record’s source beside its payload, and still gets it once Studio has it too', async () => {
    const { core, studio } = await device();
    const hook = await recordingWebhook();
    cleanups.push(() => hook.close());
    await core.api.updateDeliverySettings({ event: { type: 'webhook', url: hook.url } });
    await recordOpen(core, 'unenrolled-0001', '2026-11-02T09:00:00.000Z');
    await core.api.enrolDevice({ studioUrl: studio.url, code: studio.code(rep) });
    await recordOpen(core, 'enrolled-00001', '2026-11-02T09:01:00.000Z');
    await core.api.deliverNow({});
    await core.api.syncFleetNow({});
    const sources = hook.requests.flatMap((r) => r.records as unknown as { idempotencyKey: string; source: unknown }[]);
    expect(sources.find((r) => r.idempotencyKey === 'event:unenrolled-0001')?.source).toMatchObject({
      deviceId: expect.stringMatching(/^local-/),
      rep: null,
      appVersion: '3.4.5',
    });
    expect(sources.find((r) => r.idempotencyKey === 'event:enrolled-00001')?.source).toMatchObject({
      rep: 'ana@acme.example',
      team: 'North',
    });
    expect(studio.records.has('event:enrolled-00001')).toBe(true);
    expect((await core.api.getDeliveryStatus({})).pending).toBe(0);
  });
});

describe('uploads to Studio', () => {
  it('sends batches with the device credential and an Idempotency-Key; a lost answer is resent under the same key and stored once', async () => {
    const { core, studio } = await device();
    await core.api.enrolDevice({ studioUrl: studio.url, code: studio.code(rep) });
    await recordOpen(core, 'open-0000000001', '2026-11-02T09:01:00.000Z');
    await recordOpen(core, 'open-0000000002', '2026-11-02T09:02:00.000Z');
    studio.loseNextAnswer();
    let status = await core.api.syncFleetNow({});
    expect(status.lastError?.message).toMatch(/Could not reach Studio/);
    expect(status.pending).toBeGreaterThan(0);
    status = await core.api.syncFleetNow({});
    expect(status.pending).toBe(0);
    expect(status.lastError).toBeNull();
    const [first, second] = studio.ingests;
    expect(first!.idempotencyKey).toBe(second!.idempotencyKey);
    expect(first!.authorization).toMatch(/^Device dev-[0-9a-f]+\.[0-9a-f]+$/);
    expect(stored(studio, 'event').map((r) => r.idempotencyKey)).toEqual([
      'event:open-0000000001',
      'event:open-0000000002',
    ]);
  });

  it('a record Studio refuses shows its reason and is never sent again; the rest are stored', async () => {
    const { core, studio } = await device();
    await core.api.enrolDevice({ studioUrl: studio.url, code: studio.code(rep) });
    studio.refuseWhen = (record) => (record.idempotencyKey === 'event:bad-000000001' ? 'itemId unknown' : null);
    await recordOpen(core, 'bad-000000001', '2026-11-02T09:01:00.000Z');
    await recordOpen(core, 'good-00000001', '2026-11-02T09:02:00.000Z');
    const status = await core.api.syncFleetNow({});
    expect(status).toMatchObject({ pending: 0, refused: 1 });
    expect(studio.records.has('event:good-00000001')).toBe(true);
    const about = await core.api.getRecordsAboutMe({});
    expect(
      about.recent.find((r) => r.summary.includes('brochure') && r.studio.state === 'refused')?.studio.reason,
    ).toBe('itemId unknown');
    const requests = studio.ingests.length;
    await core.api.syncFleetNow({});
    expect(studio.ingests.length).toBe(requests);
  });

  it('a revoked device says so, stops sending and keeps every record', async () => {
    const d = await device();
    const { core, studio } = d;
    const enrolled = await core.api.enrolDevice({ studioUrl: studio.url, code: studio.code(rep) });
    studio.revoke(enrolled.deviceId);
    await recordOpen(core, 'open-after-rev1', '2026-11-02T09:01:00.000Z');
    const changed = new Promise((resolve) => core.events.on('fleet.changed', resolve));
    const status = await core.api.syncFleetNow({});
    expect(await changed).toEqual({ enrolled: true, revoked: true });
    expect(status.revoked?.message).toBe(REVOKED_MESSAGE);
    const requests = studio.ingests.length;
    await recordOpen(core, 'open-after-rev2', '2026-11-02T09:02:00.000Z');
    await core.api.syncFleetNow({});
    expect(studio.ingests.length).toBe(requests);
    expect(studio.records.size).toBe(0);
    const kinds = (await core.api.getRecordsAboutMe({})).recent.map((r) => r.kind);
    expect(kinds.filter((k) => k === 'event')).toHaveLength(2);
    // It stays disconnected after a restart, and Studio is no longer among the destinations.
    const reopened = await d.reopen();
    expect((await reopened.api.getFleetStatus({})).revoked?.message).toBe(REVOKED_MESSAGE);
    await reopened.api.syncFleetNow({});
    expect(studio.ingests.length).toBe(requests);
    const about = await reopened.api.getRecordsAboutMe({});
    expect(about.kinds.find((k) => k.kind === 'event')?.destinations).toEqual([]);

    // Connected again with a new code: what waited for the old enrolment is never sent under the
    // new credential; new records are.
    const again = await reopened.api.enrolDevice({ studioUrl: studio.url, code: studio.code(rep) });
    expect(again).toMatchObject({ revoked: null, pending: 0 });
    await recordOpen(reopened, 'open-after-again', '2026-11-02T09:03:00.000Z');
    await reopened.api.syncFleetNow({});
    expect(studio.records.has('event:open-after-again')).toBe(true);
    expect(studio.records.has('event:open-after-rev1')).toBe(false);
    const states = (await reopened.api.getRecordsAboutMe({})).recent
      .filter((r) => r.kind === 'event')
      .map((r) => r.studio.state);
    expect(states).toEqual(['sent', 'not-sent', 'refused']);
  });

  it('a revoked device learns it from the feed too; the feed is kept for offline reading', async () => {
    const { core, studio } = await device();
    const enrolled = await core.api.enrolDevice({ studioUrl: studio.url, code: studio.code(rep) });
    let status = await core.api.syncFleetNow({});
    expect(status.feed?.feed).toMatchObject({ deviceId: enrolled.deviceId, revoked: false });
    studio.revoke(enrolled.deviceId);
    // Nothing waits to be uploaded: the feed is where the device hears of it.
    await core.api.syncFleetNow({});
    status = await core.api.getFleetStatus({});
    expect(status.revoked?.message).toBe(REVOKED_MESSAGE);
    expect(status.feed?.feed.deviceId).toBe(enrolled.deviceId);
  });
});

describe('a booth', () => {
  it('sends its leads to Studio, opened from their seal, and a lead is delivered once every destination has it', async () => {
    const booth = await device({ kind: 'kiosk' });
    const { core, studio } = booth;
    await core.api.enrolDevice({ studioUrl: studio.url, code: studio.code({ booth: { event: 'Expo 2026' } }) });
    const version = (await core.api.getKioskConfig({})).leadForm.consent.version;
    const { sessionId } = await core.api.startVisitorSession({});
    await core.api.captureLead({
      sessionId,
      fields: { firstName: 'Vera', lastName: 'Visitor', email: 'vera@expo.example', company: 'Expo' },
      consent: { given: true, version },
    });
    // A CRM webhook too: the lead is delivered only once both have it.
    const hook = await recordingWebhook({ answer: () => ({ status: 503, body: '{}' }) });
    cleanups.push(() => hook.close());
    await core.api.updateDeliverySettings({ lead: { type: 'webhook', url: hook.url } });
    await core.api.deliverNow({});
    await core.api.syncFleetNow({});
    const [lead] = stored(studio, 'lead');
    expect(lead).toMatchObject({
      payload: { email: 'vera@expo.example', consentVersion: version },
      source: { booth: 'Expo 2026', rep: null },
    });
    expect(await core.api.getLeadStats({})).toMatchObject({ total: 1, undelivered: 1 });
    await core.api.updateDeliverySettings({ lead: null });
    const answering = await recordingWebhook();
    cleanups.push(() => answering.close());
    await core.api.updateDeliverySettings({ lead: { type: 'webhook', url: answering.url } });
    await core.api.deliverNow({});
    expect(answering.records).toHaveLength(1);
    expect(await core.api.getLeadStats({})).toMatchObject({ total: 1, undelivered: 0 });
  });

  it('a booth with no CRM of its own counts a lead delivered once Studio has it', async () => {
    const { core, studio } = await device({ kind: 'kiosk' });
    await core.api.enrolDevice({ studioUrl: studio.url, code: studio.code({ booth: { event: 'Expo 2026' } }) });
    const version = (await core.api.getKioskConfig({})).leadForm.consent.version;
    const { sessionId } = await core.api.startVisitorSession({});
    await core.api.captureLead({
      sessionId,
      fields: { firstName: 'Vic', lastName: 'Visitor', email: 'vic@expo.example', company: 'Expo' },
      consent: { given: true, version },
    });
    await core.api.syncFleetNow({});
    expect(stored(studio, 'lead')).toHaveLength(1);
    expect(await core.api.getLeadStats({})).toMatchObject({ total: 1, undelivered: 0 });
  });
});

describe('searches that found nothing', () => {
  it('records only settled zero-result queries, once per session, with no visitor identity on a kiosk', async () => {
    const rep1 = await device();
    // Before enrolment a miss has nowhere to go and is not recorded.
    await rep1.core.api.search({ query: 'zebra crossing', record: true });
    await rep1.core.api.enrolDevice({ studioUrl: rep1.studio.url, code: rep1.studio.code(rep) });
    await rep1.core.api.checkForContent({});
    for (const typed of ['z', 'ze', 'zeb', 'zebr', 'zebra'])
      await rep1.core.api.search({ query: typed, record: false });
    await rep1.core.api.search({ query: 'Zebra', record: true });
    await rep1.core.api.search({ query: 'zebra ', record: true });
    await rep1.core.api.search({ query: 'osmosis', record: true });
    await rep1.core.api.syncFleetNow({});
    expect(stored(rep1.studio, 'search-miss').map((r) => r.payload)).toEqual([{ query: 'Zebra', surface: 'rep' }]);

    const booth = await device({ kind: 'kiosk' });
    await booth.core.api.enrolDevice({
      studioUrl: booth.studio.url,
      code: booth.studio.code({ booth: { event: 'Expo 2026' } }),
    });
    await booth.core.api.checkForContent({});
    const first = await booth.core.api.startVisitorSession({});
    await booth.core.api.search({ query: 'unicorn', record: true });
    await booth.core.api.search({ query: 'UNICORN', record: true });
    await booth.core.api.endVisitorSession({ sessionId: first.sessionId, reason: 'idle' });
    await booth.core.api.startVisitorSession({});
    await booth.core.api.search({ query: 'unicorn', record: true });
    await booth.core.api.syncFleetNow({});
    const misses = stored(booth.studio, 'search-miss');
    expect(misses).toHaveLength(2);
    for (const miss of misses) {
      expect(miss.payload).toEqual({ query: expect.stringMatching(/unicorn/i), surface: 'kiosk' });
      expect(miss.source).toMatchObject({ rep: null, booth: 'Expo 2026' });
      expect(JSON.stringify(miss)).not.toContain(first.sessionId);
    }

    // A visitor typing nonsense on purpose fills the session's allowance, not Studio.
    const flood = await booth.core.api.startVisitorSession({});
    for (let i = 0; i < 52; i++) await booth.core.api.search({ query: `qqxzv${i}`, record: true });
    await booth.core.api.endVisitorSession({ sessionId: flood.sessionId, reason: 'idle' });
    await booth.core.api.syncFleetNow({});
    expect(stored(booth.studio, 'search-miss')).toHaveLength(2 + 50);
  });
});

describe('device status', () => {
  it('goes out on enrolment, after each sync and on start', async () => {
    const d = await device();
    await d.core.api.enrolDevice({ studioUrl: d.studio.url, code: d.studio.code(rep) });
    await d.core.api.checkForContent({});
    await d.core.api.savePitch({ name: 'Intro', steps: [{ itemId: 'brochure', page: 1, note: '' }] });
    d.advance(60_000);
    await d.core.api.checkForContent({});
    await d.core.api.syncFleetNow({});
    const statuses = stored(d.studio, 'device-status');
    // Enrolment, then one per completed sync.
    expect(statuses).toHaveLength(3);
    expect((statuses[0]!.payload as DeviceStatusPayload).releaseVersion).toBeNull();
    const afterSync = statuses[2]!.payload as DeviceStatusPayload;
    expect(afterSync).toMatchObject({
      releaseVersion: 1,
      appVersion: '3.4.5',
      profileKind: 'standard',
      pitches: [{ title: 'Intro', ready: true }],
    });
    expect(afterSync.lastSyncAt).toBe('2026-11-02T09:01:00.000Z');
    expect(afterSync.storageBytes).toBeGreaterThan(0);

    const reopened = await d.reopen();
    await reopened.api.syncFleetNow({});
    expect(stored(d.studio, 'device-status')).toHaveLength(4);
  });
});

describe('a device that never enrols', () => {
  it('works as before: nothing for Studio is made or counted', async () => {
    const { core, studio } = await device();
    await core.api.checkForContent({});
    await core.api.search({ query: 'nothing here at all', record: true });
    await recordOpen(core, 'plain-00000001', '2026-11-02T09:00:00.000Z');
    const status = await core.api.syncFleetNow({});
    expect(status).toMatchObject({ enrolled: false, pending: 0 });
    expect(studio.ingests).toHaveLength(0);
    expect((await core.api.getRecordsAboutMe({})).recent.map((r) => r.kind)).toEqual(['event']);
    expect((await core.api.getSyncStatus({})).pendingUploads).toBe(1);
  });
});
