import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '#core/storage/database';
import { migrations } from '#core/storage/migrations/index';

/**
 * The search-scope migration on the database before it: earlier searches were a rep's; a scope is
 * rep or kiosk. Found by name, so a renumbering when branches meet leaves the test valid.
 */
describe('migration (search scope)', () => {
  it('keeps logged searches as rep searches and takes only rep or kiosk', () => {
    const at = migrations.findIndex((m) => m.name === 'search scope');
    expect(at).toBeGreaterThan(1);
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, at));
    db.prepare(`INSERT INTO search_log (at, query, results) VALUES ('2026-02-01T00:00:00.000Z', 'hydramax', 0)`).run();
    migrate(db, migrations.slice(0, at + 1));
    expect(db.pragma('user_version', { simple: true })).toBe(at + 1);
    expect(db.prepare(`SELECT query, results, scope FROM search_log`).all()).toEqual([
      { query: 'hydramax', results: 0, scope: 'rep' },
    ]);
    const insert = db.prepare(
      `INSERT INTO search_log (at, query, results, scope) VALUES ('2026-02-02T00:00:00.000Z', 'osmosys', 0, ?)`,
    );
    insert.run('kiosk');
    expect(() => insert.run('visitor')).toThrow(/CHECK/);
    expect(db.prepare(`SELECT count(*) AS n FROM search_log WHERE scope = 'kiosk'`).get()).toEqual({ n: 1 });
  });
});
