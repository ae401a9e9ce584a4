import type { Migration } from './migration.ts';

/**
 * Sending a take for review. A send is the take's own row (one per take: sending again after a
 * cancel replaces it) naming the outbox row that carries it through Studio's lane, the consent
 * the rep gave (version and whether it may be shared as an example), the file's checksum, and how
 * far Studio acknowledged the upload. Studio's feedback is kept per take, readable offline, with
 * the feed's cursor in the settings table. Examples (recordings other reps allowed to share,
 * marked by a reviewer) are listed per prompt; their audio lives in `rehearse-examples/<sha256>`.
 */
export const migration021: Migration = {
  // Its place in this branch's list; the file keeps the number it was given.
  version: 21,
  name: 'practice review sends and feedback',
  up(db) {
    db.exec(`
      CREATE TABLE practice_sends (
        take_id TEXT PRIMARY KEY,
        outbox_id INTEGER NOT NULL REFERENCES outbox (id),
        consent_version INTEGER NOT NULL,
        share_as_example INTEGER NOT NULL CHECK (share_as_example IN (0, 1)),
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL CHECK (size > 0),
        queued_at TEXT NOT NULL,
        acked_offset INTEGER NOT NULL DEFAULT 0 CHECK (acked_offset >= 0),
        state TEXT NOT NULL CHECK (state IN ('queued', 'uploading', 'sent', 'cancelled', 'refused')),
        recording_id TEXT,
        error TEXT
      ) STRICT;

      CREATE TABLE practice_feedback (
        take_id TEXT PRIMARY KEY,
        recording_id TEXT NOT NULL,
        entry TEXT NOT NULL,
        received_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE practice_examples (
        recording_id TEXT PRIMARY KEY,
        prompt_id TEXT NOT NULL,
        prompt_title TEXT NOT NULL,
        team TEXT,
        duration_ms INTEGER NOT NULL,
        mime TEXT NOT NULL,
        size INTEGER NOT NULL CHECK (size > 0),
        sha256 TEXT NOT NULL,
        stored INTEGER NOT NULL DEFAULT 0 CHECK (stored IN (0, 1))
      ) STRICT;
      CREATE INDEX practice_examples_by_prompt ON practice_examples (prompt_id);
    `);
  },
};
