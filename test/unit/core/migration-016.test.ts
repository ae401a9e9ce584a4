import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '#core/storage/database';
import { migrations } from '#core/storage/migrations/index';

/** Migration "outbox source" on the previous version: old rows keep no source, new rows hold JSON. */
describe('migration 016 (outbox source)', () => {
  const version = migrations.findIndex((migration) => migration.name === 'outbox source') + 1;

  it('adds a nullable JSON source to every outbox row, keeping the rows there were', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, version - 1));
    db.prepare(
      `INSERT INTO outbox (kind, idempotency_key, payload, created_at) VALUES ('event', 'event:a', '{}', 'x')`,
    ).run();
    migrate(db, migrations.slice(0, version));
    expect(db.pragma('user_version', { simple: true })).toBe(version);
    expect(db.prepare(`SELECT idempotency_key, source FROM outbox`).all()).toEqual([
      { idempotency_key: 'event:a', source: null },
    ]);
    db.prepare(
      `INSERT INTO outbox (kind, idempotency_key, payload, created_at, source) VALUES ('event', 'event:b', '{}', 'x', ?)`,
    ).run(JSON.stringify({ deviceId: 'local-1' }));
    expect(() =>
      db
        .prepare(
          `INSERT INTO outbox (kind, idempotency_key, payload, created_at, source) VALUES ('event', 'event:c', '{}', 'x', 'not json')`,
        )
        .run(),
    ).toThrow(/CHECK/);
  });
});
