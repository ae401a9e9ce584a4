import type { Migration } from './migration.ts';

/**
 * How the rep uses items on this device: favourites, how often each was opened and when last.
 * Keyed by item id, not by release, so a new release keeps them; ids no longer published are
 * simply not shown.
 */
export const migration014: Migration = {
  version: 14,
  name: 'item use',
  up(db) {
    db.exec(`
      CREATE TABLE item_use (
        item_id TEXT PRIMARY KEY,
        favourite INTEGER NOT NULL DEFAULT 0 CHECK (favourite IN (0, 1)),
        favourite_at TEXT,
        opens INTEGER NOT NULL DEFAULT 0 CHECK (opens >= 0),
        last_opened_at TEXT
      ) STRICT;
      CREATE INDEX item_use_recent ON item_use (last_opened_at) WHERE last_opened_at IS NOT NULL;
    `);
  },
};
