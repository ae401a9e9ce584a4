import type { Migration } from './migration.ts';

/**
 * The library: releases and everything a release describes. Rows are scoped by release so a
 * new release can be staged beside the current one and switched in one transaction.
 */
export const migration001: Migration = {
  version: 1,
  name: 'library',
  up(db) {
    db.exec(`
      CREATE TABLE releases (
        id INTEGER PRIMARY KEY,
        channel TEXT NOT NULL,
        version INTEGER NOT NULL,
        published_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        manifest_sha256 TEXT NOT NULL,
        installed_at TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('staged', 'current', 'retired')),
        attract_items TEXT NOT NULL DEFAULT '[]',
        attract_seconds INTEGER NOT NULL DEFAULT 8,
        UNIQUE (channel, version)
      ) STRICT;
      CREATE UNIQUE INDEX releases_single_current ON releases (state) WHERE state = 'current';

      CREATE TABLE collections (
        release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        title TEXT NOT NULL,
        description TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (release_id, id)
      ) STRICT;

      CREATE TABLE items (
        release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL,
        category TEXT,
        title TEXT NOT NULL,
        description TEXT NOT NULL,
        tags TEXT NOT NULL,
        products TEXT NOT NULL,
        audiences TEXT NOT NULL,
        valid_from TEXT,
        valid_until TEXT,
        kiosk INTEGER NOT NULL CHECK (kiosk IN (0, 1)),
        page_count INTEGER,
        share_url TEXT,
        entry TEXT,
        content_hash TEXT NOT NULL,
        changed_in_version INTEGER NOT NULL,
        PRIMARY KEY (release_id, id)
      ) STRICT;

      CREATE TABLE item_collections (
        release_id INTEGER NOT NULL,
        collection_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (release_id, collection_id, item_id),
        FOREIGN KEY (release_id, item_id) REFERENCES items (release_id, id) ON DELETE CASCADE,
        FOREIGN KEY (release_id, collection_id) REFERENCES collections (release_id, id) ON DELETE CASCADE
      ) STRICT;

      CREATE TABLE item_files (
        release_id INTEGER NOT NULL,
        item_id TEXT NOT NULL,
        role TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        mime TEXT NOT NULL,
        page INTEGER,
        path TEXT,
        FOREIGN KEY (release_id, item_id) REFERENCES items (release_id, id) ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX item_files_by_item ON item_files (release_id, item_id);
      CREATE INDEX item_files_by_sha ON item_files (sha256, release_id);

      CREATE TABLE glossary (
        release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        term TEXT NOT NULL,
        definition TEXT NOT NULL,
        aliases TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (release_id, id)
      ) STRICT;

      -- Blobs present and verified in blobs/<sha256>; the file system is the store, this the index.
      CREATE TABLE blobs (
        sha256 TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        stored_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `);
  },
};
