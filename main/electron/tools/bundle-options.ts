/**
 * esbuild settings for the Electron shell, separate from bundle.ts so a test can build the
 * bundles in memory and check what they require.
 */
import path from 'node:path';
import type { BuildOptions } from 'esbuild';

/**
 * Left to `require` at run time: Electron itself, the updater (it reads its own files), and
 * native modules, which electron-builder rebuilds for Electron's ABI and unpacks from the asar.
 */
export const mainExternals = ['electron', 'electron-updater', 'better-sqlite3', '@napi-rs/canvas'] as const;

export function electronBundleOptions(
  root: string,
  outDir = path.join(root, 'build', 'electron'),
): { main: BuildOptions; preload: BuildOptions } {
  const shared: BuildOptions = {
    absWorkingDir: root,
    bundle: true,
    format: 'cjs',
    sourcemap: true,
    logLevel: 'warning',
    legalComments: 'none',
  };
  return {
    main: {
      ...shared,
      entryPoints: [path.join(root, 'main', 'electron', 'main.ts')],
      outfile: path.join(outDir, 'main.cjs'),
      platform: 'node',
      target: 'node22',
      external: [...mainExternals],
      // Core locates files with import.meta; in a CommonJS bundle that is this file's location.
      define: {
        'import.meta.url': '__pitchcaseImportMetaUrl',
        'import.meta.dirname': '__dirname',
        'import.meta.filename': '__filename',
      },
      banner: { js: 'const __pitchcaseImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
    },
    preload: {
      ...shared,
      entryPoints: [path.join(root, 'main', 'electron', 'preload.ts')],
      outfile: path.join(outDir, 'preload.cjs'),
      // A sandboxed preload can require nothing but `electron`: everything else is inlined.
      platform: 'browser',
      target: 'chrome134',
      external: ['electron'],
    },
  };
}
