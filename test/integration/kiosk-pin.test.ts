/**
 * Every PIN check goes through one rate-limited verifier: the staff pad, the change-PIN form,
 * through the entry the windows use. Brute force is stopped, and the lock-out is in the
 * database, so closing and reopening the profile does not give fresh tries.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import { tempDir } from '../support/release.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

async function kioskWithPin(dir?: string) {
  const profile = dir ? { dir, cleanup: () => {} } : tempDir('pitchcase-pin-');
  let t = Date.parse('2026-06-01T09:00:00Z');
  const clock = { now: () => new Date(t) };
  const open = async () => {
    const core = await createCore({
      profileDir: profile.dir,
      shell: 'browser',
      profileKind: 'kiosk',
      siteBaseUrl: 'http://x',
      clock,
    });
    cleanups.push(() => core.close());
    return core;
  };
  const core = await open();
  if (!dir) await core.api.setKioskPin({ pin: '4821' });
  cleanups.push(profile.cleanup);
  return { core, open, dir: profile.dir, advance: (ms: number) => (t += ms) };
}

const unlock = (core: Core, pin: string) => core.handle('unlockKiosk', { pin });

describe('the staff PIN verifier', () => {
  it('stops a brute force: hammering once a second for an hour tests only a handful of PINs', async () => {
    const { core, advance } = await kioskWithPin();
    let tested = 0;
    let found = false;
    // Every PIN from 0000 up, one try a second; the right one (4821) is far away.
    for (let second = 0, guess = 0; second < 3600; second++, advance(1000)) {
      const result = await unlock(core, String(guess).padStart(4, '0'));
      if (!result.ok) throw new Error(result.error.message);
      const value = result.value as { unlocked: boolean; reason?: string };
      if (value.unlocked) found = true;
      if (value.reason !== 'locked') {
        tested++;
        guess++;
      }
    }
    expect(found).toBe(false);
    // 3 free tries, then locks of 30 s, 60 s, 120 s … : at most 10 guesses in the first hour.
    expect(tested).toBeLessThanOrEqual(10);
    expect(tested).toBeGreaterThanOrEqual(3);
  });

  it("counts wrong current PINs of the change-PIN form with the pad's, and locks both doors", async () => {
    const { core } = await kioskWithPin();
    await core.api.setKioskPin({ pin: '5555', currentPin: '0000' }).catch(() => null);
    await expect(core.api.setKioskPin({ pin: '5555', currentPin: '1111' })).rejects.toThrow(/Wrong PIN/);
    expect(await unlock(core, '2222')).toMatchObject({
      ok: true,
      value: { unlocked: false, reason: 'wrong-pin', retryInSeconds: 30 },
    });
    // Locked: the right PIN waits, whichever door it comes through, and nothing changes.
    await expect(core.api.setKioskPin({ pin: '5555', currentPin: '4821' })).rejects.toThrow(/Too many wrong PINs/);
    expect(await unlock(core, '4821')).toMatchObject({ ok: true, value: { unlocked: false, reason: 'locked' } });
  });

  it('keeps the lock-out across a restart of the app (close and reopen the profile)', async () => {
    const first = await kioskWithPin();
    for (const pin of ['0000', '1111', '2222']) await unlock(first.core, pin);
    first.advance(30_000);
    expect(await unlock(first.core, '3333')).toMatchObject({
      ok: true,
      value: { unlocked: false, reason: 'wrong-pin', retryInSeconds: 60 },
    });
    expect(await unlock(first.core, '4821')).toMatchObject({
      ok: true,
      value: { unlocked: false, reason: 'locked', retryInSeconds: 60 },
    });
    first.core.close();
    first.advance(10_000);
    const again = await first.open();
    expect(await unlock(again, '4821')).toMatchObject({
      ok: true,
      value: { unlocked: false, reason: 'locked', retryInSeconds: 50 },
    });
    // A failure after the lock doubles it again: the count was not lost either.
    first.advance(50_000);
    expect(await unlock(again, '9999')).toMatchObject({
      ok: true,
      value: { unlocked: false, reason: 'wrong-pin', retryInSeconds: 120 },
    });
    first.advance(120_000);
    expect(await unlock(again, '4821')).toMatchObject({ ok: true, value: { unlocked: true } });
  });
});
