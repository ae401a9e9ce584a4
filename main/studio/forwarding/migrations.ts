import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Forwarding to the CRM and devices leaving of their own accord (keys 035–039 are this work's),
 * merged into Studio's one list.
 */
export const forwardingMigrations: Record<string, Migration> = {
  '035-fleet-forwards': {
    async up(db: Kysely<unknown>) {
      // One row per lead, meeting or follow-up Studio took in: written in the ingest's own
      // transaction, so every stored record is forwarded once and a restart loses none.
      await db.schema
        .createTable('fleet_forwards')
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('destination', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('lease_until', 'text')
        .addColumn('last_error', 'text')
        .addColumn('held', 'text')
        .addColumn('sent_at', 'text')
        .addColumn('sent_to', 'text')
        .addPrimaryKeyConstraint('fleet_forwards_pk', ['device_id', 'idempotency_key'])
        .execute();
      // The worker reads what is still to send, due first; sent rows are not in the index.
      await db.schema
        .createIndex('fleet_forwards_due')
        .on('fleet_forwards')
        .columns(['destination', 'next_attempt_at'])
        .where(sql.ref('sent_at'), 'is', null)
        .execute();
      await db.schema.createIndex('fleet_forwards_at').on('fleet_forwards').columns(['at']).execute();
    },
  },
  '036-fleet-device-disconnected': {
    async up(db: Kysely<unknown>) {
      // When the device itself said it left (Disconnect from Studio), apart from a revocation.
      await db.schema.alterTable('fleet_devices').addColumn('disconnected_at', 'text').execute();
    },
  },
  '046-fleet-forwards-without-records': {
    async up(db: Kysely<unknown>) {
      // Records deleted (a rep's erasure, a lead past its retention) now take their forwarding
      // rows with them; what earlier Studios left behind goes once here, where every forwarding
      // run used to look for it (a scan of every unsent row, after every ingest).
      await sql`delete from fleet_forwards where sent_at is null and not exists (
        select 1 from fleet_records r
        where r.device_id = fleet_forwards.device_id and r.idempotency_key = fleet_forwards.idempotency_key)`.execute(
        db,
      );
    },
  },
};
