import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '#core/storage/database';
import { migrations } from '#core/storage/migrations/index';

/**
 * Migration 9 on a version-8 database: the highest version per channel starts from the
 * releases already on the device (the current one and one retired), and never holds 0.
 */
describe('migration 009 (channel highest versions)', () => {
  it('seeds the highest version of each channel from the releases on the device', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 8));
    const release = db.prepare(
      `INSERT INTO releases (channel, version, published_at, expires_at, manifest_sha256, installed_at, state) VALUES (?, ?, 'p', 'e', 'h', 'i', ?)`,
    );
    release.run('alpha', 4, 'retired');
    release.run('alpha', 5, 'current');
    migrate(db, migrations.slice(0, 9));
    expect(db.pragma('user_version', { simple: true })).toBe(9);
    expect(db.prepare(`SELECT channel, version FROM channel_highest_versions`).all()).toEqual([
      { channel: 'alpha', version: 5 },
    ]);
    expect(() =>
      db.prepare(`INSERT INTO channel_highest_versions (channel, version) VALUES ('beta', 0)`).run(),
    ).toThrow(/CHECK/);
    expect(() =>
      db.prepare(`INSERT INTO channel_highest_versions (channel, version) VALUES ('alpha', 6)`).run(),
    ).toThrow(/UNIQUE/);
  });
});
