import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { sqliteHandleOf, WAL_AUTOCHECKPOINT_PAGES, type StudioDb } from './connection.ts';

/**
 * A SQLite Studio copies its write-ahead log into the database file on a thread of its own.
 *
 * Left to SQLite, the commit that takes the log past its limit copies the log's pages into the
 * database and syncs it, on Studio's one thread: during fleet ingest, a third of what commits
 * cost that thread (bench:fleet-cpu, 500,000 records: commits 6.4 s with the copies, 4.4 s
 * without). Here a second connection, on a worker, runs a PASSIVE checkpoint every
 * `everyMs`: it copies what no reader still needs while Studio's thread goes on committing
 * (SQLite lets one checkpoint run beside the writer), and once the whole log is copied the
 * next commit starts the log again from its beginning.
 *
 * Durability is unchanged: every commit is synced in the log as before, and the copy syncs the
 * database file before the log is marked copied. Should the worker stop or fall behind, the
 * main connection still checkpoints itself at four times its usual limit, so the log never grows
 * without bound.
 */
export interface Checkpoints {
  /** Resolves once the worker has taken its first look at the log (for tests). */
  readonly ready: Promise<void>;
  /** Asks for a checkpoint now; resolves with its outcome. */
  now(): Promise<CheckpointResult>;
  /** Stops the worker; the main connection checkpoints itself again at its usual limit. */
  stop(): Promise<void>;
}

/** SQLite's answer to `PRAGMA wal_checkpoint`: pages in the log, and how many of them are copied. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

/** The worker's code: plain JavaScript, so it runs the same from the sources and from a build. */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 1000');
const checkpoint = () => db.pragma('wal_checkpoint(PASSIVE)')[0];
let last = '';
let timer = setInterval(() => {
  try {
    const result = checkpoint();
    // Said only when pages were copied since the last time, not every second of an idle Studio.
    const now = result.log + '/' + result.checkpointed;
    if (result.checkpointed > 0 && now !== last) parentPort.postMessage({ copied: result });
    last = now;
  } catch (error) { parentPort.postMessage({ error: String(error && error.message || error) }); }
}, workerData.everyMs);
parentPort.on('message', (message) => {
  if (message === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort.close();
    return;
  }
  try { parentPort.postMessage({ id: message, result: checkpoint() }); }
  catch (error) { parentPort.postMessage({ id: message, error: String(error && error.message || error) }); }
});
parentPort.postMessage({ ready: true });
`;

/** Starts checkpoints on their own thread for a SQLite database in a file; null otherwise. */
export function startCheckpoints(
  db: StudioDb,
  options: {
    everyMs?: number;
    log?: (line: string) => void;
    /** Called after a timed checkpoint that copied pages. */
    copied?: (result: CheckpointResult) => void;
  } = {},
): Checkpoints | null {
  const handle = sqliteHandleOf(db);
  if (!handle || handle.memory || !handle.open) return null;
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: {
      file: handle.name,
      module: createRequire(import.meta.url).resolve('better-sqlite3'),
      everyMs: options.everyMs ?? 1000,
    },
  });
  // Studio's own commits copy the log only if this thread has not for a long while.
  handle.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES * 4}`);
  const handBack = () => {
    if (handle.open) handle.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  };
  let next = 0;
  const asked = new Map<number, { done: (r: CheckpointResult) => void; failed: (e: Error) => void }>();
  let readied: () => void = () => {};
  let refused: (error: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    readied = resolve;
    refused = reject;
  });
  ready.catch(() => {});
  let failedOnce = false;
  type Message = { ready?: true; id?: number; result?: CheckpointResult; copied?: CheckpointResult; error?: string };
  worker.on('message', (message: Message) => {
    if (message.ready) return readied();
    if (message.copied) return options.copied?.(message.copied);
    if (message.id !== undefined) {
      const waiting = asked.get(message.id);
      asked.delete(message.id);
      if (message.error !== undefined) waiting?.failed(new Error(message.error));
      else waiting?.done(message.result!);
      return;
    }
    // A failing timer would say the same every second: once is enough to look into it.
    if (message.error !== undefined && !failedOnce) {
      failedOnce = true;
      options.log?.(`Log checkpoints on their own thread failed (Studio checkpoints itself): ${message.error}`);
    }
  });
  let exited = false;
  let crashed: Error | null = null;
  // A worker that failed exits too: whatever was asked of it fails here, once, with its error.
  const ended = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      exited = true;
      for (const waiting of asked.values()) waiting.failed(crashed ?? new Error('checkpoints stopped'));
      asked.clear();
      resolve();
    }),
  );
  worker.on('error', (thrown: unknown) => {
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    crashed = error;
    refused(error);
    options.log?.(`Log checkpoints on their own thread stopped (Studio checkpoints itself): ${error.message}`);
    handBack();
  });
  let stopped = false;
  return {
    ready,
    now() {
      if (stopped || exited) return Promise.reject(new Error('checkpoints stopped'));
      const id = next++;
      return new Promise((done, failed) => {
        asked.set(id, { done, failed });
        worker.postMessage(id);
      });
    },
    async stop() {
      if (stopped) return ended;
      stopped = true;
      worker.postMessage('stop');
      await ended;
      handBack();
    },
  };
}
