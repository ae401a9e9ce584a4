import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSigningKeys } from '#publish/keys';
import { startStudio, type RunningStudio } from '#studio/index';
import { StudioClient } from '../../studio/client.ts';
import { tempDir } from '../../support/release.ts';

/** Shared by the sections of bench:studio: running a `pitchcase publish`, a Studio, sizes. */

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const log = (line: string) => process.stdout.write(`${line}\n`);
export const seconds = (ms: number) => Number((ms / 1000).toFixed(2));
export const mb = (bytes: number) => Number((bytes / 1e6).toFixed(1));

/** The commit whose pipeline the release-size and speed targets are measured against. */
export const BASELINE_COMMIT = 'b5d5285';

/** What one run took: wall-clock time and the CPU time the process used (all its threads). */
export interface Took {
  ms: number;
  cpuMs: number;
}

/** A checkout of `pitchcase publish` at some commit, run as its own process. */
export interface Pipeline {
  label: string;
  /** Publishes `sourceDir` into `outDir`, process start included. */
  publish(sourceDir: string, outDir: string): Promise<Took>;
  cleanup(): void;
}

/** bash's `times`: the second line is the children's user and system time, as 0m1.614s 0m0.246s. */
function childCpuMs(times: string): number {
  const line = times.trim().split('\n').at(-1) ?? '';
  let total = 0;
  for (const [, m, s] of line.matchAll(/(\d+)m([\d.]+)s/g)) total += (Number(m) * 60 + Number(s)) * 1000;
  return total;
}

const keyDir = tempDir('bench-studio-key-');
const keyFile = path.join(keyDir.dir, 'private.pem');
writeFileSync(keyFile, generateSigningKeys().privatePem, { mode: 0o600 });
process.on('exit', () => keyDir.cleanup());

function cliPipeline(label: string, root: string, cleanup: () => void): Pipeline {
  return {
    label,
    publish(sourceDir, outDir) {
      const started = performance.now();
      return new Promise((resolve, reject) => {
        // Through bash, whose `times` reports the CPU the publish used: on a shared machine the
        // wall time swings with other load, the CPU time much less.
        const child = spawn(
          'bash',
          [
            '-c',
            '"$@" >/dev/null || exit $?; times >&3',
            'bash',
            process.execPath,
            path.join(root, 'main/cli/pitchcase.mjs'),
            'publish',
            sourceDir,
            '--out',
            outDir,
            '--key',
            keyFile,
            '--channel',
            'default',
          ],
          { cwd: root, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] },
        );
        let err = '';
        let times = '';
        child.stderr!.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
        (child.stdio[3] as NodeJS.ReadableStream).on('data', (c: Buffer) => (times += c.toString()));
        child.once('error', reject);
        child.once('close', (code) =>
          code === 0
            ? resolve({ ms: performance.now() - started, cpuMs: childCpuMs(times) })
            : reject(
                new Error(`${label} pitchcase publish failed (${code}): ${err.trim().split('\n').slice(-3).join(' ')}`),
              ),
        );
      });
    },
    cleanup,
  };
}

/** This checkout's `pitchcase publish`. */
export function currentPipeline(): Pipeline {
  return cliPipeline('current', repoRoot, () => {});
}

/**
 * The pipeline as it was at `commit`: its files exported (git archive) into a temporary folder
 * with this checkout's node_modules linked in, so only the publishing code differs.
 */
export function pipelineAt(commit: string): Pipeline {
  const dir = tempDir('bench-studio-baseline-');
  execFileSync('sh', ['-c', `git -C "${repoRoot}" archive "${commit}" | tar -x -C "${dir.dir}"`]);
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir.dir, 'node_modules'), 'dir');
  return cliPipeline(`at ${commit}`, dir.dir, () => dir.cleanup());
}

/** What a release's bytes are made of, by the manifest's file role (a blob is counted once). */
export type ReleaseShare = 'pdf' | 'text' | 'cover' | 'manifest' | 'signature' | 'other';

export interface ReleaseSize {
  /** Sum of the files' sizes: what a host stores and a device downloads (not disk blocks). */
  bytes: number;
  files: number;
  /** The same files as a file system with 4 KiB blocks allocates them, for comparison only. */
  blockBytes: number;
  byShare: Record<ReleaseShare, { bytes: number; files: number }>;
}

/**
 * Bytes and files of a release folder: channel.json, its signature and the blobs (not the
 * publisher's cache), split by what each blob is in the manifest.
 */
export function releaseSize(dir: string): ReleaseSize {
  const shares: ReleaseShare[] = ['pdf', 'text', 'cover', 'manifest', 'signature', 'other'];
  const byShare = Object.fromEntries(shares.map((s) => [s, { bytes: 0, files: 0 }])) as ReleaseSize['byShare'];
  const manifest = JSON.parse(readFileSync(path.join(dir, 'channel.json'), 'utf8')) as {
    items: { kind: string; files: { role: string; sha256: string; mime: string }[] }[];
  };
  const shareOf = new Map<string, ReleaseShare>();
  for (const item of manifest.items)
    for (const file of item.files) {
      const share: ReleaseShare =
        file.role === 'primary' && file.mime === 'application/pdf'
          ? 'pdf'
          : file.role === 'text'
            ? 'text'
            : file.role === 'thumbnail'
              ? 'cover'
              : 'other';
      if (!shareOf.has(file.sha256)) shareOf.set(file.sha256, share);
    }
  let bytes = 0;
  let files = 0;
  let blockBytes = 0;
  const count = (file: string, share: ReleaseShare) => {
    const size = statSync(file).size;
    bytes += size;
    files++;
    blockBytes += Math.ceil(size / 4096) * 4096;
    byShare[share].bytes += size;
    byShare[share].files++;
  };
  count(path.join(dir, 'channel.json'), 'manifest');
  count(path.join(dir, 'channel.json.sig'), 'signature');
  for (const name of readdirSync(path.join(dir, 'blobs')))
    count(path.join(dir, 'blobs', name), shareOf.get(name) ?? 'other');
  return { bytes, files, blockBytes, byShare };
}

/** "pdf 2.1 MB (1.00×), text 2.8 MB (1.31×), …": each share of a release against the PDFs' bytes. */
export function describeShares(size: ReleaseSize, sourceBytes: number): string {
  return Object.entries(size.byShare)
    .filter(([, share]) => share.files > 0)
    .map(
      ([name, share]) => `${name} ${mb(share.bytes)} MB in ${share.files} (${(share.bytes / sourceBytes).toFixed(2)}×)`,
    )
    .join(', ');
}

const password = 'benchmark password';

/** A Studio with an editor and an approver signed in; `publish()` submits, approves and publishes the draft. */
export async function studioWithPublisher(dataDir: string): Promise<{
  studio: RunningStudio;
  editor: StudioClient;
  /** The publish call only (submit and approve are not timed), in ms. */
  publish(): Promise<number>;
}> {
  mkdirSync(dataDir, { recursive: true });
  const studio = await startStudio({ dataDir, port: 0, config: { scryptCost: 2 ** 10 }, log: () => {} });
  const editor = new StudioClient(studio.url);
  await editor.call('POST', '/api/setup', {
    token: studio.setupUrl!.split('#')[1],
    email: 'ed@example.com',
    name: 'Ed',
    password,
  });
  await editor.call('POST', '/api/users', { email: 'amy@example.com', name: 'Amy', role: 'approver', password });
  const approver = new StudioClient(studio.url);
  await approver.signIn('amy@example.com', password);
  return {
    studio,
    editor,
    async publish() {
      const submitted = await editor.call<{ release: { id: string } }>('POST', '/api/channels/default/releases', {});
      if (submitted.status !== 200) throw new Error(`submit: ${submitted.error?.message}`);
      await approver.call('POST', `/api/releases/${submitted.value.release.id}/approve`, {});
      const t = performance.now();
      const done = await approver.call('POST', `/api/releases/${submitted.value.release.id}/publish`, {});
      if (done.status !== 200) throw new Error(`publish: ${done.error?.message}`);
      return performance.now() - t;
    },
  };
}
