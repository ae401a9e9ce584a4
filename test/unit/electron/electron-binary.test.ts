import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { electronBinaryMissingReason, electronBinaryPath } from '../../../main/electron/tools/electron-binary.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const fetchScript = path.join(root, 'main', 'electron', 'tools', 'fetch-electron.mjs');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'pitchcase-electron-bin-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function fakeElectronPackage(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp, name);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('electronBinaryPath', () => {
  it('finds the executable named by path.txt under dist/', () => {
    const dir = fakeElectronPackage('complete', { 'path.txt': 'electron', 'dist/electron': '#!' });
    expect(electronBinaryPath(dir, {})).toBe(path.join(dir, 'dist', 'electron'));
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH like electron itself', () => {
    const dir = fakeElectronPackage('override', { 'path.txt': 'electron' });
    const dist = fakeElectronPackage('override-dist', { electron: '#!' });
    expect(electronBinaryPath(dir, { ELECTRON_OVERRIDE_DIST_PATH: dist })).toBe(path.join(dist, 'electron'));
  });

  it.each([
    ['no path.txt (download never ran)', { 'package.json': '{}' }],
    ['path.txt but no dist (interrupted)', { 'path.txt': 'electron' }],
    ['empty path.txt', { 'path.txt': '', 'dist/electron': '#!' }],
  ])('is null with %s', (label, files) => {
    const dir = fakeElectronPackage(label.replace(/\W+/g, '-'), files);
    expect(electronBinaryPath(dir, {})).toBeNull();
    expect(electronBinaryMissingReason(dir)).toMatch(/\w/);
  });

  it('is null without an electron package, and never requires electron', () => {
    expect(electronBinaryPath(null)).toBeNull();
    expect(electronBinaryMissingReason(null)).toMatch(/not installed/);
    // The real lookup must not throw whether or not this machine has the binary.
    expect(() => electronBinaryPath()).not.toThrow();
  });
});

function runFetch(env: Record<string, string>): Promise<{ code: number | null; stdout: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [fetchScript], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, ms: Date.now() - started }));
  });
}

// These only mean something where the binary is absent (our machines); elsewhere the script
// returns at once because the binary is there.
describe.skipIf(electronBinaryPath() !== null)('fetch-electron.mjs (postinstall) without a binary', () => {
  it('says why in one line and exits 0 when the download is skipped', async () => {
    const { code, stdout } = await runFetch({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toEqual([
      'Electron binary not available (ELECTRON_SKIP_BINARY_DOWNLOAD is set); `npm start` will use the browser host',
    ]);
  });

  it('kills a download that hangs when its time limit is reached, and still exits 0', async () => {
    // A mirror that accepts connections and never answers: what a filtered network looks like.
    const sockets = new Set<net.Socket>();
    const closed = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => closed.add(socket));
      socket.on('error', () => {});
      socket.resume();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const { code, stdout, ms } = await runFetch({
        ELECTRON_MIRROR: `http://127.0.0.1:${port}/`,
        electron_config_cache: path.join(tmp, 'empty-cache'),
        PITCHCASE_ELECTRON_FETCH_TIMEOUT_MS: '4000', // long enough for the installer to connect on a busy machine
        ELECTRON_SKIP_BINARY_DOWNLOAD: '',
      });
      expect(code).toBe(0);
      expect(stdout.trim().split('\n')).toEqual([
        'Electron binary not available (download timed out after 4 s); `npm start` will use the browser host',
      ]);
      expect(ms).toBeLessThan(15_000);
      // The killed installer's connection is gone, not left hanging in the background.
      expect(sockets.size).toBeGreaterThan(0);
      await vi.waitFor(() => expect(closed.size).toBe(sockets.size));
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  }, 20_000);
});
