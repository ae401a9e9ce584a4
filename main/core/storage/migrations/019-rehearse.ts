import type { Migration } from './migration.ts';

/**
 * Practice prompts arrive with a release and go with it (release_id, like the glossary). A
 * rep's takes are theirs and outlive any release: they name the prompt by id and keep its title
 * as it was, and their audio lives in `rehearse/<id>` in the profile. At most one take per prompt
 * is the best (the partial unique index), and a prompt's takes are read newest first.
 */
export const migration019: Migration = {
  // Its place in this branch's list; the file keeps the number it was given.
  version: 19,
  name: 'practice prompts and rehearsal takes',
  up(db) {
    db.exec(`
      CREATE TABLE practice_prompts (
        release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        title TEXT NOT NULL,
        item_id TEXT,
        page INTEGER,
        term_id TEXT,
        key_messages TEXT NOT NULL,
        time_limit_seconds INTEGER NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (release_id, id)
      ) STRICT;

      CREATE TABLE rehearsal_takes (
        id TEXT PRIMARY KEY,
        prompt_id TEXT NOT NULL,
        prompt_title TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        duration_ms INTEGER NOT NULL,
        mime TEXT NOT NULL,
        size INTEGER NOT NULL,
        best INTEGER NOT NULL DEFAULT 0 CHECK (best IN (0, 1))
      ) STRICT;
      CREATE INDEX rehearsal_takes_by_prompt ON rehearsal_takes (prompt_id, recorded_at);
      CREATE UNIQUE INDEX rehearsal_takes_one_best ON rehearsal_takes (prompt_id) WHERE best = 1;
    `);
  },
};
