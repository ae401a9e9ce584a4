import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '#core/index';
import type { SyncStatus } from '#shared/sync';
import { startReleaseServer, type ReleaseServer } from '../support/http-server.ts';
import { findNginx, startNginx } from '../support/nginx.ts';
import { manifestOf, primaryOf } from '../support/release-pair.ts';
import { makeChannel, tempDir, type TestChannel } from '../support/release.ts';

/**
 * A sync where one file fails for good while others are still downloading (the review's
 * reproduction: 4 × 8 MB files and one small file whose served bytes have one byte flipped,
 * served at 2 MB/s a connection). The sync cancels the other downloads, waits for them, then
 * reports once; nothing reports after that, and the core (or `pitchcase sync`) closes cleanly.
 */

const BIG = 8 * 1024 * 1024;
const RATE = 2 * 1024 * 1024;
const bin = path.resolve(import.meta.dirname, '..', '..', 'main', 'cli', 'pitchcase.mjs');

let channel: TestChannel;
let smallBlob: string;
let smallBytes: Buffer;
let bigBlobs: string[];

beforeAll(async () => {
  const bigs = [1, 2, 3, 4].map((n) => ({ id: `film-${n}`, file: `media/film-${n}.mp4` }));
  channel = await makeChannel({
    // The small file first: it fails while the workers beside it are in the middle of big ones.
    items: [{ id: 'teaser', file: 'media/teaser.mp4' }, ...bigs],
    extraFiles: Object.fromEntries([
      ['media/teaser.mp4', randomBytes(4096)],
      ...bigs.map((b) => [b.file, randomBytes(BIG)]),
    ]),
  });
  await channel.publish();
  const manifest = manifestOf(channel.releaseDir);
  smallBlob = path.join(channel.releaseDir, 'blobs', primaryOf(manifest, 'teaser').sha256);
  bigBlobs = bigs.map((b) => primaryOf(manifest, b.id).sha256);
  smallBytes = readFileSync(smallBlob);
}, 120_000);
afterAll(() => channel?.cleanup());

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  writeFileSync(smallBlob, smallBytes);
});

/** Flips one byte of the small file in the served folder. */
function corruptSmallBlob(): void {
  const bytes = Buffer.from(smallBytes);
  bytes[100] = bytes[100]! ^ 0x01;
  writeFileSync(smallBlob, bytes);
}

async function throttledServer(): Promise<ReleaseServer> {
  const s = await startReleaseServer(channel.releaseDir, {
    fault: (r) => (r.path.startsWith('blobs/') ? { bytesPerSecond: RATE } : null),
  });
  cleanups.unshift(() => s.stop());
  return s;
}

/** Unhandled rejections and uncaught exceptions while `during` runs (vitest's own handlers stay). */
function watchProcess(): { problems: unknown[]; stop(): void } {
  const problems: unknown[] = [];
  const record = (error: unknown) => problems.push(error);
  process.on('unhandledRejection', record);
  process.on('uncaughtException', record);
  return {
    problems,
    stop() {
      process.off('unhandledRejection', record);
      process.off('uncaughtException', record);
    },
  };
}

describe('a sync where one file fails for good while others download', () => {
  it('cancels the other downloads, reports one failure, reports nothing after it, and resumes next time', async () => {
    corruptSmallBlob();
    const s = await throttledServer();
    const profile = tempDir('pitchcase-profile-');
    cleanups.push(profile.cleanup);
    const core = await createCore({
      profileDir: profile.dir,
      shell: 'browser',
      siteBaseUrl: 'http://127.0.0.1',
      sync: { retryBaseMs: 20, attempts: 3, concurrency: 4 },
    });
    let closed = false;
    cleanups.unshift(() => {
      if (!closed) core.close();
    });
    const statuses: SyncStatus[] = [];
    core.events.on('sync.status', (status) => statuses.push(structuredClone(status)));
    const watch = watchProcess();
    cleanups.push(() => watch.stop());

    await core.api.updateChannelSettings({ channelUrl: s.url, publicKeys: [channel.publicPem], autoApply: true });
    const status = await core.api.applyContent({});
    const reported = statuses.length;
    expect(status).toMatchObject({
      state: 'error',
      progress: null,
      lastError: { message: expect.stringMatching(/does not match its hash/) },
    });
    expect(statuses.filter((x) => x.state === 'error')).toHaveLength(1);
    expect(statuses.at(-1)).toMatchObject({ state: 'error' });

    // Every request the sync made has ended: none kept going behind the failure.
    await s.waitFor((requests) => requests.every((r) => r.done));
    const first = s.bytesSent('blobs/');
    expect(
      s.requests.filter((r) => r.path.startsWith('blobs/') && r.path !== `blobs/${path.basename(smallBlob)}`).length,
    ).toBeGreaterThan(0);
    expect(first).toBeLessThan(BIG);
    expect(statuses.slice(reported)).toEqual([]);
    expect((await core.api.getLibrary({})).release).toBeNull();

    // The next sync (the file fixed on the server) resumes what had arrived of the big files.
    writeFileSync(smallBlob, smallBytes);
    s.setFault(null);
    s.clearLog();
    expect(await core.api.applyContent({})).toMatchObject({ state: 'idle', lastError: null });
    const bigBytes = s.requests.filter((r) => bigBlobs.includes(r.path.slice(6))).reduce((n, r) => n + r.bytesSent, 0);
    // What arrived before the cancel was kept (bytes still in the sockets at the cancel are fetched again).
    expect(bigBytes).toBeLessThan(4 * BIG);
    expect(s.requests.some((r) => r.range !== null)).toBe(true);

    core.close();
    closed = true;
    expect(watch.problems).toEqual([]);
  }, 60_000);

  /** `pitchcase sync` against `url` on a fresh profile: its exit code and output. */
  async function cliSync(url: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const profile = tempDir('pitchcase-profile-');
    cleanups.push(profile.cleanup);
    const keyFile = path.join(profile.dir, 'public.pem');
    writeFileSync(keyFile, channel.publicPem);
    const child = spawn(
      process.execPath,
      [bin, 'sync', '--profile', path.join(profile.dir, 'p'), '--channel', url, '--pubkey', keyFile],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { code, stdout, stderr };
  }

  it('`pitchcase sync` prints the reason once and exits without a stack trace', async () => {
    corruptSmallBlob();
    const s = await throttledServer();
    const { code, stdout, stderr } = await cliSync(s.url);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/does not match its hash/);
    expect(stderr.match(/does not match its hash/g)!.length).toBeLessThanOrEqual(2);
    expect(stderr).not.toMatch(/TypeError|database connection is not open|\n\s+at /);
    expect(stdout).not.toMatch(/Installed/);
    // It exited once the downloads had stopped, not after they ran to the end.
    expect(s.bytesSent('blobs/')).toBeLessThan(BIG);
  }, 60_000);

  // The review's own reproduction: nginx with limit_rate 2m.
  const nginx = findNginx({ install: false });
  it.skipIf(!('path' in nginx))(
    '`pitchcase sync` from nginx with limit_rate 2m fails cleanly and leaves no download running',
    async () => {
      corruptSmallBlob();
      const server = await startNginx(channel.releaseDir, (nginx as { path: string }).path, { limitRate: RATE });
      cleanups.unshift(() => server.stop());
      const { code, stderr } = await cliSync(server.url);
      expect(code).not.toBe(0);
      expect(stderr).toMatch(/does not match its hash/);
      expect(stderr).not.toMatch(/TypeError|database connection is not open|\n\s+at /);
      // nginx logs a response once it is over: the manifest, its signature, the small file, then
      // the big files it had started, each cut short by the client.
      const requests = await server.waitForRequests(4);
      const big = requests.filter((r) => bigBlobs.includes(r.path.replace(/^\/?blobs\//, '')));
      expect(big.length).toBeGreaterThan(0);
      expect(big.every((r) => r.bytesSent < BIG)).toBe(true);
    },
    60_000,
  );
});
