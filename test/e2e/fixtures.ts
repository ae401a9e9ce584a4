/**
 * The `app` fixture: for each test, a fresh profile directory and a browser host of its own
 * (`pitchcase start --profile <dir> --port 0 --json`), stopped and removed afterwards. Tests get
 * page objects for the screens; selectors live in ./pages, not in the test bodies. `kioskApp` is
 * the same on a trade-show kiosk profile whose staff PIN (KIOSK_STAFF_PIN) was set beforehand
 * with `pitchcase kiosk pin`, as staff do; `unsetKioskApp` is a kiosk started without one.
 * `studio` is a real Studio process (test/support/studio-server.ts), started only for tests that ask.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { test as base, expect, type TestInfo } from '@playwright/test';
import { HomePage } from './pages/home-page';
import { ItemViewerPage } from './pages/item-viewer-page';
import { KioskPage } from './pages/kiosk-page';
import { SearchPage } from './pages/search-page';
import { studioServer, type StudioServer } from '../support/studio-server';

export interface AppHost {
  /** The renderer's address, e.g. http://127.0.0.1:PORT/ */
  url: string;
  /** The microsites' separate origin. */
  siteUrl: string;
  profileDir: string;
}

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const tsx = path.join(repoRoot, 'node_modules', '.bin', process.platform === 'win32' ? 'tsx.cmd' : 'tsx');
const startTimeoutMs = 60_000;

function waitForReadyLine(child: ChildProcess, log: string[]): Promise<AppHost> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The browser host did not report ready within ${startTimeoutMs / 1000}s`)),
      startTimeoutMs,
    );
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      log.push(line);
      if (!line.trimStart().startsWith('{')) return;
      try {
        const ready = JSON.parse(line) as Partial<AppHost>;
        if (typeof ready.url === 'string' && typeof ready.siteUrl === 'string') {
          clearTimeout(timer);
          resolve(ready as AppHost);
        }
      } catch {
        // Not the ready line; keep reading.
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`The browser host exited before it was ready (code ${code}, signal ${signal})`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    try {
      // The host runs in its own process group (tsx + node): signal the whole group.
      if (child.pid !== undefined) process.kill(-child.pid, name);
    } catch {
      child.kill(name);
    }
  };
  signal('SIGTERM');
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5_000));
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    signal('SIGKILL');
    await exited;
  }
}

/** The staff PIN of the `kioskApp` fixture's kiosk. */
export const KIOSK_STAFF_PIN = '4821';

/** `pitchcase kiosk pin --profile DIR`, the PIN given on stdin, as staff set it up. */
export async function setStaffPin(profileDir: string, input: string): Promise<void> {
  const child = spawn(tsx, ['main/cli/index.ts', 'kiosk', 'pin', '--profile', profileDir], {
    cwd: repoRoot,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  const errors: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
  child.stdin?.end(input);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`pitchcase kiosk pin failed (${code}): ${errors.join('')}`);
}

/**
 * Runs a browser host on a fresh profile for one test; `extraArgs` picks the profile kind and
 * `prepare` sets the profile up before the host starts (a PIN, a synced release).
 */
export async function runHost(
  extraArgs: string[],
  use: (host: AppHost) => Promise<void>,
  testInfo: TestInfo,
  prepare?: (profileDir: string) => Promise<void>,
): Promise<void> {
  const profileDir = await mkdtemp(path.join(os.tmpdir(), 'pitchcase-e2e-'));
  await prepare?.(profileDir);
  const log: string[] = [];
  const child = spawn(
    tsx,
    ['main/cli/index.ts', 'start', '--profile', profileDir, '--port', '0', '--json', ...extraArgs],
    {
      cwd: repoRoot,
      env: { ...process.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    },
  );
  child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  try {
    const ready = await waitForReadyLine(child, log);
    await use({ ...ready, profileDir });
  } finally {
    await stop(child);
    if (testInfo.status !== testInfo.expectedStatus && log.length > 0) {
      await testInfo.attach('host-output', { body: log.join('\n'), contentType: 'text/plain' });
    }
    await rm(profileDir, { recursive: true, force: true });
  }
}

export const test = base.extend<{
  app: AppHost;
  /** A rep's app on a fresh profile that shows the first-run "Connect to your company" screen. */
  freshApp: AppHost;
  kioskApp: AppHost;
  unsetKioskApp: AppHost;
  home: HomePage;
  viewer: ItemViewerPage;
  search: SearchPage;
  kiosk: KioskPage;
  /** A real Studio beside the app, for tests of what the device does with it. */
  studio: StudioServer;
}>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern
  app: async ({}, use, testInfo) => {
    // Past the first-run "Connect to your company" screen; fleet.spec.ts starts without this.
    await runHost(['--no-connect-prompt'], use, testInfo);
  },
  // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern
  freshApp: async ({}, use, testInfo) => {
    await runHost([], use, testInfo);
  },
  /** A host on a trade-show kiosk profile (`--kiosk`): only kiosk items, the kiosk UI. */
  // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern
  kioskApp: async ({}, use, testInfo) => {
    await runHost(['--kiosk'], use, testInfo, (dir) => setStaffPin(dir, `${KIOSK_STAFF_PIN}\n`));
  },
  /** A kiosk started with `--kiosk` before staff set a PIN. */
  // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern
  unsetKioskApp: async ({}, use, testInfo) => {
    await runHost(['--kiosk'], use, testInfo);
  },
  kiosk: async ({ page, kioskApp }, use) => {
    await use(new KioskPage(page, kioskApp));
  },
  home: async ({ page, app }, use) => {
    await use(new HomePage(page, app));
  },
  viewer: async ({ page }, use) => {
    await use(new ItemViewerPage(page));
  },
  search: async ({ page }, use) => {
    await use(new SearchPage(page));
  },
  studio: studioServer,
});

export { expect };
