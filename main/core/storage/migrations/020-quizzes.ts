import type { Migration } from './migration.ts';

/**
 * Quizzes arrive with a release and go with it (release_id, like practice prompts); their
 * questions, with the right answers and each one's version, are one JSON list (always read whole).
 * A rep's attempts are theirs and outlive any release. `quiz_known` is what the rep knew when they
 * last passed a quiz: the version of every question then, so a later release asks only the ones
 * whose subject changed.
 */
export const migration020: Migration = {
  // Its place in this branch's list; the file keeps the number it was given.
  version: 20,
  name: 'quizzes and attempts',
  up(db) {
    db.exec(`
      CREATE TABLE quizzes (
        release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        title TEXT NOT NULL,
        kind TEXT NOT NULL,
        item_id TEXT,
        term_id TEXT,
        pass_percent INTEGER NOT NULL,
        revision TEXT NOT NULL,
        questions TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (release_id, id)
      ) STRICT;

      CREATE TABLE quiz_attempts (
        id TEXT PRIMARY KEY,
        quiz_id TEXT NOT NULL,
        quiz_title TEXT NOT NULL,
        revision TEXT NOT NULL,
        taken_at TEXT NOT NULL,
        asked INTEGER NOT NULL,
        correct INTEGER NOT NULL,
        percent INTEGER NOT NULL,
        passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
        only_changed INTEGER NOT NULL CHECK (only_changed IN (0, 1)),
        answers TEXT NOT NULL
      ) STRICT;
      CREATE INDEX quiz_attempts_by_quiz ON quiz_attempts (quiz_id, taken_at);

      CREATE TABLE quiz_known (
        quiz_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        version TEXT NOT NULL,
        passed_at TEXT NOT NULL,
        PRIMARY KEY (quiz_id, question_id)
      ) STRICT;
    `);
  },
};
