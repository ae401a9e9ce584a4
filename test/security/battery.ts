/**
 * The attack battery's target: a real browser host (`pitchcase start`, its own process) on a
 * profile that holds a hostile release built with our own publisher, one in the rep's profile and
 * one in the kiosk profile. global-setup.ts starts both once for the whole battery; a test file
 * gets them with `batteryHosts()`. A new finding's test is one more file in test/security
 * (`npm run audit:security` picks up the folder).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createCore } from '#core/index';
import type { ProfileKind } from '#shared/library';
import type { Manifest } from '#shared/manifest';
import { inject } from 'vitest';
import { makeChannel, tempDir, type TestChannel } from '../support/release.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const tsx = path.join(repoRoot, 'node_modules', '.bin', process.platform === 'win32' ? 'tsx.cmd' : 'tsx');

/** What the hostile files log when their script runs, so a test can tell that it ran. */
export const PROBE_MESSAGE = 'pitchcase-probe';
/** What every hostile page and image tries as soon as it runs: say so, and use the app's API. */
export const API_PROBE = `console.log('${PROBE_MESSAGE}');fetch('/api/getDeliverySettings',{method:'POST',headers:{'Content-Type':'application/json'},body:'{}'})`;

/**
 * A release marketing could publish by mistake or an attacker could smuggle in: an SVG image and
 * microsite pages that call the API the moment they run. All kiosk items, so both profiles see them.
 */
export async function hostileChannel(): Promise<TestChannel> {
  const channel = await makeChannel({
    extraFiles: {
      'badge.svg': `<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20" onload="${API_PROBE}"><script>${API_PROBE}</script><rect width="20" height="20" fill="red"/></svg>`,
      'site/index.html': `<!doctype html><title>Site</title><h1>Calculator</h1><a href="more.html">more</a><script>${API_PROBE}</script>`,
    },
    items: [
      { id: 'brochure', file: 'docs/brochure.pdf', collections: ['main'], kiosk: true },
      { id: 'badge', file: 'badge.svg', title: 'Badge', collections: ['main'], kiosk: true },
      { id: 'calculator', site: 'site', title: 'ROI calculator', kiosk: true },
    ],
  });
  await channel.publish();
  return channel;
}

/** The release's manifest, to find the hashes of its files. */
export function readManifest(releaseDir: string): Manifest {
  return JSON.parse(readFileSync(path.join(releaseDir, 'channel.json'), 'utf8')) as Manifest;
}

export function fileOf(
  manifest: Manifest,
  itemId: string,
  pick: (f: Manifest['items'][number]['files'][number]) => boolean,
): string {
  const file = manifest.items.find((i) => i.id === itemId)?.files.find(pick);
  if (!file) throw new Error(`no such file in ${itemId}`);
  return file.sha256;
}

export interface RunningHost {
  kind: ProfileKind;
  url: string;
  siteUrl: string;
  port: number;
  /** Stdout and stderr of the host so far, for a failure message. */
  output(): string;
  /** Null while the host runs; its exit code or signal once it has died. */
  exited(): string | null;
  stop(): Promise<void>;
}

/** Installs `channel` into a fresh profile of this kind, then starts `pitchcase start` on it. */
export async function startBatteryHost(channel: TestChannel, kind: ProfileKind): Promise<RunningHost> {
  const profile = tempDir(`pitchcase-battery-${kind}-`);
  const core = await createCore({
    profileDir: profile.dir,
    profileKind: kind,
    shell: 'browser',
    siteBaseUrl: 'http://127.0.0.1',
    embeddedRelease: { dir: channel.releaseDir, publicKeyPem: channel.publicPem },
  });
  await core.settled();
  core.close();
  // A kiosk runs only once staff have set its PIN, from a terminal as they would at the booth.
  if (kind === 'kiosk') await setStaffPin(profile.dir, STAFF_PIN);

  const log: string[] = [];
  const child = spawn(
    tsx,
    [
      'main/cli/index.ts',
      'start',
      '--profile',
      profile.dir,
      '--port',
      '0',
      '--json',
      kind === 'kiosk' ? '--kiosk' : '--standard',
    ],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    },
  );
  let exit: string | null = null;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = `code ${code}, signal ${signal}`;
      resolve();
    }),
  );
  child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  let ready: { url: string; siteUrl: string };
  try {
    ready = await readyLine(child, log);
  } catch (error) {
    if (exit === null) child.kill('SIGKILL');
    profile.cleanup();
    throw error;
  }
  const stop = async () => {
    if (exit === null) {
      try {
        // tsx runs the host in a child of its own: signal the whole group.
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
      await exited;
    }
    profile.cleanup();
  };
  return {
    kind,
    ...ready,
    port: Number(new URL(ready.url).port),
    output: () => log.join(''),
    exited: () => exit,
    stop,
  };
}

/**
 * The kiosk's staff PIN. The battery's tests play the visitor, who does not know it; they use it
 * only to show that even the right PIN is refused during a lock-out.
 */
export const STAFF_PIN = '735194';

/** `pitchcase kiosk pin --profile DIR`, the PIN on stdin (never on the command line). */
async function setStaffPin(profileDir: string, pin: string): Promise<void> {
  const child = spawn(tsx, ['main/cli/index.ts', 'kiosk', 'pin', '--profile', profileDir], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stdin.end(`${pin}\n`);
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`pitchcase kiosk pin failed (code ${code}):\n${output.join('')}`);
}

/** A loaded CI machine starts a host in a few seconds; a minute means it is stuck. */
const START_TIMEOUT_MS = 60_000;

function readyLine(child: ChildProcess, log: string[]): Promise<{ url: string; siteUrl: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the host did not report ready within ${START_TIMEOUT_MS / 1000} s:\n${log.join('')}`)),
      START_TIMEOUT_MS,
    );
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      log.push(`${line}\n`);
      try {
        const ready = JSON.parse(line) as { url?: unknown; siteUrl?: unknown };
        if (typeof ready.url === 'string' && typeof ready.siteUrl === 'string') {
          clearTimeout(timer);
          resolve({ url: ready.url, siteUrl: ready.siteUrl });
        }
      } catch {
        // Not the ready line.
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the host exited before it was ready (code ${code}, signal ${signal}):\n${log.join('')}`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

export const profileKinds: readonly ProfileKind[] = ['standard', 'kiosk'];

/** What a battery test knows of one running host. */
export interface BatteryHost {
  kind: ProfileKind;
  url: string;
  siteUrl: string;
  port: number;
}

export interface Battery {
  releaseDir: string;
  hosts: BatteryHost[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    battery: Battery;
  }
}

/** The hosts global-setup.ts started, for `describe.each`. */
export function batteryHosts(): BatteryHost[] {
  return inject('battery').hosts;
}

export function batteryManifest(): Manifest {
  return readManifest(inject('battery').releaseDir);
}

/** What an API call answers over HTTP. */
export type ApiAnswer = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

/** Calls `method` over HTTP exactly as the app's page (or an attacker at the booth) does. */
export async function callApi(host: BatteryHost, method: string, arg: unknown = {}): Promise<ApiAnswer> {
  const response = await fetch(new URL(`/api/${method}`, host.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(arg),
  });
  return (await response.json()) as ApiAnswer;
}
