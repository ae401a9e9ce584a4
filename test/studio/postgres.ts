import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parentPid, processCpuSeconds } from '../support/proc-cpu.ts';

/**
 * A throwaway PostgreSQL on 127.0.0.1 for Studio's tests: Debian's `postgresql` package
 * (installed with apt-get when missing and we are root), initdb into a temporary folder, started
 * on a free port as the `postgres` user, trust authentication on loopback only.
 */
export interface TestPostgres {
  url: string;
  /** CPU seconds this server's processes have used so far, exited backends included (benchmarks). */
  cpuSeconds(): number;
  stop(): void;
}

/** The postmaster and its live children; backends that exited are in the postmaster's reaped time. */
function clusterCpu(data: string): number {
  if (process.platform !== 'linux') return NaN;
  const postmaster = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let total = processCpuSeconds(postmaster, true);
  for (const entry of readdirSync('/proc')) {
    // A child that exits while we look reads as 0: its time is in the postmaster's reaped time.
    if (/^\d+$/.test(entry) && parentPid(Number(entry)) === postmaster) total += processCpuSeconds(Number(entry));
  }
  return total;
}

function binDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Why PostgreSQL cannot be had here, or null when it can (installing it if need be). */
export function postgresUnavailable(): string | null {
  if (binDir()) return null;
  if (process.getuid?.() !== 0) return 'PostgreSQL is not installed and we are not root to apt-get install it';
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql'], {
    encoding: 'utf8',
    env,
  });
  // A fresh machine may have no package lists yet.
  if (install.status !== 0) {
    spawnSync('apt-get', ['update'], { encoding: 'utf8', env });
    install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql'], {
      encoding: 'utf8',
      env,
    });
  }
  if (install.status !== 0 || !binDir())
    return `apt-get install postgresql failed: ${(install.stderr || install.stdout).slice(-400)}`;
  return null;
}

/**
 * fsync stays off for tests (speed); a benchmark asks for it on, as a real server runs.
 * `settings` are more server settings (`-c name=value`), such as a benchmark's shared_buffers.
 */
export async function startPostgres(
  options: { fsync?: boolean; settings?: Readonly<Record<string, string>> } = {},
): Promise<TestPostgres> {
  const settings = Object.entries(options.settings ?? {});
  for (const [name, value] of settings)
    if (!/^[a-z_.]+$/.test(name) || !/^[\w.-]+$/.test(value))
      throw new Error(`not a PostgreSQL setting: ${name}=${value} (a name and a plain value, as shared_buffers=1GB)`);
  const bin = binDir();
  if (!bin) throw new Error('PostgreSQL binaries not found');
  const root = mkdtempSync(path.join(os.tmpdir(), 'studio-pg-'));
  const data = path.join(root, 'data');
  const asRoot = process.getuid?.() === 0;
  // PostgreSQL refuses to run as root: hand the folder to the postgres user and run as them.
  if (asRoot) {
    chmodSync(root, 0o755);
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(root, uid, gid);
  }
  const run = (tool: string, args: string[]) => {
    const [command, full] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]]
      : [path.join(bin, tool), args];
    const result = spawnSync(command, full as string[], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${tool} failed: ${result.stderr || result.stdout}`);
  };
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const stopArgs = ['-D', data, '-m', 'immediate', '-w', 'stop'];
  // Should this process end without stop() (killed, or a test run interrupted), a watchdog
  // stops the server and removes its folder: it waits on a pipe from this process, which the
  // system closes when this process ends, however it ends.
  const quote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;
  const stopCommand = (
    asRoot ? ['runuser', '-u', 'postgres', '--', path.join(bin, 'pg_ctl')] : [path.join(bin, 'pg_ctl')]
  )
    .concat(stopArgs)
    .map(quote)
    .join(' ');
  const watchdog = spawn('sh', ['-c', `cat > /dev/null; ${stopCommand} > /dev/null 2>&1; rm -rf ${quote(root)}`], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  // Without sh there is no watchdog: the server is still stopped by stop().
  watchdog.on('error', () => {});
  watchdog.unref();
  (watchdog.stdin as unknown as { unref(): void }).unref();
  const port = await freePort();
  try {
    run('pg_ctl', [
      '-D',
      data,
      '-w',
      '-l',
      path.join(root, 'log'),
      '-o',
      [
        `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=${options.fsync ? 'on' : 'off'}`,
        ...settings.map(([name, value]) => `-c ${name}=${value}`),
      ].join(' '),
      'start',
    ]);
    run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'studio']);
  } catch (error) {
    // The watchdog stops what started and removes the folder now.
    watchdog.stdin?.end();
    throw error;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/studio`,
    cpuSeconds: () => clusterCpu(data),
    stop() {
      // Stopped here, not by the watchdog: it goes without doing anything. Only one still
      // running is signalled: the process group id of one gone might be another's by now.
      if (watchdog.pid && watchdog.exitCode === null && watchdog.signalCode === null) {
        try {
          process.kill(-watchdog.pid, 'SIGKILL');
        } catch {
          // Gone meanwhile.
        }
      }
      try {
        run('pg_ctl', stopArgs);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}

/** `name=value,name=value` (a benchmark's `--pg-settings`) as `startPostgres` settings. */
export function parseSettings(text: string): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const part of text.split(',').filter((p) => p.trim() !== '')) {
    const [name, value, ...rest] = part.split('=').map((s) => s.trim());
    if (!name || !value || rest.length > 0) throw new Error(`--pg-settings takes name=value,…: "${part}" is not one`);
    settings[name] = value;
  }
  return settings;
}
