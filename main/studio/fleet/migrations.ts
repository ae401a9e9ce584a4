import type { Kysely, Migration } from 'kysely';

/** The fleet's migrations (keys 010–014 are the fleet's), merged into Studio's one list. */
export const fleetMigrations: Record<string, Migration> = {
  '010-fleet-enrolment': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('fleet_codes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('code_hash', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('rep_name', 'text')
        .addColumn('rep_email', 'text')
        .addColumn('booth_event', 'text')
        .addColumn('team', 'text')
        .addColumn('region', 'text')
        .addColumn('channel', 'text', (c) => c.notNull().references('channels.id'))
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .addColumn('device_id', 'text')
        .execute();
      await db.schema
        .createTable('fleet_devices')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('rep_name', 'text')
        .addColumn('rep_email', 'text')
        .addColumn('booth_event', 'text')
        .addColumn('team', 'text')
        .addColumn('region', 'text')
        .addColumn('channel', 'text', (c) => c.notNull().references('channels.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('app_version', 'text', (c) => c.notNull())
        .addColumn('profile_kind', 'text', (c) => c.notNull())
        .addColumn('credential_hash', 'text', (c) => c.notNull())
        .addColumn('enrolled_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .addColumn('revoked_by', 'text')
        .addColumn('last_seen_at', 'text')
        .execute();
      await db.schema.createIndex('fleet_devices_team').on('fleet_devices').columns(['team', 'enrolled_at']).execute();
      await db.schema
        .createTable('fleet_manager_teams')
        .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
        .addColumn('team', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '011-fleet-records': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('fleet_batches')
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.notNull())
        .addColumn('answer', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('fleet_batches_pk', ['device_id', 'idempotency_key'])
        .execute();
      await db.schema
        .createTable('fleet_records')
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('rep', 'text')
        .addColumn('booth', 'text')
        .addColumn('team', 'text')
        .addColumn('region', 'text')
        .addColumn('app_version', 'text', (c) => c.notNull())
        .addColumn('release_version', 'integer')
        .addColumn('event_type', 'text')
        .addColumn('item_id', 'text')
        .addColumn('page', 'integer')
        .addColumn('dwell_ms', 'bigint')
        .addColumn('dwell_bucket', 'integer')
        .addColumn('meeting_id', 'text')
        .addColumn('account', 'text')
        .addColumn('outcome', 'text')
        .addColumn('query_folded', 'text')
        .addColumn('consent_version', 'text')
        .addColumn('viewed_items', 'text')
        .addColumn('retain_until', 'text')
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('sealed', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('fleet_records_pk', ['device_id', 'idempotency_key'])
        .execute();
      await db.schema
        .createTable('fleet_device_status')
        .addColumn('device_id', 'text', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('release_version', 'integer')
        .addColumn('last_sync_at', 'text')
        .addColumn('storage_bytes', 'bigint', (c) => c.notNull())
        .addColumn('free_bytes', 'bigint')
        .addColumn('pending_total', 'integer', (c) => c.notNull())
        .addColumn('app_version', 'text', (c) => c.notNull())
        .addColumn('profile_kind', 'text', (c) => c.notNull())
        .addColumn('pitches_total', 'integer', (c) => c.notNull())
        .addColumn('pitches_ready', 'integer', (c) => c.notNull())
        .execute();
    },
  },
  '012-fleet-indexes': {
    async up(db: Kysely<unknown>) {
      // Each dashboard reads one slice of the records: these are the slices, kind first.
      const index = (name: string, columns: string[]) =>
        db.schema.createIndex(name).on('fleet_records').columns(columns).execute();
      // Content by item reads this one index in order, filters included, never the table.
      await index('fleet_records_usage', [
        'kind',
        'event_type',
        'item_id',
        'dwell_bucket',
        'dwell_ms',
        'meeting_id',
        'at',
        'team',
        'region',
        'rep',
        'release_version',
      ]);
      await index('fleet_records_pages', ['kind', 'event_type', 'item_id', 'page', 'dwell_bucket', 'dwell_ms']);
      await index('fleet_records_kind_at', ['kind', 'at']);
      await index('fleet_records_team', ['team', 'kind', 'at']);
      await index('fleet_records_rep', ['rep', 'kind']);
      await index('fleet_records_meeting', ['meeting_id', 'device_id', 'kind']);
      await index('fleet_records_query', ['kind', 'query_folded', 'at', 'device_id', 'team']);
    },
  },
};
