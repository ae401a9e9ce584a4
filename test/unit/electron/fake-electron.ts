/**
 * A stand-in for the `electron` module, just rich enough for the wiring in main/electron:
 * spies record what the shell asked Electron to do, and tests fire Electron's callbacks by hand.
 * Used with `vi.mock('electron', async () => (await import('./fake-electron.ts')).fakeElectron)`.
 * It lives on globalThis so `vi.resetModules()` (to re-run main.ts) keeps one instance.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

type Handler = (...args: never[]) => unknown;

export interface FakeDisplay {
  id: number;
  bounds: { x: number; y: number; width: number; height: number };
  internal: boolean;
}

export class FakeSession extends EventEmitter {
  permissionRequestHandler: Handler | null = null;
  permissionCheckHandler: Handler | null = null;
  devicePermissionHandler: Handler | null = null;
  setDevicePermissionHandler = vi.fn((handler: Handler | null) => {
    this.devicePermissionHandler = handler;
  });
  setPermissionRequestHandler = vi.fn((handler: Handler | null) => {
    this.permissionRequestHandler = handler;
  });
  setPermissionCheckHandler = vi.fn((handler: Handler | null) => {
    this.permissionCheckHandler = handler;
  });
}

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  url = 'pitchcase://app/index.html';
  destroyed = false;
  constructor(readonly session: FakeSession) {
    super();
  }
  setWindowOpenHandler = vi.fn((handler: (details: { url: string }) => { action: string }) => {
    this.windowOpenHandler = handler;
  });
  webRtcPolicy: string | null = null;
  setWebRTCIPHandlingPolicy = vi.fn((policy: string) => {
    this.webRtcPolicy = policy;
  });
  getURL = () => this.url;
  isDestroyed = () => this.destroyed;
  send = vi.fn();
  closeDevTools = vi.fn();
  forcefullyCrashRenderer = vi.fn();
}

/** Fires a cancellable Electron event; returns true when a listener called preventDefault(). */
export function fireCancellable(target: EventEmitter, name: string, url: string): boolean {
  let prevented = false;
  target.emit(name, { url, preventDefault: () => (prevented = true) });
  return prevented;
}

/**
 * Fires an Electron event whose first argument is a cancellable Event, followed by `args`;
 * returns whether a listener called preventDefault() and whether anyone listened at all.
 */
export function fireEvent(
  target: EventEmitter,
  name: string,
  ...args: unknown[]
): { prevented: boolean; handled: boolean } {
  let prevented = false;
  const handled = target.emit(name, { preventDefault: () => (prevented = true) }, ...args);
  return { prevented, handled };
}

/**
 * A stand-in for electron-updater's `autoUpdater`: an EventEmitter with its settings and spies.
 * The settings start at the opposite of what the app wants, so a test sees the adapter set them;
 * every write to `verifyUpdateCodeSignature` is recorded (the app must never make one).
 */
export class FakeAutoUpdater extends EventEmitter {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  allowDowngrade = true;
  allowPrerelease = true;
  logger: { info(message?: unknown): void; warn(message?: unknown): void; error(message?: unknown): void } | null =
    null;
  readonly signatureVerifierWrites: unknown[] = [];
  set verifyUpdateCodeSignature(value: unknown) {
    this.signatureVerifierWrites.push(value);
  }
  get verifyUpdateCodeSignature(): unknown {
    return 'electron-updater default';
  }
  checkForUpdates = vi.fn(async (): Promise<{ downloadPromise?: Promise<unknown> | null } | null> => null);
  quitAndInstall = vi.fn((_isSilent?: boolean, _isForceRunAfter?: boolean) => {});
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function createFakeElectron() {
  const defaultSession = new FakeSession();
  const windows: FakeBrowserWindow[] = [];
  const webContentsCreated: FakeWebContents[] = [];
  let ready = deferred();

  class FakeBrowserWindow extends EventEmitter {
    static getAllWindows = vi.fn(() => windows.filter((w) => !w.destroyed));
    readonly webContents: FakeWebContents;
    destroyed = false;
    constructor(readonly options: Record<string, unknown>) {
      super();
      this.webContents = new FakeWebContents(defaultSession);
      windows.push(this);
      webContentsCreated.push(this.webContents);
      app.emit('web-contents-created', {}, this.webContents);
    }
    loadURL = vi.fn(async (url: string) => {
      this.webContents.url = url;
    });
    show = vi.fn();
    showInactive = vi.fn();
    bounds = { x: 0, y: 0, width: 1280, height: 860 };
    getBounds = vi.fn(() => ({ ...this.bounds }));
    setBounds = vi.fn((bounds: { x: number; y: number; width: number; height: number }) => {
      this.bounds = { ...bounds };
    });
    setFullScreen = vi.fn();
    focus = vi.fn();
    restore = vi.fn();
    isMinimized = vi.fn(() => false);
    isDestroyed = () => this.destroyed;
    destroy = vi.fn(() => {
      if (this.destroyed) return;
      this.destroyed = true;
      this.webContents.destroyed = true;
      this.emit('closed');
    });
  }

  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    setPath: vi.fn(),
    getPath: vi.fn((name: string) => `/fake/${name}`),
    getVersion: vi.fn(() => '0.1.0-test'),
    requestSingleInstanceLock: vi.fn(() => true),
    setAppUserModelId: vi.fn(),
    setAsDefaultProtocolClient: vi.fn(() => true),
    quit: vi.fn(),
    relaunch: vi.fn(),
    exit: vi.fn(),
    whenReady: vi.fn(() => ready.promise),
  });

  /** Displays as Electron lists them; tests plug and unplug by editing the list and emitting. */
  const screen = Object.assign(new EventEmitter(), {
    displays: [{ id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, internal: true }] as FakeDisplay[],
    getAllDisplays: vi.fn((): FakeDisplay[] => screen.displays.map((d) => ({ ...d, bounds: { ...d.bounds } }))),
    getPrimaryDisplay: vi.fn((): FakeDisplay | undefined => screen.displays[0]),
    /** The display holding the rectangle's centre, else the first (as Electron falls back to the nearest). */
    getDisplayMatching: vi.fn((rect: { x: number; y: number; width: number; height: number }): FakeDisplay => {
      const cx = rect.x + rect.width / 2;
      const cy = rect.y + rect.height / 2;
      const hit = screen.displays.find(
        (d) =>
          cx >= d.bounds.x && cx < d.bounds.x + d.bounds.width && cy >= d.bounds.y && cy < d.bounds.y + d.bounds.height,
      );
      return hit ?? screen.displays[0]!;
    }),
  });

  const fake = {
    app,
    screen,
    BrowserWindow: FakeBrowserWindow,
    Menu: { setApplicationMenu: vi.fn() },
    shell: { openExternal: vi.fn(async () => {}) },
    dialog: { showErrorBox: vi.fn() },
    // A reversible stand-in for the OS keystore: not secure, only distinguishable.
    safeStorage: {
      isEncryptionAvailable: vi.fn(() => true),
      encryptString: vi.fn((plain: string) => Buffer.from(`sealed:${Buffer.from(plain).toString('hex')}`)),
      decryptString: vi.fn((sealed: Buffer) =>
        Buffer.from(sealed.toString().replace(/^sealed:/, ''), 'hex').toString(),
      ),
    },
    session: { defaultSession },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
    contextBridge: { exposeInMainWorld: vi.fn() },
    ipcRenderer: Object.assign(new EventEmitter(), { invoke: vi.fn(async () => ({ ok: true, value: 'from-main' })) }),
  };

  return {
    fakeElectron: { ...fake, default: fake },
    windows,
    defaultSession,
    /** Lets `app.whenReady()` resolve. */
    becomeReady: () => ready.resolve(),
    reset() {
      vi.clearAllMocks();
      app.isPackaged = false;
      windows.length = 0;
      webContentsCreated.length = 0;
      ready = deferred();
      app.removeAllListeners();
      screen.removeAllListeners();
      screen.displays = [{ id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, internal: true }];
      fake.ipcRenderer.removeAllListeners();
    },
  };
}

type FakeElectronKit = ReturnType<typeof createFakeElectron>;
const store = globalThis as typeof globalThis & { __pitchcaseFakeElectron?: FakeElectronKit };
export const fakeKit: FakeElectronKit = (store.__pitchcaseFakeElectron ??= createFakeElectron());
export const fakeElectron = fakeKit.fakeElectron;
export type FakeBrowserWindow = InstanceType<FakeElectronKit['fakeElectron']['BrowserWindow']>;
