import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudio, type RunningStudio } from '#studio/index';
import type { Manifest } from '#shared/manifest';
import { makePdf, tempDir } from '../support/release.ts';
import { StudioClient } from './client.ts';

/**
 * A Studio whose fleet still has apps that read only release format 1 publishes format 1:
 * page text uncompressed, no `encoding` the older apps would refuse.
 */

const password = 'correct horse battery';
let data: ReturnType<typeof tempDir>;
let studio: RunningStudio;

beforeAll(async () => {
  data = tempDir('studio-format-');
  studio = await startStudio({
    dataDir: data.dir,
    port: 0,
    config: { scryptCost: 2 ** 10, releaseFormat: 1 },
    log: () => {},
  });
}, 30_000);

afterAll(async () => {
  await studio?.close();
  data?.cleanup();
});

describe('Studio release format', () => {
  it('publishes format 1 when configured so', async () => {
    const admin = new StudioClient(studio.url);
    await admin.call('POST', '/api/setup', {
      token: studio.setupUrl!.split('#')[1],
      email: 'ada@example.com',
      name: 'Ada',
      password,
    });
    await admin.call('POST', '/api/users', { email: 'amy@example.com', name: 'Amy', role: 'approver', password });
    const approver = new StudioClient(studio.url);
    await approver.signIn('amy@example.com', password);
    const pdf = await makePdf('Service plan', ['Every lamp is inspected fortnightly']);
    expect((await admin.upload('default', 'service-plan.pdf', pdf)).status).toBe(200);
    const submitted = await admin.call<{ release: { id: string } }>('POST', '/api/channels/default/releases', {});
    await approver.call('POST', `/api/releases/${submitted.value.release.id}/approve`, {});
    const published = await approver.publish(`/api/releases/${submitted.value.release.id}/publish`);
    expect(published.accepted.status).toBe(202);
    expect(published.job).toMatchObject({ state: 'succeeded', version: 1 });

    const dir = path.join(data.dir, 'channels', 'default');
    const manifest = JSON.parse(readFileSync(path.join(dir, 'channel.json'), 'utf8')) as Manifest;
    expect(manifest.format).toBe(1);
    const text = manifest.items[0]!.files.find((f) => f.role === 'text')!;
    expect(text.encoding).toBeUndefined();
    expect(JSON.parse(readFileSync(path.join(dir, 'blobs', text.sha256), 'utf8'))).toEqual({
      pages: ['Every lamp is inspected fortnightly'],
    });
  }, 120_000);
});
