import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '#core/storage/database';
import { migrations } from '#core/storage/migrations/index';

/**
 * Migration 8 on a version-7 database: blobs indexed before it were fsynced before their
 * release switched, so they are settled; new rows say whether they are, and nothing else goes.
 */
describe('migration 008 (blob settled)', () => {
  it('marks existing blobs settled and takes only 0 or 1', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 7));
    db.prepare(`INSERT INTO blobs (sha256, size, stored_at) VALUES (?, ?, 'then')`).run('a'.repeat(64), 10);
    migrate(db, migrations.slice(0, 8));
    expect(db.pragma('user_version', { simple: true })).toBe(8);
    expect(db.prepare(`SELECT sha256, size, settled FROM blobs`).all()).toEqual([
      { sha256: 'a'.repeat(64), size: 10, settled: 1 },
    ]);
    const insert = db.prepare(`INSERT INTO blobs (sha256, size, stored_at, settled) VALUES (?, 1, 'now', ?)`);
    insert.run('b'.repeat(64), 0);
    expect(() => insert.run('c'.repeat(64), 2)).toThrow(/CHECK/);
    expect(db.prepare(`SELECT count(*) AS n FROM blobs WHERE settled = 0`).get()).toEqual({ n: 1 });
  });
});
