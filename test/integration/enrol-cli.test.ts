import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, rememberProfileKind } from '#core/index';
import { fakeStudio, type FakeStudio } from '../support/fake-studio.ts';
import { makeChannel, tempDir, type TestChannel } from '../support/release.ts';

/**
 * `pitchcase enrol`: IT connects a profile to Studio by a code from a terminal; the app then
 * starts enrolled (channel, identity, uploads) with nothing else set up.
 */
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const bin = path.join(repoRoot, 'main', 'cli', 'pitchcase.mjs');
const cleanups: (() => void | Promise<void>)[] = [];
let studio: FakeStudio;
let channel: TestChannel;

beforeAll(async () => {
  channel = await makeChannel({ items: [{ id: 'brochure', file: 'docs/brochure.pdf' }] });
  await channel.publish();
  studio = await fakeStudio({
    channel: { url: pathToFileURL(channel.releaseDir).href, publicKeys: [channel.publicPem] },
  });
});
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await studio.close();
  channel.cleanup();
});

/** Runs the CLI without blocking this process, whose fake Studio must answer it. */
function pitchcase(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function profile(): string {
  const p = tempDir('pitchcase-cli-enrol-');
  cleanups.push(p.cleanup);
  return p.dir;
}

describe('pitchcase enrol', () => {
  it('enrols a rep profile by code; the app then opens enrolled, on Studio’s channel, and sends to Studio', async () => {
    const dir = profile();
    const code = studio.code({ rep: { name: 'Ben Ode', email: 'ben@acme.example' }, team: 'South' });
    const run = await pitchcase([
      'enrol',
      '--profile',
      dir,
      '--studio',
      studio.url,
      '--code',
      code,
      '--name',
      'Ben tablet',
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Enrolled with ${studio.url} as Ben Ode <ben@acme.example>`);
    expect(run.stdout).toContain('team: South');
    const registered = [...studio.devices.values()].find((d) => d.identity.rep?.email === 'ben@acme.example')!;
    expect(registered.request.name).toBe('Ben tablet');

    const core = await createCore({ profileDir: dir, shell: 'browser', siteBaseUrl: 'http://127.0.0.1' });
    cleanups.push(() => core.close());
    expect(await core.api.getFleetStatus({})).toMatchObject({
      enrolled: true,
      identity: { rep: { email: 'ben@acme.example' } },
    });
    expect((await core.api.getChannelSettings({})).channelUrl).toBe(studio.channel.url);
    await core.api.syncFleetNow({});
    expect(
      [...studio.records.values()].some((r) => r.kind === 'device-status' && r.source.rep === 'ben@acme.example'),
    ).toBe(true);
  });

  it('a kiosk profile enrols as the booth of its code; --json prints the status', async () => {
    const dir = profile();
    rememberProfileKind(dir, 'kiosk');
    const code = studio.code({ booth: { event: 'Hanover Fair' } });
    const run = await pitchcase(['enrol', '--profile', dir, '--studio', studio.url, '--code', code, '--json']);
    expect(run.status).toBe(0);
    const status = JSON.parse(run.stdout) as { identity: { booth: { event: string } } };
    expect(status.identity.booth.event).toBe('Hanover Fair');
    const registered = [...studio.devices.values()].find((d) => d.identity.booth?.event === 'Hanover Fair')!;
    expect(registered.request.profileKind).toBe('kiosk');
  });

  it('a refused code exits non-zero with Studio’s words and leaves the profile as it was', async () => {
    const dir = profile();
    const run = await pitchcase(['enrol', '--profile', dir, '--studio', studio.url, '--code', 'WRONG999']);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/unknown code/);
    const core = await createCore({ profileDir: dir, shell: 'browser', siteBaseUrl: 'http://127.0.0.1' });
    cleanups.push(() => core.close());
    expect((await core.api.getFleetStatus({})).enrolled).toBe(false);
    expect((await core.api.getChannelSettings({})).channelUrl).toBeNull();
  });
});
