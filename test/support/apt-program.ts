import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * A system program a test needs, installed from Debian's packages when it is missing and we run
 * as root with apt (as CI does on a fresh machine); otherwise the reason, for a clear skip.
 */
const found = new Map<string, { path: string } | { reason: string }>();

/** Test files install in parallel on a fresh machine: wait for another apt-get's lock, do not fail on it. */
const waitForLock = ['-o', 'DPkg::Lock::Timeout=240'];

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter))
    if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  return null;
}

/**
 * Installs a Debian package, running `apt-get update` first when a plain install fails (a fresh
 * machine has no package lists); returns the last of what apt-get said, for a skip's reason.
 */
function aptInstall(debianPackage: string): string {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync('apt-get', [...waitForLock, 'install', '-y', '-q', '--no-install-recommends', debianPackage], {
      env,
      encoding: 'utf8',
      timeout: 300_000,
    });
  let result = install();
  if (result.status !== 0) {
    spawnSync('apt-get', [...waitForLock, 'update', '-q'], { env, encoding: 'utf8', timeout: 240_000 });
    result = install();
  }
  const tail = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim().split('\n').slice(-2).join(' | ');
  return tail || `exit ${result.status ?? 'error'}`;
}

export function findOrInstall(program: string, debianPackage: string): { path: string } | { reason: string } {
  const known = found.get(program);
  if (known) return known;
  const remember = (result: { path: string } | { reason: string }) => (found.set(program, result), result);
  const existing = onPath(program);
  if (existing) return remember({ path: existing });
  if (process.platform !== 'linux')
    return remember({ reason: `${program} is not installed and ${process.platform} has no apt-get` });
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    return remember({ reason: `${program} is not installed and installing it needs root` });
  const said = aptInstall(debianPackage);
  const installed = onPath(program);
  if (installed) return remember({ path: installed });
  return remember({
    reason: `${program} is not installed and apt-get could not install ${debianPackage} (${said})`,
  });
}

/**
 * A data file a test needs (a speech model, say), from the Debian package that ships it, installed
 * the same way as a program; otherwise the reason.
 */
export function findOrInstallFile(file: string, debianPackage: string): { path: string } | { reason: string } {
  if (existsSync(file)) return { path: file };
  if (process.platform !== 'linux') return { reason: `${file} is missing and ${process.platform} has no apt-get` };
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    return { reason: `${file} is missing and installing ${debianPackage} needs root` };
  const said = aptInstall(debianPackage);
  if (existsSync(file)) return { path: file };
  return {
    reason: `${file} is missing and apt-get could not install ${debianPackage} (${said})`,
  };
}
