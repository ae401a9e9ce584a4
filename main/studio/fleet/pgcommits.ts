/**
 * Ingest commits on PostgreSQL run a few at a time on separate pool connections: while one
 * transaction waits for its WAL flush, the next inserts its records, so the server's second
 * core and the disk work at once instead of in turn. Exactly-once still rests on the unique
 * keys: a record or a batch claim inserted by a transaction not yet committed makes the other
 * transaction's INSERT … ON CONFLICT wait for it, and only the one whose INSERT stored the
 * record lists it for the rollups' fold (folding.ts).
 */

/** Transactions in flight: two keeps both cores busy; 2, 3 and 4 measured within their spread (README). */
export const COMMITS_IN_FLIGHT = 3;

/**
 * Rows sorted by their key, so concurrent transactions lock the same rows in the same order
 * (statement by statement, table by table) and wait for each other rather than deadlock.
 */
export function lockOrder<T>(rows: readonly T[], key: (row: T) => readonly unknown[]): T[] {
  // One string per key (parts joined by NUL, which sorts first, so the order is the parts'
  // order): comparing arrays of strings part by part was a tenth of a fold's time.
  const keyed = rows.map((row) => ({ row, key: key(row).join('\u0000') }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.row);
}

/** PostgreSQL's codes for "this transaction was rolled back to break a deadlock / a serialization conflict". */
const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 5;

/**
 * Runs a whole transaction again when PostgreSQL aborted it to break a lock cycle (a device's
 * quiz points or status touched in another order by a concurrent commit): nothing of it was
 * kept, so running it again is safe, and its batches are answered only once it commits.
 */
export async function retryDeadlocks<T>(transaction: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (attempt >= ATTEMPTS || typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
    }
  }
}
