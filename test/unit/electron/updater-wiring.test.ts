/**
 * main.ts and the updater: a packaged app hands core an updater built on electron-updater's
 * autoUpdater; a development run (no app-update.yml) hands it null and never loads electron-updater.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppUpdater } from '#core/types';
import type * as UpdaterModule from '../../../main/electron/updater.ts';
import type { UpdaterEngine } from '../../../main/electron/updater.ts';
import { FakeAutoUpdater, fakeKit } from './fake-electron.ts';

vi.mock('electron', async () => (await import('./fake-electron.ts')).fakeElectron);

// electron-updater itself is loaded with require (see updater.ts); here only that loader is
// swapped for a counter returning the fake, the rest of the adapter is the real one.
const updaterModule = vi.hoisted(() => ({ loads: 0, load: (): unknown => null }));
vi.mock('../../../main/electron/updater.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof UpdaterModule>();
  return {
    ...actual,
    loadAppUpdater: (log: Parameters<typeof actual.loadAppUpdater>[0]) =>
      actual.loadAppUpdater(log, {
        load: () => {
          updaterModule.loads += 1;
          return updaterModule.load() as UpdaterEngine;
        },
      }),
  };
});

const fakeCore = {
  api: {},
  events: { on: vi.fn(), onAny: vi.fn(() => () => {}) },
  content: { blob: vi.fn(), site: vi.fn() },
  handle: vi.fn(),
  settled: vi.fn(async () => {}),
  close: vi.fn(),
};
const createCore = vi.fn(async (_options: unknown) => fakeCore);
vi.mock('#core/index', () => ({
  createCore: (options: unknown) => createCore(options),
  stderrLog: { info: vi.fn(), warn: vi.fn(), error: vi.fn() },
}));

const { app } = fakeKit.fakeElectron;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'pitchcase-updater-wiring-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const proc = process as NodeJS.Process & { resourcesPath?: string };
const originalResourcesPath = proc.resourcesPath;
let engine: FakeAutoUpdater;

async function bootMain(): Promise<{ updater: AppUpdater | null | undefined }> {
  vi.resetModules();
  await import('../../../main/electron/main.ts');
  fakeKit.becomeReady();
  await vi.waitFor(() => expect(fakeKit.windows).toHaveLength(1));
  const options = createCore.mock.calls[0]![0] as { updater?: AppUpdater | null };
  return { updater: options.updater };
}

beforeEach(() => {
  fakeKit.reset();
  createCore.mockClear();
  fakeCore.close.mockClear();
  engine = new FakeAutoUpdater();
  updaterModule.loads = 0;
  updaterModule.load = () => engine;
  proc.resourcesPath = path.join(tmp, 'resources'); // set by Electron in a packaged app
  vi.stubEnv('PITCHCASE_PROFILE', path.join(tmp, 'profile'));
});

afterEach(() => {
  proc.resourcesPath = originalResourcesPath;
  vi.unstubAllEnvs();
});

describe('app updates in main.ts', () => {
  it('development (not packaged): core gets no updater and electron-updater is never loaded', async () => {
    app.isPackaged = false;
    const { updater } = await bootMain();
    expect(updater).toBeNull();
    expect(updaterModule.loads).toBe(0);
  });

  it('packaged: core gets an updater over autoUpdater, configured to install on quit', async () => {
    app.isPackaged = true;
    const { updater } = await bootMain();
    expect(updater).toBeTruthy();
    expect(updaterModule.loads).toBe(1);
    expect(engine.autoDownload).toBe(true);
    expect(engine.autoInstallOnAppQuit).toBe(true); // quitting with a downloaded update installs it
    expect(engine.allowDowngrade).toBe(false);
    expect(engine.signatureVerifierWrites).toEqual([]);

    engine.emit('update-downloaded', { version: '1.2.0' });
    expect(updater!.status()).toMatchObject({ state: 'ready', version: '1.2.0' });
    updater!.restartToUpdate();
    expect(engine.quitAndInstall).toHaveBeenCalledWith(false, true);
  });

  it('packaged: quitting stops the scheduled checks along with the core', async () => {
    app.isPackaged = true;
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval'] });
    try {
      const { updater } = await bootMain();
      expect(updater).toBeTruthy();
      // The first will-quit waits for the core's files to settle, then quits again.
      app.emit('will-quit', { preventDefault: vi.fn() });
      await vi.waitFor(() => expect(app.quit).toHaveBeenCalled());
      app.emit('will-quit', { preventDefault: vi.fn() });
      expect(fakeCore.close).toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(24 * 60 * 60 * 1000);
      expect(engine.checkForUpdates).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });

  it('packaged, but electron-updater cannot start: the app still opens, with no updater', async () => {
    app.isPackaged = true;
    updaterModule.load = () => {
      throw new Error('ENOENT: app-update.yml');
    };
    const { updater } = await bootMain();
    expect(updater).toBeNull();
    expect(fakeKit.windows).toHaveLength(1);
  });
});
