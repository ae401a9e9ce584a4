/**
 * The Electron lane: the real app, launched from the built bundle with its own profile. It runs
 * wherever an Electron binary was downloaded (developer machines, Windows CI) and skips itself,
 * saying why, on our build machines where it cannot be.
 * Needs `npm run build` first (renderer, demo release, Electron bundles).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { electronBinaryMissingReason, electronBinaryPath } from '../../main/electron/tools/electron-binary.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const executablePath = electronBinaryPath();
const skipReason = `Electron binary not installed (${electronBinaryMissingReason()}): Electron lane skipped`;

// Reporters do not all print skip reasons; this line makes the reason visible in any run log.
if (executablePath === null && process.env.TEST_WORKER_INDEX === undefined) process.stdout.write(`${skipReason}\n`);

test.describe('Electron app', () => {
  test.skip(executablePath === null, skipReason);

  let profileDir: string;
  let app: ElectronApplication;

  test.beforeEach(async () => {
    profileDir = mkdtempSync(path.join(os.tmpdir(), 'pitchcase-electron-e2e-'));
    app = await electron.launch({
      executablePath: executablePath!,
      args: [path.join(root, 'build', 'electron', 'main.cjs'), '--profile', profileDir],
      cwd: root,
    });
  });

  test.afterEach(async () => {
    await app?.close();
    rmSync(profileDir, { recursive: true, force: true });
  });

  test('the home screen shows the demo library', async () => {
    const window = await app.firstWindow();
    expect(window.url()).toBe('pitchcase://app/index.html');
    await expect(window.locator('[data-testid="item-card"]').first()).toBeVisible({ timeout: 30_000 });
  });

  test('the renderer gets the bridge and nothing of Node', async () => {
    const window = await app.firstWindow();
    const globals = await window.evaluate(() => ({
      bridge: Object.keys((window as unknown as { pitchcase?: object }).pitchcase ?? {}).sort(),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(globals).toEqual({ bridge: ['invoke', 'subscribe'], require: 'undefined', process: 'undefined' });
  });

  test('the app runs on the profile it was given', async () => {
    const paths = await app.evaluate(({ app: electronApp }) => electronApp.getPath('userData'));
    expect(path.resolve(paths)).toBe(path.resolve(profileDir));
  });
});
