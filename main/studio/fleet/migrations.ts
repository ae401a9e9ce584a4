import { sql, SqliteAdapter, type CreateTableBuilder, type Kysely, type Migration } from 'kysely';
import { HISTOGRAM_COLUMNS, rebuildRollups } from './rollups.ts';
import { moveRollupsToTheirFile } from './rollups-file.ts';

/**
 * The fleet's migrations (keys 010–014, 040–044 and 047–051 are the fleet's), merged into Studio's
 * one list. Since 051 SQLite keeps the rollup tables in a file of their own, and their
 * definitions in `fleet_rollups_schema` to create them again (rollups-file.ts): a migration that
 * changes a rollup table changes both.
 */
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
  '013-fleet-partial-indexes': {
    async up(db: Kysely<unknown>) {
      // Meetings, searches and leads are a few percent of the records, yet three indexes over
      // every record served them: each event paid three index inserts for nothing. Partial
      // indexes hold only their kind's rows (the queries name the kind as a literal to use them).
      await db.schema.dropIndex('fleet_records_kind_at').execute();
      await db.schema.dropIndex('fleet_records_query').execute();
      await db.schema.dropIndex('fleet_records_meeting').execute();
      const only = (kind: string) => sql.lit(kind);
      await db.schema
        .createIndex('fleet_records_search_misses')
        .on('fleet_records')
        .columns(['query_folded', 'at', 'device_id', 'team', 'region', 'rep', 'release_version'])
        .where(sql.ref('kind'), '=', only('search-miss'))
        .execute();
      // A meeting and the page views shown in it, joined on (meeting, device): records outside a
      // meeting (most opens, all searches) are not in it.
      await db.schema
        .createIndex('fleet_records_in_meetings')
        .on('fleet_records')
        .columns(['meeting_id', 'device_id', 'kind', 'event_type', 'item_id', 'dwell_ms', 'account', 'outcome'])
        .where(sql.ref('meeting_id'), 'is not', null)
        .execute();
      await db.schema
        .createIndex('fleet_records_meetings_by_rep')
        .on('fleet_records')
        .columns(['team', 'rep', 'account', 'at'])
        .where(sql.ref('kind'), '=', only('meeting'))
        .execute();
      await db.schema
        .createIndex('fleet_records_leads')
        .on('fleet_records')
        .columns(['retain_until'])
        .where(sql.ref('kind'), '=', only('lead'))
        .execute();
    },
  },
  '040-fleet-rollups': {
    async up(db: Kysely<unknown>) {
      // Sums the content views read instead of every record (rollups.ts); filled here from the
      // records an existing Studio already holds, in the migration's transaction.
      const histogram = <T extends string>(table: CreateTableBuilder<T>) =>
        HISTOGRAM_COLUMNS.reduce(
          (t, column) => t.addColumn(column, 'integer', (c) => c.notNull().defaultTo(0)),
          table as CreateTableBuilder<T, string>,
        );
      await histogram(
        db.schema
          .createTable('fleet_usage_daily')
          .addColumn('day', 'text', (c) => c.notNull())
          .addColumn('team', 'text', (c) => c.notNull())
          .addColumn('item_id', 'text', (c) => c.notNull())
          .addColumn('opens', 'integer', (c) => c.notNull())
          .addColumn('views', 'integer', (c) => c.notNull())
          .addColumn('dwell_ms', 'bigint', (c) => c.notNull())
          .addColumn('meetings', 'integer', (c) => c.notNull())
          .addColumn('last_opened_at', 'text')
          .addPrimaryKeyConstraint('fleet_usage_daily_pk', ['day', 'team', 'item_id']),
      ).execute();
      // A manager's (or a team filter's) days, without reading the other teams'.
      await db.schema
        .createIndex('fleet_usage_daily_team')
        .on('fleet_usage_daily')
        .columns(['team', 'day', 'item_id'])
        .execute();
      // The same summed over days, for views over all time.
      await histogram(
        db.schema
          .createTable('fleet_usage_total')
          .addColumn('team', 'text', (c) => c.notNull())
          .addColumn('item_id', 'text', (c) => c.notNull())
          .addColumn('opens', 'integer', (c) => c.notNull())
          .addColumn('views', 'integer', (c) => c.notNull())
          .addColumn('dwell_ms', 'bigint', (c) => c.notNull())
          .addColumn('meetings', 'integer', (c) => c.notNull())
          .addColumn('last_opened_at', 'text')
          .addPrimaryKeyConstraint('fleet_usage_total_pk', ['team', 'item_id']),
      ).execute();
      await histogram(
        db.schema
          .createTable('fleet_page_daily')
          .addColumn('item_id', 'text', (c) => c.notNull())
          .addColumn('page', 'integer', (c) => c.notNull())
          .addColumn('day', 'text', (c) => c.notNull())
          .addColumn('team', 'text', (c) => c.notNull())
          .addColumn('views', 'integer', (c) => c.notNull())
          .addColumn('dwell_ms', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('fleet_page_daily_pk', ['item_id', 'page', 'day', 'team']),
      ).execute();
      await db.schema
        .createTable('fleet_meeting_items')
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('meeting_id', 'text', (c) => c.notNull())
        .addColumn('item_id', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('team', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('fleet_meeting_items_pk', ['device_id', 'meeting_id', 'item_id', 'day'])
        .execute();
      await db.schema
        .createTable('fleet_meeting_days')
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('meeting_id', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('team', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('fleet_meeting_days_pk', ['device_id', 'meeting_id', 'day'])
        .execute();
      await db.schema
        .createTable('fleet_team_daily')
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('team', 'text', (c) => c.notNull())
        .addColumn('meetings', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('fleet_team_daily_pk', ['day', 'team'])
        .execute();
      await rebuildRollups(db);
    },
  },
  '041-fleet-drop-content-indexes': {
    async up(db: Kysely<unknown>) {
      // The content views read the rollups now: the two widest indexes over every record cost
      // each ingested event two index inserts and served only the views that moved. Region,
      // rep and release drill-downs read the records by team (fleet_records_team) or rep.
      await db.schema.dropIndex('fleet_records_usage').execute();
      await db.schema.dropIndex('fleet_records_pages').execute();
    },
  },
  '047-fleet-records-team-by-day': {
    async up(db: Kysely<unknown>) {
      // By day, not by the instant: a team's records of one day are one run of the index, in
      // the order they were stored, so a commit appends to a few hundred runs where (team, kind,
      // at) put each record on a page of its own; at 500,000 records that was a third of the
      // pages each commit wrote. The views filter a period by day, which is the instant's UTC date.
      await db.schema
        .createIndex('fleet_records_team_day')
        .on('fleet_records')
        .columns(['team', 'kind', 'day'])
        .execute();
      await db.schema.dropIndex('fleet_records_team').execute();
    },
  },
  '048-fleet-rollups-folded': {
    async up(db: Kysely<unknown>) {
      // The records stored but not yet counted in the rollups, with the columns the rollups
      // read (folding.ts). Every record stored so far is counted already: the list starts empty.
      await db.schema
        .createTable('fleet_rollup_pending')
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('team', 'text')
        .addColumn('event_type', 'text')
        .addColumn('item_id', 'text')
        .addColumn('page', 'integer')
        .addColumn('dwell_ms', 'bigint')
        .addColumn('dwell_bucket', 'integer')
        .addColumn('meeting_id', 'text')
        .addPrimaryKeyConstraint('fleet_rollup_pending_pk', ['device_id', 'idempotency_key'])
        .execute();
    },
  },
  '049-fleet-meeting-views-by-team': {
    async up(db: Kysely<unknown>) {
      // A manager's team view joins their team's meetings to the page views shown in them and
      // keeps the views of that team: without the team in this index every view was fetched from
      // the table to read it (at 5,000,000 records, 0.7–1.4 s warm and 8.5 s cold on PostgreSQL;
      // 0.38 s with it). The team goes last: the index is still searched by (meeting, device).
      await db.schema.dropIndex('fleet_records_in_meetings').execute();
      await db.schema
        .createIndex('fleet_records_in_meetings')
        .on('fleet_records')
        .columns(['meeting_id', 'device_id', 'kind', 'event_type', 'item_id', 'dwell_ms', 'account', 'outcome', 'team'])
        .where(sql.ref('meeting_id'), 'is not', null)
        .execute();
    },
  },
  '050-fleet-fold-sequence': {
    async up(db: Kysely<unknown>) {
      // SQLite only: records the rollups count are numbered as they are stored, and a fold takes
      // those past the number the folds have reached, instead of each being listed in
      // fleet_rollup_pending as well (a second row and key per record: 9% of Studio's CPU per record).
      // PostgreSQL keeps the list, which lets several Studio processes fold at once.
      // What is listed when this runs is folded from the list first (folding.ts).
      if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
      await db.schema.alterTable('fleet_records').addColumn('fold_seq', 'integer').execute();
      await db.schema
        .createIndex('fleet_records_fold_seq')
        .on('fleet_records')
        .column('fold_seq')
        .where(sql.ref('fold_seq'), 'is not', null)
        .execute();
      await db.schema
        .createTable('fleet_fold_sequence')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('folded', 'integer', (c) => c.notNull())
        .addColumn('next', 'integer', (c) => c.notNull())
        .execute();
      await sql`insert into fleet_fold_sequence (id, folded, next) values (1, 0, 1)`.execute(db);
    },
  },
  '051-fleet-rollups-file': {
    async up(db: Kysely<unknown>) {
      // SQLite only: the rollups and the folds' mark move to a database file of their own, so
      // folds on their own thread write beside ingest (rollups-file.ts). PostgreSQL has many writers.
      if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
      await moveRollupsToTheirFile(db);
    },
  },
};
