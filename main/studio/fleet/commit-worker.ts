import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteFile, sqliteStudioDb } from '../database/connection.ts';
import { commitBatches } from './commit.ts';
import type { CommitReply, CommitRequest, CommitThreadData } from './commit-thread.ts';

/**
 * Ingest's commit thread (commit-thread.ts): one connection to Studio's SQLite file, one
 * transaction per message, answered with which batches it stored.
 */
const port = parentPort;
if (!port) throw new Error('commit-worker.ts runs as a worker thread');
const { file } = workerData as CommitThreadData;
// A publish or an erasure on Studio's thread may hold the write lock for a while; this thread
// waits for it rather than fail the batch (nothing else waits on it meanwhile).
const db = sqliteStudioDb(openSqliteFile(file, { busyTimeoutMs: 60_000 }));

port.on('message', (request: CommitRequest) => {
  commitBatches(db, request.batches).then(
    (claimed) => port.postMessage({ id: request.id, claimed } satisfies CommitReply),
    (error: unknown) => {
      const e = error instanceof Error ? error : new Error(String(error));
      const code = (error as { code?: unknown } | null)?.code;
      port.postMessage({
        id: request.id,
        error: { name: e.name, message: e.message, code: typeof code === 'string' ? code : null },
      } satisfies CommitReply);
    },
  );
});
