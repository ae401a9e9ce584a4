import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '#core/storage/database';
import { migrations } from '#core/storage/migrations/index';

/** Migration 019 on the database before it: prompts go with their release, takes stay, one best per prompt. */
describe('migration 019 (practice prompts and rehearsal takes)', () => {
  it('adds prompts per release (removed with it) and takes with at most one best per prompt', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    const index = migrations.findIndex((m) => m.name === 'practice prompts and rehearsal takes');
    migrate(db, migrations.slice(0, index));
    db.prepare(
      `INSERT INTO releases (id, channel, version, published_at, expires_at, installed_at, state, manifest_sha256)
       VALUES (1, 'c', 1, '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'current', 'x')`,
    ).run();
    migrate(db, migrations.slice(0, index + 1));
    expect(db.pragma('user_version', { simple: true })).toBe(index + 1);

    db.prepare(
      `INSERT INTO practice_prompts (release_id, id, title, item_id, page, term_id, key_messages, time_limit_seconds, position)
       VALUES (1, 'p', 'Pitch it', 'i', NULL, NULL, '["a"]', 60, 0)`,
    ).run();
    const take = db.prepare(
      `INSERT INTO rehearsal_takes (id, prompt_id, prompt_title, recorded_at, duration_ms, mime, size, best)
       VALUES (?, 'p', 'Pitch it', ?, 1000, 'audio/webm', 10, ?)`,
    );
    take.run('t1', '2026-01-01T10:00:00Z', 1);
    take.run('t2', '2026-01-01T10:01:00Z', 0);
    // A second best for the same prompt is refused by the schema, not only by the code.
    expect(() => db.prepare(`UPDATE rehearsal_takes SET best = 1 WHERE id = 't2'`).run()).toThrow();
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT id FROM rehearsal_takes WHERE prompt_id = ? ORDER BY recorded_at DESC`)
      .all('p') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/rehearsal_takes_by_prompt/);

    // The release goes, its prompts with it; the rep's takes stay.
    db.prepare(`DELETE FROM releases WHERE id = 1`).run();
    expect(db.prepare(`SELECT count(*) AS n FROM practice_prompts`).get()).toEqual({ n: 0 });
    expect(db.prepare(`SELECT count(*) AS n FROM rehearsal_takes`).get()).toEqual({ n: 2 });
  });
});
