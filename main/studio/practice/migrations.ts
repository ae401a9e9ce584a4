import type { Kysely, Migration } from 'kysely';

/** Practice recordings (key 020; 021–024 are this capability's too), merged into Studio's one list. */
export const practiceMigrations: Record<string, Migration> = {
  '020-practice-recordings': {
    async up(db: Kysely<unknown>) {
      // An upload in progress: its bytes wait in DATA/tmp/practice-<id>; one per (device, take).
      await db.schema
        .createTable('practice_uploads')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('take_id', 'text', (c) => c.notNull())
        .addColumn('meta', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('practice_uploads_take', ['device_id', 'take_id'])
        .execute();
      await db.schema
        .createTable('practice_recordings')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('take_id', 'text', (c) => c.notNull())
        .addColumn('rep', 'text')
        .addColumn('rep_name', 'text')
        .addColumn('team', 'text')
        .addColumn('prompt_id', 'text', (c) => c.notNull())
        .addColumn('prompt_title', 'text', (c) => c.notNull())
        .addColumn('key_messages', 'text', (c) => c.notNull())
        .addColumn('release_version', 'integer')
        .addColumn('mime', 'text', (c) => c.notNull())
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addColumn('bytes', 'bigint', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .addColumn('consent_version', 'integer', (c) => c.notNull())
        .addColumn('share_as_example', 'integer', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('changed_at', 'text', (c) => c.notNull())
        .addColumn('review', 'text')
        .addColumn('transcript', 'text')
        .addColumn('key_message_checks', 'text')
        .addColumn('example', 'integer', (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('practice_recordings_take', ['device_id', 'take_id'])
        .execute();
      // The list pages newest first, filtered by team (a manager's scope), prompt or rep.
      await db.schema
        .createIndex('practice_recordings_team')
        .on('practice_recordings')
        .columns(['team', 'received_at'])
        .execute();
      await db.schema
        .createIndex('practice_recordings_prompt')
        .on('practice_recordings')
        .columns(['prompt_id', 'received_at'])
        .execute();
      // The feed reads one device's changes after a cursor.
      await db.schema
        .createIndex('practice_recordings_feed')
        .on('practice_recordings')
        .columns(['device_id', 'changed_at'])
        .execute();
      await db.schema
        .createTable('practice_comments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('recording_id', 'text', (c) => c.notNull().references('practice_recordings.id').onDelete('cascade'))
        .addColumn('at_ms', 'integer', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('user_name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('practice_comments_recording')
        .on('practice_comments')
        .columns(['recording_id', 'at_ms'])
        .execute();
    },
  },
};
