import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '#core/storage/database';
import { migrations } from '#core/storage/migrations/index';

/** The pitch step slide migration (13 when merged) on the database before it: steps keep their page and have no slide. */
// Found by name: another migration may land before it and move its number.
const at = migrations.findIndex((m) => m.name === 'pitch step slide');

describe('migration 013 (pitch step slide)', () => {
  it('keeps existing steps, adds a JSON slide column', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, at));
    db.prepare(`INSERT INTO pitches (id, name, created_at, updated_at) VALUES ('p', 'Pitch', 'then', 'then')`).run();
    db.prepare(
      `INSERT INTO pitch_steps (pitch_id, position, item_id, page, note) VALUES ('p', 0, 'deck', 3, 'n')`,
    ).run();
    migrate(db, migrations.slice(0, at + 1));
    expect(db.pragma('user_version', { simple: true })).toBe(at + 1);
    expect(db.prepare(`SELECT item_id, page, note, slide FROM pitch_steps`).all()).toEqual([
      { item_id: 'deck', page: 3, note: 'n', slide: null },
    ]);
    db.prepare(`UPDATE pitch_steps SET slide = ?`).run('{"id":"pptx:256","fingerprint":"ab"}');
    expect(() => db.prepare(`UPDATE pitch_steps SET slide = 'not json'`).run()).toThrow(/CHECK/);
  });
});
