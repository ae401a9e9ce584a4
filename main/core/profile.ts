import os from 'node:os';
import path from 'node:path';

export const PRODUCT_NAME = 'Pitchcase';

/**
 * The folder Electron's app.getPath('userData') would give, computed without Electron so the CLI
 * and the browser host open the same profile the desktop app uses.
 */
export function defaultProfileDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): string {
  if (platform === 'win32') return path.win32.join(env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return path.posix.join(env.XDG_CONFIG_HOME ?? path.posix.join(home, '.config'), PRODUCT_NAME);
}

/**
 * Every entry point takes its profile the same way: `--profile DIR` (or `--profile=DIR`) wins,
 * then PITCHCASE_PROFILE, then the OS user-data folder. Relative paths resolve against the cwd.
 */
export function resolveProfileDir(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  fallback: string = defaultProfileDir(),
): string {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--profile' && argv[i + 1]) return path.resolve(argv[i + 1]!);
    if (arg.startsWith('--profile=') && arg.length > '--profile='.length) return path.resolve(arg.slice('--profile='.length));
  }
  if (env.PITCHCASE_PROFILE) return path.resolve(env.PITCHCASE_PROFILE);
  return fallback;
}
