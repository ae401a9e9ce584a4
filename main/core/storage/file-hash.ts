import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * sha256 off the main thread.
 *
 * A sync used to hash every chunk on the thread that reads the sockets: 500 MB of sha256 is
 * ~0.3 s of CPU there, and downloads waited for it. Now each chunk, once written to its file,
 * is handed to a worker thread and hashed there, in order. A chunk fresh off a socket owns its
 * ArrayBuffer and is transferred (its memory changes owner, nothing is copied); others are
 * copied. Reading the file back to hash
 * it would have cost a second copy of every byte, which on a 2-core tablet is as dear as the
 * hashing itself.
 *
 * The worker's code is a string (eval), not a file: it has to run from tsx, from the Electron
 * bundle and from an asar archive alike, and it needs nothing but node:crypto and node:fs.
 * Every failure of a worker falls back to hashing the file on disk on the main thread: the
 * bytes are there, since a digest is only asked for once the file is written.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
const sessions = new Map();
const chunk = Buffer.allocUnsafe(1024 * 1024);
function hashFile(hash, file, upTo) {
  const fd = openSync(file, 'r');
  try {
    let at = 0;
    for (;;) {
      const want = upTo === undefined ? chunk.length : Math.min(chunk.length, upTo - at);
      if (want <= 0) break;
      const n = readSync(fd, chunk, 0, want, at);
      if (n === 0) break;
      hash.update(chunk.subarray(0, n));
      at += n;
    }
  } finally {
    closeSync(fd);
  }
}
const failure = (error) => ({ message: error.message, code: error.code });
parentPort.on('message', (m) => {
  if (m.op === 'file') {
    try {
      const hash = createHash('sha256');
      hashFile(hash, m.file);
      parentPort.postMessage({ id: m.id, hex: hash.digest('hex') });
    } catch (error) {
      parentPort.postMessage({ id: m.id, error: failure(error) });
    }
  } else if (m.op === 'open') {
    const session = { hash: createHash('sha256'), error: null };
    sessions.set(m.id, session);
    if (m.upTo > 0) {
      try {
        hashFile(session.hash, m.file, m.upTo);
      } catch (error) {
        session.error = failure(error);
      }
    }
  } else if (m.op === 'data') {
    const session = sessions.get(m.id);
    if (session && !session.error) session.hash.update(new Uint8Array(m.bytes));
  } else if (m.op === 'close') {
    const session = sessions.get(m.id);
    sessions.delete(m.id);
    if (!session) parentPort.postMessage({ id: m.id, error: { message: 'no such hash session' } });
    else if (session.error) parentPort.postMessage({ id: m.id, error: session.error });
    else parentPort.postMessage({ id: m.id, hex: session.hash.digest('hex') });
  } else if (m.op === 'drop') {
    sessions.delete(m.id);
  }
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

/**
 * The sha256 of a file being written, fed chunk by chunk. Call update() with each chunk once it
 * is written (the chunk is handed over and unusable afterwards), then digest() once the file is
 * complete on disk; or drop() to give up.
 */
export interface StreamHash {
  /** `handOver`: the chunk's memory may be taken (it is no one else's; see stream()). */
  update(chunk: Buffer, handOver?: boolean): void;
  digest(): Promise<string>;
  drop(): void;
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
  /** Answers awaited (file hashes, session digests). */
  jobs: Map<number, Job>;
  /** Sessions open on this worker: it is busy even when no answer is awaited. */
  open: number;
  idleTimer: NodeJS.Timeout | null;
}

/**
 * A small pool of hashing workers, started on first use and ended when idle. Workers are
 * unreferenced, so they never keep a CLI or test process alive. Work goes to the slot with the
 * least in flight.
 */
export class FileHasher {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private workersFailed = false;

  /** Half the cores, at least one, at most two: the other half reads sockets and writes files. */
  constructor(private readonly size = Math.max(1, Math.min(2, Math.floor(os.availableParallelism() / 2)))) {}

  /** The sha256 of a whole file. */
  async hash(file: string): Promise<string> {
    const slot = this.slotForJob();
    if (!slot) return hashFileHere(file);
    try {
      return await this.ask(slot, { op: 'file', file });
    } catch (error) {
      // The worker died under the job (not the file's fault): hash it here instead.
      if (error instanceof WorkerGone) return hashFileHere(file);
      throw error;
    }
  }

  /**
   * A hash of `file` as it is written: its first `upTo` bytes (already on disk, a resumed
   * download) are read by the worker, the rest comes through update().
   */
  stream(file: string, upTo = 0): StreamHash {
    const slot = this.slotForJob();
    if (!slot) return { update() {}, digest: () => hashFileHere(file), drop() {} };
    const id = this.nextId++;
    let state: 'open' | 'closed' = 'open';
    this.busy(slot);
    slot.open += 1;
    const close = () => {
      state = 'closed';
      slot.open -= 1;
      this.maybeIdle(slot);
    };
    slot.worker.postMessage({ op: 'open', id, file, upTo });
    return {
      update: (chunk, handOver = false) => {
        if (state !== 'open' || !this.slots.includes(slot)) return;
        // Taken only when it is the chunk's alone: a view into a larger buffer, or one the
        // caller still holds, is copied.
        const whole = handOver && chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength && Object.prototype.toString.call(chunk.buffer) === '[object ArrayBuffer]';
        const bytes = whole ? (chunk.buffer as ArrayBuffer) : chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength);
        slot.worker.postMessage({ op: 'data', id, bytes }, [bytes as ArrayBuffer]);
      },
      digest: async () => {
        if (state !== 'open') throw new Error('hash session already closed');
        const alive = this.slots.includes(slot);
        close();
        if (!alive) return hashFileHere(file);
        try {
          return await this.ask(slot, { op: 'close' }, id);
        } catch (error) {
          if (error instanceof WorkerGone) return hashFileHere(file);
          throw error;
        }
      },
      drop: () => {
        if (state !== 'open') return;
        close();
        if (this.slots.includes(slot)) slot.worker.postMessage({ op: 'drop', id });
      },
    };
  }

  /** Ends every worker; work in flight falls back to the main thread. */
  async close(): Promise<void> {
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  private ask(slot: Slot, message: Record<string, unknown>, id = this.nextId++): Promise<string> {
    this.busy(slot);
    return new Promise<string>((resolve, reject) => {
      slot.jobs.set(id, { resolve, reject });
      slot.worker.postMessage({ ...message, id });
    });
  }

  private busy(slot: Slot): void {
    if (slot.idleTimer) {
      clearTimeout(slot.idleTimer);
      slot.idleTimer = null;
    }
  }

  private maybeIdle(slot: Slot): void {
    if (slot.jobs.size > 0 || slot.open > 0 || slot.idleTimer || !this.slots.includes(slot)) return;
    slot.idleTimer = setTimeout(() => {
      this.remove(slot, new WorkerGone('hash worker ended'));
      void slot.worker.terminate();
    }, IDLE_MS);
    slot.idleTimer.unref();
  }

  private slotForJob(): Slot | null {
    if (this.workersFailed) return null;
    if (this.slots.length < this.size) {
      const slot = this.start();
      if (slot) return slot;
    }
    if (this.slots.length === 0) return null;
    const load = (s: Slot) => s.jobs.size + s.open;
    return this.slots.reduce((best, s) => (load(s) < load(best) ? s : best));
  }

  private remove(slot: Slot, error: WorkerGone): void {
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    for (const job of slot.jobs.values()) job.reject(error);
    slot.jobs.clear();
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
    const slot: Slot = { worker, jobs: new Map(), open: 0, idleTimer: null };
    worker.on('message', (message: { id: number; hex?: string; error?: { message: string; code?: string } }) => {
      const job = slot.jobs.get(message.id);
      if (!job) return;
      slot.jobs.delete(message.id);
      if (message.hex) job.resolve(message.hex);
      else job.reject(Object.assign(new Error(message.error?.message ?? 'hashing failed'), { code: message.error?.code }));
      this.maybeIdle(slot);
    });
    worker.on('error', (error: unknown) => this.remove(slot, new WorkerGone(`hash worker failed: ${(error as Error).message}`)));
    worker.on('exit', () => this.remove(slot, new WorkerGone('hash worker exited')));
    this.slots.push(slot);
    return slot;
  }
}
