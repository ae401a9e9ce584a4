/**
 * Runs the real bundled main process (build output of tools/bundle-options) under plain Node
 * with a minimal `electron` stand-in, so CommonJS-bundle problems (import.meta, top-level await,
 * a missing external) and the real core + protocol wiring show up without an Electron binary.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronBundleOptions } from '../../../main/electron/tools/bundle-options.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'pitchcase-main-bundle-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Loaded with `node -r`: answers require('electron'), lets the app become ready, then asks the
// registered pitchcase:// handler for the UI and a traversal, prints what came back and exits.
const stand_in = String.raw`
const Module = require('node:module');
const { EventEmitter } = require('node:events');
const handlers = {};
const calls = [];
const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  setPath: (name, value) => calls.push(['setPath', name, value]),
  getVersion: () => '9.9.9',
  getPath: (name) => require('node:path').join(require('node:os').tmpdir(), 'pitchcase-bundle-test-' + name),
  requestSingleInstanceLock: () => true,
  setAppUserModelId: () => {},
  quit: () => {},
  exit: (code) => { console.error('app.exit', code); process.exit(code || 0); },
  whenReady: () => Promise.resolve(),
});
const session = Object.assign(new EventEmitter(), { setPermissionRequestHandler() {}, setPermissionCheckHandler() {}, setDevicePermissionHandler() {} });
class BrowserWindow extends EventEmitter {
  static getAllWindows() { return []; }
  constructor(options) {
    super();
    calls.push(['BrowserWindow', options.webPreferences]);
    this.webContents = Object.assign(new EventEmitter(), { session, setWindowOpenHandler() {}, setWebRTCIPHandlingPolicy() {}, getURL: () => '', closeDevTools() {} });
    app.emit('web-contents-created', {}, this.webContents);
  }
  async loadURL(url) {
    calls.push(['loadURL', url]);
    const index = await handlers.pitchcase(new Request(url));
    const traversal = await handlers.pitchcase(new Request('pitchcase://app/%2e%2e/%2e%2e/package.json'));
    const site = await handlers['pitchcase-site'](new Request('pitchcase-site://site/tour/index.html'));
    process.stdout.write(JSON.stringify({
      calls,
      index: { status: index.status, type: index.headers.get('content-type'), csp: index.headers.get('content-security-policy'), body: await index.text() },
      traversal: traversal.status,
      site: { status: site.status, csp: site.headers.get('content-security-policy') },
    }));
    process.exit(0);
  }
  once() {}
}
const electron = {
  app, BrowserWindow, session: { defaultSession: session },
  protocol: { registerSchemesAsPrivileged: (s) => calls.push(['schemes', s.map((x) => x.scheme)]), handle: (scheme, h) => { handlers[scheme] = h; } },
  ipcMain: { handle: (channel) => calls.push(['ipc', channel]), removeHandler() {} },
  safeStorage: { isEncryptionAvailable: () => false, encryptString: (s) => Buffer.from(s), decryptString: (b) => b.toString() },
  Menu: { setApplicationMenu() {} }, shell: { openExternal() {} }, dialog: { showErrorBox: (t, m) => console.error(t, m) },
  // One display: the audience window of a presentation is never opened here.
  screen: Object.assign(new EventEmitter(), {
    getAllDisplays: () => [{ id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, internal: true }],
    getDisplayMatching: () => ({ id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, internal: true }),
  }),
};
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'electron' ? electron : load.call(this, request, ...rest); };
`;

let run: { status: number | null; stdout: string; stderr: string };
const profileDir = path.join(tmp, 'profile');

beforeAll(async () => {
  await build({
    ...electronBundleOptions(root, path.join(tmp, 'build', 'electron')).main,
    sourcemap: false,
    logLevel: 'silent',
  });
  mkdirSync(path.join(tmp, 'build', 'renderer'), { recursive: true });
  writeFileSync(path.join(tmp, 'build', 'renderer', 'index.html'), '<!doctype html><title>Pitchcase UI</title>');
  writeFileSync(path.join(tmp, 'stand-in.cjs'), stand_in);
  const child = spawnSync(
    process.execPath,
    ['-r', path.join(tmp, 'stand-in.cjs'), path.join(tmp, 'build', 'electron', 'main.cjs'), '--profile', profileDir],
    {
      cwd: tmp,
      env: { ...process.env, NODE_PATH: path.join(root, 'node_modules'), PITCHCASE_PROFILE: '' },
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  run = { status: child.status, stdout: child.stdout, stderr: child.stderr };
}, 60_000);

describe('the bundled main process (build/electron/main.cjs)', () => {
  it('boots under CommonJS, opens the profile and serves the UI through pitchcase://', () => {
    expect(run.stderr).not.toMatch(/Error|failed to start/);
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as {
      calls: unknown[][];
      index: { status: number; type: string; csp: string; body: string };
      traversal: number;
      site: { status: number; csp: string };
    };
    expect(out.calls).toContainEqual(['setPath', 'userData', profileDir]);
    expect(out.calls).toContainEqual(['schemes', ['pitchcase', 'pitchcase-site']]);
    expect(out.calls).toContainEqual(['ipc', 'pitchcase:invoke']);
    expect(out.calls).toContainEqual(['loadURL', 'pitchcase://app/index.html']);
    const prefs = out.calls.find((c) => c[0] === 'BrowserWindow')?.[1] as Record<string, unknown>;
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      preload: path.join(tmp, 'build', 'electron', 'preload.cjs'),
    });
    expect(out.index).toMatchObject({
      status: 200,
      type: 'text/html; charset=utf-8',
      body: '<!doctype html><title>Pitchcase UI</title>',
    });
    expect(out.index.csp).toContain('frame-src pitchcase-site://site');
    expect(out.traversal).toBeGreaterThanOrEqual(400);
    expect(out.site.status).toBe(404); // no release installed in this profile
    expect(out.site.csp).toMatch(/^sandbox allow-scripts/);
    expect(existsSync(path.join(profileDir, 'pitchcase.db'))).toBe(true);
  });
});
