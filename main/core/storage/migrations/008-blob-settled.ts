import type { Migration } from './migration.ts';

/**
 * Whether a blob's bytes are known to be on disk. A sync switches to a release as soon as its
 * files are verified and fsyncs them right after ("settling"); until then the release it
 * replaced is kept, and a crash in between makes the next start verify the unsettled files
 * again and roll back if any was lost. Blobs from before this migration were fsynced before
 * their release switched: settled.
 */
export const migration008: Migration = {
  version: 8,
  name: 'blob settled',
  up(db) {
    db.exec(`ALTER TABLE blobs ADD COLUMN settled INTEGER NOT NULL DEFAULT 1 CHECK (settled IN (0, 1));`);
  },
};
