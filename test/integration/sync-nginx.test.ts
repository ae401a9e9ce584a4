import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import type { Manifest } from '#shared/manifest';
import { findNginx, startNginx, type NginxServer } from '../support/nginx.ts';
import {
  blobSizes,
  expectBlobsVerified,
  makeReleasePair,
  primaryOf,
  type ReleasePair,
} from '../support/release-pair.ts';
import { tempDir, type TestChannel } from '../support/release.ts';

/**
 * The device against a real nginx (sendfile, etag on), as a customer would host a release:
 * first sync, resuming a partial file with Range, ETag/Last-Modified, and a check against an
 * unchanged release that fetches nothing but channel.json and its signature.
 */

const CLIP_BYTES = 3 * 1024 * 1024;

let nginxBinary: string | null = null;
let skipReason = '';
let pair: ReleasePair;
let channel: TestChannel;
let rel1: string;
let rel2: string;
let v1: Manifest;
let v2: Manifest;

beforeAll(async () => {
  const found = findNginx();
  if ('reason' in found) {
    skipReason = found.reason;
    process.stderr.write(`sync-nginx tests skipped: ${skipReason}\n`);
    return;
  }
  nginxBinary = found.path;
  pair = await makeReleasePair(
    [
      { id: 'brochure', file: 'docs/brochure.pdf' },
      { id: 'photo', file: 'photo.svg', title: 'Product photo' },
      { id: 'clip', file: 'media/clip.mp4', title: 'Product clip' },
    ],
    CLIP_BYTES,
  );
  ({ channel, rel1, rel2, v1, v2 } = pair);
}, 300_000);

afterAll(() => pair?.cleanup());

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function nginxFor(root: string): Promise<NginxServer> {
  const server = await startNginx(root, nginxBinary!);
  cleanups.unshift(() => server.stop());
  return server;
}

async function device(): Promise<{ core: Core; profileDir: string }> {
  const t = tempDir('pitchcase-profile-');
  cleanups.push(t.cleanup);
  const core = await createCore({
    profileDir: t.dir,
    shell: 'browser',
    siteBaseUrl: 'http://127.0.0.1',
    sync: { retryBaseMs: 20, idleTimeoutMs: 2000 },
  });
  cleanups.unshift(() => core.close());
  await core.api.updateChannelSettings({ channelUrl: null, publicKeys: [channel.publicPem], autoApply: true });
  return { core, profileDir: t.dir };
}

describe('syncing from nginx', () => {
  it('installs the first release, each blob fetched once with sendfile', async (ctx) => {
    if (!nginxBinary) return ctx.skip(skipReason);
    const nginx = await nginxFor(rel1);
    const { core, profileDir } = await device();
    await core.api.updateChannelSettings({ channelUrl: nginx.url });
    const status = await core.api.applyContent({});
    expect(status).toMatchObject({ state: 'idle', lastError: null });
    expect((await core.api.getLibrary({})).release).toMatchObject({ version: 1, itemCount: 3 });
    expectBlobsVerified(profileDir, v1);
    const sizes = blobSizes(v1);
    const log = await nginx.waitForRequests(2 + sizes.size);
    const blobs = log.filter((r) => r.path.startsWith('blobs/'));
    expect(blobs.map((r) => r.path.slice(6)).sort()).toEqual([...sizes.keys()].sort());
    expect(blobs.every((r) => r.status === 200 && r.range === null && r.bytesSent === sizes.get(r.path.slice(6)))).toBe(
      true,
    );
  });

  it('answers with ETag, Last-Modified and byte ranges', async (ctx) => {
    if (!nginxBinary) return ctx.skip(skipReason);
    const nginx = await nginxFor(rel1);
    const first = await fetch(`${nginx.url}channel.json`);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(first.headers.get('last-modified')).toMatch(/GMT$/);
    expect(Buffer.from(await first.arrayBuffer()).equals(readFileSync(path.join(rel1, 'channel.json')))).toBe(true);
    const again = await fetch(`${nginx.url}channel.json`, { headers: { 'If-None-Match': etag! } });
    expect(again.status).toBe(304);
    await again.body?.cancel();
    const clip = primaryOf(v1, 'clip');
    const part = await fetch(`${nginx.url}blobs/${clip.sha256}`, { headers: { Range: 'bytes=100-' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-${clip.size - 1}/${clip.size}`);
    expect((await part.arrayBuffer()).byteLength).toBe(clip.size - 100);
  });

  it('resumes a partial file left by an interrupted sync with a Range request', async (ctx) => {
    if (!nginxBinary) return ctx.skip(skipReason);
    const nginx = await nginxFor(rel1);
    const { core, profileDir } = await device();
    const clip = primaryOf(v1, 'clip');
    const half = Math.floor(clip.size / 2);
    const partialDir = path.join(profileDir, 'blobs', '.partial');
    mkdirSync(partialDir, { recursive: true });
    writeFileSync(
      path.join(partialDir, `${clip.sha256}.part`),
      readFileSync(path.join(rel1, 'blobs', clip.sha256)).subarray(0, half),
    );
    await core.api.updateChannelSettings({ channelUrl: nginx.url });
    const status = await core.api.applyContent({});
    expect(status).toMatchObject({ state: 'idle', lastError: null });
    const log = await nginx.waitForRequests(2 + blobSizes(v1).size);
    const tries = log.filter((r) => r.path === `blobs/${clip.sha256}`);
    expect(tries).toEqual([
      {
        method: 'GET',
        path: `blobs/${clip.sha256}`,
        range: `bytes=${half}-`,
        status: 206,
        bytesSent: clip.size - half,
      },
    ]);
    expectBlobsVerified(profileDir, v1);
    expect(existsSync(path.join(partialDir, `${clip.sha256}.part`))).toBe(false);
  });

  it('fetches only channel.json and its signature when the release is unchanged, and only new blobs for the next one', async (ctx) => {
    if (!nginxBinary) return ctx.skip(skipReason);
    const live = pair.snapshot(rel1);
    const nginx = await nginxFor(live);
    const { core, profileDir } = await device();
    await core.api.updateChannelSettings({ channelUrl: nginx.url });
    expect((await core.api.applyContent({})).state).toBe('idle');
    const firstCount = (await nginx.waitForRequests(2 + blobSizes(v1).size)).length;

    expect((await core.api.checkForContent({})).state).toBe('idle');
    const afterCheck = await nginx.waitForRequests(firstCount + 2);
    expect(
      afterCheck
        .slice(firstCount)
        .map((r) => r.path)
        .sort(),
    ).toEqual(['channel.json', 'channel.json.sig']);
    expect((await core.api.getLibrary({})).release?.version).toBe(1);

    // The publisher uploads version 2: new blobs first, the signed manifest last.
    cpSync(path.join(rel2, 'blobs'), path.join(live, 'blobs'), { recursive: true });
    cpSync(path.join(rel2, 'channel.json.sig'), path.join(live, 'channel.json.sig'));
    cpSync(path.join(rel2, 'channel.json'), path.join(live, 'channel.json'));
    expect((await core.api.checkForContent({})).state).toBe('idle');
    expect((await core.api.getLibrary({})).release?.version).toBe(2);
    const before = blobSizes(v1);
    const changed = [...blobSizes(v2)].filter(([sha]) => !before.has(sha));
    const delta = (await nginx.waitForRequests(firstCount + 4 + changed.length)).slice(firstCount + 2);
    expect(
      delta
        .filter((r) => r.path.startsWith('blobs/'))
        .map((r) => r.path.slice(6))
        .sort(),
    ).toEqual(changed.map(([sha]) => sha).sort());
    const changedBytes = changed.reduce((n, [, size]) => n + size, 0);
    expect(delta.reduce((n, r) => n + r.bytesSent, 0) / changedBytes).toBeLessThanOrEqual(1.02);
    expectBlobsVerified(profileDir, v2);
  });
});
