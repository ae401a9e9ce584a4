import type { Migration } from './migration.ts';

/**
 * Every outbox record carries who and what made it (device, rep or booth, team, app version,
 * release at the time of the event), stamped when the record is made: a record sent a week
 * later must still say which release the rep was showing, and a rep who changes teams must not
 * rewrite history. Rows made before this version have none (NULL) and are sent without it.
 */
export const migration016: Migration = {
  version: 16,
  name: 'outbox source',
  up(db) {
    db.exec(`ALTER TABLE outbox ADD COLUMN source TEXT CHECK (source IS NULL OR json_valid(source))`);
  },
};
