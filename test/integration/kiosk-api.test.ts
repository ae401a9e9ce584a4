import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import { buildDemo } from '#publish/demo/build';
import { unwrap } from '#shared/result';
import { tempDir } from '../support/release.ts';

/** A call as the kiosk's window makes it: through the entry that applies the access table. */
const fromWindow = async (c: Core, method: string, arg: unknown = {}) => unwrap(await c.handle(method, arg));

/** The kiosk through the contract, on the demo library in a kiosk profile. */
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const profile = tempDir('pitchcase-kiosk-');
let core: Core;

beforeAll(async () => {
  await buildDemo();
  const dir = path.join(repoRoot, 'build', 'demo-release');
  core = await createCore({
    profileDir: profile.dir,
    shell: 'browser',
    profileKind: 'kiosk',
    siteBaseUrl: 'http://127.0.0.1',
    embeddedRelease: { dir, publicKeyPem: readFileSync(path.join(dir, 'public.pem'), 'utf8') },
  });
}, 60_000);
afterAll(() => {
  core?.close();
  profile.cleanup();
});

describe('kiosk API', () => {
  it('describes the kiosk: idle timings, the attract loop of kiosk items, the lead form with products as interests', async () => {
    const config = await core.api.getKioskConfig({});
    expect(config).toMatchObject({ active: true, idleSeconds: 60, warningSeconds: 15, retentionDays: 30 });
    expect(config.attract.itemIds.length).toBeGreaterThan(0);
    const library = await core.api.getLibrary({});
    expect(library.items.every((i) => i.kiosk)).toBe(true);
    expect(config.attract.itemIds.every((id) => library.items.some((i) => i.id === id))).toBe(true);
    expect(config.leadForm.interests).toEqual(expect.arrayContaining(['AquaCore 500']));
    expect(config.leadForm.consent.version).toMatch(/\S/);
  });

  it('shows the kiosk only kiosk items: no price sheet, no comparison', async () => {
    const ids = (await core.api.getLibrary({})).items.map((i) => i.id);
    expect(ids).not.toContain('price-sheet-2026');
    expect(ids).not.toContain('competitive-comparison');
    expect((await core.api.search({ query: 'price sheet' })).items.map((i) => i.id)).not.toContain('price-sheet-2026');
  });

  it('searches page text of kiosk items with typos forgiven, and logs what found nothing as kiosk searches', async () => {
    const found = await core.api.search({ query: 'reverse osmosys ', limit: 10, record: true });
    expect(found.items.map((i) => i.id)).toContain('aquacore-200-brochure');
    expect(found.items.every((i) => i.id !== 'competitive-comparison')).toBe(true);
    const hit = found.items.find((i) => i.id === 'aquacore-200-brochure')!;
    expect(hit.pages.length).toBeGreaterThan(0);
    expect(hit.pages[0]!.highlights.length).toBeGreaterThan(0);

    await core.api.search({ query: 'xylophone rental', limit: 10, record: true });
    const report = await core.api.getUsageReport({});
    expect(report.zeroResultSearches).toContainEqual({
      query: 'xylophone rental',
      count: 1,
      lastAt: expect.any(String),
      scope: 'kiosk',
    });
    expect(report.zeroResultSearches.some((z) => z.query.startsWith('reverse'))).toBe(false);
  });

  it('captures a lead from a visitor session only with consent, and counts it as undelivered', async () => {
    const { sessionId } = await core.api.startVisitorSession({});
    await core.api.recordVisitorView({ sessionId, itemId: 'aquacore-500-brochure' });
    const consentVersion = (await core.api.getKioskConfig({})).leadForm.consent.version;
    const fields = { firstName: 'Ana', lastName: 'Lima', email: 'ana@example.com', company: 'Marston Brewery' };
    const refused = await core.api.captureLead({
      sessionId,
      fields,
      consent: { given: false, version: consentVersion },
    });
    expect(refused).toEqual({ errors: [expect.objectContaining({ field: 'consent' })] });
    const captured = await core.api.captureLead({
      sessionId,
      fields,
      consent: { given: true, version: consentVersion },
      sendViewed: true,
    });
    expect(captured).toEqual({ leadId: expect.any(String) });
    expect(await core.api.getLeadStats({})).toMatchObject({ total: 1, undelivered: 1, lastDeliveredAt: null });
    expect((await core.api.getSyncStatus({})).pendingUploads).toBe(1);
  });

  it('ends an idle session; the contract refuses a malformed lead', async () => {
    const { sessionId } = await core.api.startVisitorSession({});
    expect(await core.api.endVisitorSession({ sessionId, reason: 'idle' })).toEqual({});
    const result = await core.handle('captureLead', {
      sessionId,
      fields: { email: 5 },
      consent: { given: true, version: 'x' },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('guards the staff screen with a PIN: rate-limited, and the CSV export only while unlocked', async () => {
    let t = Date.parse('2026-06-01T09:00:00Z');
    const clocked = await createCore({
      profileDir: profile.dir,
      shell: 'browser',
      profileKind: 'kiosk',
      siteBaseUrl: 'http://x',
      clock: { now: () => new Date(t) },
    });
    try {
      expect(await clocked.api.unlockKiosk({ pin: '1234' })).toEqual({
        unlocked: false,
        reason: 'no-pin',
        retryInSeconds: 0,
      });
      await clocked.api.setKioskPin({ pin: '4821' });
      await expect(clocked.api.setKioskPin({ pin: '0000' })).rejects.toThrow(/current PIN/);
      expect(await clocked.handle('setKioskPin', { pin: '12a' })).toMatchObject({
        ok: false,
        error: { code: 'bad-request' },
      });
      await expect(fromWindow(clocked, 'exportLeadsCsv')).rejects.toThrow(/Staff only/);
      for (let i = 0; i < 2; i++)
        expect(await clocked.api.unlockKiosk({ pin: '0000' })).toMatchObject({
          unlocked: false,
          reason: 'wrong-pin',
          retryInSeconds: 0,
        });
      expect(await clocked.api.unlockKiosk({ pin: '0000' })).toMatchObject({
        unlocked: false,
        reason: 'wrong-pin',
        retryInSeconds: 30,
      });
      // Locked: even the right PIN waits.
      expect(await clocked.api.unlockKiosk({ pin: '4821' })).toMatchObject({
        unlocked: false,
        reason: 'locked',
        retryInSeconds: 30,
      });
      t += 31_000;
      expect(await clocked.api.unlockKiosk({ pin: '4821' })).toMatchObject({ unlocked: true });
      const { csv, count } = await clocked.api.exportLeadsCsv({});
      expect(count).toBe(1);
      expect(csv).toMatch(/^First Name,Last Name,Email/);
      const written = await clocked.api.exportLeadsToFile({});
      expect(written.count).toBe(1);
      expect(readFileSync(written.path, 'utf8')).toBe(csv);
      expect(path.dirname(written.path)).toBe(path.join(profile.dir, 'exports'));
      t += 6 * 60_000;
      await expect(fromWindow(clocked, 'exportLeadsCsv')).rejects.toThrow(/Staff only/);
      await expect(fromWindow(clocked, 'exportLeadsToFile')).rejects.toThrow(/Staff only/);
    } finally {
      clocked.close();
    }
  });

  it('lets IT configure the form, timings and retention before the show, and only staff on a running kiosk', async () => {
    const prep = tempDir('pitchcase-kiosk-prep-');
    const laptop = await createCore({ profileDir: prep.dir, shell: 'browser', siteBaseUrl: 'http://x' });
    try {
      const fields = [
        { name: 'firstName' as const, label: 'Name', required: true },
        { name: 'email' as const, label: 'E-mail', required: true },
        { name: 'phone' as const, label: 'Phone', required: false },
      ];
      const updated = await laptop.api.updateKioskSettings({
        idleSeconds: 90,
        retentionDays: 14,
        leadForm: {
          fields,
          consent: { version: '2026-03', text: 'You may contact me about water purification products.' },
        },
      });
      expect(updated).toMatchObject({ idleSeconds: 90, warningSeconds: 15, retentionDays: 14 });
      const config = await laptop.api.getKioskConfig({});
      expect(config.leadForm.fields.map((f) => f.name)).toEqual(['firstName', 'email', 'phone']);
      expect(config.leadForm.consent.version).toBe('2026-03');
      expect(await laptop.handle('updateKioskSettings', { idleSeconds: 20, warningSeconds: 30 })).toMatchObject({
        ok: false,
        error: { code: 'bad-request' },
      });
    } finally {
      laptop.close();
      prep.cleanup();
    }
    await expect(fromWindow(core, 'updateKioskSettings', { idleSeconds: 120 })).rejects.toThrow(/Staff only/);
  });
});

describe('switching a profile between rep and kiosk', () => {
  it('enters kiosk mode only with a staff PIN, leaves it only unlocked, and remembers it for the next start', async () => {
    const t = tempDir('pitchcase-switch-');
    try {
      const rep = await createCore({ profileDir: t.dir, shell: 'browser', siteBaseUrl: 'http://x' });
      const restarts: string[] = [];
      rep.events.on('app.restartRequired', ({ reason }) => restarts.push(reason));
      await expect(rep.api.setProfileKind({ kind: 'kiosk' })).rejects.toThrow(/Set a staff PIN first/);
      expect(await rep.api.setProfileKind({ kind: 'kiosk', pin: '4821' })).toEqual({
        kind: 'kiosk',
        restartRequired: true,
      });
      expect(restarts).toEqual(['Entering kiosk mode']);
      rep.close();
      const { readRememberedProfileKind } = await import('#core/profile/index');
      expect(readRememberedProfileKind(t.dir, { warn: () => undefined })).toBe('kiosk');
      const booth = await createCore({
        profileDir: t.dir,
        shell: 'browser',
        profileKind: 'kiosk',
        siteBaseUrl: 'http://x',
      });
      try {
        await expect(fromWindow(booth, 'setProfileKind', { kind: 'standard' })).rejects.toThrow(/Staff only/);
        expect(await booth.api.unlockKiosk({ pin: '4821' })).toMatchObject({ unlocked: true });
        expect(await booth.api.setProfileKind({ kind: 'standard' })).toEqual({
          kind: 'standard',
          restartRequired: true,
        });
        expect(readRememberedProfileKind(t.dir, { warn: () => undefined })).toBe('standard');
      } finally {
        booth.close();
      }
    } finally {
      t.cleanup();
    }
  });
});
