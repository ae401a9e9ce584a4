import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '#core/storage/database';
import { migrations } from '#core/storage/migrations/index';

/** Migration 9 on a version-8 database: existing pitch steps keep their page and have no slide. */
describe('migration 009 (pitch step slide)', () => {
  it('keeps existing steps, adds a JSON slide column', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 8));
    db.prepare(`INSERT INTO pitches (id, name, created_at, updated_at) VALUES ('p', 'Pitch', 'then', 'then')`).run();
    db.prepare(`INSERT INTO pitch_steps (pitch_id, position, item_id, page, note) VALUES ('p', 0, 'deck', 3, 'n')`).run();
    migrate(db, migrations.slice(0, 9));
    expect(db.pragma('user_version', { simple: true })).toBe(9);
    expect(db.prepare(`SELECT item_id, page, note, slide FROM pitch_steps`).all()).toEqual([{ item_id: 'deck', page: 3, note: 'n', slide: null }]);
    db.prepare(`UPDATE pitch_steps SET slide = ?`).run('{"id":"pptx:256","fingerprint":"ab"}');
    expect(() => db.prepare(`UPDATE pitch_steps SET slide = 'not json'`).run()).toThrow(/CHECK/);
  });
});
