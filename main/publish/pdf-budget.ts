import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PdfAnalysis } from './pdf.ts';
import { PdfBoundExceeded } from './pdf-streams.ts';
import type { PdfJob, PdfJobAnswer } from './pdf-worker.ts';

export { PdfBoundExceeded };

/**
 * What one PDF may cost the publisher. Marketing's own documents stay far inside these; a
 * hostile one (a deflate bomb, a page tree claiming 10^9 pages) is stopped at them and refused
 * by name instead of taking the publish, or Studio, with it.
 */
export interface PdfLimits {
  /** Pages a document may have. */
  maxPages: number;
  /** Time for a document, before its pages are counted. */
  timeMs: number;
  /** More time per page it has (rendering thumbnails is per page). */
  timePerPageMs: number;
  /** How far the process may grow while it reads a document (its reading thread's heap included). */
  memoryMb: number;
}

export const DEFAULT_PDF_LIMITS: PdfLimits = { maxPages: 5000, timeMs: 60_000, timePerPageMs: 500, memoryMb: 1024 };

/** How often the process's memory is looked at while a document is read. */
const MEMORY_SAMPLE_MS = 50;
/** Starting the reading thread and loading pdf.js, on a slow or busy machine. */
const STARTUP_MS = 120_000;
/**
 * The reading thread's heap beyond a document's budget: what loading pdf.js, its fonts and the
 * reader takes before any document (more where the TypeScript sources are compiled as they load).
 * The heap limit is a backstop; a document's budget is the process's growth while it is read.
 * Limited to the budget alone, a thread ran out of heap while still loading (at a 40 or 100 MB
 * budget), and the document waiting for it was refused for memory it never used.
 */
const READER_HEAP_MB = 256;

export interface PdfReader {
  /** Reads one document within the limits; PdfBoundExceeded when it goes over one. */
  analyse(bytes: Uint8Array): Promise<PdfAnalysis>;
  /** How many documents it reads at once (its threads): callers keep that many queued. */
  readonly threads: number;
  /** Ends the reading thread. */
  close(): Promise<void>;
}

/**
 * The worker runs the TypeScript sources through tsx where we run from them (the CLI, tests,
 * Studio in development), or the compiled file beside this one.
 */
function startWorker(memoryMb: number): Worker {
  const options = { resourceLimits: { maxOldGenerationSizeMb: memoryMb + READER_HEAP_MB } };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./pdf-worker.js', import.meta.url), options);
  const entry = new URL('./pdf-worker.ts', import.meta.url).href;
  // Found through tsx's package.json, not import.meta.resolve: vitest's module runner (the
  // security battery's set-up publishes through here) does not support import.meta.resolve.
  const tsxRoot = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsx = pathToFileURL(path.join(tsxRoot, 'dist/esm/api/index.mjs')).href;
  const code = `import(${JSON.stringify(tsx)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`;
  return new Worker(code, { ...options, eval: true });
}

/**
 * Reading threads for a publish: one per core (at most four; PITCHCASE_PDF_THREADS overrides),
 * since rendering a cover and reading page text is all CPU and a publish of thousands of PDFs
 * should use the machine it was given. Each thread is its own worker with its own memory limit.
 */
export function pdfThreads(): number {
  const asked = Number(process.env.PITCHCASE_PDF_THREADS);
  if (Number.isInteger(asked) && asked >= 1) return Math.min(asked, 16);
  return Math.max(1, Math.min(4, availableParallelism()));
}

/**
 * A PDF reader for one publish: `threads` reading threads, each taking one document at a time
 * (a budget is per document); a document goes to the thread with the fewest waiting.
 */
export function createPdfReader(limits: Partial<PdfLimits> = {}, threads = pdfThreads()): PdfReader {
  const bounds = { ...DEFAULT_PDF_LIMITS, ...limits };
  const shared: PoolState = { reading: 0, readsBegun: 0, alone: null, idle: [] };
  const pool = Array.from({ length: Math.max(1, threads) }, () => ({
    thread: createPdfThread(bounds, shared),
    waiting: 0,
  }));
  const onSlot = (bytes: Uint8Array) => {
    const slot = pool.reduce((best, s) => (s.waiting < best.waiting ? s : best));
    slot.waiting++;
    return slot.thread.analyse(bytes).finally(() => slot.waiting--);
  };
  return {
    threads: pool.length,
    async analyse(bytes) {
      // (A thread is handed a copy of the bytes, so they are still here for a second try.)
      await shared.alone;
      try {
        return await onSlot(bytes);
      } catch (error) {
        if (!(error instanceof MemoryShared)) throw error;
      }
      // The process grew past the budget while several documents were read: which one grew it
      // is unknown, so this one is read again with nothing else running, and judged on its own.
      const previous = shared.alone;
      let release = () => {};
      shared.alone = new Promise<void>((resolve) => (release = resolve));
      try {
        await previous;
        if (shared.reading > 0) await new Promise<void>((resolve) => shared.idle.push(resolve));
        return await onSlot(bytes);
      } catch (error) {
        // Read as alone as the pool allows (a document already queued on a thread may still have
        // begun): over budget again, it is judged on it.
        if (error instanceof MemoryShared)
          throw new PdfBoundExceeded(`reading it took more than ${bounds.memoryMb} MB of memory`);
        throw error;
      } finally {
        release();
      }
    },
    async close() {
      await Promise.all(pool.map((s) => s.thread.close()));
    },
  };
}

/** The process's memory is shared by the pool's threads: how many are reading right now. */
interface PoolState {
  reading: number;
  /** How many readings have begun, ever: a reading that saw this move was not alone throughout. */
  readsBegun: number;
  /** Set while one document is read with the others held back. */
  alone: Promise<void> | null;
  /** Told when no thread is reading. */
  idle: (() => void)[];
}

/** The process outgrew a document's budget while other documents were read too. */
class MemoryShared extends Error {}

/**
 * One reading thread: a worker started on first use and kept for the next document, killed
 * (and started again for the next) when a document overruns its time or memory.
 */
function createPdfThread(bounds: PdfLimits, pool: PoolState): Omit<PdfReader, 'threads'> {
  let worker: Worker | null = null;
  let nextId = 1;
  let queue: Promise<unknown> = Promise.resolve();

  const stop = async () => {
    const w = worker;
    worker = null;
    if (w) await w.terminate();
  };

  function run(bytes: Uint8Array): Promise<PdfAnalysis> {
    if (!worker) {
      const started = startWorker(bounds.memoryMb);
      // An idle reader never keeps the process alive (a job's own timers do while it runs).
      started.unref();
      // A thread that died between documents is started again for the next.
      started.once('exit', () => {
        if (worker === started) worker = null;
      });
      worker = started;
    }
    const w = worker;
    const id = nextId++;
    return new Promise<PdfAnalysis>((resolve, reject) => {
      let started = Date.now();
      let baseline = process.memoryUsage().rss;
      let sampler: NodeJS.Timeout | undefined;
      let timer: NodeJS.Timeout;
      let reading = false;
      // Whether another document was read at any moment of this one's reading: then the process's
      // growth may be the other's (its memory is not given back the instant it stops), so this
      // one is not judged on it but read again alone.
      let sharedRead = false;
      let begunAtStart = 0;
      const settle = (outcome: () => void, kill: boolean) => {
        if (reading) {
          reading = false;
          if (--pool.reading === 0) pool.idle.splice(0).forEach((resolve) => resolve());
        }
        clearTimeout(timer);
        clearInterval(sampler);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        if (kill && worker === w) void stop().finally(outcome);
        else outcome();
      };
      const over = (message: string) => settle(() => reject(new PdfBoundExceeded(message)), true);
      const arm = (ms: number) => {
        clearTimeout(timer);
        timer = setTimeout(
          () => over(`reading it took more than ${Math.round(ms / 1000)} s`),
          Math.max(0, started + ms - Date.now()),
        );
      };
      const watchMemory = () => {
        baseline = process.memoryUsage().rss;
        // Pages and pixels are mostly typed arrays outside the heap limit: the process is watched too.
        sampler = setInterval(() => {
          const grown = (process.memoryUsage().rss - baseline) / 1024 / 1024;
          if (grown <= bounds.memoryMb) return;
          if (pool.reading > 1 || sharedRead || pool.readsBegun !== begunAtStart)
            settle(() => reject(new MemoryShared()), true);
          else over(`reading it took more than ${bounds.memoryMb} MB of memory`);
        }, MEMORY_SAMPLE_MS);
      };
      const onMessage = (answer: PdfJobAnswer) => {
        if (answer.id !== id) return;
        if (answer.type === 'started') {
          reading = true;
          pool.reading++;
          begunAtStart = ++pool.readsBegun;
          sharedRead = pool.reading > 1;
          started = Date.now();
          arm(bounds.timeMs);
          watchMemory();
        } else if (answer.type === 'pages') arm(bounds.timeMs + answer.pages * bounds.timePerPageMs);
        else if (answer.type === 'done') settle(() => resolve(answer.analysis), false);
        else
          settle(
            () => reject(answer.overBound ? new PdfBoundExceeded(answer.message) : new Error(answer.message)),
            false,
          );
      };
      const onError = (error: Error) => {
        const code = (error as NodeJS.ErrnoException).code;
        // Out of heap before the document's reading began: the reader's fault, not the document's.
        if (code === 'ERR_WORKER_OUT_OF_MEMORY' && reading)
          over(`reading it took more than ${bounds.memoryMb} MB of memory`);
        else settle(() => reject(new Error(`the PDF reader failed: ${error.message}`)), true);
      };
      const onExit = () => settle(() => reject(new Error('the PDF reader stopped')), false);
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      // Until the reader has loaded (a thread and pdf.js), only a start-up allowance runs.
      timer = setTimeout(
        () => settle(() => reject(new Error(`the PDF reader did not start within ${STARTUP_MS / 1000} s`)), true),
        STARTUP_MS,
      );
      const job: PdfJob = { id, bytes: new Uint8Array(bytes), maxPages: bounds.maxPages };
      w.postMessage(job, [job.bytes.buffer as ArrayBuffer]);
    });
  }

  return {
    analyse(bytes) {
      // One document at a time: the budgets are per document.
      const result = queue.then(() => run(bytes));
      queue = result.catch(() => {});
      return result;
    },
    async close() {
      await queue;
      await stop();
    },
  };
}

let shared: PdfReader | null = null;

/**
 * One reader with the default limits for the whole process (the CLI, Studio, tests): pdf.js is
 * loaded once, not at every publish.
 */
export function sharedPdfReader(): PdfReader {
  shared ??= createPdfReader();
  return shared;
}
