import type { Migration } from './migration.ts';

/**
 * One file per path inside a microsite. Without the constraint, a release listing a path twice
 * had the file served decided by row order. Releases are now refused before they get here; a
 * device that already holds such a release keeps the first row of each path (the one served so
 * far by a scan in insertion order) and loses only its duplicates.
 */
export const migration010: Migration = {
  version: 10,
  name: 'site path unique',
  up(db) {
    db.exec(`
      DELETE FROM item_files
       WHERE path IS NOT NULL
         AND rowid NOT IN (SELECT min(rowid) FROM item_files WHERE path IS NOT NULL GROUP BY release_id, item_id, path);
      CREATE UNIQUE INDEX item_files_unique_path ON item_files (release_id, item_id, path) WHERE path IS NOT NULL;
    `);
  },
};
