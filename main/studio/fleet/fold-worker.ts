/**
 * The folds' thread (fold-thread.ts): its own connection to Studio's SQLite database, the
 * rollups' file attached as on Studio's, and one fold per message, answered with how many
 * records it counted. Nothing else is written from here; the rollups' log is copied into their
 * file by this connection's commits, on this thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSqlite } from '../database/connection.ts';
import { foldSlices } from './folding.ts';

const db = openSqlite((workerData as { file: string }).file, { mustExist: true });
const port = parentPort!;
let stopped = false;

port.on('message', (message: { id: number; slice: number } | 'stop') => {
  if (message === 'stop') {
    stopped = true;
    // A fold in progress finishes first: Studio asks for none while it stops (folding.ts).
    void db.destroy().finally(() => port.close());
    return;
  }
  if (stopped) return;
  foldSlices(db, message.slice).then(
    (result) => port.postMessage({ id: message.id, ...result }),
    (error: unknown) =>
      port.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
