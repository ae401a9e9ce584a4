/**
 * A profile holds sealed leads, their key, meetings and the CRM cache: on POSIX its folder is
 * owner-only (0700) and its database files too (0600), whether the core creates them or finds
 * an older profile left open to others.
 */
import { chmodSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '#core/index';
import { tempDir } from '../support/release.ts';

const mode = (file: string) => statSync(file).mode & 0o777;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

describe.skipIf(process.platform === 'win32')('profile permissions', () => {
  it('creates the profile folder 0700 and the database, its WAL and shared memory 0600', async () => {
    const parent = tempDir('pitchcase-perm-');
    cleanups.push(parent.cleanup);
    const profileDir = path.join(parent.dir, 'profile');
    const core = await createCore({ profileDir, shell: 'browser', siteBaseUrl: 'http://x' });
    try {
      await core.api.savePitch({ name: 'Kept', steps: [] });
      expect(mode(profileDir)).toBe(0o700);
      for (const file of ['pitchcase.db', 'pitchcase.db-wal', 'pitchcase.db-shm']) {
        expect(existsSync(path.join(profileDir, file)), file).toBe(true);
        expect(mode(path.join(profileDir, file)), file).toBe(0o600);
      }
    } finally {
      core.close();
    }
  });

  it('narrows an existing profile folder and database that others could read', async () => {
    const profile = tempDir('pitchcase-perm-old-');
    cleanups.push(profile.cleanup);
    chmodSync(profile.dir, 0o755);
    const first = await createCore({ profileDir: profile.dir, shell: 'browser', siteBaseUrl: 'http://x' });
    first.close();
    chmodSync(profile.dir, 0o755);
    chmodSync(path.join(profile.dir, 'pitchcase.db'), 0o644);
    const core = await createCore({ profileDir: profile.dir, shell: 'browser', siteBaseUrl: 'http://x' });
    try {
      expect(mode(profile.dir)).toBe(0o700);
      expect(mode(path.join(profile.dir, 'pitchcase.db'))).toBe(0o600);
    } finally {
      core.close();
    }
  });
});
