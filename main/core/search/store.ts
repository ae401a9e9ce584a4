import type { ReadDb, WriteDb } from '../storage/database.ts';

/** SQL of the search capability: the log of settled searches. */

export interface LoggedSearch {
  at: string;
  query: string;
  filters: string;
  results: number;
}

/** Where a search was made: the rep's app, or a visitor at the kiosk. */
export type SearchScope = 'rep' | 'kiosk';

export function logSearch(
  db: WriteDb,
  entry: LoggedSearch & { releaseVersion: number | null; scope: SearchScope },
): void {
  db.prepare(
    `INSERT INTO search_log (at, query, filters, results, release_version, scope) VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(entry.at, entry.query, entry.filters, entry.results, entry.releaseVersion, entry.scope);
}

/** The rep's recent searches that found something, newest first, each query once. */
export function recentSearches(db: ReadDb, limit: number): string[] {
  const rows = db
    .prepare(
      `SELECT query FROM search_log WHERE results > 0
        GROUP BY lower(query) ORDER BY max(at) DESC, max(id) DESC LIMIT ?`,
    )
    .all(limit) as { query: string }[];
  return rows.map((r) => r.query);
}

export function zeroResultSearches(db: ReadDb, since: string | null = null): LoggedSearch[] {
  return db
    .prepare(
      `SELECT at, query, filters, results FROM search_log WHERE results = 0 AND (? IS NULL OR at >= ?) ORDER BY at`,
    )
    .all(since, since) as LoggedSearch[];
}
