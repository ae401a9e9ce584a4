import type { Migration } from './migration.ts';

/**
 * The highest release version this device has seen, per channel. Version order was checked
 * only against the installed release, so a host that served channel B between channel A v5 and
 * A v3 made the device accept A v3 (a rollback). Seeded from the releases on the device.
 */
export const migration009: Migration = {
  version: 9,
  name: 'channel highest versions',
  up(db) {
    db.exec(`
      CREATE TABLE channel_highest_versions (
        channel TEXT PRIMARY KEY,
        version INTEGER NOT NULL CHECK (version > 0)
      ) STRICT;
      INSERT INTO channel_highest_versions (channel, version) SELECT channel, max(version) FROM releases GROUP BY channel;
    `);
  },
};
