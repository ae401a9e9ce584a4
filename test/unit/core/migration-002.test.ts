import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '#core/storage/database';
import { migrations } from '#core/storage/migrations/index';

/** Migration 2 on a database at version 1 with a library in it: the library survives, the log works. */
describe('migration 002 (search log)', () => {
  it('adds the search log to a version-1 database without touching its library', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, 1));
    db.prepare(
      `INSERT INTO releases (channel, version, published_at, expires_at, manifest_sha256, installed_at, state)
       VALUES ('c', 3, '2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z', 'x', '2026-01-01T00:00:00.000Z', 'current')`,
    ).run();
    migrate(db, migrations.slice(0, 2));
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare(`SELECT version FROM releases`).get()).toEqual({ version: 3 });
    db.prepare(`INSERT INTO search_log (at, query, results) VALUES ('2026-02-01T00:00:00.000Z', 'hydramax', 0)`).run();
    expect(db.prepare(`SELECT query, filters, results FROM search_log`).get()).toEqual({
      query: 'hydramax',
      filters: '{}',
      results: 0,
    });
    expect(() => db.prepare(`INSERT INTO search_log (at, query, results) VALUES ('x', 'q', -1)`).run()).toThrow(
      /CHECK/,
    );
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT at FROM search_log WHERE results = 0 AND at >= '2026'`)
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/search_log_zero_results/);
  });
});
