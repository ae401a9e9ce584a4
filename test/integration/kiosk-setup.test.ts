/**
 * A kiosk cannot run without a staff PIN set by staff: started with `--kiosk` and no PIN it
 * reports `staffPinSet: false` (the screen shows only "set up by staff"), its own window can
 * neither set one nor unlock, and `pitchcase kiosk pin` (or switching the rep's app to kiosk
 * mode) sets it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '#core/index';
import { runKioskPin } from '../../main/cli/kiosk.ts';
import { tempDir } from '../support/release.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  vi.restoreAllMocks();
});

describe('setting up a kiosk', () => {
  it('refuses a first PIN from the kiosk window; the command line sets it, and the kiosk then runs', async () => {
    const profile = tempDir('pitchcase-setup-');
    cleanups.push(profile.cleanup);
    const booth = await createCore({
      profileDir: profile.dir,
      shell: 'browser',
      profileKind: 'kiosk',
      siteBaseUrl: 'http://x',
    });
    cleanups.push(() => booth.close());
    expect(await booth.api.getKioskConfig({})).toMatchObject({ active: true, staffPinSet: false });
    expect(await booth.handle('setKioskPin', { pin: '1234' })).toMatchObject({
      ok: false,
      error: { code: 'refused', message: expect.stringMatching(/Staff only/) },
    });
    expect(await booth.handle('unlockKiosk', { pin: '1234' })).toMatchObject({
      ok: true,
      value: { unlocked: false, reason: 'no-pin' },
    });
    expect(await booth.api.getKioskConfig({})).toMatchObject({ staffPinSet: false });

    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await runKioskPin({ profileDir: profile.dir, input: '4821\n' });
    expect(out).toHaveBeenCalledWith('Staff PIN set: the kiosk can run\n');
    expect(await booth.api.getKioskConfig({})).toMatchObject({ staffPinSet: true });
    expect(await booth.handle('unlockKiosk', { pin: '4821' })).toMatchObject({ ok: true, value: { unlocked: true } });
  });

  it('changes the PIN from the command line only with the current one', async () => {
    const profile = tempDir('pitchcase-setup-change-');
    cleanups.push(profile.cleanup);
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await runKioskPin({ profileDir: profile.dir, input: '4821\n' });
    await expect(runKioskPin({ profileDir: profile.dir, input: '9999\n' })).rejects.toThrow(
      /current PIN, then the new one/,
    );
    await expect(runKioskPin({ profileDir: profile.dir, input: '0000\n9999\n' })).rejects.toThrow(/Wrong PIN/);
    await runKioskPin({ profileDir: profile.dir, input: '4821\n9999\n' });
    const booth = await createCore({
      profileDir: profile.dir,
      shell: 'browser',
      profileKind: 'kiosk',
      siteBaseUrl: 'http://x',
    });
    cleanups.push(() => booth.close());
    expect(await booth.handle('unlockKiosk', { pin: '9999' })).toMatchObject({ ok: true, value: { unlocked: true } });
  });
});
