import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { itemUse, recordOpened, setFavourite } from '#core/library/index';
import type { ReadDb, WriteDb } from '#core/storage/database';
import { migrate } from '#core/storage/database';
import { migrations } from '#core/storage/migrations/index';

/** Migration "item use" on the previous version, then favourites, recents and opens through it. */
describe('migration 014 (item use)', () => {
  const version = migrations.findIndex((migration) => migration.name === 'item use') + 1;

  it('adds an empty item_use table to an existing profile, and keeps favourites, recents and counts', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, version - 1));
    migrate(db, migrations.slice(0, version));
    expect(db.pragma('user_version', { simple: true })).toBe(version);
    const write = db as WriteDb;
    const read = db as unknown as ReadDb;
    expect(itemUse(read)).toEqual({ favourites: [], recent: [], opens: {} });

    recordOpened(write, 'brochure', '2026-12-01T10:00:00.000Z');
    recordOpened(write, 'deck', '2026-12-01T11:00:00.000Z');
    recordOpened(write, 'brochure', '2026-12-01T12:00:00.000Z');
    setFavourite(write, 'deck', true, '2026-12-01T12:30:00.000Z');
    setFavourite(write, 'price-sheet', true, '2026-12-01T13:00:00.000Z');
    setFavourite(write, 'price-sheet', false, '2026-12-01T14:00:00.000Z');

    expect(itemUse(read)).toEqual({
      favourites: ['deck'],
      recent: ['brochure', 'deck'],
      opens: { brochure: 2, deck: 1 },
    });
    expect(() => db.prepare(`UPDATE item_use SET opens = -1`).run()).toThrow(/CHECK/);
  });
});
