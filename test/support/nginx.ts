import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { tempDir } from './release.ts';

/**
 * A real nginx serving a release folder on 127.0.0.1, for Range/ETag behaviour and the sync
 * benchmark. `findNginx()` installs Debian's nginx when it is missing (we run as root with apt);
 * when that is impossible it says why, and callers skip. Each `startNginx` runs its own master
 * process in the foreground with its own config, logs and temp folders, and `stop()` ends it.
 */

const CANDIDATES = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx', '/usr/bin/nginx'];

function onPath(): string | null {
  for (const file of CANDIDATES) if (existsSync(file)) return file;
  const which = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' });
  const found = which.stdout.trim();
  return which.status === 0 && found ? found : null;
}

let cached: { path: string } | { reason: string } | null = null;

/** The nginx binary, installing it with apt-get if needed; or why there is none. */
export function findNginx(options: { install?: boolean } = {}): { path: string } | { reason: string } {
  if (cached && ('path' in cached || options.install === false)) return cached;
  const existing = onPath();
  if (existing) return (cached = { path: existing });
  if (options.install === false) return { reason: 'nginx is not installed' };
  if (process.platform !== 'linux')
    return (cached = { reason: `nginx is not installed and ${process.platform} has no apt-get` });
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    return (cached = { reason: 'nginx is not installed and installing it needs root' });
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' });
  if (apt.status !== 0) return (cached = { reason: 'nginx is not installed and apt-get is not available' });
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'nginx-light'], {
      env,
      encoding: 'utf8',
      timeout: 240_000,
    });
  let result = install();
  if (result.status !== 0) {
    // A fresh machine has no package lists yet.
    spawnSync('apt-get', ['update', '-q'], { env, encoding: 'utf8', timeout: 240_000 });
    result = install();
    if (result.status !== 0) {
      spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'nginx'], {
        env,
        encoding: 'utf8',
        timeout: 240_000,
      });
    }
  }
  const installed = onPath();
  if (installed) return (cached = { path: installed });
  const tail = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim().split('\n').slice(-2).join(' | ');
  return (cached = {
    reason: `nginx is not installed and apt-get could not install it (${tail || `exit ${result.status}`})`,
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** One access-log line: what nginx was asked and how much body it sent. */
export interface NginxRequest {
  method: string;
  path: string;
  range: string | null;
  status: number;
  bytesSent: number;
}

export interface NginxServer {
  readonly url: string;
  readonly port: number;
  readonly binary: string;
  /** Requests nginx logged so far (it logs each one when its response is done). */
  requests(): NginxRequest[];
  /** Resolves when at least `n` requests are in the log. */
  waitForRequests(n: number): Promise<NginxRequest[]>;
  stop(): Promise<void>;
}

/** `limitRate`: bytes per second per response (nginx limit_rate), to stand in a slower link. */
export async function startNginx(
  root: string,
  binary: string,
  options: { limitRate?: number } = {},
): Promise<NginxServer> {
  const work = tempDir('pitchcase-nginx-');
  for (const sub of ['tmp', 'logs']) mkdirSync(path.join(work.dir, sub));
  const port = await freePort();
  const accessLog = path.join(work.dir, 'logs', 'access.log');
  writeFileSync(accessLog, '');
  const tmp = path.join(work.dir, 'tmp');
  const config = `
# Pitchcase test nginx: one master in the foreground, everything in ${work.dir}.
daemon off;
master_process on;
worker_processes 1;
user root;
pid ${path.join(work.dir, 'nginx.pid')};
error_log ${path.join(work.dir, 'logs', 'error.log')} warn;
events { worker_connections 256; }
http {
  types { application/json json; }
  default_type application/octet-stream;
  log_format pitchcase '$request_method\\t$uri\\t$http_range\\t$status\\t$body_bytes_sent';
  access_log ${accessLog} pitchcase;
  client_body_temp_path ${tmp}/body;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  sendfile on;
  tcp_nopush on;
  etag on;
  keepalive_timeout 30s;
  server {
    listen 127.0.0.1:${port};
    root ${path.resolve(root)};
    location / { }${
      options.limitRate
        ? `
    limit_rate ${Math.round(options.limitRate)};`
        : ''
    }
  }
}
`;
  const confPath = path.join(work.dir, 'nginx.conf');
  writeFileSync(confPath, config);
  const child: ChildProcess = spawn(
    binary,
    ['-p', work.dir, '-c', confPath, '-e', path.join(work.dir, 'logs', 'error.log')],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  // Ready when the port accepts connections; a config error makes nginx exit first.
  const ready = async (): Promise<void> => {
    for (;;) {
      const ok = await new Promise<boolean>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });
      if (ok) return;
      if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${stderr.trim()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  await Promise.race([
    ready(),
    exited.then((code) => {
      throw new Error(`nginx exited (${code}): ${stderr.trim() || readLog(path.join(work.dir, 'logs', 'error.log'))}`);
    }),
    new Promise((_, reject) => setTimeout(() => reject(new Error('nginx did not start within 10 s')), 10_000).unref()),
  ]).catch((error: unknown) => {
    child.kill('SIGKILL');
    work.cleanup();
    throw error;
  });

  const requests = (): NginxRequest[] =>
    readFileSync(accessLog, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [method, uri, range, status, bytes] = line.split('\t');
        return {
          method: method!,
          path: uri!.replace(/^\//, ''),
          range: range && range !== '-' ? range : null,
          status: Number(status),
          bytesSent: Number(bytes),
        };
      });

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    binary,
    requests,
    async waitForRequests(n) {
      // nginx writes the line after the response; poll the file briefly.
      for (let i = 0; i < 500; i++) {
        const list = requests();
        if (list.length >= n) return list;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`nginx logged ${requests().length} requests, expected ${n}`);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      work.cleanup();
    },
  };
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-3).join(' | ');
  } catch {
    return '';
  }
}
