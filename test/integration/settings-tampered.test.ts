import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import { PROFILE_KIND_FILE, readRememberedProfileKind, rememberProfileKind } from '#core/profile/index';
import { openStorage } from '#core/storage/database';
import { declaredSettings } from '#core/storage/settings';
import type { CoreOptions, Log } from '#core/types';
import { makeChannel, tempDir, type TestChannel } from '../support/release.ts';

/**
 * Typed settings through the real core: each capability's row of the settings table, tampered
 * with on disk, is reported in the log (key and where it is wrong, never the value) and read
 * through the API as its default.
 */
const SECRET = 'tampered-value-never-logged';
let channel: TestChannel;
const profile = tempDir('pitchcase-settings-tampered-');
afterAll(() => {
  profile.cleanup();
  channel?.cleanup();
});

interface Logged {
  message: string;
  fields: Record<string, unknown> | undefined;
}

async function open(profileKind: CoreOptions['profileKind'] = 'standard'): Promise<{ core: Core; warned: Logged[] }> {
  const warned: Logged[] = [];
  const log: Log = {
    info: () => undefined,
    warn: (message, fields) => warned.push({ message, fields }),
    error: () => undefined,
  };
  const core = await createCore({
    profileDir: profile.dir,
    shell: 'browser',
    siteBaseUrl: 'http://x',
    profileKind,
    embeddedRelease: { dir: channel.releaseDir, publicKeyPem: channel.publicPem },
    log,
  });
  return { core, warned };
}

function tamper(key: string, value: string): void {
  const s = openStorage(path.join(profile.dir, 'pitchcase.db'));
  try {
    s.write
      .prepare(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`)
      .run(key, value);
  } finally {
    s.close();
  }
}

function storedKeys(): string[] {
  const s = openStorage(path.join(profile.dir, 'pitchcase.db'));
  try {
    return (s.read.prepare(`SELECT key FROM settings ORDER BY key`).all() as { key: string }[]).map((r) => r.key);
  } finally {
    s.close();
  }
}

/** The warnings about one key, checked to name where the value is wrong and never the value. */
function refusals(warned: Logged[], key: string): Logged[] {
  const about = warned.filter((w) => w.fields?.key === key);
  for (const w of about) expect(JSON.stringify(w)).not.toContain(SECRET);
  return about;
}

beforeAll(async () => {
  channel = await makeChannel({ items: [{ id: 'brochure', file: 'docs/brochure.pdf', title: 'AquaCore brochure' }] });
  await channel.publish();
  // Every capability writes its setting once through the API, so the table holds real rows.
  const { core } = await open();
  try {
    await core.api.updateChannelSettings({ autoApply: false, checkIntervalMinutes: 30 });
    await core.api.updateKioskSettings({ idleSeconds: 90, retentionDays: 14 });
    await core.api.markLibrarySeen({});
  } finally {
    core.close();
  }
}, 60_000);

describe('tampered settings', () => {
  it('every key the core stored is a declared setting (one registry)', () => {
    const declared = new Set(declaredSettings().map((s) => s.key));
    const stored = storedKeys();
    expect(stored).toEqual(expect.arrayContaining(['channel.settings', 'kiosk.settings', 'library.seen']));
    expect(stored.filter((key) => !declared.has(key))).toEqual([]);
    expect([...declared]).toEqual(
      expect.arrayContaining([
        'channel.settings',
        'sync.health',
        'library.seen',
        'kiosk.settings',
        'kiosk.pin',
        'kiosk.pinFailures',
      ]),
    );
  });

  it('channel settings of the wrong shape: logged, and read as the defaults (no channel, no pinned keys)', async () => {
    tamper(
      'channel.settings',
      JSON.stringify({ channelUrl: SECRET, publicKeys: SECRET, autoApply: 'yes', checkIntervalMinutes: 30 }),
    );
    const { core, warned } = await open();
    try {
      expect(await core.api.getChannelSettings({})).toEqual({
        channelUrl: null,
        publicKeys: [],
        autoApply: true,
        checkIntervalMinutes: 60,
      });
      const [refused] = refusals(warned, 'channel.settings');
      expect(refused?.fields?.problems).toEqual(
        expect.arrayContaining([expect.stringMatching(/^publicKeys: /), expect.stringMatching(/^autoApply: /)]),
      );
      // A right value stored through the API is read back as such.
      await core.api.updateChannelSettings({ checkIntervalMinutes: 45 });
      expect(await core.api.getChannelSettings({})).toMatchObject({ checkIntervalMinutes: 45 });
    } finally {
      core.close();
    }
  });

  it('sync health that is not JSON: logged, and read as never checked', async () => {
    tamper('sync.health', `{"lastCheckAt": "${SECRET}", cut short`);
    const { core, warned } = await open();
    try {
      expect(await core.api.getSyncStatus({})).toMatchObject({
        lastCheckAt: null,
        lastSuccessAt: null,
        lastError: null,
      });
      expect(refusals(warned, 'sync.health')[0]?.message).toMatch(/not JSON/);
    } finally {
      core.close();
    }
  });

  it('a seen version of the wrong shape: logged, and read as nothing seen', async () => {
    tamper('library.seen', JSON.stringify({ channel: SECRET, version: 'latest' }));
    const { core, warned } = await open();
    try {
      expect((await core.api.getLibrary({})).lastSeenVersion).toBeNull();
      expect((await core.api.getSyncStatus({})).newSinceSeen).toBe(0);
      expect(refusals(warned, 'library.seen')[0]?.fields?.problems).toEqual([expect.stringMatching(/^version: /)]);
    } finally {
      core.close();
    }
  });

  it('kiosk settings out of bounds: logged, and the kiosk runs on its defaults (idle timings, retention, lead form)', async () => {
    tamper(
      'kiosk.settings',
      JSON.stringify({
        idleSeconds: 1,
        warningSeconds: 15,
        retentionDays: 14,
        leadForm: { fields: [{ name: 'ssn', label: SECRET, required: true }] },
      }),
    );
    const { core, warned } = await open('kiosk');
    try {
      expect(await core.api.getKioskSettings({})).toMatchObject({
        idleSeconds: 60,
        warningSeconds: 15,
        retentionDays: 30,
      });
      const config = await core.api.getKioskConfig({});
      expect(config.leadForm.fields.map((f) => f.name)).toEqual([
        'firstName',
        'lastName',
        'email',
        'company',
        'role',
        'note',
      ]);
      expect(refusals(warned, 'kiosk.settings')[0]?.fields?.problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^idleSeconds: /),
          expect.stringMatching(/^leadForm\.fields\.0\.name: /),
        ]),
      );
    } finally {
      core.close();
    }
  });

  it('a stored staff PIN of the wrong shape: logged, and read as no PIN set (nothing unlocks with it)', async () => {
    tamper('kiosk.pin', JSON.stringify({ salt: SECRET, hash: 42 }));
    const { core, warned } = await open('kiosk');
    try {
      expect((await core.api.getKioskConfig({})).staffPinSet).toBe(false);
      expect(await core.api.unlockKiosk({ pin: '1234' })).toEqual({
        unlocked: false,
        reason: 'no-pin',
        retryInSeconds: 0,
      });
      expect(refusals(warned, 'kiosk.pin')).not.toEqual([]);
    } finally {
      core.close();
    }
  });

  it('a tampered count of wrong PINs: logged, and read as none (the right PIN unlocks)', async () => {
    const before = await open('standard');
    try {
      await before.core.api.setKioskPin({ pin: '2468' });
    } finally {
      before.core.close();
    }
    tamper('kiosk.pinFailures', JSON.stringify({ failures: -3, lastAt: SECRET }));
    const { core, warned } = await open('kiosk');
    try {
      expect(await core.api.unlockKiosk({ pin: '2468' })).toMatchObject({ unlocked: true });
      expect(refusals(warned, 'kiosk.pinFailures')[0]?.fields?.problems).toEqual(
        expect.arrayContaining([expect.stringMatching(/^failures: /), expect.stringMatching(/^lastAt: /)]),
      );
    } finally {
      core.close();
    }
  });

  it('a remembered profile kind that is not one: logged by its file, never its content, and the standard profile applies', () => {
    const warned: Logged[] = [];
    const report = { warn: (message: string, fields?: Record<string, unknown>) => warned.push({ message, fields }) };
    rememberProfileKind(profile.dir, 'kiosk');
    expect(readRememberedProfileKind(profile.dir, report)).toBe('kiosk');
    expect(warned).toEqual([]);
    writeFileSync(path.join(profile.dir, PROFILE_KIND_FILE), JSON.stringify({ kind: SECRET }));
    expect(readRememberedProfileKind(profile.dir, report)).toBeNull();
    expect(refusals(warned, PROFILE_KIND_FILE)).toHaveLength(1);
  });
});
