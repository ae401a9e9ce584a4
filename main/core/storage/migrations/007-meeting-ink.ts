import type { Migration } from './migration.ts';

/**
 * The pen's ink of a meeting, per page it was drawn on, kept with the meeting on the device: it
 * never enters the outbox and is never written into the release's files. Coordinates are
 * relative (0..1) to the box the rep drew in, whose width / height is `aspect`, so a preview lays
 * the page out in a box of the same shape and the ink lands where it was drawn. A draft deleted
 * takes its ink with it; a logged meeting keeps it.
 */
export const migration007: Migration = {
  version: 7,
  name: 'meeting ink',
  up(db) {
    db.exec(`
      CREATE TABLE meeting_ink (
        meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
        item_id TEXT NOT NULL CHECK (length(item_id) BETWEEN 1 AND 128),
        page INTEGER CHECK (page IS NULL OR page >= 1),
        aspect REAL NOT NULL CHECK (aspect BETWEEN 0.1 AND 10),
        strokes TEXT NOT NULL CHECK (json_valid(strokes) AND json_type(strokes) = 'array'),
        updated_at TEXT NOT NULL
      ) STRICT;
      -- One row per page of an item; a whole item (an image, a video) is page NULL, counted once.
      CREATE UNIQUE INDEX meeting_ink_by_page ON meeting_ink (meeting_id, item_id, ifnull(page, 0));
    `);
  },
};
