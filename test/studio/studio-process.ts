import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startStudio } from '#studio/index';

/**
 * Studio in a process of its own, for the fleet benchmark (clients and server do not share one
 * event loop) and the kill test (SIGKILL at any instant). Run as a script it starts Studio and
 * prints `{ url, setupUrl }` as one JSON line; `spawnStudio` starts it and waits for that line.
 */
export interface StudioProcess {
  url: string;
  setupUrl: string | null;
  child: ChildProcess;
  /** What the process has logged (its stderr, passed on to this process's), line by line. */
  logged: string[];
  /** Settles once the process logs a line holding `text` (at once if it has); fails if it ends first or `withinMs` pass. */
  untilLogged(text: string, withinMs: number): Promise<void>;
  /** SIGKILL, and wait for the process to be gone and its log read. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

const self = fileURLToPath(import.meta.url);

export async function spawnStudio(options: {
  dataDir: string;
  database?: string;
  port?: number;
  /** How often the process looks for leads and meetings to forward to the CRM (ms). */
  forwardEveryMs?: number;
  /** How soon after an upload the process folds it into the rollups (ms). */
  foldAfterMs?: number;
}): Promise<StudioProcess> {
  const args = ['--import', 'tsx', self, '--data', options.dataDir, '--port', String(options.port ?? 0)];
  if (options.database) args.push('--database', options.database);
  if (options.forwardEveryMs) args.push('--forward-every', String(options.forwardEveryMs));
  if (options.foldAfterMs !== undefined) args.push('--fold-after', String(options.foldAfterMs));
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: path.resolve(self, '../../..'),
  });
  const logged: string[] = [];
  const lineEvents = new EventEmitter();
  createInterface({ input: child.stderr! }).on('line', (line) => {
    logged.push(line);
    process.stderr.write(`${line}\n`);
    lineEvents.emit('line', line);
  });
  // Closed once it has exited and its output is read to the end.
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const untilLogged = (text: string, withinMs: number) =>
    new Promise<void>((resolve, reject) => {
      if (logged.some((l) => l.includes(text))) return resolve();
      const settle = (error: Error | null) => {
        clearTimeout(timer);
        lineEvents.off('line', onLine);
        if (error) reject(error);
        else resolve();
      };
      const onLine = (line: string) => {
        if (line.includes(text)) settle(null);
      };
      const timer = setTimeout(() => settle(new Error(`Studio did not log "${text}" within ${withinMs} ms`)), withinMs);
      lineEvents.on('line', onLine);
      void exited.then(() => settle(new Error(`Studio ended without logging "${text}"`)));
    });
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`Studio exited before it listened (code ${code})`)));
  });
  const started = JSON.parse(line) as { url: string; setupUrl: string | null };
  return {
    ...started,
    child,
    logged,
    untilLogged,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

if (process.argv[1] === self) {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      database: { type: 'string' },
      port: { type: 'string', default: '0' },
      'forward-every': { type: 'string' },
      'fold-after': { type: 'string' },
    },
  });
  const studio = await startStudio({
    dataDir: values.data!,
    database: values.database,
    port: Number(values.port),
    // The benchmark and the kill test create many people quickly; the KDF's cost is not what they measure.
    config: { scryptCost: 2 ** 10 },
    log: (l) => process.stderr.write(`${l}\n`),
    ...(values['forward-every'] ? { forwarding: { intervalMs: Number(values['forward-every']) } } : {}),
    ...(values['fold-after'] ? { foldAfterMs: Number(values['fold-after']) } : {}),
  });
  process.stdout.write(`${JSON.stringify({ url: studio.url, setupUrl: studio.setupUrl })}\n`);
  process.once('SIGTERM', () => void studio.close().then(() => process.exit(0)));
}
