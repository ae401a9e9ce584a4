import { describe, expect, it } from 'vitest';
import { backends, databaseAt, migratedSqlite, postgresMissingHere } from './migration-database.ts';

/**
 * Forwarding's migrations (035, 036, 046) on a fleet database with data in it (SQLite and PostgreSQL),
 * and the worker's query plan.
 */

describe.each(backends)('on %s', (backend) => {
  it.skipIf(backend === 'postgres' && postgresMissingHere() !== null)(
    'migrates a fleet database: devices and records kept, none disconnected, nothing queued for what came before',
    async () => {
      const { before, open } = await databaseAt(backend, '013-fleet-partial-indexes');
      await before.insertInto('channels').values({ id: 'default', title: 'Default', created_at: 'now' }).execute();
      await before
        .insertInto('fleet_devices')
        .values({
          id: 'dev_1',
          kind: 'booth',
          rep_name: null,
          rep_email: null,
          booth_event: 'Harbour Expo',
          team: null,
          region: null,
          channel: 'default',
          name: 'Kiosk',
          platform: 'win32',
          app_version: '1.0.0',
          profile_kind: 'kiosk',
          credential_hash: 'x'.repeat(64),
          enrolled_at: '2026-01-01T00:00:00.000Z',
          revoked_at: null,
          revoked_by: null,
          last_seen_at: null,
        })
        .execute();

      const db = await open();
      expect(await db.selectFrom('fleet_devices').select(['id', 'disconnected_at']).execute()).toEqual([
        { id: 'dev_1', disconnected_at: null },
      ]);
      // Leads stored before forwarding existed are not sent to a CRM set up later (README: Forwarding).
      expect(await db.selectFrom('fleet_forwards').selectAll().execute()).toEqual([]);
    },
  );

  it.skipIf(backend === 'postgres' && postgresMissingHere() !== null)(
    'migration 046 drops the unsent forwards whose records an earlier Studio deleted, and keeps the rest',
    async () => {
      const { before, open } = await databaseAt(backend, '045-publish-jobs');
      const at = '2026-01-01T00:00:00.000Z';
      await before
        .insertInto('fleet_records')
        .values({
          device_id: 'dev_1',
          idempotency_key: 'lead:kept',
          kind: 'lead',
          at,
          day: '2026-01-01',
          received_at: at,
          rep: null,
          booth: 'Harbour Expo',
          team: null,
          region: null,
          app_version: '1.0.0',
          release_version: null,
          event_type: null,
          item_id: null,
          page: null,
          dwell_ms: null,
          dwell_bucket: null,
          meeting_id: null,
          account: null,
          outcome: null,
          query_folded: null,
          consent_version: 'v3',
          viewed_items: '[]',
          retain_until: '2027-01-01T00:00:00.000Z',
          payload: 'sealed',
          sealed: 1,
        })
        .execute();
      const forward = (key: string, sentAt: string | null) => ({
        device_id: 'dev_1',
        idempotency_key: key,
        kind: 'lead',
        destination: 'lead',
        at,
        created_at: at,
        attempts: sentAt ? 1 : 0,
        next_attempt_at: at,
        lease_until: null,
        last_error: null,
        held: null,
        sent_at: sentAt,
        sent_to: sentAt ? 'Webhook' : null,
      });
      // Its record is there; its record was purged before it went; sent, then its record erased.
      await before
        .insertInto('fleet_forwards')
        .values([forward('lead:kept', null), forward('lead:purged', null), forward('lead:sent', at)])
        .execute();

      const db = await open();
      const left = await db.selectFrom('fleet_forwards').select('idempotency_key').orderBy('idempotency_key').execute();
      expect(left.map((r) => r.idempotency_key)).toEqual(['lead:kept', 'lead:sent']);
    },
  );
});

it('the worker finds what is due in the partial index of unsent rows, whatever has been sent', async () => {
  const { raw, plan } = await migratedSqlite();
  // A Studio that has forwarded for a while: thousands sent, a few waiting.
  raw.exec(`
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 3999)
    INSERT INTO fleet_forwards (device_id, idempotency_key, kind, destination, at, created_at, attempts, next_attempt_at, sent_at)
    SELECT 'dev' || (i % 40), 'lead:' || i, 'lead', 'lead', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 1,
      '2026-01-01T00:00:00.000Z', CASE WHEN i % 200 = 0 THEN NULL ELSE '2026-01-01T00:01:00.000Z' END
    FROM n`);
  raw.exec('ANALYZE');
  const due = plan(
    `SELECT device_id, idempotency_key FROM fleet_forwards
     WHERE destination = 'lead' AND kind = 'lead' AND sent_at IS NULL AND held IS NULL AND next_attempt_at <= '2026-02-01'
     ORDER BY at LIMIT 100`,
  );
  expect(due).toMatch(/USING INDEX fleet_forwards_due/);
});
