import type { Migration } from './migration.ts';

/**
 * Studio is a destination beside the CRM ones: a meeting goes to Salesforce AND to Studio, each
 * acknowledging it on its own. So Studio's delivery state is a lane of its own, one row per
 * outbox record made while the device is enrolled. A record Studio refuses (malformed, with a
 * reason) is marked refused and never sent again; everything else is retried until acknowledged,
 * under the batch key it was first sent with (as in the outbox itself).
 */
export const migration017: Migration = {
  version: 17,
  name: 'outbox studio lane',
  up(db) {
    db.exec(`
      CREATE TABLE outbox_studio (
        outbox_id INTEGER PRIMARY KEY REFERENCES outbox (id) ON DELETE CASCADE,
        batch_key TEXT,
        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at TEXT,
        last_error TEXT,
        refused TEXT,
        sent_at TEXT
      ) STRICT;
      CREATE INDEX outbox_studio_due ON outbox_studio (next_attempt_at, outbox_id)
        WHERE sent_at IS NULL AND refused IS NULL;
      CREATE INDEX outbox_studio_batches ON outbox_studio (batch_key)
        WHERE batch_key IS NOT NULL AND sent_at IS NULL AND refused IS NULL;
    `);
  },
};
