import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createCore } from '#core/index';
import { electronBinaryPath } from '../../main/electron/tools/electron-binary.ts';
import { safeStorageKeyProvider } from '../../main/electron/keys.ts';
import { fakeKeystore } from '../support/fake-keystore.ts';
import { tempDir } from '../support/release.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const bin = path.join(repoRoot, 'main', 'cli', 'pitchcase.mjs');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('pitchcase CLI', () => {
  it('prints help that lists its commands and the profile option', () => {
    const result = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Usage: pitchcase/);
    expect(result.stdout).toMatch(/start\s/);
    const start = spawnSync(process.execPath, [bin, 'start', '--help'], { encoding: 'utf8' });
    expect(start.stdout).toMatch(/--profile <dir>/);
    expect(start.stdout).toMatch(/PITCHCASE_PROFILE/);
  });

  it('fails with a one-line reason on a bad flag', () => {
    const result = spawnSync(process.execPath, [bin, 'start', '--port', 'eighty'], { encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/a port is a whole number/);
  });

  it('`start --json` serves the demo library from the profile it was given, and stops on SIGTERM', async () => {
    const profile = tempDir('pitchcase-cli-');
    cleanups.push(profile.cleanup);
    const child = spawn(process.execPath, [bin, 'start', '--port', '0', '--json'], {
      env: { ...process.env, PITCHCASE_PROFILE: profile.dir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    cleanups.push(() => child.kill('SIGKILL'));
    const firstLine = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
    });
    const ready = JSON.parse(firstLine) as { url: string; siteUrl: string; profileDir: string };
    expect(ready.profileDir).toBe(profile.dir);
    const response = await fetch(new URL('/api/getLibrary', ready.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    const library = (await response.json()) as {
      ok: boolean;
      value: { items: unknown[]; glossary: { term: string }[] };
    };
    expect(library.ok).toBe(true);
    expect(library.value.items.length).toBeGreaterThanOrEqual(12);
    expect(library.value.glossary.map((g) => g.term)).toContain('Qualified lead');
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it("`leads export` writes the kiosk's leads as CSV, opened with the profile's key", async () => {
    const profile = tempDir('pitchcase-cli-leads-');
    cleanups.push(profile.cleanup);
    const core = await createCore({
      profileDir: profile.dir,
      shell: 'browser',
      profileKind: 'kiosk',
      siteBaseUrl: 'http://x',
    });
    const version = (await core.api.getKioskConfig({})).leadForm.consent.version;
    const { sessionId } = await core.api.startVisitorSession({});
    await core.api.captureLead({
      sessionId,
      fields: { firstName: 'Ana', lastName: 'Lima', email: 'ana@example.com', company: 'Marston' },
      consent: { given: true, version },
    });
    core.close();
    const out = path.join(profile.dir, 'leads.csv');
    const result = spawnSync(process.execPath, [bin, 'leads', 'export', '--profile', profile.dir, '--out', out], {
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Wrote 1 lead to/);
    const [header, row] = readFileSync(out, 'utf8').trim().split('\n');
    expect(header).toMatch(/^First Name,Last Name,Email,Company/);
    expect(row).toMatch(/^Ana,Lima,ana@example.com,Marston/);
  });

  describe("`leads export` of a profile sealed by the desktop app's OS keystore", () => {
    const fakeApp = path.join(repoRoot, 'test', 'support', 'fake-desktop-app.mjs');
    /** A kiosk profile as the desktop app leaves it: its lead key sealed by the (fake) keystore. */
    async function sealedProfile() {
      const profile = tempDir('pitchcase-cli-sealed-');
      cleanups.push(profile.cleanup);
      const core = await createCore({
        profileDir: profile.dir,
        shell: 'electron',
        profileKind: 'kiosk',
        siteBaseUrl: 'http://x',
        keys: safeStorageKeyProvider(fakeKeystore('rep'), profile.dir, { info() {}, warn() {}, error() {} }),
      });
      const version = (await core.api.getKioskConfig({})).leadForm.consent.version;
      const { sessionId } = await core.api.startVisitorSession({});
      await core.api.captureLead({
        sessionId,
        fields: { firstName: 'Ana', lastName: 'Lima', email: 'ana@example.com', company: 'Marston' },
        consent: { given: true, version },
      });
      core.close();
      expect(existsSync(path.join(profile.dir, 'lead.key.sealed'))).toBe(true);
      expect(existsSync(path.join(profile.dir, 'lead.key'))).toBe(false);
      return profile.dir;
    }

    it('asks the desktop app (PITCHCASE_APP) to export headless as this user, and relays its answer', async () => {
      const dir = await sealedProfile();
      const out = path.join(dir, 'leads.csv');
      const result = spawnSync(process.execPath, [bin, 'leads', 'export', '--profile', dir, '--out', out], {
        encoding: 'utf8',
        env: { ...process.env, PITCHCASE_APP: fakeApp },
      });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toBe(`Wrote 1 lead to ${out}\n`);
      expect(readFileSync(out, 'utf8')).toMatch(/\nAna,Lima,ana@example.com,Marston/);
      // The profile is left as it was: no plain key appeared beside the sealed one.
      expect(existsSync(path.join(dir, 'lead.key'))).toBe(false);
    });

    it("fails with the app's reason, and writes nothing, when the keystore is another user's", async () => {
      const dir = await sealedProfile();
      const out = path.join(dir, 'leads.csv');
      const result = spawnSync(process.execPath, [bin, 'leads', 'export', '--profile', dir, '--out', out], {
        encoding: 'utf8',
        env: { ...process.env, PITCHCASE_APP: fakeApp, FAKE_KEYSTORE_USER: 'someone-else' },
      });
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/OS keystore cannot open this profile's lead key/);
      expect(result.stderr).toMatch(/could not export the leads \(exit code 1\)/);
      expect(existsSync(out)).toBe(false);
    });

    it.skipIf(electronBinaryPath() !== null)('says what to do where there is no desktop app to ask', async () => {
      const dir = await sealedProfile();
      const env = { ...process.env };
      delete env.PITCHCASE_APP;
      const result = spawnSync(
        process.execPath,
        [bin, 'leads', 'export', '--profile', dir, '--out', path.join(dir, 'x.csv')],
        { encoding: 'utf8', env },
      );
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(
        /set PITCHCASE_APP to the Pitchcase executable, or run `Pitchcase --export-leads FILE --profile DIR`/,
      );
    });
  });

  it('`kiosk settings` shows and changes the kiosk of a profile, refusing what the app would refuse', () => {
    const profile = tempDir('pitchcase-cli-kiosk-');
    cleanups.push(profile.cleanup);
    const form = path.join(profile.dir, 'form.json');
    writeFileSync(
      form,
      JSON.stringify({
        fields: [{ name: 'email', label: 'E-mail', required: true }],
        consent: { version: 'expo-2026', text: 'You may e-mail me about Brightwater products.' },
      }),
    );
    const changed = spawnSync(
      process.execPath,
      [
        bin,
        'kiosk',
        'settings',
        '--profile',
        profile.dir,
        '--idle-seconds',
        '90',
        '--form',
        form,
        '--event',
        'Expo 2026',
      ],
      { encoding: 'utf8' },
    );
    expect(changed.status, changed.stderr).toBe(0);
    expect(JSON.parse(changed.stdout)).toMatchObject({
      idleSeconds: 90,
      eventName: 'Expo 2026',
      leadForm: { fields: [{ name: 'email' }], consent: { version: 'expo-2026' } },
    });
    const shown = spawnSync(process.execPath, [bin, 'kiosk', 'settings', '--profile', profile.dir], {
      encoding: 'utf8',
    });
    expect(JSON.parse(shown.stdout)).toMatchObject({ idleSeconds: 90 });
    const refused = spawnSync(
      process.execPath,
      [bin, 'kiosk', 'settings', '--profile', profile.dir, '--warning-seconds', '100'],
      { encoding: 'utf8' },
    );
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/warning must start before the idle reset/);
  });
});
