import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import { buildDemo } from '#publish/demo/build';
import type { BoothLead, BoothLeadList, ExportFolders } from '#shared/kiosk';
import type { Result } from '#shared/result';
import { recordingWebhook } from '../support/webhook.ts';
import { tempDir } from '../support/release.ts';

/**
 * The booth staff's lead list behind the PIN, through the entry that applies the access table:
 * today's leads of this event, earlier days, qualification stored and sent on, delivery status
 * per lead, and the export to a folder staff choose.
 */
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const profile = tempDir('pitchcase-booth-');
const drive = tempDir('pitchcase-usb-');
const PIN = '482916';
let core: Core;
let now = Date.parse('2026-05-12T11:00:00Z');
let hook: Awaited<ReturnType<typeof recordingWebhook>>;
/** The webhook refuses while this is set, repeating the visitor's e-mail as some CRMs do. */
let refuse = false;

const call = (method: string, arg: unknown = {}) => core.handle(method, arg);
const value = async <T>(method: string, arg: unknown = {}): Promise<T> => {
  const result = (await call(method, arg)) as Result<T>;
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value;
};
const localDay = (ms: number) => new Date(ms).toLocaleDateString('sv-SE');
const unlock = () => value('unlockKiosk', { pin: PIN });

async function visitor(fields: Record<string, string>, views: string[] = []): Promise<string> {
  const { sessionId } = await value<{ sessionId: string }>('startVisitorSession');
  for (const itemId of views) await value('recordVisitorView', { sessionId, itemId });
  const version = (await core.api.getKioskConfig({})).leadForm.consent.version;
  const result = await value<{ leadId: string }>('captureLead', {
    sessionId,
    fields,
    consent: { given: true, version },
    sendViewed: views.length > 0,
  });
  return result.leadId;
}

beforeAll(async () => {
  await buildDemo();
  hook = await recordingWebhook({
    answer: (request) =>
      refuse
        ? { status: 409, body: `{"message":"Duplicate lead: ${String(request.records[0]?.payload.email)}"}` }
        : null,
  });
  const dir = path.join(repoRoot, 'build', 'demo-release');
  core = await createCore({
    profileDir: profile.dir,
    shell: 'browser',
    profileKind: 'kiosk',
    siteBaseUrl: 'http://127.0.0.1',
    clock: { now: () => new Date(now) },
    delivery: { retryBaseMs: 1 },
    embeddedRelease: { dir, publicKeyPem: readFileSync(path.join(dir, 'public.pem'), 'utf8') },
  });
  await core.api.setKioskPin({ pin: PIN });
}, 60_000);
afterAll(async () => {
  core?.close();
  await hook?.close();
  profile.cleanup();
  drive.cleanup();
});

describe('the staff lead list', () => {
  let first = '';
  let second = '';

  it('is refused while the kiosk is locked, as are qualifying and exporting', async () => {
    for (const [method, arg] of [
      ['listBoothLeads', {}],
      ['qualifyLead', { leadId: 'x', rating: 'hot', note: '' }],
      ['listExportFolders', {}],
      ['exportLeadsToFolder', { folder: drive.dir }],
    ] as const)
      expect(await call(method, arg), method).toMatchObject({ ok: false, error: { code: 'refused' } });
  });

  it("shows today's leads of this event, with names, what they viewed and consent; earlier days on request", async () => {
    await unlock();
    await value('updateKioskSettings', { eventName: '  Brau Beviale 2026 ' });
    first = await visitor(
      { firstName: 'Ana', lastName: 'Lima', email: 'ana@marston.example', company: 'Marston Brewery' },
      ['aquacore-500-brochure', 'no-longer-published'],
    );
    now += 60_000;
    second = await visitor({ firstName: 'Bo', lastName: 'Berg', email: 'bo@berg.example', company: 'Berg AB' });
    const dayOne = localDay(now);

    now += 24 * 3_600_000;
    await unlock();
    const third = await visitor({ firstName: 'Cy', lastName: 'Chan', email: 'cy@chan.example', company: 'Chan Ltd' });
    const today = await value<BoothLeadList>('listBoothLeads');
    expect(today.today).toBe(localDay(now));
    expect(today.event).toEqual({ name: 'Brau Beviale 2026' });
    expect(today.leads.map((l) => l.id)).toEqual([third]);
    expect(today.days).toEqual([
      { day: localDay(now), count: 1 },
      { day: dayOne, count: 2 },
    ]);

    const earlier = await value<BoothLeadList>('listBoothLeads', { day: dayOne });
    // Newest first.
    expect(earlier.leads.map((l) => `${l.firstName} ${l.lastName}, ${l.company}`)).toEqual([
      'Bo Berg, Berg AB',
      'Ana Lima, Marston Brewery',
    ]);
    const ana = earlier.leads[1]!;
    expect(ana).toMatchObject({
      eventName: 'Brau Beviale 2026',
      email: 'ana@marston.example',
      consentVersion: (await core.api.getKioskConfig({})).leadForm.consent.version,
      delivery: { state: 'queued', reason: null },
      update: null,
      rating: null,
      staffNote: '',
    });
    expect(ana.viewed).toEqual([
      { itemId: 'aquacore-500-brochure', title: expect.stringMatching(/AquaCore 500/) },
      { itemId: 'no-longer-published', title: null },
    ]);
    // Another event, or none: the list follows the filter, and names every event there is.
    expect((await value<BoothLeadList>('listBoothLeads', { day: 'all', event: { name: null } })).leads).toEqual([]);
    expect((await value<BoothLeadList>('listBoothLeads', { day: 'all', event: 'all' })).events).toEqual([
      { name: 'Brau Beviale 2026', count: 3 },
    ]);
  });

  it('keeps a qualification with the lead; before it is sent the lead itself carries it', async () => {
    await unlock();
    const qualified = await value<BoothLead>('qualifyLead', {
      leadId: first,
      rating: 'hot',
      note: 'Wants a quote for two lines',
    });
    expect(qualified).toMatchObject({
      id: first,
      rating: 'hot',
      staffNote: 'Wants a quote for two lines',
      qualifiedAt: new Date(now).toISOString(),
      update: null,
    });
    // No second record: the lead has not gone out yet.
    expect((await core.api.getDeliveryStatus({})).pending).toBe(3);
    expect(await call('qualifyLead', { leadId: 'no-such-lead', rating: 'cold', note: '' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(await call('qualifyLead', { leadId: first, rating: 'lukewarm', note: '' })).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });

    await value('updateDeliverySettings', { lead: { type: 'webhook', url: hook.url } });
    await core.api.deliverNow({});
    const sent = hook.records.find((r) => r.payload.leadId === first)!;
    expect(sent.payload).toMatchObject({
      rating: 'hot',
      staffNote: 'Wants a quote for two lines',
      eventName: 'Brau Beviale 2026',
    });
    expect(sent.payload.update).toBeUndefined();
    const list = await value<BoothLeadList>('listBoothLeads', { day: 'all' });
    expect(list.leads.find((l) => l.id === first)!.delivery).toMatchObject({ state: 'sent', reason: null });
  });

  it('queues a later qualification of a sent lead as an update, and shows where it stands', async () => {
    await unlock();
    const requalified = await value<BoothLead>('qualifyLead', { leadId: first, rating: 'warm', note: 'Budget in Q3' });
    expect(requalified.delivery.state).toBe('sent');
    expect(requalified.update).toMatchObject({ state: 'queued' });
    // A second change before it went out rides on the same update.
    await value('qualifyLead', { leadId: first, rating: 'cold', note: 'Budget frozen' });
    expect((await core.api.getDeliveryStatus({})).pending).toBe(1);
    await core.api.deliverNow({});
    const updates = hook.records.filter((r) => r.payload.leadId === first && r.payload.update === 'qualification');
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({
      kind: 'lead',
      idempotencyKey: expect.stringMatching(new RegExp(`^lead:${first}:qualified:`)),
      payload: { rating: 'cold', staffNote: 'Budget frozen', email: 'ana@marston.example' },
    });
    const list = await value<BoothLeadList>('listBoothLeads', { day: 'all' });
    expect(list.leads.find((l) => l.id === first)!.update).toMatchObject({ state: 'sent' });
  });

  it('shows a failed delivery with the reason, never the personal data the endpoint repeated', async () => {
    await unlock();
    refuse = true;
    now += 60_000;
    const failing = await visitor({ firstName: 'Di', lastName: 'Dahl', email: 'di.dahl@example.org', company: 'Dahl' });
    await core.api.deliverNow({});
    const lead = (await value<BoothLeadList>('listBoothLeads')).leads.find((l) => l.id === failing)!;
    expect(lead.delivery).toMatchObject({ state: 'failed', attempts: 1, reason: expect.stringContaining('409') });
    expect(lead.delivery.reason).not.toContain('di.dahl');
    refuse = false;
    now += 60_000;
    await core.api.deliverNow({});
    const after = (await value<BoothLeadList>('listBoothLeads')).leads.find((l) => l.id === failing)!;
    expect(after.delivery).toMatchObject({ state: 'sent', reason: null });
    void second;
  });
});

describe('export to a folder staff choose', () => {
  it('writes the CSV of the list under a new name each time, and remembers the folder', async () => {
    await unlock();
    const one = await value<{ path: string; count: number }>('exportLeadsToFolder', {
      folder: drive.dir,
      filter: { day: 'all' },
    });
    expect(path.dirname(one.path)).toBe(drive.dir);
    expect(path.basename(one.path)).toMatch(/^pitchcase-leads-\d{4}-\d{2}-\d{2}-\d{4}-Brau-Beviale-2026\.csv$/);
    expect(one.count).toBe(4);
    const rows = parse(readFileSync(one.path), { columns: true, bom: true }) as Record<string, string>[];
    expect(rows.map((r) => r['Last Name'])).toEqual(['Lima', 'Berg', 'Chan', 'Dahl']);
    expect(rows[0]).toMatchObject({
      Rating: 'Cold',
      'Staff Note': 'Budget frozen',
      Event: 'Brau Beviale 2026',
      'Record Type': 'Lead',
    });

    // Same minute, same name: the earlier file is kept, the new one gets the next number.
    const two = await value<{ path: string; count: number }>('exportLeadsToFolder', { folder: drive.dir });
    expect(path.basename(two.path)).toBe(path.basename(one.path).replace(/\.csv$/, '-2.csv'));
    expect(two.count).toBe(2);
    expect(readFileSync(one.path, 'utf8').split('\n').length).toBeGreaterThan(
      readFileSync(two.path, 'utf8').split('\n').length,
    );
    expect(readdirSync(drive.dir).filter((f) => !f.endsWith('.csv'))).toEqual([]);

    const folders = await value<ExportFolders>('listExportFolders');
    expect(folders.last).toBe(drive.dir);
    expect(Array.isArray(folders.volumes)).toBe(true);
  });

  it('names the folder and the reason when it cannot write, and writes nothing', async () => {
    await unlock();
    const before = readdirSync(drive.dir);
    const gone = path.join(drive.dir, 'unplugged');
    const missing = await call('exportLeadsToFolder', { folder: gone });
    expect(missing).toMatchObject({ ok: false, error: { code: 'storage' } });
    expect(!missing.ok && missing.error.message).toMatch(new RegExp(`${gone.replace(/[\\/]/g, '.')}.*does not exist`));
    expect(existsSync(gone)).toBe(false);

    const file = path.join(drive.dir, 'a-file.txt');
    writeFileSync(file, 'not a folder');
    const notFolder = await call('exportLeadsToFolder', { folder: file });
    expect(!notFolder.ok && notFolder.error.message).toMatch(/is not a folder/);

    const relative = await call('exportLeadsToFolder', { folder: 'usb' });
    expect(relative).toMatchObject({
      ok: false,
      error: { code: 'bad-request', message: expect.stringMatching(/full folder path/) },
    });
    expect(readdirSync(drive.dir).sort()).toEqual([...before, 'a-file.txt'].sort());
    // A failed export does not become the remembered folder.
    expect((await value<ExportFolders>('listExportFolders')).last).toBe(drive.dir);
  });
});
