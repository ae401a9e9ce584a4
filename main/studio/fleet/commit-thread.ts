import type { Worker } from 'node:worker_threads';
import { startSourceWorker } from '#publish/source-worker';
import { sqliteHandleOf, type StudioDb } from '../database/connection.ts';
import type { PendingBatch } from './commit.ts';

/**
 * Fleet ingest's commits on SQLite run on a thread of their own with its own connection to the
 * same file: inserting records, counting rollups and syncing the log was two thirds of Studio's
 * CPU per record, all on the thread that also reads requests, checks records and draws
 * dashboards. Now that thread reads and checks the next batches while this one writes, and the
 * machine's second core does the writing. SQLite's one-writer lock and the batches' unique keys
 * keep exactly-once as before; Studio's own transactions begin immediate, so they wait their turn.
 *
 * A database in memory cannot be opened twice: it commits on Studio's thread as before.
 */

export interface CommitThreadData {
  file: string;
}
export interface CommitRequest {
  id: number;
  batches: readonly PendingBatch[];
}
export type CommitReply =
  { id: number; claimed: boolean[] } | { id: number; error: { name: string; message: string; code: string | null } };

/** What the commit's error was, on this side of the thread (structured clone keeps no `code`). */
export class CommitFailed extends Error {
  override readonly name = 'CommitFailed';
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
}

class CommitThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { done: (claimed: boolean[]) => void; failed: (e: Error) => void }>();
  private closed = false;

  constructor(private readonly file: string) {}

  commit(batches: readonly PendingBatch[]): Promise<boolean[]> {
    if (this.closed) return Promise.reject(new Error('Studio is closing: the batch was not stored.'));
    const worker = this.started();
    const id = this.nextId++;
    return new Promise<boolean[]>((done, failed) => {
      this.pending.set(id, { done, failed });
      // A commit under way keeps the process alive; an idle thread does not.
      worker.ref();
      worker.postMessage({ id, batches } satisfies CommitRequest);
    });
  }

  /** Lets commits under way finish, then ends the thread (its connection closes with it). */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    await Promise.allSettled(
      [...this.pending.keys()].map(
        (id) =>
          new Promise<void>((resolve) => {
            const entry = this.pending.get(id)!;
            const { done, failed } = entry;
            entry.done = (claimed) => (done(claimed), resolve());
            entry.failed = (error) => (failed(error), resolve());
          }),
      ),
    );
    this.worker = null;
    await worker.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = startSourceWorker(new URL('./commit-worker.ts', import.meta.url), import.meta.url, {
      workerData: { file: this.file } satisfies CommitThreadData,
    });
    worker.unref();
    worker.on('message', (reply: CommitReply) => this.answer(reply));
    // A thread that died (it could not open the file, or ran out of memory) fails what it held;
    // the next batch starts a new one, and the devices send again what was not acknowledged.
    const lost = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      for (const [id, { failed }] of this.pending) {
        this.pending.delete(id);
        failed(error);
      }
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`ingest's commit thread stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private answer(reply: CommitReply): void {
    const entry = this.pending.get(reply.id);
    if (!entry) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker?.unref();
    if ('claimed' in reply) entry.done(reply.claimed);
    else entry.failed(new CommitFailed(reply.error.message, reply.error.code));
  }
}

const threads = new WeakMap<StudioDb, CommitThread>();

/** The commit thread of a SQLite Studio on a file; undefined on PostgreSQL and in memory. */
export function commitThreadOf(db: StudioDb): CommitThread | undefined {
  const found = threads.get(db);
  if (found) return found;
  const handle = sqliteHandleOf(db);
  if (!handle || handle.memory || !handle.open) return undefined;
  const thread = new CommitThread(handle.name);
  threads.set(db, thread);
  return thread;
}

/** Ends a Studio's commit thread, if it has one, once its commits under way are done. */
export async function closeCommitThread(db: StudioDb): Promise<void> {
  await threads.get(db)?.close();
  threads.delete(db);
}
