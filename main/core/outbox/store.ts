import type { ReadDb } from '../storage/database.ts';

/** Rows not yet acknowledged by their endpoint. */
export function pendingOutboxCount(db: ReadDb): number {
  return (db.prepare(`SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL`).get() as { n: number }).n;
}
