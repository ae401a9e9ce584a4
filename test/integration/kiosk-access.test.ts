/**
 * The access table through the real core, on a kiosk profile: what a visitor at a locked kiosk
 * can no longer reach (issue: locked kiosk, delivery status), what staff reach once unlocked,
 * and the same calls open on the rep's app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import { tempDir } from '../support/release.ts';

const kioskProfile = tempDir('pitchcase-kiosk-access-');
const repProfile = tempDir('pitchcase-rep-access-');
let kiosk: Core;
let rep: Core;

beforeAll(async () => {
  kiosk = await createCore({
    profileDir: kioskProfile.dir,
    shell: 'browser',
    profileKind: 'kiosk',
    siteBaseUrl: 'http://x',
  });
  // Staff set the PIN with the owner's rights (what `pitchcase kiosk pin` does).
  await kiosk.api.setKioskPin({ pin: '482913' });
  rep = await createCore({ profileDir: repProfile.dir, shell: 'browser', siteBaseUrl: 'http://x' });
});
afterAll(() => {
  kiosk?.close();
  rep?.close();
  kioskProfile.cleanup();
  repProfile.cleanup();
});

const staffCalls = [
  ['updateChannelSettings', { autoApply: false }],
  ['checkForContent', {}],
  ['applyContent', {}],
  ['getUsageReport', {}],
  ['listMeetings', { status: 'logged' }],
  ['getMeeting', { id: 'meeting-1' }],
  ['searchCrm', { kind: 'contact', query: 'ana' }],
  ['getCrmCache', {}],
  ['getDeliveryStatus', {}],
  ['listPitches', {}],
] as const;

describe('a locked kiosk', () => {
  it.each(staffCalls)('refuses %s to a visitor, and changes nothing', async (method, arg) => {
    expect(await kiosk.handle(method, arg)).toEqual({
      ok: false,
      error: { code: 'refused', message: 'Staff only: unlock with the PIN first' },
    });
  });

  it('keeps the channel settings a visitor tried to change', async () => {
    const before = await kiosk.api.getChannelSettings({});
    await kiosk.handle('updateChannelSettings', { autoApply: !before.autoApply });
    expect(await kiosk.api.getChannelSettings({})).toEqual(before);
  });

  it('cannot have its first PIN set, nor its PIN changed, from its own screen', async () => {
    expect(await kiosk.handle('setKioskPin', { pin: '1111', currentPin: '482913' })).toMatchObject({
      ok: false,
      error: { code: 'refused' },
    });
    expect(await kiosk.handle('unlockKiosk', { pin: '1111' })).toMatchObject({ ok: true, value: { unlocked: false } });
  });

  it('lets staff make every one of those calls once unlocked, and refuses them again when locked', async () => {
    expect(await kiosk.handle('unlockKiosk', { pin: '482913' })).toMatchObject({ ok: true, value: { unlocked: true } });
    for (const [method, arg] of staffCalls) {
      const result = await kiosk.handle(method, arg);
      // Some fail for their own reasons (no channel set, no such meeting): never for access.
      if (!result.ok) expect(result.error.message, method).not.toMatch(/Staff only/);
    }
    expect(await kiosk.handle('getDeliveryStatus', {})).toMatchObject({ ok: true, value: { pending: 0 } });
    expect(await kiosk.handle('lockKiosk', {})).toEqual({ ok: true, value: {} });
    expect(await kiosk.handle('getDeliveryStatus', {})).toMatchObject({ ok: false, error: { code: 'refused' } });
  });
});

describe("the rep's app", () => {
  it.each(staffCalls)('lets the rep call %s without a PIN', async (method, arg) => {
    const result = await rep.handle(method, arg);
    if (!result.ok) expect(result.error.message, method).not.toMatch(/Staff only/);
  });
});

describe('the audience window', () => {
  it('may read the state it follows and the items it shows, and nothing else, whatever the profile', async () => {
    expect(await rep.handle('getAudienceState', { sessionId: 'session-1' }, { audience: true })).toEqual({
      ok: true,
      value: null,
    });
    expect(await rep.handle('getItem', { id: 'nothing-here' }, { audience: true })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    for (const [method, arg] of [
      ['listPitches', {}],
      ['getLibrary', {}],
      ['savePitch', { name: 'From the audience', steps: [] }],
    ] as const) {
      expect(await rep.handle(method, arg, { audience: true }), method).toMatchObject({
        ok: false,
        error: { code: 'refused', message: `This window may not call ${method}` },
      });
    }
    expect(await rep.api.listPitches({})).toEqual([]);
  });
});
