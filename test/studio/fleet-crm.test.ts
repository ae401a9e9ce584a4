import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import { tempDir } from '../support/release.ts';
import { FakeSalesforce } from '../support/fake-salesforce.ts';
import { adminOf } from '../bench/fleet/simulation.ts';
import { spawnStudio, type StudioProcess } from './studio-process.ts';

/**
 * A booth needs no CRM credential: a kiosk (a real device core, kiosk profile) enrolled as a booth
 * sends a visitor's lead to Studio (a real Studio process), which forwards it to the CRM (a fake
 * Salesforce on loopback) with Studio's own credentials. The lead arrives once, with its consent
 * and the booth's identity, also after Studio is killed and started again.
 */
const TOKEN = 'sf-token-only-studio-holds-9c41';
const studioData = tempDir('studio-crm-');
const profile = tempDir('studio-crm-kiosk-');
const salesforce = new FakeSalesforce();
let studio: StudioProcess | null = null;
let core: Core | null = null;

afterAll(async () => {
  await core?.close();
  await studio?.kill();
  await salesforce.stop();
  studioData.cleanup();
  profile.cleanup();
});

/** Every file under a folder, as bytes (the profile's database, its WAL, its key files). */
function filesUnder(dir: string): Buffer[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [readFileSync(file)];
  });
}

const leadUpserts = () => salesforce.requests.filter((r) => r.method === 'PATCH' && r.url.includes('/sobjects/Lead/'));

it('a kiosk enrolled as a booth sends a lead to Studio, which forwards it once to the CRM', async () => {
  await salesforce.start();
  studio = await spawnStudio({ dataDir: studioData.dir, forwardEveryMs: 200 });
  const port = Number(new URL(studio.url).port);
  const admin = await adminOf(studio.url, studio.setupUrl);
  const set = await admin.call('PUT', '/api/forwarding', {
    lead: { type: 'salesforce', instanceUrl: salesforce.url, accessToken: TOKEN },
  });
  expect(set.status, JSON.stringify(set.error)).toBe(200);
  const made = await admin.call<{ code: string }>('POST', '/api/fleet/codes', {
    kind: 'booth',
    event: 'Harbour Expo 2026',
    team: 'North',
  });
  expect(made.status).toBe(200);

  core = await createCore({
    profileDir: profile.dir,
    shell: 'browser',
    siteBaseUrl: 'http://127.0.0.1',
    profileKind: 'kiosk',
    appVersion: '3.4.5',
  });
  const enrolled = await core.api.enrolDevice({ studioUrl: studio.url, code: made.value.code });
  expect(enrolled.identity).toMatchObject({ booth: { event: 'Harbour Expo 2026' } });
  const version = (await core.api.getKioskConfig({})).leadForm.consent.version;
  const { sessionId } = await core.api.startVisitorSession({});
  const captured = await core.api.captureLead({
    sessionId,
    fields: { firstName: 'Vera', lastName: 'Visitor', email: 'vera@expo.example', company: 'Expo Ltd' },
    consent: { given: true, version },
    sendViewed: true,
  });
  if (!('leadId' in captured)) throw new Error(`lead refused: ${JSON.stringify(captured.errors)}`);
  expect(await core.api.syncFleetNow({})).toMatchObject({ pending: 0, refused: 0, lastError: null });

  const upserted = await salesforce.waitForUpsert((p) => p.includes(`/sobjects/Lead/`) && p.includes(captured.leadId));
  expect(upserted).toMatchObject({
    FirstName: 'Vera',
    LastName: 'Visitor',
    Email: 'vera@expo.example',
    Company: 'Expo Ltd',
  });
  expect(upserted.Description).toContain(`Consent ${version} given`);
  expect(upserted.Description).toContain(`Pitchcase: device ${enrolled.deviceId}`);
  expect(upserted.Description).toContain('booth Harbour Expo 2026');
  expect(upserted.Description).toContain('team North');
  expect(leadUpserts().every((r) => r.auth === `Bearer ${TOKEN}`)).toBe(true);

  // Studio marks it sent once Salesforce answered (its list says so), then dies and starts again:
  // what went is not sent again.
  const sentState = async () =>
    (await admin.call<{ state: string }[]>('GET', '/api/forwarding/records')).value.map((f) => f.state);
  for (let tries = 0; (await sentState())[0] !== 'sent'; tries++) {
    expect(tries).toBeLessThan(100);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // The booth's staff list hears it from Studio's feed at the kiosk's next sync.
  await core.api.syncFleetNow({});
  const list = await core.api.listBoothLeads({ day: 'all', event: 'all' });
  expect(list.leads.find((l) => l.id === captured.leadId)?.crm).toMatchObject({
    state: 'sent',
    at: expect.any(String),
  });

  await studio.kill();
  studio = await spawnStudio({ dataDir: studioData.dir, port, forwardEveryMs: 200 });
  const again = await adminOf(studio.url, studio.setupUrl);
  const run = await again.call<{ sent: number; failed: number }>('POST', '/api/forwarding/retry', {});
  expect(run.value).toMatchObject({ sent: 0, failed: 0 });
  expect(leadUpserts()).toHaveLength(1);
  const states = await again.call<{ key: string; state: string; booth: string }[]>('GET', '/api/forwarding/records');
  expect(states.value).toEqual([
    expect.objectContaining({ key: `lead:${captured.leadId}`, state: 'sent', booth: 'Harbour Expo 2026' }),
  ]);

  // The kiosk holds no CRM credential: none set, none anywhere in its profile.
  expect(await core.api.getDeliverySettings({})).toMatchObject({ lead: null, meeting: null });
  for (const bytes of filesUnder(profile.dir)) expect(bytes.includes(TOKEN)).toBe(false);
}, 120_000);
