import { describe, expect, it } from 'vitest';
import { backends, databaseAt, migratedSqlite, postgresMissingHere } from './migration-database.ts';

/** The fleet's migrations on a database with data in it (SQLite and PostgreSQL), and the hot queries' plans. */

describe.each(backends)('on %s', (backend) => {
  it.skipIf(backend === 'postgres' && postgresMissingHere() !== null)(
    'migrates a Studio database from before the fleet, keeping its people and channels',
    async () => {
      const { before, open } = await databaseAt(backend, '004-collections');
      await before
        .insertInto('users')
        .values({
          id: 'u1',
          email: 'ada@example.com',
          name: 'Ada',
          role: 'manager',
          password_hash: 'x',
          created_at: 'now',
          disabled: 0,
        })
        .execute();
      await before.insertInto('channels').values({ id: 'default', title: 'Default', created_at: 'now' }).execute();

      const db = await open();
      expect(await db.selectFrom('users').select('email').execute()).toEqual([{ email: 'ada@example.com' }]);
      await db.insertInto('fleet_manager_teams').values({ user_id: 'u1', team: 'North' }).execute();
      // A manager's team goes with the manager.
      await db.deleteFrom('users').where('id', '=', 'u1').execute();
      expect(await db.selectFrom('fleet_manager_teams').selectAll().execute()).toEqual([]);
    },
  );
});

it('content views read the rollups by their keys: over all time the totals, a period the days in it', async () => {
  const { raw, plan } = await migratedSqlite();
  raw.exec('ANALYZE');
  // A manager's team over all time: that team's rows of the totals, by key.
  expect(plan(`SELECT item_id, sum(opens) FROM fleet_usage_total WHERE team = 'North' GROUP BY item_id`)).toMatch(
    /SEARCH fleet_usage_total USING INDEX sqlite_autoindex_fleet_usage_total_1 \(team=\?\)/,
  );
  // A period: only its days of the daily rollup.
  expect(
    plan(
      `SELECT item_id, sum(views) FROM fleet_usage_daily WHERE day >= '2026-03-01' AND day <= '2026-03-07' GROUP BY item_id`,
    ),
  ).toMatch(/SEARCH fleet_usage_daily USING INDEX sqlite_autoindex_fleet_usage_daily_1 \(day>\? AND day<\?\)/);
  // Page drop-off: one item's rows.
  expect(plan(`SELECT page, sum(views) FROM fleet_page_daily WHERE item_id = 'x' GROUP BY page`)).toMatch(
    /SEARCH fleet_page_daily USING INDEX sqlite_autoindex_fleet_page_daily_1 \(item_id=\?\)/,
  );
});

it('meetings, searches and leads are read from partial indexes of their kind, which most events never pay for', async () => {
  const { raw, plan } = await migratedSqlite();
  // The planner chooses by the table's statistics: a fleet's mix, 3% meetings among page views.
  raw.exec(`
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 3999)
    INSERT INTO fleet_records (device_id, idempotency_key, kind, at, day, received_at, team, app_version,
      event_type, item_id, page, dwell_ms, dwell_bucket, meeting_id, account, payload, sealed)
    SELECT 'dev' || (i % 40), 'k' || i, CASE WHEN i % 33 = 0 THEN 'meeting' ELSE 'event' END,
      '2026-01-01T00:00:00.000Z', '2026-01-01', '2026-01-01T00:00:00.000Z', 'North', '1.4.0',
      CASE WHEN i % 33 = 0 THEN NULL ELSE 'page.viewed' END, 'item-' || (i % 300), 1 + i % 12, 5000, 30,
      'm' || (i % 120), CASE WHEN i % 33 = 0 THEN 'Account' ELSE NULL END, '{}', 0
    FROM n`);
  raw.exec('ANALYZE');
  expect(
    plan(
      `SELECT query_folded, count(*), max(at), count(distinct device_id) FROM fleet_records WHERE kind = 'search-miss' GROUP BY query_folded`,
    ),
  ).toMatch(/USING COVERING INDEX fleet_records_search_misses/);
  // Outer loop over the meetings alone, the page views shown in each found by (meeting, device).
  const shown = plan(
    `SELECT m.account, r.item_id, count(*) FROM fleet_records r JOIN fleet_records m ON m.meeting_id = r.meeting_id AND m.device_id = r.device_id AND m.kind = 'meeting' WHERE r.kind = 'event' AND r.event_type = 'page.viewed' GROUP BY m.account, r.item_id`,
  );
  expect(shown).toMatch(/SEARCH r USING COVERING INDEX fleet_records_in_meetings \(meeting_id=\? AND device_id=\?/);
  // The outer loop reads the meetings' own partial index (the usage index it searched went in 041).
  expect(shown).toMatch(/(SCAN|SEARCH) m USING (COVERING )?INDEX fleet_records_meetings_by_rep/);
  expect(shown).not.toMatch(/SCAN r/);
  // A manager's team view keeps the views of their team: still read from the index alone.
  expect(
    plan(
      `SELECT m.account, m.outcome, r.item_id, count(*), sum(r.dwell_ms) FROM fleet_records r JOIN fleet_records m ON m.meeting_id = r.meeting_id AND m.device_id = r.device_id AND m.kind = 'meeting' AND m.team = 'North' WHERE r.kind = 'event' AND r.event_type = 'page.viewed' AND r.team = 'North' GROUP BY m.account, m.outcome, r.item_id`,
    ),
  ).toMatch(/SEARCH r USING COVERING INDEX fleet_records_in_meetings \(meeting_id=\? AND device_id=\?/);
  expect(
    plan(
      `SELECT rep, count(*), count(distinct account) FROM fleet_records WHERE kind = 'meeting' AND team = 'North' GROUP BY rep`,
    ),
  ).toMatch(/USING COVERING INDEX fleet_records_meetings_by_rep/);
  // A drill-down by region, rep or release within a team and a period reads that team's days
  // (another team than the rows above, all North, so the index is worth reading).
  expect(
    plan(
      `SELECT item_id, count(*) FROM fleet_records r WHERE r.team = 'South' AND r.kind = 'event' AND r.region = 'EMEA' AND r.day >= '2026-01-01' AND r.day <= '2026-01-31' GROUP BY item_id`,
    ),
  ).toMatch(/USING INDEX fleet_records_team_day \(team=\? AND kind=\? AND day>\? AND day<\?\)/);
  expect(plan(`DELETE FROM fleet_records WHERE kind = 'lead' AND retain_until < '2026-01-01'`)).toMatch(
    /USING INDEX fleet_records_leads/,
  );
  // A fold takes the records numbered past its mark, in order, from their own partial index.
  expect(plan(`SELECT fold_seq, item_id FROM fleet_records WHERE fold_seq > 10 ORDER BY fold_seq LIMIT 50000`)).toMatch(
    /SEARCH fleet_records USING INDEX fleet_records_fold_seq \(fold_seq>\?\)/,
  );
  // Each index an event row goes into costs every ingest: only these three take every event.
  const eventIndexes = (
    raw.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'fleet_records'`).all() as {
      name: string;
      sql: string | null;
    }[]
  )
    .filter((i) => !/where/i.test(i.sql ?? ''))
    .map((i) => i.name)
    .sort();
  // The content views' two wide indexes went with the rollups (migration 041).
  expect(eventIndexes).toEqual(['fleet_records_rep', 'fleet_records_team_day', 'sqlite_autoindex_fleet_records_1']);
});
