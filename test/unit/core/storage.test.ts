import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openStorage } from '#core/storage/database';
import { migrations } from '#core/storage/migrations/index';
import { PitchcaseError } from '#shared/result';
import { tempDir } from '../../support/release.ts';

const dirs: (() => void)[] = [];
afterEach(() => dirs.splice(0).forEach((c) => c()));
function dbFile(): string {
  const t = tempDir();
  dirs.push(t.cleanup);
  return path.join(t.dir, 'pitchcase.db');
}

describe('storage', () => {
  it('opens with WAL, synchronous=FULL, foreign keys and a busy timeout', () => {
    const storage = openStorage(dbFile());
    try {
      expect(storage.write.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(storage.write.pragma('synchronous', { simple: true })).toBe(2);
      expect(storage.write.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(storage.write.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(storage.schemaVersion).toBe(migrations.length);
    } finally {
      storage.close();
    }
  });

  it('creates every table STRICT', () => {
    const storage = openStorage(dbFile());
    try {
      const tables = storage.read.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'table'`).all() as {
        name: string;
        sql: string;
      }[];
      expect(tables.length).toBeGreaterThan(5);
      for (const t of tables) expect(t.sql, t.name).toMatch(/\)\s*STRICT$/);
    } finally {
      storage.close();
    }
  });

  it('gives a read handle that cannot write', () => {
    const storage = openStorage(dbFile());
    try {
      expect(() => storage.read.prepare(`INSERT INTO settings (key, value) VALUES ('a', 'b')`).run()).toThrow(
        /readonly/i,
      );
    } finally {
      storage.close();
    }
  });

  it('refuses a database written by a newer schema, with a clear message, and leaves it alone', () => {
    const file = dbFile();
    openStorage(file).close();
    const raw = new Database(file);
    raw.pragma('user_version = 99');
    raw.close();
    let error: unknown;
    try {
      openStorage(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PitchcaseError);
    expect((error as PitchcaseError).code).toBe('schema-too-new');
    expect((error as Error).message).toMatch(/newer version of Pitchcase.*schema 99/);
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(99);
    check.close();
  });

  it('applies pending migrations in one transaction: a failing one leaves the previous schema', () => {
    const db = new Database(':memory:');
    const failing = [
      ...migrations,
      {
        version: migrations.length + 1,
        name: 'adds a table',
        up: (d: Database.Database) => d.exec('CREATE TABLE half_done (x INTEGER) STRICT'),
      },
      {
        version: migrations.length + 2,
        name: 'fails',
        up: () => {
          throw new Error('boom');
        },
      },
    ];
    migrate(db, migrations);
    expect(() => migrate(db, failing)).toThrow('boom');
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(db.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE name = 'half_done'`).get()).toEqual({ n: 0 });
    db.close();
  });
});
