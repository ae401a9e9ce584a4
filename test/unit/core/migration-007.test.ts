import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '#core/storage/database';
import { migrations } from '#core/storage/migrations/index';

/**
 * Migration 7 on a version-6 database with a draft and a logged meeting: both keep their fields
 * and take ink per page; a page's ink is one row; deleting the draft deletes its ink; reading a
 * meeting's ink and the cascade use the index.
 */
describe('migration 007 (meeting ink)', () => {
  it('keeps version-6 meetings, keeps ink per meeting and page, and deletes it with its meeting', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, 6));
    const meeting = db.prepare(
      `INSERT INTO meetings (id, started_at, ended_at, status, account, shown, contact_id, updated_at)
       VALUES (?, '2026-05-01T09:00:00Z', '2026-05-01T09:30:00Z', ?, 'Marston', '[{"itemId":"deck","page":2,"dwellMs":5000}]', ?, 'x')`,
    );
    meeting.run('draft-01', 'later', null);
    meeting.run('logged-01', 'logged', '003A');
    migrate(db, migrations.slice(0, 7));
    expect(db.pragma('user_version', { simple: true })).toBe(7);
    expect(db.prepare(`SELECT id, status, account, shown, contact_id FROM meetings ORDER BY id`).all()).toEqual([
      {
        id: 'draft-01',
        status: 'later',
        account: 'Marston',
        shown: '[{"itemId":"deck","page":2,"dwellMs":5000}]',
        contact_id: null,
      },
      {
        id: 'logged-01',
        status: 'logged',
        account: 'Marston',
        shown: '[{"itemId":"deck","page":2,"dwellMs":5000}]',
        contact_id: '003A',
      },
    ]);

    const ink = db.prepare(
      `INSERT INTO meeting_ink (meeting_id, item_id, page, aspect, strokes, updated_at) VALUES (?, ?, ?, ?, ?, 'now')`,
    );
    const stroke = '[{"points":[{"x":0.1,"y":0.2},{"x":0.3,"y":0.4}]}]';
    ink.run('draft-01', 'deck', 2, 16 / 9, stroke);
    ink.run('draft-01', 'deck', 3, 16 / 9, stroke);
    ink.run('draft-01', 'photo', null, 4 / 3, stroke);
    ink.run('logged-01', 'deck', 2, 16 / 9, stroke);
    expect(() => ink.run('draft-01', 'deck', 2, 1, '[]')).toThrow(/UNIQUE/);
    expect(() => ink.run('draft-01', 'photo', null, 1, '[]')).toThrow(/UNIQUE/);
    expect(() => ink.run('no-such-meeting', 'deck', 1, 1, '[]')).toThrow(/FOREIGN KEY/);
    expect(() => ink.run('draft-01', 'deck', 0, 1, '[]')).toThrow(/CHECK/);
    expect(() => ink.run('draft-01', '', 1, 1, '[]')).toThrow(/CHECK/);
    expect(() => ink.run('draft-01', 'deck', 5, 0, '[]')).toThrow(/CHECK/);
    expect(() => ink.run('draft-01', 'deck', 5, 1, '{"points":[]}')).toThrow(/CHECK/);
    expect(() => ink.run('draft-01', 'deck', 5, 1, 'not json')).toThrow(/CHECK/);

    db.prepare(`DELETE FROM meetings WHERE id = 'draft-01'`).run();
    expect(db.prepare(`SELECT meeting_id, item_id, page FROM meeting_ink`).all()).toEqual([
      { meeting_id: 'logged-01', item_id: 'deck', page: 2 },
    ]);

    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((p) => p.detail).join(' ');
    expect(plan(`SELECT item_id, page, strokes FROM meeting_ink WHERE meeting_id = 'logged-01'`)).toMatch(
      /meeting_ink_by_page/,
    );
    expect(plan(`DELETE FROM meeting_ink WHERE meeting_id = 'x' AND item_id = 'deck' AND ifnull(page, 0) = 2`)).toMatch(
      /meeting_ink_by_page/,
    );
  });
});
