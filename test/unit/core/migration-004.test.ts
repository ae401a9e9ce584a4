import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '#core/storage/database';
import { migrations } from '#core/storage/migrations/index';

/** Migration 4 on a version-3 database with a pending outbox row: the row survives, leads work. */
describe('migration 004 (kiosk sessions and leads)', () => {
  it('adds sessions and leads to a version-3 database and keeps its outbox', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, 3));
    db.prepare(
      `INSERT INTO outbox (kind, idempotency_key, payload, created_at) VALUES ('event', 'k', '{}', '2026-01-01')`,
    ).run();
    migrate(db, migrations.slice(0, 4));
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    expect(db.prepare(`SELECT count(*) AS n FROM outbox`).get()).toEqual({ n: 1 });
    db.prepare(`INSERT INTO visitor_sessions (id, started_at) VALUES ('s1', '2026-05-01T10:00:00Z')`).run();
    db.prepare(
      `INSERT INTO visitor_views (session_id, item_id, viewed_at) VALUES ('s1', 'brochure', '2026-05-01T10:01:00Z')`,
    ).run();
    db.prepare(
      `INSERT INTO leads (id, session_id, captured_at, consent_version, rating, sealed) VALUES ('l1', 's1', '2026-05-01T10:02:00Z', 'v3', 'hot', x'00')`,
    ).run();
    expect(() =>
      db
        .prepare(
          `INSERT INTO leads (id, captured_at, consent_version, rating, sealed) VALUES ('l2', 'x', 'v3', 'lukewarm', x'00')`,
        )
        .run(),
    ).toThrow(/CHECK/);
    db.prepare(`DELETE FROM visitor_sessions WHERE id = 's1'`).run();
    expect(db.prepare(`SELECT session_id FROM leads`).get()).toEqual({ session_id: null });
    expect(db.prepare(`SELECT count(*) AS n FROM visitor_views`).get()).toEqual({ n: 0 });
  });
});
