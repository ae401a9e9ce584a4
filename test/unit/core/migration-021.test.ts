import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '#core/storage/database';
import { migrations } from '#core/storage/migrations/index';

/** Migration 020 on the database before it: one send per take, tied to its outbox row; feedback per take. */
describe('migration 021 (practice review sends and feedback)', () => {
  it('keeps takes as they were and adds sends (one per take, states checked) and feedback', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    const index = migrations.findIndex((m) => m.name === 'practice review sends and feedback');
    migrate(db, migrations.slice(0, index));
    db.prepare(
      `INSERT INTO rehearsal_takes (id, prompt_id, prompt_title, recorded_at, duration_ms, mime, size, best)
       VALUES ('t1', 'p', 'Pitch it', '2026-01-01T10:00:00Z', 1000, 'audio/webm', 10, 1)`,
    ).run();
    migrate(db, migrations.slice(0, index + 1));
    expect(db.pragma('user_version', { simple: true })).toBe(index + 1);
    expect(db.prepare(`SELECT id, best FROM rehearsal_takes`).all()).toEqual([{ id: 't1', best: 1 }]);

    const outbox = db
      .prepare(
        `INSERT INTO outbox (kind, idempotency_key, payload, created_at) VALUES ('practice-recording', 'k1', '{}', 'x')`,
      )
      .run().lastInsertRowid;
    const send = db.prepare(
      `INSERT INTO practice_sends (take_id, outbox_id, consent_version, share_as_example, sha256, size, queued_at, state)
       VALUES (?, ?, 1, 0, 'abc', 10, 'x', ?)`,
    );
    send.run('t1', outbox, 'queued');
    // One send per take, a real outbox row, and only the states the screen knows.
    expect(() => send.run('t1', outbox, 'queued')).toThrow();
    expect(() => send.run('t2', 999_999, 'queued')).toThrow();
    expect(() => send.run('t3', outbox, 'lost')).toThrow();
    db.prepare(
      `INSERT INTO practice_feedback (take_id, recording_id, entry, received_at) VALUES ('t1', 'r1', '{}', 'x')`,
    ).run();
    expect(db.prepare(`SELECT count(*) AS n FROM practice_feedback`).get()).toEqual({ n: 1 });
  });
});
