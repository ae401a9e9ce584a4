import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLog } from '#core/index';
import { keyFileProvider } from '#core/crypto/index';
import { createFleet } from '#core/fleet/index';
import { openStorage } from '#core/storage/database';
import { fakeStudio } from '../support/fake-studio.ts';
import { tempDir } from '../support/release.ts';

/**
 * The daily device status of a device left running: one when none went out for a day, never two
 * in a day from the timer, whatever start and sync sent meanwhile.
 */
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('device status, daily', () => {
  it('the daily one goes out only when no status went out for 24 hours', async () => {
    const profile = tempDir('pitchcase-fleet-status-');
    const storage = openStorage(path.join(profile.dir, 'pitchcase.db'));
    const studio = await fakeStudio({ channel: { url: pathToFileURL(profile.dir).href, publicKeys: ['unused'] } });
    cleanups.push(
      () => profile.cleanup(),
      () => storage.close(),
      () => studio.close(),
    );
    let now = Date.parse('2026-11-02T09:00:00Z');
    const fleet = createFleet({
      db: storage.write,
      read: storage.read,
      keys: keyFileProvider(profile.dir),
      clock: { now: () => new Date(now) },
      log: silentLog,
      profileDir: profile.dir,
      profileKind: 'standard',
      appVersion: '3.4.5',
      setChannel: () => {},
      syncFacts: () => ({ lastSyncAt: null, storageBytes: 0 }),
      pitches: () => [],
      otherDestinations: () => [],
      expand: (row) => row.payload,
      onChanged: () => {},
    });
    cleanups.push(() => fleet.close());
    const statuses = () =>
      (storage.read.prepare(`SELECT count(*) AS n FROM outbox WHERE kind = 'device-status'`).get() as { n: number }).n;

    // Not enrolled: nothing, whatever the reason.
    expect(fleet.recordDeviceStatus('start')).toBe(false);
    await fleet.enrol({ studioUrl: studio.url, code: studio.code({ booth: { event: 'Expo' } }) });
    expect(fleet.recordDeviceStatus('daily')).toBe(true);
    now += 23 * 3_600_000;
    expect(fleet.recordDeviceStatus('daily')).toBe(false);
    expect(fleet.recordDeviceStatus('sync')).toBe(true);
    now += 23 * 3_600_000;
    expect(fleet.recordDeviceStatus('daily')).toBe(false);
    now += 2 * 3_600_000;
    expect(fleet.recordDeviceStatus('daily')).toBe(true);
    expect(statuses()).toBe(3);
    await fleet.upload();
    expect([...studio.records.values()].filter((r) => r.kind === 'device-status')).toHaveLength(3);
  });
});
