import type { Migration } from './migration.ts';

/**
 * What the device owes CRM and marketing (activity events, leads, meetings), written in the
 * same transaction as the state it describes and uploaded when a network appears. A row is
 * marked sent only after a 2xx; its idempotency key lets the receiver drop a repeat.
 */
export const migration003: Migration = {
  version: 3,
  name: 'outbox',
  up(db) {
    db.exec(`
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        idempotency_key TEXT NOT NULL UNIQUE,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at TEXT,
        last_error TEXT,
        sent_at TEXT
      ) STRICT;
      CREATE INDEX outbox_pending ON outbox (next_attempt_at, id) WHERE sent_at IS NULL;
    `);
  },
};
