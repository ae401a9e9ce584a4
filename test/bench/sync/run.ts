import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCore } from '#core/index';
import { generateSigningKeys } from '#publish/keys';
import { publishRelease } from '#publish/publish';
import type { Manifest } from '#shared/manifest';
import { startReleaseServer } from '../../support/http-server.ts';
import { findNginx, startNginx } from '../../support/nginx.ts';
import { tempDir } from '../../support/release.ts';
import { catalogueOf, planLibrary, prng, writeBenchFile, type BenchFile } from './library.ts';

/**
 * npm run bench:sync [-- --mb 500 --seed 1 --server auto|node|nginx --concurrency 4 --rounds 3 --link MBps --keep]
 *
 * `--link 100`: nginx sends each response at most 100/concurrency MB/s (limit_rate), standing
 * in a 100 MB/s network for every download alike; without it, loopback runs as fast as the
 * CPU allows, which makes the hashing the sync does and a plain download does not the whole
 * difference.
 *
 * Generates a reproducible library, publishes it (fresh keys each run), serves it on
 * 127.0.0.1 (nginx when installed, else the Node test server) and measures:
 * Each figure is the median of `rounds` rounds; a round runs the three plain downloads below,
 * then a full sync on a fresh device, so load from elsewhere on the machine hits both sides.
 *  - full_s: a fresh device syncing the whole release in-process (createCore + applyContent,
 *    as the app's "Check now" runs), from the first request to the switch: every file
 *    fetched, size and sha256 verified, the new library in use. The files are fsynced right
 *    after the switch (settle.ts); full_settled_s is until that is done too, which is where
 *    `pitchcase sync` returns;
 *  - raw_s: a plain download of the same bytes, as `curl -o` does: a Node http GET of every
 *    blob, same concurrency, each written to a file (no hashing, no fsync, no rename).
 *    throughput_ratio = raw_s / full_s. Two more baselines are reported beside it, not used
 *    for the ratio: raw_discard_s (bytes thrown away: the network alone) and raw_fsync_s
 *    (each file written and fsynced: the durability the sync must pay for), and curl itself
 *    with the same parallelism, where curl is installed (raw_curl_s);
 *  - a ~1% change (a few blobs replaced), republished, then the delta sync on the same device:
 *    bytes the server sent vs bytes of the release that changed.
 * The last line is one JSON object.
 */
const { values } = parseArgs({
  options: {
    mb: { type: 'string', default: '500' },
    seed: { type: 'string', default: '1' },
    server: { type: 'string', default: 'auto' },
    concurrency: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '3' },
    link: { type: 'string' },
    'change-percent': { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
  },
});
const libraryBytes = Number(values.mb) * 1e6;
const seed = Number(values.seed);
const concurrency = Number(values.concurrency);
const rounds = Math.max(1, Number(values.rounds));
const linkMBps = values.link === undefined ? null : Number(values.link);
if (linkMBps !== null && !(linkMBps > 0)) throw new Error(`--link ${values.link}: MB/s, more than 0`);
const changeShare = Number(values['change-percent']) / 100;
const MB = 1e6;
const say = (line: string) => process.stdout.write(`${line}\n`);
const secs = (ms: number) => Number((ms / 1000).toFixed(3));
const mb = (bytes: number) => Number((bytes / MB).toFixed(3));

say(
  `sync benchmark: ${values.mb} MB library, seed ${seed}, concurrency ${concurrency}, on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
);

const work = tempDir('pitchcase-bench-sync-');
const sourceDir = path.join(work.dir, 'source');
const releaseDir = path.join(work.dir, 'release');
const profileDir = path.join(work.dir, 'profile');

interface Server {
  kind: string;
  url: string;
  /** Body bytes sent so far (all requests, or those whose path starts with `prefix`). */
  bytesSent(prefix?: string): Promise<number>;
  stop(): Promise<void>;
}

async function serve(root: string): Promise<Server> {
  const want = values.server;
  const nginx = want === 'node' ? null : findNginx({ install: false });
  if (nginx && 'path' in nginx) {
    const server = await startNginx(
      root,
      nginx.path,
      linkMBps === null ? {} : { limitRate: (linkMBps * 1e6) / concurrency },
    );
    return {
      kind: `nginx (${nginx.path}, sendfile on${linkMBps === null ? '' : `, limit_rate ${(linkMBps / concurrency).toFixed(1)} MB/s per response`})`,
      url: server.url,
      async bytesSent(prefix = '') {
        // nginx logs a request when it is done: every request we made is done once we ask.
        const count = async () =>
          server
            .requests()
            .filter((r) => r.path.startsWith(prefix))
            .reduce((n, r) => n + r.bytesSent, 0);
        await new Promise((resolve) => setTimeout(resolve, 50));
        return count();
      },
      stop: () => server.stop(),
    };
  }
  if (want === 'nginx' || linkMBps !== null)
    throw new Error(
      `${linkMBps !== null ? '--link' : '--server nginx'} needs nginx: ${nginx && 'reason' in nginx ? nginx.reason : 'not found'}`,
    );
  const server = await startReleaseServer(root);
  return {
    kind: 'node:http test server (test/support/http-server.ts)',
    url: server.url,
    bytesSent: async (prefix) => server.bytesSent(prefix),
    stop: () => server.stop(),
  };
}

/**
 * GET every blob with `concurrency` parallel keep-alive connections, discarding the bytes, or,
 * with `toDir`, writing each to a file there (as `curl -o` does), and with `fsync` also
 * fsyncing each file once written (what a client that keeps the bytes durably pays the disk).
 */
async function rawDownload(base: string, blobs: readonly string[], toDir?: string, fsync = false): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const queue = [...blobs];
  let bytes = 0;
  const one = (sha: string) =>
    new Promise<void>((resolve, reject) => {
      http
        .get(`${base}blobs/${sha}`, { agent }, (res) => {
          if (res.statusCode !== 200) reject(new Error(`raw GET ${sha}: HTTP ${res.statusCode}`));
          res.on('data', (chunk: Buffer) => (bytes += chunk.length));
          res.on('error', reject);
          if (!toDir) {
            res.on('end', resolve);
            return;
          }
          const out = createWriteStream(path.join(toDir, sha));
          res.pipe(out);
          out.on('error', reject);
          out.on('finish', () => {
            if (!fsync) {
              resolve();
              return;
            }
            void open(path.join(toDir, sha), 'r+')
              .then(async (handle) => {
                await handle.sync();
                await handle.close();
              })
              .then(resolve, reject);
          });
        })
        .on('error', reject);
    });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let sha = queue.shift(); sha; sha = queue.shift()) await one(sha);
    }),
  );
  agent.destroy();
  return bytes;
}

const blobsOf = (m: Manifest) => new Map(m.items.flatMap((i) => i.files.map((f) => [f.sha256, f.size] as const)));
const manifestAt = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'channel.json'), 'utf8')) as Manifest;
const fileSize = (file: string) => statSync(file).size;

let server: Server | null = null;
try {
  // 1. The library.
  let started = performance.now();
  const plan = planLibrary(libraryBytes, seed);
  let written = 0;
  for (const file of plan) written += await writeBenchFile(sourceDir, file, seed);
  writeFileSync(path.join(sourceDir, 'catalogue.json'), catalogueOf(plan));
  const count = (k: BenchFile['kind']) => plan.filter((f) => f.kind === k).length;
  say(
    `library: ${plan.length} files (${count('image')} images, ${count('pdf')} PDFs, ${count('video')} videos), ${(written / MB).toFixed(1)} MB, generated in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  started = performance.now();
  const keys = generateSigningKeys();
  const first = await publishRelease({ sourceDir, outDir: releaseDir, privateKeyPem: keys.privatePem });
  const v1 = manifestAt(releaseDir);
  const v1Blobs = blobsOf(v1);
  const releaseBytes = [...v1Blobs.values()].reduce((a, b) => a + b, 0);
  say(
    `published version ${first.version}: ${first.items} items, ${v1Blobs.size} blobs, ${(releaseBytes / MB).toFixed(1)} MB, channel.json ${(fileSize(first.manifestPath) / 1e3).toFixed(0)} kB, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  server = await serve(releaseDir);
  say(`server: ${server.kind} at ${server.url}`);

  /** CPU time of this process (all its threads) per run, in ms: where a 2-core device's time goes. */
  const rawCpu: number[] = [];
  const fullCpu: number[] = [];

  // 2. Plain downloads of the same bytes. Each to-disk run deletes its files at once: their
  // dirty pages are dropped, not written back while the sync below runs.
  const rawRun = async (label: string, toDisk: boolean, fsync: boolean) => {
    const dir = toDisk ? path.join(work.dir, 'raw') : undefined;
    if (dir) mkdirSync(dir);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const bytes = await rawDownload(server!.url, [...v1Blobs.keys()], dir, fsync);
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    if (toDisk && !fsync) rawCpu.push((cpu.user + cpu.system) / 1000);
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (bytes !== releaseBytes) throw new Error(`raw download got ${bytes} bytes, expected ${releaseBytes}`);
    say(
      `raw download, ${label}: ${(bytes / MB).toFixed(1)} MB in ${(ms / 1000).toFixed(2)} s (${(bytes / MB / (ms / 1000)).toFixed(0)} MB/s)`,
    );
    return ms;
  };
  // 3. Full syncs, each on a fresh device (createCore + applyContent: what `pitchcase sync`
  // runs). Rounds alternate the baselines with the sync, and the medians are compared, so a
  // burst of load on the machine weighs on both sides alike.
  const fullSyncOn = async (dir: string) => {
    const device = await createCore({
      profileDir: dir,
      shell: 'browser',
      siteBaseUrl: 'http://127.0.0.1',
      sync: { concurrency },
    });
    await device.api.updateChannelSettings({ channelUrl: server!.url, publicKeys: [keys.publicPem], autoApply: true });
    // Phase timings (from the sync's own status events), to see where the time goes.
    const phases: { state: string; at: number }[] = [];
    const stopPhases = device.events.on('sync.status', (s) => {
      if (phases.at(-1)?.state !== s.state) phases.push({ state: s.state, at: performance.now() });
    });
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const status = await device.api.applyContent({});
    const ms = performance.now() - t0;
    stopPhases();
    phases.push({ state: 'end', at: performance.now() });
    // The switch is made; the files reach the disk behind it (settle.ts).
    await device.settled();
    const settledMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    fullCpu.push((cpu.user + cpu.system) / 1000);
    say(
      `full sync: ${(releaseBytes / MB).toFixed(1)} MB in ${(ms / 1000).toFixed(2)} s (${(releaseBytes / MB / (ms / 1000)).toFixed(0)} MB/s); phases ${phases
        .slice(0, -1)
        .map((p, i) => `${p.state} ${((phases[i + 1]!.at - p.at) / 1000).toFixed(2)} s`)
        .join(', ')}; ` + `every file fsynced ${(settledMs / 1000).toFixed(2)} s after the start`,
    );
    return { device, status, ms, settledMs };
  };
  // curl itself, as the issue's "plain download" suggests: the same blobs, the same number of
  // parallel connections (curl --parallel), each to a file (-o). Skipped where curl is missing.
  const curlRun = async (): Promise<number | null> => {
    if (spawnSync('curl', ['--version']).status !== 0) return null;
    const dir = path.join(work.dir, 'raw-curl');
    mkdirSync(dir);
    const config = path.join(work.dir, 'curl.conf');
    writeFileSync(
      config,
      [...v1Blobs.keys()]
        .map((sha) => `url = "${server!.url}blobs/${sha}"\noutput = "${path.join(dir, sha)}"\n`)
        .join(''),
    );
    const t0 = performance.now();
    const result = spawnSync(
      'curl',
      ['--silent', '--show-error', '--fail', '--parallel', '--parallel-max', String(concurrency), '--config', config],
      { encoding: 'utf8' },
    );
    const ms = performance.now() - t0;
    const bytes = [...v1Blobs.keys()].reduce((n, sha) => n + fileSize(path.join(dir, sha)), 0);
    rmSync(dir, { recursive: true, force: true });
    if (result.status !== 0 || bytes !== releaseBytes)
      throw new Error(`curl download failed: ${result.stderr || `${bytes} bytes`}`);
    say(
      `raw download with curl --parallel-max ${concurrency}, each blob to a file (-o): ${(bytes / MB).toFixed(1)} MB in ${(ms / 1000).toFixed(2)} s (${(bytes / MB / (ms / 1000)).toFixed(0)} MB/s)`,
    );
    return ms;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const discardRuns: number[] = [];
  const rawRuns: number[] = [];
  const fsyncRuns: number[] = [];
  const fullRuns: number[] = [];
  const settledRuns: number[] = [];
  const curlRuns: number[] = [];
  let last: Awaited<ReturnType<typeof fullSyncOn>> | null = null;
  for (let round = 1; round <= rounds; round++) {
    say(`round ${round} of ${rounds}`);
    discardRuns.push(await rawRun('bytes discarded (network only)', false, false));
    rawRuns.push(
      await rawRun('each blob written to a file, no fsync (as curl -o; the baseline of throughput_ratio)', true, false),
    );
    fsyncRuns.push(await rawRun('each blob written to a file and fsynced', true, true));
    const curlMs = await curlRun();
    if (curlMs !== null) curlRuns.push(curlMs);
    const dir = round === rounds ? profileDir : path.join(work.dir, `profile-${round}`);
    const run = await fullSyncOn(dir);
    fullRuns.push(run.ms);
    settledRuns.push(run.settledMs);
    if (round < rounds) {
      run.device.close();
      if (run.status.state !== 'idle')
        throw new Error(`full sync failed: ${run.status.lastError?.message ?? run.status.state}`);
      rmSync(dir, { recursive: true, force: true });
    } else {
      last = run;
    }
  }
  const rawDiscardMs = median(discardRuns);
  const rawMs = median(rawRuns);
  const rawFsyncMs = median(fsyncRuns);
  const rawCurlMs = curlRuns.length ? median(curlRuns) : null;
  const fullMs = median(fullRuns);
  const settledMs = median(settledRuns);
  const core = last!.device;
  const full = last!.status;
  let deltaMs: number;
  let transferred: number;
  let blobTransferred: number;
  let changedBlobBytes: number;
  let changedManifestBytes: number;
  let changedFiles: number;
  try {
    if (full.state !== 'idle') throw new Error(`full sync failed: ${full.lastError?.message ?? full.state}`);
    const library = await core.api.getLibrary({});
    if (library.release?.version !== 1) throw new Error('full sync did not install version 1');
    say(
      `full sync, median of ${rounds}: ${(fullMs / 1000).toFixed(2)} s (${(releaseBytes / MB / (fullMs / 1000)).toFixed(0)} MB/s), ${library.items.length} items; plain download to files, median: ${(rawMs / 1000).toFixed(2)} s`,
    );

    // 4. Change ~1% of the bytes: replace a few documents and images (same sizes, new bytes).
    const rand = prng(seed + 1);
    const target = releaseBytes * changeShare;
    const candidates = plan.filter((f) => f.kind !== 'video').sort(() => rand() - 0.5);
    const replaced: BenchFile[] = [];
    let picked = 0;
    for (const f of candidates) {
      if (picked >= target * 0.98) break;
      if (picked + f.size > target * 1.1) continue;
      replaced.push(f);
      picked += f.size;
    }
    for (const f of replaced) await writeBenchFile(sourceDir, f, seed, 1);
    const second = await publishRelease({ sourceDir, outDir: releaseDir, privateKeyPem: keys.privatePem });
    const v2 = manifestAt(releaseDir);
    const newBlobs = [...blobsOf(v2)].filter(([sha]) => !v1Blobs.has(sha));
    changedBlobBytes = newBlobs.reduce((n, [, s]) => n + s, 0);
    changedManifestBytes =
      fileSize(path.join(releaseDir, 'channel.json')) + fileSize(path.join(releaseDir, 'channel.json.sig'));
    changedFiles = newBlobs.length;
    say(
      `republished version ${second.version}: ${replaced.length} source files replaced, ${newBlobs.length} new blobs, ${(changedBlobBytes / MB).toFixed(2)} MB (+ ${(changedManifestBytes / 1e3).toFixed(0)} kB channel.json and signature)`,
    );

    // 5. Delta sync.
    const sentBefore = await server.bytesSent();
    const blobsBefore = await server.bytesSent('blobs/');
    started = performance.now();
    const delta = await core.api.applyContent({});
    deltaMs = performance.now() - started;
    if (delta.state !== 'idle') throw new Error(`delta sync failed: ${delta.lastError?.message ?? delta.state}`);
    if ((await core.api.getLibrary({})).release?.version !== 2) throw new Error('delta sync did not install version 2');
    transferred = (await server.bytesSent()) - sentBefore;
    blobTransferred = (await server.bytesSent('blobs/')) - blobsBefore;
    say(
      `delta sync: ${(transferred / MB).toFixed(2)} MB transferred (${(blobTransferred / MB).toFixed(2)} MB of blobs) in ${(deltaMs / 1000).toFixed(2)} s`,
    );
  } finally {
    core.close();
  }

  const changed = changedBlobBytes + changedManifestBytes;
  const result = {
    library_mb: mb(releaseBytes),
    files: v1Blobs.size,
    server: server.kind.startsWith('nginx') ? 'nginx' : 'node',
    concurrency,
    rounds,
    link_mb_per_s: linkMBps,
    full_s: secs(fullMs),
    // Plain download to files, no fsync (as curl -o): the baseline of throughput_ratio.
    raw_s: secs(rawMs),
    throughput_ratio: Number((rawMs / fullMs).toFixed(3)),
    // Other baselines, for context: the network alone, and files written and each fsynced.
    raw_discard_s: secs(rawDiscardMs),
    throughput_ratio_discard: Number((rawDiscardMs / fullMs).toFixed(3)),
    raw_fsync_s: secs(rawFsyncMs),
    throughput_ratio_fsync: Number((rawFsyncMs / fullMs).toFixed(3)),
    raw_curl_s: rawCurlMs === null ? null : secs(rawCurlMs),
    // Until every new file was fsynced and the old release let go (the switch comes first:
    // main/core/channel/settle.ts), against the download that fsyncs each file.
    full_settled_s: secs(settledMs),
    throughput_ratio_settled_vs_fsync: Number((rawFsyncMs / settledMs).toFixed(3)),
    // CPU seconds of the process (every thread), medians, the sync's until settled.
    full_cpu_s: secs(median(fullCpu)),
    raw_cpu_s: secs(median(rawCpu)),
    throughput_ratio_curl: rawCurlMs === null ? null : Number((rawCurlMs / fullMs).toFixed(3)),
    full_mb_per_s: Number((releaseBytes / MB / (fullMs / 1000)).toFixed(1)),
    raw_mb_per_s: Number((releaseBytes / MB / (rawMs / 1000)).toFixed(1)),
    // Changed = every file of the release that is new in v2: the new blobs plus the new
    // channel.json and its signature (which any client must fetch to learn of the change).
    changed_mb: mb(changed),
    changed_blob_mb: mb(changedBlobBytes),
    changed_files: changedFiles,
    manifest_kb: Number((changedManifestBytes / 1e3).toFixed(1)),
    transferred_mb: mb(transferred),
    transferred_blob_mb: mb(blobTransferred),
    delta_ratio: Number((transferred / changed).toFixed(4)),
    blob_delta_ratio: Number((blobTransferred / changedBlobBytes).toFixed(4)),
    delta_s: secs(deltaMs),
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? null,
  };
  say(
    `throughput_ratio ${result.throughput_ratio} = raw_s / full_s, raw_s being a plain download of the same blobs to files without fsync (target ≥ 0.9); ` +
      `against the network alone (bytes discarded) ${result.throughput_ratio_discard}, against a download that fsyncs each file ${result.throughput_ratio_fsync}` +
      (result.throughput_ratio_curl === null ? '' : `, against curl --parallel ${result.throughput_ratio_curl}`),
  );
  say(`delta_ratio ${result.delta_ratio} (target ≤ 1.02)`);
  say(
    `delta_ratio counts channel.json + signature as changed bytes; blobs alone: ${result.blob_delta_ratio}, all bytes sent / blob bytes changed: ${(transferred / changedBlobBytes).toFixed(4)}`,
  );
  say(JSON.stringify(result));
} finally {
  await server?.stop();
  if (values.keep) say(`kept ${work.dir}`);
  else work.cleanup();
}
