import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { createCore } from '#core/index';
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
    const response = await fetch(new URL('/api/getLibrary', ready.url), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    const library = (await response.json()) as { ok: boolean; value: { items: unknown[]; glossary: { term: string }[] } };
    expect(library.ok).toBe(true);
    expect(library.value.items.length).toBeGreaterThanOrEqual(12);
    expect(library.value.glossary.map((g) => g.term)).toContain('Qualified lead');
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('`leads export` writes the kiosk\'s leads as CSV, opened with the profile\'s key', async () => {
    const profile = tempDir('pitchcase-cli-leads-');
    cleanups.push(profile.cleanup);
    const core = await createCore({ profileDir: profile.dir, shell: 'browser', profileKind: 'kiosk', siteBaseUrl: 'http://x' });
    const version = (await core.api.getKioskConfig({})).leadForm.consent.version;
    const { sessionId } = await core.api.startVisitorSession({});
    await core.api.captureLead({ sessionId, fields: { firstName: 'Ana', lastName: 'Lima', email: 'ana@example.com', company: 'Marston' }, consent: { given: true, version } });
    core.close();
    const out = path.join(profile.dir, 'leads.csv');
    const result = spawnSync(process.execPath, [bin, 'leads', 'export', '--profile', profile.dir, '--out', out], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Wrote 1 lead to/);
    const [header, row] = readFileSync(out, 'utf8').trim().split('\n');
    expect(header).toMatch(/^First Name,Last Name,Email,Company/);
    expect(row).toMatch(/^Ana,Lima,ana@example.com,Marston/);
  });

  it('`kiosk settings` shows and changes the kiosk of a profile, refusing what the app would refuse', () => {
    const profile = tempDir('pitchcase-cli-kiosk-');
    cleanups.push(profile.cleanup);
    const form = path.join(profile.dir, 'form.json');
    writeFileSync(form, JSON.stringify({ fields: [{ name: 'email', label: 'E-mail', required: true }], consent: { version: 'expo-2026', text: 'You may e-mail me about Brightwater products.' } }));
    const changed = spawnSync(process.execPath, [bin, 'kiosk', 'settings', '--profile', profile.dir, '--idle-seconds', '90', '--form', form], { encoding: 'utf8' });
    expect(changed.status, changed.stderr).toBe(0);
    expect(JSON.parse(changed.stdout)).toMatchObject({ idleSeconds: 90, leadForm: { fields: [{ name: 'email' }], consent: { version: 'expo-2026' } } });
    const shown = spawnSync(process.execPath, [bin, 'kiosk', 'settings', '--profile', profile.dir], { encoding: 'utf8' });
    expect(JSON.parse(shown.stdout)).toMatchObject({ idleSeconds: 90 });
    const refused = spawnSync(process.execPath, [bin, 'kiosk', 'settings', '--profile', profile.dir, '--warning-seconds', '100'], { encoding: 'utf8' });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/warning must start before the idle reset/);
  });
});
