import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import { generateSigningKeys, parsePrivateKey, signManifest } from '#publish/keys';
import type { Manifest } from '#shared/manifest';
import type { SyncStatus } from '#shared/sync';
import { startReleaseServer, type Fault, type FaultHook, type ReleaseServer } from '../support/http-server.ts';
import {
  blobSizes,
  expectBlobsVerified,
  makeReleasePair,
  manifestOf,
  primaryOf,
  type ReleasePair,
} from '../support/release-pair.ts';
import { tempDir, type TestChannel } from '../support/release.ts';

/**
 * The device side of the content channel against a real HTTP server on 127.0.0.1: first and
 * delta syncs, resume, retries with backoff, timeouts, and hostile releases served over HTTP.
 */

const RETRY_BASE_MS = 40;
const IDLE_MS = 500;
const ATTEMPTS = 4;
const CLIP_BYTES = 2 * 1024 * 1024;

let pair: ReleasePair;
let channel: TestChannel;
/** Snapshots of the release folder after version 1 and version 2 (v2 replaces the video clip). */
let rel1: string;
let rel2: string;
let v1: Manifest;
let v2: Manifest;
let clip1: string;
let clip2: string;

beforeAll(async () => {
  pair = await makeReleasePair(
    [
      { id: 'brochure', file: 'docs/brochure.pdf', collections: ['main'] },
      { id: 'photo', file: 'photo.svg', title: 'Product photo', collections: ['main'] },
      { id: 'calculator', site: 'site', title: 'ROI calculator' },
      { id: 'clip', file: 'media/clip.mp4', title: 'Product clip' },
    ],
    CLIP_BYTES,
  );
  ({ channel, rel1, rel2, v1, v2 } = pair);
  clip1 = primaryOf(v1, 'clip').sha256;
  clip2 = primaryOf(v2, 'clip').sha256;
}, 60_000);

afterAll(() => pair?.cleanup());

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

interface Device {
  core: Core;
  profileDir: string;
  statuses: SyncStatus[];
  logs: { level: string; message: string; fields: Record<string, unknown> }[];
}

async function device(profileDir?: string): Promise<Device> {
  const dir =
    profileDir ??
    (() => {
      const t = tempDir('pitchcase-profile-');
      cleanups.push(t.cleanup);
      return t.dir;
    })();
  const logs: Device['logs'] = [];
  const sink =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      logs.push({ level, message, fields });
  const core = await createCore({
    profileDir: dir,
    shell: 'browser',
    siteBaseUrl: 'http://127.0.0.1',
    log: { info: sink('info'), warn: sink('warn'), error: sink('error') },
    sync: { retryBaseMs: RETRY_BASE_MS, idleTimeoutMs: IDLE_MS, attempts: ATTEMPTS },
  });
  const statuses: SyncStatus[] = [];
  core.events.on('sync.status', (s) => statuses.push(structuredClone(s)));
  // Closed before the profile folder is removed (cleanups run in order; unshift = first).
  cleanups.unshift(() => core.close());
  return { core, profileDir: dir, statuses, logs };
}

async function server(root: string, fault?: FaultHook): Promise<ReleaseServer> {
  const s = await startReleaseServer(root, fault ? { fault } : {});
  cleanups.unshift(() => s.stop());
  return s;
}

async function syncFrom(d: Device, url: string, publicPem = channel.publicPem): Promise<SyncStatus> {
  await d.core.api.updateChannelSettings({ channelUrl: url, publicKeys: [publicPem], autoApply: true });
  return d.core.api.applyContent({});
}

const partials = (profileDir: string) => {
  const dir = path.join(profileDir, 'blobs', '.partial');
  return existsSync(dir) ? readdirSync(dir) : [];
};

const blobRequests = (s: ReleaseServer, sha: string) => s.requests.filter((r) => r.path === `blobs/${sha}`);

/** A fault for the n-th request(s) of one path only. */
const on =
  (p: string, faults: Record<number, Fault>, otherwise?: Fault): FaultHook =>
  (r) =>
    r.path === p ? (faults[r.nth] ?? otherwise ?? null) : null;

describe('syncing over HTTP', () => {
  it('installs the first release: library, items, every blob present and hashing to its name, each fetched once', async () => {
    const s = await server(rel1);
    const d = await device();
    const status = await syncFrom(d, s.url);
    expect(status).toMatchObject({ state: 'idle', lastError: null, plan: null });
    expect(status.lastSuccessAt).not.toBeNull();
    const library = await d.core.api.getLibrary({});
    expect(library.release).toMatchObject({ channel: 'test', version: 1, itemCount: 4 });
    expect(library.items.map((i) => i.id).sort()).toEqual(['brochure', 'calculator', 'clip', 'photo']);
    expectBlobsVerified(d.profileDir, v1);
    expect(partials(d.profileDir)).toEqual([]);

    const sizes = blobSizes(v1);
    const blobs = s.requests.filter((r) => r.path.startsWith('blobs/'));
    expect(blobs.map((r) => r.path.slice(6)).sort()).toEqual([...sizes.keys()].sort());
    expect(blobs.every((r) => r.range === null && r.status === 200)).toBe(true);
    expect(s.bytesSent('blobs/')).toBe([...sizes.values()].reduce((a, b) => a + b, 0));
    expect(
      s.requests
        .filter((r) => !r.path.startsWith('blobs/'))
        .map((r) => r.path)
        .sort(),
    ).toEqual(['channel.json', 'channel.json.sig']);
    expect((await d.core.api.getSyncStatus({})).storageBytes).toBeGreaterThanOrEqual(CLIP_BYTES);
  });

  it('reports monotonic progress whose total is the planned download', async () => {
    const s = await server(rel1);
    const d = await device();
    await syncFrom(d, s.url);
    const planned = d.statuses.find((x) => x.state === 'available')?.plan;
    expect(planned).toBeTruthy();
    const sizes = [...blobSizes(v1).values()];
    expect(planned!.downloadBytes).toBe(sizes.reduce((a, b) => a + b, 0));
    expect(planned!.downloadFiles).toBe(sizes.length);
    const progress = d.statuses.filter((x) => x.progress).map((x) => x.progress!);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    for (const p of progress) {
      expect(p.bytesTotal).toBe(planned!.downloadBytes);
      expect(p.filesTotal).toBe(planned!.downloadFiles);
      expect(p.bytesDone).toBeLessThanOrEqual(p.bytesTotal);
    }
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]!.bytesDone).toBeGreaterThanOrEqual(progress[i - 1]!.bytesDone);
      expect(progress[i]!.filesDone).toBeGreaterThanOrEqual(progress[i - 1]!.filesDone);
    }
    const states = d.statuses.map((x) => x.state);
    expect(states).toContain('downloading');
    expect(states.indexOf('applying')).toBeGreaterThan(states.indexOf('downloading'));
    expect(states.at(-1)).toBe('idle');
  });

  it('delta sync fetches only the new blobs: bytes transferred ≈ bytes changed', async () => {
    const s = await server(rel1);
    const d = await device();
    await syncFrom(d, s.url);
    s.setRoot(rel2);
    s.clearLog();
    const checked = await d.core.api.checkForContent({});
    // autoApply is on: the check applied it; the plan was published on the way.
    expect(checked.state).toBe('idle');
    const plan = d.statuses.filter((x) => x.plan?.toVersion === 2).at(-1)!.plan!;
    expect(plan.updated.map((i) => i.id)).toEqual(['clip']);
    expect(plan.added).toEqual([]);
    expect(plan.removed).toEqual([]);

    const before = blobSizes(v1);
    const changed = [...blobSizes(v2)].filter(([sha]) => !before.has(sha));
    const changedBytes = changed.reduce((n, [, size]) => n + size, 0);
    expect(changed.map(([sha]) => sha)).toEqual([clip2]);
    expect(plan.downloadBytes).toBe(changedBytes);
    const fetched = s.requests.filter((r) => r.path.startsWith('blobs/')).map((r) => r.path.slice(6));
    expect(fetched).toEqual([clip2]);
    expect(s.bytesSent('blobs/')).toBe(changedBytes);
    expect(s.bytesSent() / changedBytes).toBeLessThanOrEqual(1.02);

    expect((await d.core.api.getLibrary({})).release?.version).toBe(2);
    expectBlobsVerified(d.profileDir, v2);
    // The replaced clip is collected once the new one is settled on disk.
    await d.core.settled();
    expect(existsSync(path.join(d.profileDir, 'blobs', clip1))).toBe(false);
  });

  it('resumes a blob with Range after the connection is cut mid-way, fetching ≈ its size once', async () => {
    const cutAt = 1024 * 1024;
    const s = await server(rel1, on(`blobs/${clip1}`, { 1: { cutAfterBytes: cutAt } }));
    const d = await device();
    const status = await syncFrom(d, s.url);
    expect(status.state).toBe('idle');
    const tries = blobRequests(s, clip1);
    expect(tries).toHaveLength(2);
    expect(tries[0]!.range).toBeNull();
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(tries[1]!.range ?? '')?.[1] ?? NaN);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(cutAt);
    expect(tries[1]!.status).toBe(206);
    const total = tries[0]!.bytesSent + tries[1]!.bytesSent;
    expect(tries[1]!.bytesSent).toBe(CLIP_BYTES - resumedAt);
    // Not twice the file: at most what was in flight when the connection died is fetched again.
    expect(total).toBeLessThan(CLIP_BYTES * 1.25);
    expectBlobsVerified(d.profileDir, v1);
    expect(partials(d.profileDir)).toEqual([]);
  });

  it('keeps progress monotonic through a cut and a resume', async () => {
    const s = await server(rel1, on(`blobs/${clip1}`, { 1: { cutAfterBytes: 1536 * 1024 } }));
    const d = await device();
    expect((await syncFrom(d, s.url)).state).toBe('idle');
    expect(blobRequests(s, clip1)).toHaveLength(2);
    const done = d.statuses.filter((x) => x.progress).map((x) => x.progress!.bytesDone);
    for (let i = 1; i < done.length; i++) expect(done[i]).toBeGreaterThanOrEqual(done[i - 1]!);
  });

  // A body delimited by the connection closing (no Content-Length, no chunks: HTTP/1.0 servers,
  // some proxies) that stops early ends "cleanly" for fetch: it is still a network failure, to
  // be retried and resumed like any other cut, not a final error.
  it('retries and resumes a close-delimited response that ends early', async () => {
    const s = await server(rel1, on(`blobs/${clip1}`, { 1: { closeDelimitedAfterBytes: 1024 * 1024 } }));
    const d = await device();
    const status = await syncFrom(d, s.url);
    expect(status.lastError).toBeNull();
    expect(status.state).toBe('idle');
    const tries = blobRequests(s, clip1);
    expect(tries).toHaveLength(2);
    expect(tries[1]!.range).toBe(`bytes=${1024 * 1024}-`);
    expectBlobsVerified(d.profileDir, v1);
  });

  it('retries 5xx with growing backoff, then succeeds', async () => {
    const s = await server(rel1, on(`blobs/${clip1}`, { 1: { status: 503 }, 2: { status: 502 } }));
    const d = await device();
    const status = await syncFrom(d, s.url);
    expect(status.state).toBe('idle');
    const tries = blobRequests(s, clip1);
    expect(tries.map((r) => r.status)).toEqual([503, 502, 200]);
    const retries = d.logs.filter((l) => l.message === 'retrying' && String(l.fields.what).includes(clip1));
    expect(retries.map((l) => l.fields.delayMs)).toEqual([RETRY_BASE_MS, RETRY_BASE_MS * 2]);
    expect(String(retries[0]!.fields.reason)).toMatch(/HTTP 503/);
    const gap1 = tries[1]!.at - tries[0]!.at;
    const gap2 = tries[2]!.at - tries[1]!.at;
    expect(gap1).toBeGreaterThanOrEqual(RETRY_BASE_MS - 2);
    expect(gap2).toBeGreaterThanOrEqual(RETRY_BASE_MS * 2 - 2);
    expect(gap2).toBeGreaterThan(gap1);
    expectBlobsVerified(d.profileDir, v1);
  });

  it('retries a 5xx on channel.json too', async () => {
    const s = await server(rel1, on('channel.json', { 1: { status: 500 } }));
    const d = await device();
    expect((await syncFrom(d, s.url)).state).toBe('idle');
    expect(s.requests.filter((r) => r.path === 'channel.json').map((r) => r.status)).toEqual([500, 200]);
    expect((await d.core.api.getLibrary({})).release?.version).toBe(1);
  });

  it('times out a stalled body and resumes it from where it stopped', async () => {
    const stallAt = 512 * 1024;
    const s = await server(rel1, on(`blobs/${clip1}`, { 1: { stallAfterBytes: stallAt } }));
    const d = await device();
    const started = performance.now();
    const status = await syncFrom(d, s.url);
    expect(status.state).toBe('idle');
    expect(performance.now() - started).toBeGreaterThanOrEqual(IDLE_MS);
    const tries = blobRequests(s, clip1);
    expect(tries).toHaveLength(2);
    expect(tries[0]!.bytesSent).toBe(stallAt);
    expect(tries[1]!.range).toMatch(/^bytes=\d+-$/);
    expect(d.logs.some((l) => l.message === 'retrying' && /no data for/.test(String(l.fields.reason)))).toBe(true);
    expectBlobsVerified(d.profileDir, v1);
  });

  it('times out headers that never come and retries', async () => {
    const s = await server(rel1, on(`blobs/${clip1}`, { 1: { delayHeadersMs: IDLE_MS * 4 } }));
    const d = await device();
    const status = await syncFrom(d, s.url);
    expect(status.state).toBe('idle');
    expect(blobRequests(s, clip1)).toHaveLength(2);
    expect(d.logs.some((l) => l.message === 'retrying' && /no answer/.test(String(l.fields.reason)))).toBe(true);
    expectBlobsVerified(d.profileDir, v1);
  });

  it('completes against a server that ignores Range (starts the blob over)', async () => {
    const s = await server(rel1, on(`blobs/${clip1}`, { 1: { cutAfterBytes: 700_000 } }, { ignoreRange: true }));
    const d = await device();
    const status = await syncFrom(d, s.url);
    expect(status.state).toBe('idle');
    const tries = blobRequests(s, clip1);
    expect(tries).toHaveLength(2);
    expect(tries[1]!.range).toMatch(/^bytes=\d+-$/);
    expect(tries[1]!.status).toBe(200);
    expect(tries[1]!.bytesSent).toBe(CLIP_BYTES);
    expectBlobsVerified(d.profileDir, v1);
    expect(partials(d.profileDir)).toEqual([]);
  });

  it('works from a file: URL (a USB stick or share), then from HTTP on the same device', async () => {
    const d = await device();
    const status = await syncFrom(d, pathToFileURL(rel1).href);
    expect(status).toMatchObject({ state: 'idle', lastError: null });
    expect((await d.core.api.getLibrary({})).release).toMatchObject({ version: 1, itemCount: 4 });
    expectBlobsVerified(d.profileDir, v1);
    const s = await server(rel2);
    await syncFrom(d, s.url);
    expect((await d.core.api.getLibrary({})).release?.version).toBe(2);
    expect(s.requests.filter((r) => r.path.startsWith('blobs/')).map((r) => r.path)).toEqual([`blobs/${clip2}`]);
  });

  it('gives up on a server that is not there after its attempts, with the reason in the status', async () => {
    const s = await startReleaseServer(rel1);
    const url = s.url;
    await s.stop();
    const d = await device();
    const status = await syncFrom(d, url);
    expect(status.state).toBe('error');
    expect(status.lastError?.message).toMatch(/127\.0\.0\.1/);
    expect(d.logs.filter((l) => l.message === 'retrying')).toHaveLength(ATTEMPTS - 1);
    expect(await d.core.api.getSyncStatus({})).toMatchObject({
      state: 'error',
      lastError: { message: status.lastError!.message },
    });
    expect((await d.core.api.getLibrary({})).release).toBeNull();
  });
});

/** Signs `bytes` as channel.json in `dir` with the channel's key (or another). */
function writeSigned(dir: string, bytes: Buffer, privatePem = channel.privatePem): void {
  writeFileSync(path.join(dir, 'channel.json'), bytes);
  writeFileSync(path.join(dir, 'channel.json.sig'), signManifest(bytes, parsePrivateKey(privatePem, 'test key')));
}

function rewrite(dir: string, change: (m: Record<string, unknown>) => Record<string, unknown>): void {
  writeSigned(dir, Buffer.from(JSON.stringify(change(manifestOf(dir) as unknown as Record<string, unknown>))));
}

interface HostileCase {
  name: string;
  /** Tampers with a copy of release v2 (optional). */
  tamper?: (dir: string) => void;
  /** Misbehaviour of the server while serving it (optional). */
  fault?: () => FaultHook;
  message: RegExp;
  /** Extra checks on what the server sent. */
  check?: (s: ReleaseServer) => void;
}

const MIB = 1024 * 1024;

const hostile: HostileCase[] = [
  {
    name: 'a signature by another key',
    tamper: (d) => writeSigned(d, readFileSync(path.join(d, 'channel.json')), generateSigningKeys().privatePem),
    message: /does not match any pinned key/,
  },
  {
    name: 'a bit-flipped manifest',
    tamper: (d) => {
      const bytes = readFileSync(path.join(d, 'channel.json'));
      bytes[60] = bytes[60]! ^ 0x01;
      writeFileSync(path.join(d, 'channel.json'), bytes);
    },
    message: /signature/,
  },
  {
    name: 'a garbage signature',
    tamper: (d) => writeFileSync(path.join(d, 'channel.json.sig'), 'hello'),
    message: /not a base64 ed25519 signature/,
  },
  {
    name: 'an expired manifest',
    tamper: (d) => rewrite(d, (m) => ({ ...m, expiresAt: '2020-01-01T00:00:00.000Z' })),
    message: /expired/,
  },
  {
    name: 'an unknown format version',
    tamper: (d) => rewrite(d, (m) => ({ ...m, format: 99 })),
    message: /needs a newer Pitchcase \(it is in release format 99.*Update the app/,
  },
  {
    name: 'malformed JSON (signed)',
    tamper: (d) => writeSigned(d, Buffer.from('{"format":1,"version":3,"items":[')),
    message: /not valid JSON/,
  },
  {
    name: 'a huge channel.json (> 32 MiB, declared)',
    tamper: (d) => writeFileSync(path.join(d, 'channel.json'), Buffer.alloc(40 * MIB, 0x20)),
    message: /channel\.json is \d+ bytes, more than the \d+ allowed/,
    // Refused on the Content-Length: far less than the file crossed the wire.
    check: (s) => expect(s.bytesSent('channel.json')).toBeLessThan(20 * MIB),
  },
  {
    name: 'an endless channel.json (no length)',
    fault: () => (r) => (r.path === 'channel.json' ? { endless: true } : null),
    message: /channel\.json is more than the \d+ bytes allowed/,
    check: (s) => expect(s.bytesSent('channel.json')).toBeLessThan(40 * MIB),
  },
  {
    name: 'a blob whose bytes do not match its hash',
    fault: () => on(`blobs/${clip2}`, {}, { corrupt: true }),
    message: /does not match its hash/,
  },
  {
    name: 'a blob larger than declared',
    fault: () => on(`blobs/${clip2}`, {}, { extraBytes: 4096 }),
    message: /larger than its declared/,
    check: (s) => {
      for (const r of blobRequests(s, clip2)) expect(r.bytesSent).toBeLessThanOrEqual(CLIP_BYTES + 4096);
    },
  },
  {
    name: 'an endless blob response',
    fault: () => on(`blobs/${clip2}`, {}, { endless: true }),
    message: /larger than its declared/,
    // The client stops soon after the declared size (what the socket buffers, not forever).
    check: (s) => {
      const tries = blobRequests(s, clip2);
      expect(tries.length).toBeGreaterThanOrEqual(1);
      for (const r of tries) expect(r.bytesSent).toBeLessThan(CLIP_BYTES + 16 * MIB);
    },
  },
  {
    name: 'a missing blob (404)',
    fault: () => on(`blobs/${clip2}`, {}, { status: 404 }),
    message: /missing on the server \(HTTP 404\)/,
  },
  {
    name: 'a missing channel.json (404)',
    fault: () => on('channel.json', {}, { status: 404 }),
    message: /No release at .*HTTP 404/,
  },
  {
    name: 'a blob that always answers 500',
    fault: () => on(`blobs/${clip2}`, {}, { status: 500 }),
    message: /HTTP 500/,
    // Exactly ATTEMPTS per apply is asserted separately (see 'downloads a failing release once').
    check: (s) => expect(blobRequests(s, clip2).length).toBeGreaterThanOrEqual(ATTEMPTS),
  },
];

describe('hostile releases over HTTP are refused, with the reason in the status, and change nothing', () => {
  async function installedV1(): Promise<{ d: Device; s: ReleaseServer; before: unknown }> {
    const s = await server(rel1);
    const d = await device();
    expect((await syncFrom(d, s.url)).state).toBe('idle');
    return { d, s, before: await d.core.api.getLibrary({}) };
  }

  it.each(hostile)('refuses $name', async ({ tamper, fault, message, check }) => {
    const { d, s, before } = await installedV1();
    const dir = pair.snapshot(rel2);
    tamper?.(dir);
    s.setRoot(dir);
    s.setFault(fault?.() ?? null);
    s.clearLog();
    d.statuses.length = 0;
    const status = await d.core.api.applyContent({});
    expect(status.state).toBe('error');
    expect(status.lastError?.message).toMatch(message);
    expect(d.statuses.at(-1)?.state).toBe('error');
    expect(await d.core.api.getSyncStatus({})).toMatchObject({
      state: 'error',
      lastError: { message: status.lastError!.message },
    });
    expect(await d.core.api.getLibrary({})).toEqual(before);
    expectBlobsVerified(d.profileDir, v1);
    check?.(s);
    // A refused blob leaves nothing behind to "resume" later.
    expect(partials(d.profileDir)).toEqual([]);
    await s.waitFor((r) => r.every((x) => x.done));
  });

  it('refuses a version lower than the installed one', async () => {
    const s = await server(rel2);
    const d = await device();
    await syncFrom(d, s.url);
    const before = await d.core.api.getLibrary({});
    expect(before.release?.version).toBe(2);
    s.setRoot(rel1);
    const status = await d.core.api.checkForContent({});
    expect(status).toMatchObject({
      state: 'error',
      lastError: { message: expect.stringMatching(/version 1 is older than the installed 2/) },
    });
    expect(await d.core.api.getLibrary({})).toEqual(before);
  });

  // With autoApply on, applyContent() runs a check that already applies (and fails), then
  // applies the still-pending release a second time: every request and retry happens twice.
  it('downloads a failing release once per applyContent (autoApply on), not twice', async () => {
    const { d, s } = await installedV1();
    s.setRoot(rel2);
    s.clearLog();
    s.setFault(on(`blobs/${clip2}`, {}, { status: 500 }));
    const status = await d.core.api.applyContent({});
    expect(status.state).toBe('error');
    expect(blobRequests(s, clip2)).toHaveLength(ATTEMPTS);
    expect(s.requests.filter((r) => r.path === 'channel.json')).toHaveLength(1);
  });

  it('downloads a refused (too long) blob once per applyContent, not twice', async () => {
    const { d, s } = await installedV1();
    s.setRoot(rel2);
    s.clearLog();
    s.setFault(on(`blobs/${clip2}`, {}, { extraBytes: 4096 }));
    expect((await d.core.api.applyContent({})).state).toBe('error');
    expect(blobRequests(s, clip2)).toHaveLength(1);
  });

  it('clears the error once a good release syncs', async () => {
    const { d, s } = await installedV1();
    s.setRoot(rel2);
    s.setFault(on(`blobs/${clip2}`, {}, { status: 404 }));
    expect((await d.core.api.applyContent({})).state).toBe('error');
    s.setFault(null);
    const status = await d.core.api.applyContent({});
    expect(status).toMatchObject({ state: 'idle', lastError: null });
    expect((await d.core.api.getLibrary({})).release?.version).toBe(2);
  });
});
