import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '#core/storage/database';
import { migrations } from '#core/storage/migrations/index';

/** Migration "item collections by item" on the previous version: data kept, the lookup indexed. */
describe('migration 018 (item collections by item)', () => {
  const version = migrations.findIndex((migration) => migration.name === 'item collections by item') + 1;

  it('keeps every collection membership and finds an item’s collections by the new index', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, version - 1));
    db.exec(`
      INSERT INTO releases (id, channel, version, published_at, expires_at, manifest_sha256, installed_at, state)
        VALUES (1, 'demo', 1, 'p', 'e', 'm', 'i', 'current');
      INSERT INTO collections (release_id, id, title, description, position) VALUES (1, 'main', 'Main', '', 0);
      INSERT INTO items (release_id, id, position, kind, title, description, tags, products, audiences, kiosk,
                         content_hash, changed_in_version)
        VALUES (1, 'brochure', 0, 'pdf', 'Brochure', '', '[]', '[]', '[]', 0, 'h', 1);
      INSERT INTO item_collections (release_id, collection_id, item_id, position) VALUES (1, 'main', 'brochure', 0);
    `);
    migrate(db, migrations.slice(0, version));
    expect(db.pragma('user_version', { simple: true })).toBe(version);
    const lookup = `SELECT collection_id FROM item_collections WHERE release_id = 1 AND item_id = 'brochure'`;
    expect(db.prepare(lookup).pluck().all()).toEqual(['main']);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${lookup}`).all() as { detail: string }[]).map((r) => r.detail);
    expect(plan.join('\n')).toMatch(/USING (COVERING )?INDEX item_collections_by_item/);
  });
});
