import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '#core/storage/database';
import { migrations } from '#core/storage/migrations/index';

/**
 * Migration 10 on a version-9 database holding a release that lists a microsite path twice:
 * the first row of the path stays (the one served so far), the duplicate goes, and from then on
 * a path is unique per item while files without a path (page thumbnails) may repeat.
 */
describe('migration 010 (site path unique)', () => {
  it('keeps the first file of a duplicated path and refuses a second one afterwards', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, 9));
    db.prepare(
      `INSERT INTO releases (id, channel, version, published_at, expires_at, manifest_sha256, installed_at, state) VALUES (1, 'alpha', 1, 'p', 'e', 'h', 'i', 'current')`,
    ).run();
    db.prepare(
      `INSERT INTO items (release_id, id, position, kind, title, description, tags, products, audiences, kiosk, content_hash, changed_in_version)
       VALUES (1, 'site', 0, 'microsite', 'Site', '', '[]', '[]', '[]', 0, 'c', 1)`,
    ).run();
    const file = db.prepare(
      `INSERT INTO item_files (release_id, item_id, role, sha256, size, mime, page, path) VALUES (1, 'site', ?, ?, 1, 'text/html', NULL, ?)`,
    );
    file.run('site', 'a'.repeat(64), 'index.html');
    file.run('site', 'b'.repeat(64), 'index.html');
    file.run('site', 'c'.repeat(64), 'more.html');
    file.run('thumbnail', 'd'.repeat(64), null);
    file.run('thumbnail', 'e'.repeat(64), null);
    migrate(db, migrations.slice(0, 10));
    expect(db.pragma('user_version', { simple: true })).toBe(10);
    expect(db.prepare(`SELECT sha256, path FROM item_files ORDER BY rowid`).all()).toEqual([
      { sha256: 'a'.repeat(64), path: 'index.html' },
      { sha256: 'c'.repeat(64), path: 'more.html' },
      { sha256: 'd'.repeat(64), path: null },
      { sha256: 'e'.repeat(64), path: null },
    ]);
    expect(() => file.run('site', 'f'.repeat(64), 'more.html')).toThrow(/UNIQUE/);
    file.run('thumbnail', 'f'.repeat(64), null);
  });
});
