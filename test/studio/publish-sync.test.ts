import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudio, type RunningStudio } from '#studio/index';
import { makePdf, tempDir } from '../support/release.ts';
import { StudioClient } from './client.ts';

/**
 * The whole path marketing relies on: a PDF uploaded to Studio, submitted, approved and
 * published, then a device runs `pitchcase sync` against Studio's channel URL and
 * `pitchcase search` finds a phrase of the PDF on the page it is on. Then a roll back reaches
 * the device as a higher version.
 */

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const bin = path.join(repoRoot, 'main', 'cli', 'pitchcase.mjs');
const run = promisify(execFile);
const password = 'correct horse battery';

let data: ReturnType<typeof tempDir>;
let device: ReturnType<typeof tempDir>;
let studio: RunningStudio;

beforeAll(async () => {
  data = tempDir('studio-e2e-');
  device = tempDir('studio-device-');
  studio = await startStudio({ dataDir: data.dir, port: 0, config: { scryptCost: 2 ** 10 }, log: () => {} });
}, 30_000);

afterAll(async () => {
  await studio?.close();
  data?.cleanup();
  device?.cleanup();
});

async function pitchcase(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [bin, ...args], { cwd: repoRoot, timeout: 60_000 });
  return stdout;
}

describe('Studio to device', () => {
  it('a PDF published in Studio is installed by `pitchcase sync` and found by `pitchcase search` on its page; a roll back follows', async () => {
    // Set up: the admin from the first-start link, an editor and an approver.
    const admin = new StudioClient(studio.url);
    await admin.call('POST', '/api/setup', {
      token: studio.setupUrl!.split('#')[1],
      email: 'ada@example.com',
      name: 'Ada',
      password,
    });
    await admin.call('POST', '/api/users', { email: 'ed@example.com', name: 'Ed', role: 'editor', password });
    await admin.call('POST', '/api/users', { email: 'amy@example.com', name: 'Amy', role: 'approver', password });
    const editor = new StudioClient(studio.url);
    const approver = new StudioClient(studio.url);
    await editor.signIn('ed@example.com', password);
    await approver.signIn('amy@example.com', password);

    const pdf = await makePdf('Lighthouse service plan', [
      'Service plans at a glance',
      'Every lighthouse lamp is inspected fortnightly',
      'Prices',
    ]);
    const uploaded = await editor.upload<{ id: string }>('default', 'service-plan.pdf', pdf);
    expect(uploaded.status).toBe(200);
    const submitted = await editor.call<{ release: { id: string } }>('POST', '/api/channels/default/releases', {
      note: 'service plan',
    });
    expect((await approver.call('POST', `/api/releases/${submitted.value.release.id}/approve`, {})).status).toBe(200);
    const published = await approver.publish(`/api/releases/${submitted.value.release.id}/publish`);
    expect(published.job?.version).toBe(1);

    const channels = await editor.call<{ id: string; publicKeyPem: string; url: string }[]>('GET', '/api/channels');
    const keyFile = path.join(device.dir, 'studio.pub.pem');
    writeFileSync(keyFile, channels.value[0]!.publicKeyPem);
    const profile = path.join(device.dir, 'profile');
    const channelUrl = `${studio.url}${channels.value[0]!.url}`;

    expect(await pitchcase('sync', '--profile', profile, '--channel', channelUrl, '--pubkey', keyFile)).toMatch(
      /Installed default version 1 \(1 items\)/,
    );
    const hits = JSON.parse(await pitchcase('search', 'inspected fortnightly', '--profile', profile, '--json')) as {
      id: string;
      pages: { page: number }[];
    }[];
    expect(hits[0]!.id).toBe('service-plan');
    expect(hits[0]!.pages.map((p) => p.page)).toContain(2);

    // A second item, then a roll back to version 1: the device moves forward to version 3 and
    // holds version 1's content.
    await editor.upload('default', 'price-list.pdf', await makePdf('Price list', ['Lamp oil by the barrel']));
    const second = await editor.call<{ release: { id: string } }>('POST', '/api/channels/default/releases', {});
    await approver.call('POST', `/api/releases/${second.value.release.id}/approve`, {});
    expect((await approver.publish(`/api/releases/${second.value.release.id}/publish`)).job?.state).toBe('succeeded');
    expect(await pitchcase('sync', '--profile', profile, '--channel', channelUrl, '--pubkey', keyFile)).toMatch(
      /version 2 \(2 items\)/,
    );
    const rolled = await approver.publish(`/api/releases/${submitted.value.release.id}/rollback`);
    expect(rolled.job?.version).toBe(3);
    expect(await pitchcase('sync', '--profile', profile, '--channel', channelUrl, '--pubkey', keyFile)).toMatch(
      /version 3 \(1 items\)/,
    );
    const after = JSON.parse(await pitchcase('search', 'lamp oil barrel', '--profile', profile, '--json')) as {
      id: string;
    }[];
    expect(after.map((h) => h.id)).not.toContain('price-list');
  }, 120_000);
});
