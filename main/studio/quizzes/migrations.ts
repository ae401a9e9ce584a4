import type { Kysely, Migration } from 'kysely';

/** Quizzes, attempts and the points ledger (keys 030–034 are theirs), merged into Studio's one list. */
export const quizMigrations: Record<string, Migration> = {
  '030-quizzes': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('quizzes')
        .addColumn('channel', 'text', (c) => c.notNull().references('channels.id'))
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('item', 'text')
        .addColumn('term', 'text')
        .addColumn('pass_percent', 'integer', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull())
        .addColumn('questions', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('quizzes_pk', ['channel', 'id'])
        .execute();
    },
  },
  '031-quiz-attempts': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('quiz_attempts')
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('attempt_id', 'text', (c) => c.notNull())
        .addColumn('rep', 'text')
        .addColumn('team', 'text')
        .addColumn('quiz_id', 'text', (c) => c.notNull())
        .addColumn('quiz_title', 'text', (c) => c.notNull())
        .addColumn('revision', 'text', (c) => c.notNull())
        .addColumn('asked', 'integer', (c) => c.notNull())
        .addColumn('correct', 'integer', (c) => c.notNull())
        .addColumn('percent', 'integer', (c) => c.notNull())
        .addColumn('passed', 'integer', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('quiz_attempts_pk', ['device_id', 'attempt_id'])
        .execute();
      // A manager's team view reads its team's attempts by rep.
      await db.schema.createIndex('quiz_attempts_team').on('quiz_attempts').columns(['team', 'rep', 'at']).execute();
    },
  },
  '032-points': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('points_awards')
        .addColumn('rep', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('team', 'text')
        .addColumn('points', 'integer', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('points_awards_pk', ['rep', 'reason', 'subject'])
        .execute();
      // Leaderboards sum a window of time, overall or for one team.
      await db.schema.createIndex('points_awards_at').on('points_awards').columns(['at', 'rep', 'points']).execute();
      await db.schema
        .createIndex('points_awards_team_at')
        .on('points_awards')
        .columns(['team', 'at', 'rep', 'points'])
        .execute();
    },
  },
};
