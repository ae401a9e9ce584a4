import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * sha256 of files on disk, computed off the main thread.
 *
 * A sync used to hash every chunk as it came off the socket: 500 MB of sha256 is ~0.3 s of
 * main-thread CPU, the same thread that reads the sockets, so downloads waited for hashing.
 * Hashing the written file afterwards in a worker reads it back from the page cache (it was
 * just written) on another core, while the main thread keeps the other downloads flowing.
 *
 * The worker's code is a string (eval), not a file: it has to run from tsx, from the Electron
 * bundle and from an asar archive alike, and it needs nothing but node:crypto and node:fs.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { createReadStream } = require('node:fs');
parentPort.on('message', ({ id, file }) => {
  const hash = createHash('sha256');
  createReadStream(file, { highWaterMark: 1024 * 1024 })
    .on('data', (chunk) => hash.update(chunk))
    .on('error', (error) => parentPort.postMessage({ id, error: { message: error.message, code: error.code } }))
    .on('end', () => parentPort.postMessage({ id, hex: hash.digest('hex') }));
});
`;

/** A worker with nothing to do for this long is ended (a sync is over, or paused). */
const IDLE_MS = 5_000;

/** On the main thread: what a failed or unavailable worker falls back to. */
export async function hashFileHere(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}

/** A job's worker ended before answering. */
class WorkerGone extends Error {
  override readonly name = 'WorkerGone';
}

interface Job {
  resolve(hex: string): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  jobs: Map<number, Job>;
  idleTimer: NodeJS.Timeout | null;
}

/**
 * A small pool of hashing workers, started on first use and ended when idle. Workers are
 * unreferenced, so they never keep a CLI or test process alive. Jobs go to the slot with the
 * fewest in flight.
 */
export class FileHasher {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private workersFailed = false;

  /** Half the cores, at least one, at most two: the other half reads sockets and writes files. */
  constructor(private readonly size = Math.max(1, Math.min(2, Math.floor(os.availableParallelism() / 2)))) {}

  async hash(file: string): Promise<string> {
    const slot = this.workersFailed ? null : this.slotForJob();
    if (!slot) return hashFileHere(file);
    const id = this.nextId++;
    if (slot.idleTimer) {
      clearTimeout(slot.idleTimer);
      slot.idleTimer = null;
    }
    try {
      return await new Promise<string>((resolve, reject) => {
        slot.jobs.set(id, { resolve, reject });
        slot.worker.postMessage({ id, file });
      });
    } catch (error) {
      // The worker died under the job (not the file's fault): hash it here instead.
      if (error instanceof WorkerGone) return hashFileHere(file);
      throw error;
    }
  }

  /** Ends every worker; jobs in flight fail. */
  async close(): Promise<void> {
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  private slotForJob(): Slot | null {
    if (this.slots.length < this.size) {
      const slot = this.start();
      if (slot) return slot;
    }
    if (this.slots.length === 0) return null;
    return this.slots.reduce((best, s) => (s.jobs.size < best.jobs.size ? s : best));
  }

  private start(): Slot | null {
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, { eval: true });
    } catch {
      // No threads to be had (a locked-down environment): hash here, as before.
      this.workersFailed = true;
      return null;
    }
    worker.unref();
    const slot: Slot = { worker, jobs: new Map(), idleTimer: null };
    const remove = (error: WorkerGone) => {
      const at = this.slots.indexOf(slot);
      if (at >= 0) this.slots.splice(at, 1);
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      for (const job of slot.jobs.values()) job.reject(error);
      slot.jobs.clear();
    };
    worker.on('message', (message: { id: number; hex?: string; error?: { message: string; code?: string } }) => {
      const job = slot.jobs.get(message.id);
      if (!job) return;
      slot.jobs.delete(message.id);
      if (message.hex) job.resolve(message.hex);
      else job.reject(Object.assign(new Error(message.error?.message ?? 'hashing failed'), { code: message.error?.code }));
      if (slot.jobs.size === 0) {
        slot.idleTimer = setTimeout(() => {
          remove(new WorkerGone('hash worker ended'));
          void worker.terminate();
        }, IDLE_MS);
        slot.idleTimer.unref();
      }
    });
    worker.on('error', (error: unknown) => remove(new WorkerGone(`hash worker failed: ${(error as Error).message}`)));
    worker.on('exit', () => remove(new WorkerGone('hash worker exited')));
    this.slots.push(slot);
    return slot;
  }
}
