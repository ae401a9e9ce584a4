import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '#core/storage/database';
import { migrations } from '#core/storage/migrations/index';

/** Migration 021 on the database before it: quizzes go with their release, attempts and what was known stay. */
describe('migration 020 (quizzes and attempts)', () => {
  it('adds quizzes per release (removed with it), attempts read by quiz, and what the rep knew', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    const index = migrations.findIndex((m) => m.name === 'quizzes and attempts');
    migrate(db, migrations.slice(0, index));
    db.prepare(
      `INSERT INTO releases (id, channel, version, published_at, expires_at, installed_at, state, manifest_sha256)
       VALUES (1, 'c', 1, '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'current', 'x')`,
    ).run();
    migrate(db, migrations.slice(0, index + 1));
    expect(db.pragma('user_version', { simple: true })).toBe(index + 1);

    db.prepare(
      `INSERT INTO quizzes (release_id, id, title, kind, item_id, term_id, pass_percent, revision, questions, position)
       VALUES (1, 'q', 'Terms', 'general', NULL, NULL, 80, 'r', '[]', 0)`,
    ).run();
    db.prepare(
      `INSERT INTO quiz_attempts (id, quiz_id, quiz_title, revision, taken_at, asked, correct, percent, passed, only_changed, answers)
       VALUES ('a1', 'q', 'Terms', 'r', '2026-01-01T10:00:00Z', 2, 2, 100, 1, 0, '[]')`,
    ).run();
    db.prepare(`INSERT INTO quiz_known (quiz_id, question_id, version, passed_at) VALUES ('q', 'q1', 'v', 'x')`).run();
    expect(() =>
      db
        .prepare(`INSERT INTO quiz_known (quiz_id, question_id, version, passed_at) VALUES ('q', 'q1', 'w', 'y')`)
        .run(),
    ).toThrow();
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT id FROM quiz_attempts WHERE quiz_id = ? ORDER BY taken_at DESC`)
      .all('q') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/quiz_attempts_by_quiz/);

    db.prepare(`DELETE FROM releases WHERE id = 1`).run();
    expect(db.prepare(`SELECT count(*) AS n FROM quizzes`).get()).toEqual({ n: 0 });
    expect(db.prepare(`SELECT count(*) AS n FROM quiz_attempts`).get()).toEqual({ n: 1 });
    expect(db.prepare(`SELECT count(*) AS n FROM quiz_known`).get()).toEqual({ n: 1 });
  });
});
