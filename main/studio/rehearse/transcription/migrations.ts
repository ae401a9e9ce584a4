import type { Kysely, Migration } from 'kysely';

/** Rehearsal transcripts (key 025), merged into Studio's one list of migrations. */
export const transcriptionMigrations: Record<string, Migration> = {
  '025-practice-transcripts': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('practice_transcripts')
        .addColumn('recording_id', 'text', (c) => c.primaryKey())
        .addColumn('prompt_id', 'text', (c) => c.notNull())
        .addColumn('prompt_title', 'text', (c) => c.notNull())
        .addColumn('key_messages', 'text', (c) => c.notNull())
        .addColumn('device_id', 'text')
        .addColumn('rep', 'text')
        .addColumn('rep_email', 'text')
        .addColumn('team', 'text')
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .addColumn('file', 'text', (c) => c.notNull())
        .addColumn('mime', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('text', 'text')
        .addColumn('words', 'text')
        .addColumn('key_message_results', 'text')
        .addColumn('engine', 'text')
        .addColumn('duration_ms', 'integer')
        .addColumn('error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // The queue takes the oldest waiting job; the view reads one prompt's transcripts by date.
      await db.schema
        .createIndex('practice_transcripts_status')
        .on('practice_transcripts')
        .columns(['status', 'created_at'])
        .execute();
      await db.schema
        .createIndex('practice_transcripts_prompt')
        .on('practice_transcripts')
        .columns(['prompt_id', 'recorded_at'])
        .execute();
      // A rep's words are found by e-mail to export or erase them.
      await db.schema.createIndex('practice_transcripts_rep').on('practice_transcripts').column('rep_email').execute();
    },
  },
};
