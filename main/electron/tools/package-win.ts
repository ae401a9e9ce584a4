/**
 * `npm run package:win [-- electron-builder flags]`: electron-builder with electron-builder.yml
 * plus the release settings from the environment (see package-config.ts). The merged config is
 * written to build/electron-builder.release.yml, so what was packaged can be read afterwards.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { mergeConfig, packagingOverrides, PackagingConfigError } from './package-config.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
try {
  const overrides = packagingOverrides(process.env);
  const base = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
  const resolved = path.join(root, 'build', 'electron-builder.release.yml');
  writeFileSync(resolved, stringify(mergeConfig(base, overrides)));
  const cli = createRequire(import.meta.url).resolve('electron-builder/cli.js');
  const args = process.argv.slice(2);
  const result = spawnSync(
    process.execPath,
    [cli, '--config', resolved, ...(args.length ? args : ['--win', '--x64', '--arm64'])],
    { cwd: root, stdio: 'inherit' },
  );
  process.exitCode = result.status ?? 1;
} catch (error) {
  if (!(error instanceof PackagingConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 2;
}
