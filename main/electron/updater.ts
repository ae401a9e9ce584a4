/**
 * The app's own updates: electron-updater (generic provider, from `publish` in
 * electron-builder.yml) behind core's small `AppUpdater` interface, so core and the UI are
 * tested with a fake and only this file knows electron-updater's events.
 *
 * Policy, fixed here rather than configurable: check shortly after start and every 4 hours,
 * download in the background, never downgrade, never take prereleases, install when the app
 * quits or when the rep picks "Restart to update". Code-signature verification is left to
 * electron-updater's default (the Authenticode publisher must match `publisherName`), so this
 * file never touches `verifyUpdateCodeSignature`. Failures (an offline tablet, above all) become
 * an 'error' status with one line of text; nothing here throws into the app.
 */
import { createRequire } from 'node:module';
import type { AppUpdater, Log } from '#core/index';
import type { AppUpdateStatus } from '#shared/sync';

/** Wait after start before the first check, so it does not compete with opening the window. */
export const FIRST_CHECK_DELAY_MS = 15_000;
export const CHECK_INTERVAL_MS = 4 * 60 * 60 * 1000;
const MAX_MESSAGE_LENGTH = 200;

// ---------------------------------------------------------------------------------------------
// Pure part: electron-updater events -> AppUpdateStatus.

/** The electron-updater events this adapter listens to, with only the fields it reads. */
export type UpdaterEvent =
  | { type: 'checking-for-update' }
  | { type: 'update-available'; version: string }
  | { type: 'download-progress'; percent: number }
  | { type: 'update-downloaded'; version: string }
  | { type: 'update-not-available' }
  | { type: 'update-cancelled' }
  | { type: 'error'; error: unknown };

export const initialUpdateStatus: AppUpdateStatus = Object.freeze({
  state: 'idle',
  version: null,
  percent: null,
  message: null,
});

const idle: AppUpdateStatus = initialUpdateStatus;

function clampPercent(percent: number): number | null {
  if (!Number.isFinite(percent)) return null;
  return Math.min(100, Math.max(0, Math.round(percent)));
}

/**
 * The status after `event`. A downloaded update stays 'ready' whatever happens next (a later
 * check, a failed check): it is on disk and still installs on quit.
 */
export function nextUpdateStatus(current: AppUpdateStatus, event: UpdaterEvent): AppUpdateStatus {
  if (current.state === 'ready' && event.type !== 'update-downloaded') {
    return event.type === 'error' ? { ...current, message: updateErrorMessage(event.error) } : current;
  }
  switch (event.type) {
    case 'checking-for-update':
      return { state: 'checking', version: null, percent: null, message: null };
    case 'update-available':
      // autoDownload is on: an available update is already downloading.
      return { state: 'downloading', version: event.version || null, percent: 0, message: null };
    case 'download-progress':
      return { state: 'downloading', version: current.version, percent: clampPercent(event.percent), message: null };
    case 'update-downloaded':
      return { state: 'ready', version: event.version || current.version, percent: 100, message: null };
    case 'update-not-available':
    case 'update-cancelled':
      return idle;
    case 'error':
      return { state: 'error', version: current.version, percent: null, message: updateErrorMessage(event.error) };
  }
}

// Errors of a machine without a usable network: Chromium's net:: codes (electron-updater downloads
// through Electron's net module) and Node's socket errors.
const OFFLINE =
  /\b(net::ERR_(?:INTERNET_DISCONNECTED|NAME_NOT_RESOLVED|NAME_RESOLUTION_FAILED|NETWORK_CHANGED|NETWORK_ACCESS_DENIED|CONNECTION_(?:REFUSED|RESET|CLOSED|TIMED_OUT|FAILED)|ADDRESS_UNREACHABLE|TIMED_OUT|PROXY_CONNECTION_FAILED)|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH)\b/;

/** One short line for the UI; electron-updater's messages carry headers, stacks and JSON. */
export function updateErrorMessage(error: unknown): string {
  const raw =
    error instanceof Error ? error.message : typeof error === 'string' ? error : error == null ? '' : String(error);
  const offline = OFFLINE.exec(raw);
  if (offline) return `Cannot reach the update server (${offline[1]}).`;
  const line =
    raw
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => l !== '') ?? '';
  const text = line.replace(/\s+/g, ' ');
  if (text === '') return 'App update failed.';
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : text;
}

// ---------------------------------------------------------------------------------------------
// The adapter.

/** electron-updater's logger interface (`{ info, warn, error }` taking anything). */
export interface UpdaterLogger {
  info(message?: unknown): void;
  warn(message?: unknown): void;
  error(message?: unknown): void;
}

/** What this adapter needs of electron-updater's `autoUpdater`; tests pass a fake. */
export interface UpdaterEngine {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowDowngrade: boolean;
  allowPrerelease: boolean;
  logger: UpdaterLogger | null;
  on(event: 'checking-for-update', listener: () => void): unknown;
  on(event: 'update-available' | 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'update-not-available' | 'update-cancelled', listener: (info: unknown) => void): unknown;
  on(event: 'download-progress', listener: (progress: { percent: number }) => void): unknown;
  on(event: 'error', listener: (error: Error, message?: string) => void): unknown;
  checkForUpdates(): Promise<{ downloadPromise?: Promise<unknown> | null } | null>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
}

/** Timers, injectable so tests drive the schedule by hand. Each returns its cancel function. */
export interface UpdateScheduler {
  after(ms: number, run: () => void): () => void;
  every(ms: number, run: () => void): () => void;
}

export const timerScheduler: UpdateScheduler = {
  after(ms, run) {
    const timer = setTimeout(run, ms);
    timer.unref?.();
    return () => clearTimeout(timer);
  },
  every(ms, run) {
    const timer = setInterval(run, ms);
    timer.unref?.();
    return () => clearInterval(timer);
  },
};

export interface AppUpdaterDeps {
  engine: UpdaterEngine;
  log: Log;
  scheduler?: UpdateScheduler;
  firstCheckDelayMs?: number;
  checkIntervalMs?: number;
}

export interface ElectronAppUpdater extends AppUpdater {
  /** Stops the scheduled checks (on quit). */
  dispose(): void;
}

function describeValue(value: unknown): string {
  if (value instanceof Error) return value.stack ?? value.message;
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

/** Routes electron-updater's own log lines to the app's log. */
export function updaterLogger(log: Log): UpdaterLogger {
  return {
    info: (message) => log.info('app update', { detail: describeValue(message) }),
    warn: (message) => log.warn('app update', { detail: describeValue(message) }),
    error: (message) => log.error('app update', { detail: describeValue(message) }),
  };
}

export function createAppUpdater(deps: AppUpdaterDeps): ElectronAppUpdater {
  const { engine, log } = deps;
  const scheduler = deps.scheduler ?? timerScheduler;
  let status: AppUpdateStatus = initialUpdateStatus;
  let disposed = false;
  const listeners = new Set<(status: AppUpdateStatus) => void>();

  engine.autoDownload = true;
  engine.autoInstallOnAppQuit = true;
  engine.allowPrerelease = false;
  engine.allowDowngrade = false;
  engine.logger = updaterLogger(log);

  function apply(event: UpdaterEvent): void {
    const next = nextUpdateStatus(status, event);
    if (next === status) return;
    status = next;
    if (event.type === 'error') log.warn('app update failed', { reason: next.message });
    for (const listener of [...listeners]) {
      try {
        listener(next);
      } catch (error) {
        log.error('app update listener failed', { reason: describeValue(error) });
      }
    }
  }

  engine.on('checking-for-update', () => apply({ type: 'checking-for-update' }));
  engine.on('update-available', (info) => apply({ type: 'update-available', version: info.version }));
  engine.on('download-progress', (progress) => apply({ type: 'download-progress', percent: progress.percent }));
  engine.on('update-downloaded', (info) => apply({ type: 'update-downloaded', version: info.version }));
  engine.on('update-not-available', () => apply({ type: 'update-not-available' }));
  engine.on('update-cancelled', () => apply({ type: 'update-cancelled' }));
  // Also keeps an 'error' emit from throwing out of electron-updater (an EventEmitter with no
  // 'error' listener throws).
  engine.on('error', (error) => apply({ type: 'error', error }));

  async function check(): Promise<void> {
    // A check while one runs, or with an update already waiting, would only make the status flicker.
    if (disposed || status.state === 'checking' || status.state === 'downloading' || status.state === 'ready') return;
    try {
      const result = await engine.checkForUpdates();
      // A failed background download is reported through the 'error' event; its promise must
      // not surface as an unhandled rejection.
      result?.downloadPromise?.catch(() => {});
    } catch (error) {
      apply({ type: 'error', error });
    }
  }

  const runCheck = () => void check();
  const cancels = [
    scheduler.after(deps.firstCheckDelayMs ?? FIRST_CHECK_DELAY_MS, runCheck),
    scheduler.every(deps.checkIntervalMs ?? CHECK_INTERVAL_MS, runCheck),
  ];

  return {
    status: () => status,
    check,
    restartToUpdate() {
      if (status.state !== 'ready') return;
      log.info('app update: restarting to install', { version: status.version });
      try {
        // Not silent (Windows shows the installer's progress), and start the app again after.
        engine.quitAndInstall(false, true);
      } catch (error) {
        apply({ type: 'error', error });
      }
    },
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      disposed = true;
      for (const cancel of cancels.splice(0)) cancel();
    },
  };
}

/** Returns electron-updater's `autoUpdater` (created on first access). */
export type UpdaterEngineLoader = () => UpdaterEngine;

/**
 * `require`, not `import()`: electron-updater is CommonJS and defines `autoUpdater` as a getter,
 * which Node's ESM interop does not expose as a named export; and the main bundle is CommonJS,
 * where esbuild would leave an `import()` of an external to Node's ESM loader.
 */
export const requireUpdaterEngine: UpdaterEngineLoader = () =>
  (createRequire(import.meta.url)('electron-updater') as { autoUpdater: UpdaterEngine }).autoUpdater;

/**
 * electron-updater's `autoUpdater`, loaded only here and only when asked: in a packaged app. It
 * needs app-update.yml (written by electron-builder) and the Electron runtime. Returns null when
 * it cannot load, so the app runs on with updates reported as unsupported.
 */
export function loadAppUpdater(
  log: Log,
  options: Omit<AppUpdaterDeps, 'engine' | 'log'> & { load?: UpdaterEngineLoader } = {},
): ElectronAppUpdater | null {
  const { load = requireUpdaterEngine, ...rest } = options;
  try {
    const engine = load();
    if (!engine || typeof engine.checkForUpdates !== 'function') throw new Error('electron-updater has no autoUpdater');
    return createAppUpdater({ ...rest, engine, log });
  } catch (error) {
    log.warn('app updates unavailable', { reason: describeValue(error) });
    return null;
  }
}
