import type { Migration } from './migration.ts';

/**
 * Booth staff qualify leads behind the PIN, and a kiosk knows which trade show it stands at.
 * `rating` (hot/warm/cold) already exists and is now set by staff only; the staff note is
 * personal data and is sealed like the lead (`staff_note`, AES-256-GCM, null when none);
 * `qualified_at` says when staff last changed either. Each lead is stamped with the event the
 * kiosk was set to when it was captured (null before staff named one). The staff list reads
 * one day of one event, newest first: the index serves it.
 */
export const migration015: Migration = {
  version: 15,
  name: 'lead qualification and event',
  up(db) {
    db.exec(`
      ALTER TABLE leads ADD COLUMN event_name TEXT;
      ALTER TABLE leads ADD COLUMN staff_note BLOB;
      ALTER TABLE leads ADD COLUMN qualified_at TEXT;
      CREATE INDEX leads_by_capture ON leads (captured_at);
    `);
  },
};
