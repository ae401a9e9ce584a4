import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '#core/storage/database';
import { migrations } from '#core/storage/migrations/index';

/** Migration "outbox studio lane" on the previous version: an empty lane beside the outbox. */
describe('migration 017 (outbox studio lane)', () => {
  const version = migrations.findIndex((migration) => migration.name === 'outbox studio lane') + 1;

  it('adds an empty lane whose rows belong to outbox rows, and picks due rows by its index', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, version - 1));
    db.prepare(
      `INSERT INTO outbox (kind, idempotency_key, payload, created_at) VALUES ('event', 'event:a', '{}', 'x')`,
    ).run();
    migrate(db, migrations.slice(0, version));
    expect(db.pragma('user_version', { simple: true })).toBe(version);
    expect(db.prepare(`SELECT count(*) AS n FROM outbox_studio`).get()).toEqual({ n: 0 });
    db.prepare(`INSERT INTO outbox_studio (outbox_id) VALUES (1)`).run();
    expect(() => db.prepare(`INSERT INTO outbox_studio (outbox_id) VALUES (99)`).run()).toThrow(/FOREIGN KEY/);
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT outbox_id FROM outbox_studio WHERE sent_at IS NULL AND refused IS NULL AND batch_key IS NULL
           AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY next_attempt_at, outbox_id LIMIT 10`,
      )
      .all('z') as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/outbox_studio_due/);
    db.prepare(`DELETE FROM outbox WHERE id = 1`).run();
    expect(db.prepare(`SELECT count(*) AS n FROM outbox_studio`).get()).toEqual({ n: 0 });
  });
});
