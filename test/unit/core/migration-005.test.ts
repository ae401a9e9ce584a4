import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '#core/storage/database';
import { migrations } from '#core/storage/migrations/index';

/** Migration 5 on a version-4 database with a lead: the lead survives, pitches and activity work. */
describe('migration 005 (pitches, activity, meetings)', () => {
  it('adds presenting tables to a version-4 database and keeps its leads', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, 4));
    db.prepare(
      `INSERT INTO leads (id, captured_at, consent_version, sealed) VALUES ('l1', '2026-05-01', 'v1', x'00')`,
    ).run();
    migrate(db, migrations.slice(0, 5));
    expect(db.pragma('user_version', { simple: true })).toBe(5);
    expect(db.prepare(`SELECT id FROM leads`).get()).toEqual({ id: 'l1' });
    db.prepare(`INSERT INTO pitches (id, name, created_at, updated_at) VALUES ('p', 'Brewery', 'a', 'a')`).run();
    db.prepare(`INSERT INTO pitch_steps (pitch_id, position, item_id, page) VALUES ('p', 0, 'brochure', 3)`).run();
    expect(() =>
      db.prepare(`INSERT INTO pitch_steps (pitch_id, position, item_id, page) VALUES ('p', 1, 'x', 0)`).run(),
    ).toThrow(/CHECK/);
    db.prepare(`DELETE FROM pitches WHERE id = 'p'`).run();
    expect(db.prepare(`SELECT count(*) AS n FROM pitch_steps`).get()).toEqual({ n: 0 });
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT count(*) FROM activity WHERE item_id = ? AND type = 'item.opened'`)
      .all('x') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/activity_by_item/);
  });
});
