import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '#core/storage/database';
import { migrations } from '#core/storage/migrations/index';

/** Migration 15 on a version-14 database with a lead: the lead keeps everything, gains the new columns. */
describe('migration 015 (lead qualification and event)', () => {
  it('keeps existing leads (and a rating the old form set) and adds event, sealed note and qualified-at', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, 14));
    db.prepare(
      `INSERT INTO leads (id, captured_at, consent_version, rating, sealed) VALUES ('l1', '2026-05-01T10:02:00Z', 'v3', 'warm', x'01')`,
    ).run();
    migrate(db, migrations.slice(0, 15));
    expect(db.pragma('user_version', { simple: true })).toBe(15);
    expect(db.prepare(`SELECT id, rating, sealed, event_name, staff_note, qualified_at FROM leads`).get()).toEqual({
      id: 'l1',
      rating: 'warm',
      sealed: Buffer.from([1]),
      event_name: null,
      staff_note: null,
      qualified_at: null,
    });
    db.prepare(`UPDATE leads SET staff_note = x'02', qualified_at = '2026-05-01T11:00:00Z', event_name = 'Expo'`).run();
    // STRICT: a note that is not sealed bytes is refused.
    expect(() => db.prepare(`UPDATE leads SET staff_note = 'in clear'`).run()).toThrow();
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT id FROM leads WHERE captured_at >= ? AND captured_at < ? ORDER BY captured_at DESC`,
      )
      .all('2026-05-01', '2026-05-02') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/leads_by_capture/);
  });
});
