import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '#core/storage/database';
import { migrations } from '#core/storage/migrations/index';

/** Migration 3 on a version-2 database with searches logged: the log survives, the outbox works. */
describe('migration 003 (outbox)', () => {
  it('adds the outbox to a version-2 database and keeps its data', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 2));
    db.prepare(`INSERT INTO search_log (at, query, results) VALUES ('2026-02-01T00:00:00.000Z', 'hydramax', 3)`).run();
    migrate(db, migrations.slice(0, 3));
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(db.prepare(`SELECT query FROM search_log`).get()).toEqual({ query: 'hydramax' });
    const insert = db.prepare(
      `INSERT INTO outbox (kind, idempotency_key, payload, created_at) VALUES ('event', ?, '{}', '2026-02-01T00:00:00.000Z')`,
    );
    insert.run('k1');
    expect(() => insert.run('k1')).toThrow(/UNIQUE/);
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT id FROM outbox WHERE sent_at IS NULL ORDER BY next_attempt_at, id`)
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/outbox_pending/);
  });
});
