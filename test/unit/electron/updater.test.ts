import { EventEmitter } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppUpdateStatus } from '#shared/sync';
import {
  CHECK_INTERVAL_MS,
  createAppUpdater,
  FIRST_CHECK_DELAY_MS,
  initialUpdateStatus,
  loadAppUpdater,
  nextUpdateStatus,
  requireUpdaterEngine,
  updateErrorMessage,
  type UpdaterEngine,
  type UpdaterEvent,
  type UpdateScheduler,
} from '../../../main/electron/updater.ts';
import { FakeAutoUpdater } from './fake-electron.ts';

const status = (
  state: AppUpdateStatus['state'],
  version: string | null = null,
  percent: number | null = null,
  message: string | null = null,
): AppUpdateStatus => ({
  state,
  version,
  percent,
  message,
});

describe('nextUpdateStatus: electron-updater events to AppUpdateStatus', () => {
  const offline = new Error('net::ERR_INTERNET_DISCONNECTED');
  it.each<[string, AppUpdateStatus, UpdaterEvent, AppUpdateStatus]>([
    ['idle, checking-for-update', initialUpdateStatus, { type: 'checking-for-update' }, status('checking')],
    [
      'error, checking-for-update (retry clears the error)',
      status('error', null, null, 'x'),
      { type: 'checking-for-update' },
      status('checking'),
    ],
    [
      'checking, update-available',
      status('checking'),
      { type: 'update-available', version: '1.2.0' },
      status('downloading', '1.2.0', 0),
    ],
    [
      'downloading, download-progress',
      status('downloading', '1.2.0', 0),
      { type: 'download-progress', percent: 41.7 },
      status('downloading', '1.2.0', 42),
    ],
    [
      'progress above 100 is clamped',
      status('downloading', '1.2.0', 90),
      { type: 'download-progress', percent: 100.4 },
      status('downloading', '1.2.0', 100),
    ],
    [
      'progress NaN has no percent',
      status('downloading', '1.2.0', 90),
      { type: 'download-progress', percent: Number.NaN },
      status('downloading', '1.2.0', null),
    ],
    [
      'downloading, update-downloaded',
      status('downloading', '1.2.0', 99),
      { type: 'update-downloaded', version: '1.2.0' },
      status('ready', '1.2.0', 100),
    ],
    ['checking, update-not-available', status('checking'), { type: 'update-not-available' }, status('idle')],
    ['downloading, update-cancelled', status('downloading', '1.2.0', 10), { type: 'update-cancelled' }, status('idle')],
    [
      'checking, error (offline)',
      status('checking'),
      { type: 'error', error: offline },
      status('error', null, null, 'Cannot reach the update server (net::ERR_INTERNET_DISCONNECTED).'),
    ],
    [
      'downloading, error keeps the version',
      status('downloading', '1.2.0', 50),
      { type: 'error', error: new Error('sha512 checksum mismatch') },
      status('error', '1.2.0', null, 'sha512 checksum mismatch'),
    ],
    [
      'ready, checking-for-update stays ready',
      status('ready', '1.2.0', 100),
      { type: 'checking-for-update' },
      status('ready', '1.2.0', 100),
    ],
    [
      'ready, update-not-available stays ready',
      status('ready', '1.2.0', 100),
      { type: 'update-not-available' },
      status('ready', '1.2.0', 100),
    ],
    [
      'ready, error stays ready with the message',
      status('ready', '1.2.0', 100),
      { type: 'error', error: offline },
      status('ready', '1.2.0', 100, 'Cannot reach the update server (net::ERR_INTERNET_DISCONNECTED).'),
    ],
    [
      'ready, a newer update-downloaded',
      status('ready', '1.2.0', 100),
      { type: 'update-downloaded', version: '1.3.0' },
      status('ready', '1.3.0', 100),
    ],
  ])('%s', (_name, current, event, expected) => {
    expect(nextUpdateStatus(current, event)).toEqual(expected);
  });

  it('does not change the status it is given', () => {
    const current = status('downloading', '1.2.0', 5);
    nextUpdateStatus(current, { type: 'download-progress', percent: 50 });
    expect(current).toEqual(status('downloading', '1.2.0', 5));
  });
});

describe('updateErrorMessage: one short line', () => {
  it.each<[string, unknown, string | RegExp]>([
    [
      'offline (Chromium)',
      new Error('net::ERR_INTERNET_DISCONNECTED'),
      'Cannot reach the update server (net::ERR_INTERNET_DISCONNECTED).',
    ],
    [
      'DNS failure (Chromium)',
      new Error('net::ERR_NAME_NOT_RESOLVED'),
      'Cannot reach the update server (net::ERR_NAME_NOT_RESOLVED).',
    ],
    [
      'DNS failure (Node)',
      new Error('getaddrinfo ENOTFOUND updates.pitchcase.example'),
      'Cannot reach the update server (ENOTFOUND).',
    ],
    ['refused', new Error('connect ECONNREFUSED 127.0.0.1:443'), 'Cannot reach the update server (ECONNREFUSED).'],
    [
      'HTTP 404 with headers',
      new Error(
        'Cannot find latest.yml in the latest release artifacts (https://updates.pitchcase.example/latest.yml): HttpError: 404\n"method: GET url: …"\nHeaders: {}',
      ),
      'Cannot find latest.yml in the latest release artifacts (https://updates.pitchcase.example/latest.yml): HttpError: 404',
    ],
    ['a string', 'plain failure', 'plain failure'],
    ['leading blank lines and inner whitespace', '\n\n  signature   check\tfailed \nstack', 'signature check failed'],
    ['nothing', undefined, 'App update failed.'],
    ['empty message', new Error(''), 'App update failed.'],
    ['very long', new Error('x'.repeat(1000)), /^x{199}…$/],
  ])('%s', (_name, error, expected) => {
    const message = updateErrorMessage(error);
    if (expected instanceof RegExp) expect(message).toMatch(expected);
    else expect(message).toBe(expected);
    expect(message).not.toContain('\n');
  });
});

/** Timers driven by hand: `fire('after')` runs the first-check timer, `fire('every')` one period. */
function manualScheduler() {
  const timers: { kind: 'after' | 'every'; ms: number; run: () => void; cancelled: boolean }[] = [];
  const add = (kind: 'after' | 'every') => (ms: number, run: () => void) => {
    const timer = { kind, ms, run, cancelled: false };
    timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  };
  const scheduler: UpdateScheduler = { after: add('after'), every: add('every') };
  return {
    scheduler,
    timers,
    fire(kind: 'after' | 'every') {
      for (const t of timers) if (t.kind === kind && !t.cancelled) t.run();
    },
  };
}

function setup() {
  const engine = new FakeAutoUpdater();
  const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const timers = manualScheduler();
  const updater = createAppUpdater({ engine, log, scheduler: timers.scheduler });
  const seen: AppUpdateStatus[] = [];
  updater.onStatus((s) => seen.push(s));
  return { engine, log, timers, updater, seen };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('createAppUpdater', () => {
  it('configures electron-updater: background download, install on quit, no downgrade, no prerelease, signature check untouched', () => {
    const { engine, log } = setup();
    expect(engine.autoDownload).toBe(true);
    expect(engine.autoInstallOnAppQuit).toBe(true);
    expect(engine.allowDowngrade).toBe(false);
    expect(engine.allowPrerelease).toBe(false);
    expect(engine.signatureVerifierWrites).toEqual([]);
    expect(engine.verifyUpdateCodeSignature).toBe('electron-updater default');
    // electron-updater's own lines go to the app's log.
    engine.logger!.info('Checking for update');
    engine.logger!.error(new Error('boom'));
    expect(log.info).toHaveBeenCalledWith('app update', { detail: 'Checking for update' });
    expect(log.error).toHaveBeenCalledWith('app update', { detail: expect.stringContaining('boom') });
  });

  it('no file of the Electron shell overrides or disables the update signature check', () => {
    const dir = path.resolve(import.meta.dirname, '..', '..', '..', 'main', 'electron');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(path.join(dir, file), 'utf8');
      expect(source, file).not.toMatch(
        /verifyUpdateCodeSignature\s*=|forceDevUpdateConfig\s*=\s*true|allowDowngrade\s*=\s*true/,
      );
    }
  });

  it('starts idle and schedules a check shortly after start and then every 4 hours', () => {
    const { updater, timers, engine } = setup();
    expect(updater.status()).toEqual(status('idle'));
    expect(timers.timers.map(({ kind, ms }) => ({ kind, ms }))).toEqual([
      { kind: 'after', ms: FIRST_CHECK_DELAY_MS },
      { kind: 'every', ms: CHECK_INTERVAL_MS },
    ]);
    expect(CHECK_INTERVAL_MS).toBe(4 * 60 * 60 * 1000);
    expect(FIRST_CHECK_DELAY_MS).toBeLessThanOrEqual(60_000);
    expect(engine.checkForUpdates).not.toHaveBeenCalled();
    timers.fire('after');
    expect(engine.checkForUpdates).toHaveBeenCalledTimes(1);
    timers.fire('every');
    expect(engine.checkForUpdates).toHaveBeenCalledTimes(2);
  });

  it('a full cycle: checking, available, progress, downloaded, then restartToUpdate installs once', async () => {
    const { engine, updater, seen, timers } = setup();
    engine.checkForUpdates.mockImplementation(async () => {
      engine.emit('checking-for-update');
      engine.emit('update-available', { version: '1.2.0', files: [], releaseDate: '' });
      return { downloadPromise: Promise.resolve(['/tmp/setup.exe']) };
    });
    await updater.check();
    engine.emit('download-progress', { percent: 12.5, total: 100, transferred: 12, delta: 12, bytesPerSecond: 1 });
    engine.emit('download-progress', { percent: 80, total: 100, transferred: 80, delta: 68, bytesPerSecond: 1 });
    // Checks while downloading leave electron-updater alone.
    timers.fire('every');
    expect(engine.checkForUpdates).toHaveBeenCalledTimes(1);
    engine.emit('update-downloaded', {
      version: '1.2.0',
      files: [],
      releaseDate: '',
      downloadedFile: '/tmp/setup.exe',
    });

    expect(seen).toEqual([
      status('checking'),
      status('downloading', '1.2.0', 0),
      status('downloading', '1.2.0', 13),
      status('downloading', '1.2.0', 80),
      status('ready', '1.2.0', 100),
    ]);
    expect(updater.status()).toEqual(status('ready', '1.2.0', 100));

    // With an update waiting there is nothing to check for.
    await updater.check();
    expect(engine.checkForUpdates).toHaveBeenCalledTimes(1);

    updater.restartToUpdate();
    expect(engine.quitAndInstall).toHaveBeenCalledTimes(1);
    expect(engine.quitAndInstall).toHaveBeenCalledWith(false, true);
  });

  it('restartToUpdate does nothing before an update is ready', async () => {
    const { engine, updater } = setup();
    updater.restartToUpdate();
    engine.emit('checking-for-update');
    updater.restartToUpdate();
    engine.emit('update-available', { version: '1.2.0' });
    engine.emit('download-progress', { percent: 99 });
    updater.restartToUpdate();
    engine.emit('error', new Error('net::ERR_CONNECTION_RESET'));
    updater.restartToUpdate();
    expect(engine.quitAndInstall).not.toHaveBeenCalled();
  });

  it('no update: checking then idle', async () => {
    const { engine, updater, seen } = setup();
    engine.checkForUpdates.mockImplementation(async () => {
      engine.emit('checking-for-update');
      engine.emit('update-not-available', { version: '0.1.0' });
      return null;
    });
    await updater.check();
    expect(seen).toEqual([status('checking'), status('idle')]);
  });

  it('offline: the check fails quietly into an error status and the next check still runs', async () => {
    const { engine, updater, log, timers } = setup();
    const offline = new Error('net::ERR_INTERNET_DISCONNECTED');
    engine.checkForUpdates.mockImplementation(async () => {
      engine.emit('checking-for-update');
      engine.emit('error', offline, offline.stack);
      throw offline;
    });
    await expect(updater.check()).resolves.toBeUndefined();
    expect(updater.status()).toEqual(
      status('error', null, null, 'Cannot reach the update server (net::ERR_INTERNET_DISCONNECTED).'),
    );
    expect(log.warn).toHaveBeenCalledWith('app update failed', { reason: expect.stringContaining('Cannot reach') });

    // A scheduled check never throws either (it runs detached from any caller).
    timers.fire('every');
    await flush();
    expect(engine.checkForUpdates).toHaveBeenCalledTimes(2);
    expect(updater.status().state).toBe('error');
  });

  it('a rejected check without an error event still gives an error status', async () => {
    const { engine, updater } = setup();
    engine.checkForUpdates.mockRejectedValueOnce(new Error('ENOENT: no such file, open app-update.yml'));
    await updater.check();
    expect(updater.status()).toEqual(status('error', null, null, 'ENOENT: no such file, open app-update.yml'));
  });

  it('a failed background download becomes an error status, not an unhandled rejection', async () => {
    const { engine, updater } = setup();
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const failure = new Error('sha512 checksum mismatch, expected abc');
      engine.checkForUpdates.mockImplementation(async () => {
        engine.emit('checking-for-update');
        engine.emit('update-available', { version: '1.2.0' });
        // As electron-updater does: the error event, then the returned promise rejects.
        const downloadPromise = new Promise((_resolve, reject) =>
          setImmediate(() => {
            engine.emit('error', failure);
            reject(failure);
          }),
        );
        return { downloadPromise };
      });
      await updater.check();
      await flush();
      await flush();
      expect(updater.status()).toEqual(status('error', '1.2.0', null, 'sha512 checksum mismatch, expected abc'));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('an error emitted by electron-updater with nobody checking does not throw', () => {
    const { engine, updater } = setup();
    expect(() => engine.emit('error', new Error('net::ERR_NETWORK_CHANGED'))).not.toThrow();
    expect(updater.status().state).toBe('error');
  });

  it('quitAndInstall throwing becomes a message, and the update stays ready', () => {
    const { engine, updater } = setup();
    engine.emit('update-downloaded', { version: '1.2.0' });
    engine.quitAndInstall.mockImplementationOnce(() => {
      throw new Error('installer not found');
    });
    expect(() => updater.restartToUpdate()).not.toThrow();
    expect(updater.status()).toEqual(status('ready', '1.2.0', 100, 'installer not found'));
  });

  it('a throwing listener is logged and does not stop the others', () => {
    const { engine, updater, log, seen } = setup();
    updater.onStatus(() => {
      throw new Error('listener bug');
    });
    const late = vi.fn();
    updater.onStatus(late);
    engine.emit('checking-for-update');
    expect(seen).toEqual([status('checking')]);
    expect(late).toHaveBeenCalledWith(status('checking'));
    expect(log.error).toHaveBeenCalledWith('app update listener failed', expect.anything());
  });

  it('onStatus returns an unsubscribe, and repeated identical events notify once', () => {
    const { engine, updater } = setup();
    const listener = vi.fn();
    const off = updater.onStatus(listener);
    engine.emit('update-not-available', {});
    expect(listener).not.toHaveBeenCalled(); // idle -> idle
    engine.emit('checking-for-update');
    off();
    engine.emit('update-not-available', {});
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('dispose cancels the scheduled checks and makes check a no-op', async () => {
    const { engine, updater, timers } = setup();
    updater.dispose();
    expect(timers.timers.every((t) => t.cancelled)).toBe(true);
    await updater.check();
    expect(engine.checkForUpdates).not.toHaveBeenCalled();
  });

  it('with the real timers, the first check runs after the delay', async () => {
    vi.useFakeTimers();
    try {
      const engine = new FakeAutoUpdater();
      const updater = createAppUpdater({ engine, log: { info() {}, warn() {}, error() {} } });
      await vi.advanceTimersByTimeAsync(FIRST_CHECK_DELAY_MS - 1);
      expect(engine.checkForUpdates).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      expect(engine.checkForUpdates).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(CHECK_INTERVAL_MS);
      expect(engine.checkForUpdates).toHaveBeenCalledTimes(2);
      updater.dispose();
      await vi.advanceTimersByTimeAsync(CHECK_INTERVAL_MS * 2);
      expect(engine.checkForUpdates).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('loadAppUpdater', () => {
  const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  beforeEach(() => vi.clearAllMocks());

  it('wraps the autoUpdater its loader returns', () => {
    const engine = new FakeAutoUpdater();
    const updater = loadAppUpdater(log, { load: () => engine, scheduler: manualScheduler().scheduler });
    expect(updater).not.toBeNull();
    expect(engine.autoInstallOnAppQuit).toBe(true);
    engine.emit('update-downloaded', { version: '2.0.0' });
    expect(updater!.status()).toEqual(status('ready', '2.0.0', 100));
  });

  it.each<[string, () => never | null]>([
    [
      'throws (no app-update.yml, no Electron)',
      () => {
        throw new Error('ENOENT: app-update.yml');
      },
    ],
    ['returns nothing', () => null],
  ])('returns null (updates unsupported) when the loader %s', (_name, load) => {
    expect(loadAppUpdater(log, { load: load as never })).toBeNull();
    expect(log.warn).toHaveBeenCalledWith('app updates unavailable', { reason: expect.any(String) });
  });

  it('by default requires the real electron-updater (CommonJS) and configures its autoUpdater', () => {
    // electron-updater requires('electron') when loaded: answer with just enough of `app`.
    const fakeApp = Object.assign(new EventEmitter(), {
      isPackaged: true,
      getVersion: () => '0.1.0',
      getName: () => 'Pitchcase',
      getAppPath: () => tmpdir(),
      getPath: () => tmpdir(),
      whenReady: () => Promise.resolve(),
      quit() {},
    });
    const cjs = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
    const original = cjs._load;
    cjs._load = function (request, ...rest) {
      return request === 'electron'
        ? { app: fakeApp, autoUpdater: new EventEmitter(), net: {}, session: {} }
        : original.call(this, request, ...rest);
    };
    let updater: ReturnType<typeof loadAppUpdater> = null;
    try {
      updater = loadAppUpdater(log, { scheduler: manualScheduler().scheduler });
      expect(log.warn).not.toHaveBeenCalled();
      expect(updater).not.toBeNull();
      const engine = requireUpdaterEngine() as UpdaterEngine & { constructor: { name: string } };
      expect(engine.constructor.name).toMatch(/Updater$/);
      expect(engine).toMatchObject({
        autoDownload: true,
        autoInstallOnAppQuit: true,
        allowDowngrade: false,
        allowPrerelease: false,
      });
    } finally {
      cjs._load = original;
      updater?.dispose();
    }
  });
});
