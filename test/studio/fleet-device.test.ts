import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import { REVOKED_MESSAGE } from '#shared/contract/fleet';
import { createUser, startStudio, type RunningStudio } from '#studio/index';
import { makePdf, tempDir } from '../support/release.ts';
import { StudioClient } from './client.ts';

/**
 * The real device and the real Studio, nothing faked between them: a PDF published in Studio,
 * a code made by an admin, a rep's device enrolled with it (the channel and pinned key come with
 * the answer), then what the rep does on the device (open and present an item, log a meeting,
 * search for something absent) reaches Studio's dashboards; a revoked device says so and stops
 * sending. A kiosk enrolled as a booth sends a lead, stored sealed and counted by booth.
 */

const password = 'correct horse battery';
let data: ReturnType<typeof tempDir>;
let studio: RunningStudio;
let admin: StudioClient;
let itemId: string;
const clock = new Date('2026-11-02T09:00:00Z');
const cleanups: (() => void | Promise<void>)[] = [];

interface Table {
  rows: Record<string, unknown>[];
}
interface Dashboard {
  tables: Record<string, Table>;
}

beforeAll(async () => {
  data = tempDir('studio-fleet-device-');
  studio = await startStudio({
    dataDir: data.dir,
    port: 0,
    config: { scryptCost: 2 ** 10 },
    now: () => clock,
    log: () => {},
  });
  const people: Record<string, StudioClient> = {};
  for (const role of ['admin', 'editor', 'approver'] as const) {
    await createUser(studio.context, { email: `${role}@example.com`, name: role, role, password }, null);
    people[role] = new StudioClient(studio.url);
    expect((await people[role].signIn(`${role}@example.com`, password)).status).toBe(200);
  }
  admin = people.admin!;
  const pdf = await makePdf('Lighthouse service plan', ['Service plans at a glance', 'Lamps inspected', 'Prices']);
  const uploaded = await people.editor!.upload<{ id: string }>('default', 'service-plan.pdf', pdf);
  expect(uploaded.status).toBe(200);
  itemId = uploaded.value.id;
  const submitted = await people.editor!.call<{ release: { id: string } }>('POST', '/api/channels/default/releases', {
    note: 'service plan',
  });
  const release = submitted.value.release.id;
  expect((await people.approver!.call('POST', `/api/releases/${release}/approve`, {})).status).toBe(200);
  expect((await people.approver!.publish(`/api/releases/${release}/publish`)).job?.state).toBe('succeeded');
}, 60_000);

afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await studio?.close();
  data?.cleanup();
});

async function device(kind: 'standard' | 'kiosk'): Promise<Core> {
  const profile = tempDir('studio-fleet-profile-');
  const core = await createCore({
    profileDir: profile.dir,
    shell: 'browser',
    siteBaseUrl: 'http://127.0.0.1',
    profileKind: kind,
    appVersion: '3.4.5',
    clock: { now: () => clock },
  });
  cleanups.push(
    () => profile.cleanup(),
    () => core.close(),
  );
  return core;
}

async function code(body: object): Promise<string> {
  const made = await admin.call<{ code: string }>('POST', '/api/fleet/codes', body);
  expect(made.status, JSON.stringify(made.error)).toBe(200);
  return made.value.code;
}

async function dashboard(name: string, query = ''): Promise<Dashboard> {
  const answer = await admin.call<Dashboard>('GET', `/api/fleet/dashboards/${name}${query}`);
  expect(answer.status, JSON.stringify(answer.error)).toBe(200);
  return answer.value;
}

describe('a rep’s device and Studio', () => {
  it('enrols by a code typed by hand, sends what the rep did, shows in every dashboard, and stops once revoked', async () => {
    const core = await device('standard');
    const typed = await code({ kind: 'rep', name: 'Ana Ortiz', email: 'ana@acme.example', team: 'North' });
    // Typed the way a person reads it off a screen: lower case, a space for the dash.
    const enrolled = await core.api.enrolDevice({ studioUrl: studio.url, code: typed.toLowerCase().replace('-', ' ') });
    expect(enrolled).toMatchObject({ enrolled: true, revoked: null, identity: { team: 'North' } });
    expect((await core.api.checkForContent({})).lastError).toBeNull();
    expect((await core.api.getLibrary({})).items.map((i) => i.id)).toContain(itemId);

    const at = (minutes: number) => new Date(clock.getTime() + minutes * 60_000).toISOString();
    await core.api.recordActivity({
      events: [
        { id: 'opened-000000001', type: 'item.opened', at: at(1), itemId },
        {
          id: 'viewed-000000001',
          type: 'page.viewed',
          at: at(1),
          itemId,
          page: 2,
          dwellMs: 9000,
          meetingId: 'meeting-000000001',
        },
      ],
    });
    const pitch = await core.api.savePitch({ name: 'Harbour visit', steps: [{ itemId, page: 1, note: '' }] });
    await core.api.recordActivity({
      events: [{ id: 'presented-0000001', type: 'pitch.presented', at: at(2), pitchId: pitch.id, itemId, page: 1 }],
    });
    await core.api.saveMeeting({
      id: 'meeting-000000001',
      startedAt: at(1),
      endedAt: at(20),
      status: 'logged',
      account: 'Marston Brewery',
      outcome: 'Trial agreed',
    });
    await core.api.search({ query: 'zebra crossing', record: true });
    // Shared from the viewer, outside any meeting: the follow-up names the item and page instead.
    await core.api.shareItem({ id: 'share-0000000001', itemId, page: 2, to: 'buyer@marston.example' });

    const status = await core.api.syncFleetNow({});
    expect(status.lastError).toBeNull();
    expect(status).toMatchObject({ pending: 0, refused: 0 });
    const recent = (await core.api.getRecordsAboutMe({ limit: 50 })).recent;
    expect(recent.filter((r) => r.studio.state !== 'sent' && r.studio.state !== 'not-sent')).toEqual([]);

    const content = await dashboard('content');
    expect(content.tables.usage!.rows).toEqual([
      expect.objectContaining({ key: itemId, opens: 1, views: 1, meetings: 1, dwellTotalMs: 9000 }),
    ]);
    const gaps = await dashboard('search-gaps');
    expect(gaps.tables.gaps!.rows).toEqual([
      expect.objectContaining({ query: 'zebra crossing', count: 1, devices: 1 }),
    ]);
    const ready = await dashboard('readiness');
    expect(ready.tables.versions!.rows).toEqual([{ release: 1, appVersion: '3.4.5', devices: 1 }]);
    expect(ready.tables.teams!.rows).toEqual([{ team: 'North', devices: 1, ready: 1, readyForTomorrow: 'yes' }]);
    const team = await dashboard('team');
    expect(team.tables.meetings!.rows).toEqual([expect.objectContaining({ rep: 'ana@acme.example', meetings: 1 })]);
    expect(team.tables.accounts!.rows).toEqual([
      expect.objectContaining({ account: 'Marston Brewery', outcome: 'Trial agreed', views: 1 }),
    ]);

    const devices = await admin.call<{ id: string }[]>('GET', '/api/fleet/devices');
    expect(devices.value.map((d) => d.id)).toContain(enrolled.deviceId);
    expect((await admin.call('POST', `/api/fleet/devices/${enrolled.deviceId}/revoke`, {})).status).toBe(200);

    await core.api.recordActivity({
      events: [{ id: 'opened-000000002', type: 'item.opened', at: at(30), itemId }],
    });
    const revoked = await core.api.syncFleetNow({});
    expect(revoked.revoked?.message).toBe(REVOKED_MESSAGE);
    const before = JSON.stringify(await dashboard('content'));
    await core.api.recordActivity({
      events: [{ id: 'opened-000000003', type: 'item.opened', at: at(31), itemId }],
    });
    await core.api.syncFleetNow({});
    expect(JSON.stringify(await dashboard('content'))).toBe(before);
  });
});

describe('the link in Studio’s QR code', () => {
  it('pasted as the Studio address, enrols with the base address and the typed code', async () => {
    const core = await device('standard');
    const made = await admin.call<{ code: string; enrolUrl: string }>('POST', '/api/fleet/codes', {
      kind: 'rep',
      name: 'Ben Brook',
      email: 'ben@acme.example',
      team: 'South',
    });
    expect(made.value.enrolUrl).toMatch(/\/enrol\?code=/);
    const enrolled = await core.api.enrolDevice({ studioUrl: made.value.enrolUrl, code: made.value.code });
    expect(enrolled).toMatchObject({ enrolled: true, studioUrl: studio.url, identity: { team: 'South' } });
    expect((await core.api.syncFleetNow({})).lastError).toBeNull();

    // Revoked in Studio: the device hears it at its next sync and says so.
    expect((await admin.call('POST', `/api/fleet/devices/${enrolled.deviceId}/revoke`, {})).status).toBe(200);
    await core.api.syncFleetNow({});
    expect((await core.api.getFleetStatus({})).revoked?.message).toBe(REVOKED_MESSAGE);
  });
});

describe('a kiosk enrolled as a booth', () => {
  it('sends a lead that Studio stores sealed and counts once on the Booths dashboard, qualified later or not', async () => {
    const core = await device('kiosk');
    const enrolled = await core.api.enrolDevice({
      studioUrl: studio.url,
      code: await code({ kind: 'booth', event: 'Harbour Expo 2026', team: 'North' }),
    });
    expect(enrolled.identity).toMatchObject({ booth: { event: 'Harbour Expo 2026' }, rep: null });
    expect((await core.api.checkForContent({})).lastError).toBeNull();
    await core.api.setKioskPin({ pin: '482916' });

    const version = (await core.api.getKioskConfig({})).leadForm.consent.version;
    const { sessionId } = await core.api.startVisitorSession({});
    await core.api.recordVisitorView({ sessionId, itemId });
    const captured = await core.api.captureLead({
      sessionId,
      fields: { firstName: 'Vera', lastName: 'Visitor', email: 'vera@expo.example', company: 'Expo' },
      consent: { given: true, version },
      sendViewed: true,
    });
    if (!('leadId' in captured)) throw new Error(`lead refused: ${JSON.stringify(captured.errors)}`);
    const { leadId } = captured;
    expect(await core.api.syncFleetNow({})).toMatchObject({ pending: 0, refused: 0, lastError: null });
    // Staff qualify the lead after it went out: an update, not a second visitor.
    await core.api.unlockKiosk({ pin: '482916' });
    await core.api.qualifyLead({ leadId, rating: 'hot', note: 'Wants a quote' });
    expect(await core.api.syncFleetNow({})).toMatchObject({ pending: 0, refused: 0, lastError: null });

    const stored = await studio.context.db
      .selectFrom('fleet_records')
      .select(['payload', 'sealed', 'booth'])
      .where('kind', '=', 'lead')
      .where('device_id', '=', enrolled.deviceId)
      .execute();
    // The lead and its qualification, both kept (sealed); the dashboard counts one visitor.
    expect(stored).toHaveLength(2);
    for (const row of stored) {
      expect(row).toMatchObject({ sealed: 1, booth: 'Harbour Expo 2026' });
      expect(row.payload).not.toContain('vera@expo.example');
    }
    const booths = await dashboard('booths');
    expect(booths.tables.leads!.rows).toEqual([
      expect.objectContaining({ event: 'Harbour Expo 2026', leads: 1, consentRate: 100 }),
    ]);
    expect(booths.tables.viewed!.rows).toEqual([{ event: 'Harbour Expo 2026', item: expect.any(String), leads: 1 }]);
  });
});
