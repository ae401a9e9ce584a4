import type { Migration } from './migration.ts';

/**
 * Where a search was made: by a rep in the app, or by a visitor at the kiosk. Marketing reads
 * both among the searches that found nothing, and needs to tell a booth visitor's words from a
 * rep's. Searches logged before this migration were all made in the app.
 */
export const migration012: Migration = {
  version: 12,
  name: 'search scope',
  up(db) {
    db.exec(`ALTER TABLE search_log ADD COLUMN scope TEXT NOT NULL DEFAULT 'rep' CHECK (scope IN ('rep', 'kiosk'));`);
  },
};
