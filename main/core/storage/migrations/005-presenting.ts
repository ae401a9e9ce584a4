import type { Migration } from './migration.ts';

/**
 * Presenting: pitches (ordered steps of items or single pages, with notes), what was shown
 * (activity events with client ids, no personal data of prospects) and meetings logged for CRM.
 * Steps reference items by id, so a pitch follows an item to its newer version by itself.
 */
export const migration005: Migration = {
  version: 5,
  name: 'pitches, activity and meetings',
  up(db) {
    db.exec(`
      CREATE TABLE pitches (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE pitch_steps (
        pitch_id TEXT NOT NULL REFERENCES pitches (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        item_id TEXT NOT NULL,
        page INTEGER CHECK (page IS NULL OR page >= 1),
        note TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (pitch_id, position)
      ) STRICT;

      CREATE TABLE activity (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        at TEXT NOT NULL,
        item_id TEXT,
        page INTEGER,
        dwell_ms INTEGER CHECK (dwell_ms IS NULL OR dwell_ms >= 0),
        pitch_id TEXT,
        meeting_id TEXT,
        release_version INTEGER
      ) STRICT;
      CREATE INDEX activity_by_item ON activity (item_id, type);

      CREATE TABLE meetings (
        id TEXT PRIMARY KEY,
        pitch_id TEXT,
        started_at TEXT NOT NULL,
        ended_at TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('later', 'logged')),
        account TEXT NOT NULL DEFAULT '',
        contact TEXT NOT NULL DEFAULT '',
        opportunity TEXT NOT NULL DEFAULT '',
        outcome TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        shown TEXT NOT NULL DEFAULT '[]',
        updated_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
