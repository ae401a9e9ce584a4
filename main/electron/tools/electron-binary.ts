/**
 * Where the Electron executable is, or null when its binary was never downloaded (our build and
 * CI machines). `npm start` uses this to choose Electron or the browser host, and the Electron
 * end-to-end lane to skip itself. It reads the electron package's files directly: requiring
 * `electron` from Node throws when the binary is missing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

function electronPackageDir(): string | null {
  try {
    return path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/** Same rules as electron's own index.js: dist/<path.txt>, or ELECTRON_OVERRIDE_DIST_PATH. */
export function electronBinaryPath(
  packageDir: string | null = electronPackageDir(),
  env: NodeJS.ProcessEnv = process.env,
): string | null {
  if (!packageDir) return null;
  let relative: string;
  try {
    relative = readFileSync(path.join(packageDir, 'path.txt'), 'utf8').trim();
  } catch {
    return null;
  }
  if (relative === '') return null;
  const executable = env.ELECTRON_OVERRIDE_DIST_PATH
    ? path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative)
    : path.join(packageDir, 'dist', relative);
  return existsSync(executable) ? executable : null;
}

/** Why there is no binary, in words for the one-line message of `npm start` and the test skip. */
export function electronBinaryMissingReason(packageDir: string | null = electronPackageDir()): string {
  if (!packageDir) return 'the electron package is not installed';
  if (!existsSync(path.join(packageDir, 'path.txt'))) return 'its download did not run or failed';
  return 'node_modules/electron/dist is incomplete';
}
