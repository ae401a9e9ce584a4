import { describe, expect, it } from 'vitest';
import { backends, databaseAt, migratedSqlite, postgresMissingHere } from './migration-database.ts';

/**
 * Forwarding's migrations (035, 036) on a fleet database with data in it (SQLite and PostgreSQL),
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
