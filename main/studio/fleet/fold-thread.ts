import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * A SQLite Studio's folds on a thread of their own (fold-worker.ts), with a connection of their
 * own to the same database: the fold reads records from the main file and writes the rollups'
 * file (rollups-file.ts) while Studio's thread stores uploads. Before, the folds took half of
 * that thread's CPU per record, and the thread was the bound (event-loop use 100% all through
 * a burst).
 *
 * One fold at a time, asked for by the Folder (folding.ts), which already runs one at a time.
 * Should the thread fail, what it was asked fails with its error, and the Folder folds on
 * Studio's thread from then on: a fold commits whole or not at all, so nothing is counted twice.
 */
export interface FoldThread {
  fold(slice: number): Promise<{ folded: number; more: boolean }>;
  /** False once the thread has stopped or failed. */
  readonly alive: boolean;
  stop(): Promise<void>;
}

/**
 * Whether folds can have a thread here: only where Studio runs from its TypeScript sources (the
 * worker is loaded through tsx, as main/publish/pdf-budget.ts does).
 */
export const foldThreadAvailable = import.meta.url.endsWith('.ts');

/** Starts the thread for the database in `file`; null where it is not available. */
export function startFoldThread(file: string, log: (line: string) => void): FoldThread | null {
  if (!foldThreadAvailable) return null;
  const entry = new URL('./fold-worker.ts', import.meta.url).href;
  // Found through tsx's package.json, not import.meta.resolve, which vitest's runner lacks.
  const tsxRoot = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsx = pathToFileURL(path.join(tsxRoot, 'dist/esm/api/index.mjs')).href;
  const code = `import(${JSON.stringify(tsx)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`;
  const worker = new Worker(code, { eval: true, workerData: { file } });
  let next = 0;
  const asked = new Map<number, { done: (r: { folded: number; more: boolean }) => void; failed: (e: Error) => void }>();
  let alive = true;
  let crashed: Error | null = null;
  type Message = { id: number; folded?: number; more?: boolean; error?: string };
  const started = performance.now();
  let answered = false;
  worker.on('message', (message: Message) => {
    if (!answered && message.error === undefined) {
      answered = true;
      log(
        `The fleet's folds run on a thread of their own (first fold ${Math.round(performance.now() - started)} ms after it started).`,
      );
    }
    const waiting = asked.get(message.id);
    asked.delete(message.id);
    if (message.error !== undefined) waiting?.failed(new Error(message.error));
    else waiting?.done({ folded: message.folded!, more: message.more! });
  });
  worker.on('error', (thrown: unknown) => {
    crashed = thrown instanceof Error ? thrown : new Error(String(thrown));
    log(`The folds' thread stopped (Studio folds on its own thread from now on): ${crashed.message}`);
  });
  const ended = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      alive = false;
      for (const waiting of asked.values()) waiting.failed(crashed ?? new Error('the folds’ thread stopped'));
      asked.clear();
      resolve();
    }),
  );
  let stopping = false;
  return {
    get alive() {
      return alive && !stopping;
    },
    fold(slice) {
      if (!alive || stopping) return Promise.reject(crashed ?? new Error('the folds’ thread stopped'));
      const id = next++;
      return new Promise((done, failed) => {
        asked.set(id, { done, failed });
        worker.postMessage({ id, slice });
      });
    },
    async stop() {
      if (!stopping) {
        stopping = true;
        worker.postMessage('stop');
      }
      await ended;
    },
  };
}
