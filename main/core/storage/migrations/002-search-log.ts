import type { Migration } from './migration.ts';

/**
 * Searches the rep settled on: recent searches for the rep, and the ones that found nothing
 * for marketing ("which searches found nothing"). Queries are what the rep typed about
 * collateral, not personal data of prospects.
 */
export const migration002: Migration = {
  version: 2,
  name: 'search log',
  up(db) {
    db.exec(`
      CREATE TABLE search_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        query TEXT NOT NULL,
        filters TEXT NOT NULL DEFAULT '{}',
        results INTEGER NOT NULL CHECK (results >= 0),
        release_version INTEGER
      ) STRICT;
      CREATE INDEX search_log_by_time ON search_log (at);
      CREATE INDEX search_log_zero_results ON search_log (at) WHERE results = 0;
    `);
  },
};
