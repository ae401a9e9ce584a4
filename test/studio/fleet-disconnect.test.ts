import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import { readEnrolLink } from '#shared/enrol-link';
import { createUser, startStudio, type RunningStudio } from '#studio/index';
import { tempDir } from '../support/release.ts';
import { StudioClient } from './client.ts';

/**
 * "Disconnect from Studio" on the device: it stops sending, forgets its credential and identity,
 * keeps its records; Studio shows the device as disconnected at once when the device was
 * online, or at its next contact when it was not. The enrolment page a QR code opens on a phone
 * tells how to enter the code, reads nothing and uses no code.
 */
const password = 'correct horse battery';
const data = tempDir('studio-disconnect-');
let studio: RunningStudio;
let admin: StudioClient;
const cleanups: (() => void | Promise<void>)[] = [];

beforeAll(async () => {
  studio = await startStudio({ dataDir: data.dir, port: 0, config: { scryptCost: 2 ** 10 }, log: () => {} });
  await createUser(studio.context, { email: 'admin@example.com', name: 'Admin', role: 'admin', password }, null);
  admin = new StudioClient(studio.url);
  expect((await admin.signIn('admin@example.com', password)).status).toBe(200);
}, 60_000);

afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await studio?.close();
  data.cleanup();
});

/** A device whose network can be cut: `offline` makes every request fail as an unplugged cable would. */
async function device(kind: 'standard' | 'kiosk' = 'standard'): Promise<{ core: Core; network: { offline: boolean } }> {
  const profile = tempDir('studio-disconnect-profile-');
  const network = { offline: false };
  const fetchImpl: typeof fetch = (input, init) =>
    network.offline ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init);
  const core = await createCore({
    profileDir: profile.dir,
    shell: 'browser',
    siteBaseUrl: 'http://127.0.0.1',
    profileKind: kind,
    appVersion: '3.4.5',
    delivery: { fetchImpl },
  });
  cleanups.push(
    () => profile.cleanup(),
    () => core.close(),
  );
  return { core, network };
}

async function enrolled(core: Core, email: string) {
  const made = await admin.call<{ code: string }>('POST', '/api/fleet/codes', {
    kind: 'rep',
    name: 'Rita Rep',
    email,
    team: 'North',
  });
  return core.api.enrolDevice({ studioUrl: studio.url, code: made.value.code });
}

const opened = (id: string) => ({
  id,
  type: 'item.opened' as const,
  at: new Date().toISOString(),
  itemId: 'harbour-brochure',
});

async function studioDevice(id: string) {
  const list = await admin.call<{ id: string; revokedAt: string | null; disconnectedAt: string | null }[]>(
    'GET',
    '/api/fleet/devices',
  );
  return list.value.find((d) => d.id === id)!;
}

async function storedRecords(deviceId: string): Promise<number> {
  const row = await studio.context.db
    .selectFrom('fleet_records')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('device_id', '=', deviceId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('Disconnect from Studio, on the device', () => {
  it('online: Studio shows it at once; nothing more is sent; local records stay', async () => {
    const { core } = await device();
    const status = await enrolled(core, 'rita@acme.example');
    await core.api.recordActivity({ events: [opened('before-disconnect')] });
    expect((await core.api.syncFleetNow({})).lastError).toBeNull();
    const before = await storedRecords(status.deviceId);
    expect(before).toBeGreaterThan(0);

    const after = await core.api.disconnectFromStudio({});
    expect(after).toMatchObject({
      enrolled: false,
      identity: null,
      studioUrl: studio.url,
      disconnected: { studioUrl: studio.url, studioTold: true },
    });
    expect(after.deviceId).not.toBe(status.deviceId);
    expect(await studioDevice(status.deviceId)).toMatchObject({
      disconnectedAt: expect.any(String),
      revokedAt: expect.any(String),
    });

    // What the rep does next stays on the device; Studio receives nothing more.
    await core.api.recordActivity({ events: [opened('after-disconnect')] });
    await core.api.syncFleetNow({});
    expect(await storedRecords(status.deviceId)).toBe(before);
    const mine = await core.api.getRecordsAboutMe({ limit: 50 });
    const events = mine.recent.filter((r) => r.kind === 'event');
    expect(events).toHaveLength(2);
    // Made before: sent to Studio; made after: kept here, never sent.
    expect(events.map((e) => e.studio.state).sort()).toEqual(['not-sent', 'sent']);
    expect(mine.kinds.every((k) => !k.destinations.some((d) => d.includes(studio.url)))).toBe(true);
    await expect(core.api.disconnectFromStudio({})).rejects.toThrow(/not connected to Studio/);
  });

  it('offline: Studio is told at the next contact, and the device can enrol again with a new code', async () => {
    const { core, network } = await device();
    const status = await enrolled(core, 'omar@acme.example');
    network.offline = true;
    const after = await core.api.disconnectFromStudio({});
    expect(after.disconnected).toMatchObject({ studioTold: false });
    expect((await studioDevice(status.deviceId)).disconnectedAt).toBeNull();

    network.offline = false;
    const next = await core.api.syncFleetNow({});
    expect(next.disconnected).toMatchObject({ studioTold: true });
    expect((await studioDevice(status.deviceId)).disconnectedAt).toEqual(expect.any(String));

    const again = await enrolled(core, 'omar@acme.example');
    expect(again).toMatchObject({ enrolled: true, disconnected: null });
    expect(again.deviceId).not.toBe(status.deviceId);
  });

  // That a visitor at the locked kiosk is refused is the security battery's (test/security/kiosk.test.ts).
  it('on a kiosk, staff behind the PIN disconnect the booth', async () => {
    const { core } = await device('kiosk');
    await core.api.setKioskPin({ pin: '482916' });
    await core.api.unlockKiosk({ pin: '482916' });
    const made = await admin.call<{ code: string }>('POST', '/api/fleet/codes', { kind: 'booth', event: 'Dock Fair' });
    const status = await core.api.enrolDevice({ studioUrl: studio.url, code: made.value.code });
    expect(await core.api.disconnectFromStudio({})).toMatchObject({ enrolled: false });
    expect((await studioDevice(status.deviceId)).disconnectedAt).toEqual(expect.any(String));
  });
});

describe('the enrolment page a QR code opens', () => {
  it('shows the code and how to enter it, with no session, and viewing it does not use the code', async () => {
    const made = await admin.call<{ code: string; enrolUrl: string }>('POST', '/api/fleet/codes', {
      kind: 'booth',
      event: 'Quay Show',
    });
    const page = await fetch(made.value.enrolUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(page.headers.get('content-security-policy')).not.toMatch(/script-src/);
    const html = await page.text();
    expect(html).toContain(made.value.code);
    expect(html).toContain(studio.url);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    // Nothing about the code's owner or the company leaks: not the event, not whether it is valid.
    expect(html).not.toContain('Quay Show');
    // "Open in Pitchcase" on the device itself: the app's own link names this Studio and code.
    const appLink = /<a class="open" href="([^"]+)">Open in Pitchcase<\/a>/.exec(html)?.[1]?.replace(/&amp;/g, '&');
    expect(readEnrolLink(appLink ?? '')).toEqual({ studioUrl: studio.url, code: made.value.code });

    const { core } = await device('standard');
    expect(await enrolled(core, 'page@acme.example')).toMatchObject({ enrolled: true });
    const codes = await admin.call<{ event: string | null; state: string }[]>('GET', '/api/fleet/codes');
    expect(codes.value.find((c) => c.event === 'Quay Show')).toMatchObject({ state: 'waiting' });
  });

  it('does not echo what is not shaped like a code', async () => {
    const html = await (
      await fetch(`${studio.url}/enrol?code=${encodeURIComponent('<script>alert(1)</script>')}`)
    ).text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('This link has no enrolment code in it');
    expect(html).not.toContain('Open in Pitchcase');
  });
});
