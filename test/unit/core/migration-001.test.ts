import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '#core/storage/database';
import { migrations } from '#core/storage/migrations/index';

/** Migration 1 from an empty database: the library tables hold a release and enforce its rules. */
describe('migration 001 (library)', () => {
  function migrated(): Database.Database {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, 1));
    return db;
  }

  function insertRelease(db: Database.Database, version: number, state: string): number {
    return Number(
      db
        .prepare(
          `INSERT INTO releases (channel, version, published_at, expires_at, manifest_sha256, installed_at, state)
           VALUES ('c', ?, '2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z', 'x', '2026-01-01T00:00:00.000Z', ?)`,
        )
        .run(version, state).lastInsertRowid,
    );
  }

  it('stores a release with items, files and collections, and cascades deletes', () => {
    const db = migrated();
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    const r = insertRelease(db, 1, 'current');
    db.prepare(
      `INSERT INTO collections (release_id, id, title, description, position) VALUES (?, 'main', 'Main', '', 0)`,
    ).run(r);
    db.prepare(
      `INSERT INTO items (release_id, id, position, kind, title, description, tags, products, audiences, kiosk, content_hash, changed_in_version)
       VALUES (?, 'a', 0, 'pdf', 'A', '', '[]', '[]', '[]', 0, 'h', 1)`,
    ).run(r);
    db.prepare(
      `INSERT INTO item_collections (release_id, collection_id, item_id, position) VALUES (?, 'main', 'a', 0)`,
    ).run(r);
    db.prepare(
      `INSERT INTO item_files (release_id, item_id, role, sha256, size, mime) VALUES (?, 'a', 'primary', ?, 1, 'application/pdf')`,
    ).run(r, 'f'.repeat(64));
    db.prepare(`DELETE FROM releases WHERE id = ?`).run(r);
    for (const table of ['items', 'item_files', 'item_collections', 'collections'])
      expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get(), table).toEqual({ n: 0 });
  });

  it('allows only one current release', () => {
    const db = migrated();
    insertRelease(db, 1, 'current');
    expect(() => insertRelease(db, 2, 'current')).toThrow(/UNIQUE/);
    expect(() => insertRelease(db, 2, 'staged')).not.toThrow();
  });

  it('rejects values of the wrong type (STRICT) and unknown states', () => {
    const db = migrated();
    expect(() => insertRelease(db, 'two' as unknown as number, 'current')).toThrow(
      /cannot store TEXT value in INTEGER column/,
    );
    expect(() => insertRelease(db, 3, 'half-applied')).toThrow(/CHECK/);
  });

  it('refuses files of an item that does not exist', () => {
    const db = migrated();
    const r = insertRelease(db, 1, 'current');
    expect(() =>
      db
        .prepare(
          `INSERT INTO item_files (release_id, item_id, role, sha256, size, mime) VALUES (?, 'ghost', 'primary', 'x', 1, 'a/b')`,
        )
        .run(r),
    ).toThrow(/FOREIGN KEY/);
  });
});
