import type { Kysely, Migration } from 'kysely';
import { fleetMigrations } from '../fleet/migrations.ts';
import { practiceMigrations } from '../practice/migrations.ts';
import { forwardingMigrations } from '../forwarding/migrations.ts';
import { quizMigrations } from '../quizzes/migrations.ts';
import { transcriptionMigrations } from '../rehearse/transcription/migrations.ts';

/**
 * Numbered migrations, written once with Kysely's schema builder so SQLite and PostgreSQL get
 * the same tables from the same code. Append only: a shipped migration is never edited.
 */
export const migrations: Record<string, Migration> = {
  '001-people': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('setup_tokens')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('sign_in_failures')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('sign_in_failures_subject_at')
        .on('sign_in_failures')
        .columns(['subject', 'at'])
        .execute();
      await db.schema
        .createTable('audit')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_at').on('audit').column('at').execute();
      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '002-library': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('channels')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('blobs')
        .addColumn('sha256', 'text', (c) => c.primaryKey())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('mime', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('items')
        .addColumn('channel', 'text', (c) => c.notNull().references('channels.id'))
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('title', 'text')
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('category', 'text')
        .addColumn('tags', 'text', (c) => c.notNull())
        .addColumn('products', 'text', (c) => c.notNull())
        .addColumn('audiences', 'text', (c) => c.notNull())
        .addColumn('collections', 'text', (c) => c.notNull())
        .addColumn('valid_from', 'text')
        .addColumn('valid_until', 'text')
        .addColumn('kiosk', 'integer', (c) => c.notNull())
        .addColumn('share_url', 'text')
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('file_sha256', 'text', (c) => c.notNull().references('blobs.sha256'))
        .addColumn('file_size', 'bigint', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('search_text', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('items_pk', ['channel', 'id'])
        .execute();
      // The library list pages by title within a channel.
      await db.schema.createIndex('items_channel_title').on('items').columns(['channel', 'title', 'id']).execute();
      await db.schema
        .createTable('releases')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('channel', 'text', (c) => c.notNull().references('channels.id'))
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('version', 'integer')
        .addColumn('snapshot', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('submitted_by', 'text', (c) => c.notNull())
        .addColumn('submitted_at', 'text', (c) => c.notNull())
        .addColumn('approved_by', 'text')
        .addColumn('approved_at', 'text')
        .addColumn('published_by', 'text')
        .addColumn('published_at', 'text')
        .addColumn('rollback_of', 'integer')
        .addUniqueConstraint('releases_channel_version', ['channel', 'version'])
        .execute();
      await db.schema.createIndex('releases_channel_state').on('releases').columns(['channel', 'state']).execute();
    },
  },
  '003-upload-sessions': {
    async up(db: Kysely<unknown>) {
      // A large file sent in parts; the bytes so far wait in DATA/tmp/upload-<id>.
      await db.schema
        .createTable('upload_sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('channel', 'text', (c) => c.notNull().references('channels.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('item', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '004-collections': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('collections')
        .addColumn('channel', 'text', (c) => c.notNull().references('channels.id'))
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('collections_pk', ['channel', 'id'])
        .execute();
    },
  },
  '005-sso-logins': {
    async up(db: Kysely<unknown>) {
      // A single sign-on under way: what the callback must check, kept in the database so any
      // Studio behind the load balancer can finish what another one started.
      await db.schema
        .createTable('sso_logins')
        .addColumn('state_hash', 'text', (c) => c.primaryKey())
        .addColumn('code_verifier', 'text', (c) => c.notNull())
        .addColumn('nonce', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '006-sso-identities': {
    async up(db: Kysely<unknown>) {
      // Who the provider said someone is, linked to their account once their verified e-mail
      // matched it: a later e-mail change at the provider does not lock them out or in.
      await db.schema
        .createTable('sso_identities')
        .addColumn('issuer', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('sso_identities_pk', ['issuer', 'subject'])
        .execute();
    },
  },
  '045-publish-jobs': {
    async up(db: Kysely<unknown>) {
      // A publish runs in the background and outlives the request that started it: its progress,
      // outcome and owner are here, so a reloaded page, another Studio or a restarted one sees it.
      await db.schema
        .createTable('publish_jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('channel', 'text', (c) => c.notNull().references('channels.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('release_id', 'text', (c) => c.notNull())
        .addColumn('source_release_id', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('items_done', 'integer', (c) => c.notNull())
        .addColumn('items_total', 'integer', (c) => c.notNull())
        .addColumn('bytes_done', 'bigint', (c) => c.notNull())
        .addColumn('bytes_total', 'bigint', (c) => c.notNull())
        .addColumn('base_version', 'integer', (c) => c.notNull())
        .addColumn('version', 'integer')
        .addColumn('error', 'text')
        .addColumn('started_by', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('heartbeat_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addColumn('revision', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('publish_jobs_channel_started')
        .on('publish_jobs')
        .columns(['channel', 'started_at'])
        .execute();
      await db.schema.createIndex('publish_jobs_state').on('publish_jobs').column('state').execute();
    },
  },
  ...fleetMigrations,
  ...practiceMigrations,
  ...forwardingMigrations,
  ...quizMigrations,
  ...transcriptionMigrations,
};
