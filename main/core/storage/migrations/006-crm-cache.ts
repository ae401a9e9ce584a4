import type { Migration } from './migration.ts';

/**
 * The CRM cache and CRM links of meetings. Accounts, contacts and open opportunities are kept on
 * the device so a rep can pick them offline while typing the wrap-up; `source` says where a row
 * came from (Salesforce REST, or a file exported from another CRM), because a refresh from one
 * source replaces only that source's rows. A meeting keeps the CRM ids it was linked to, so its
 * Task lands on that contact and opportunity; meetings saved for later are listed by status.
 */
export const migration006: Migration = {
  version: 6,
  name: 'CRM cache and meeting links',
  up(db) {
    db.exec(`
      CREATE TABLE crm_records (
        kind TEXT NOT NULL CHECK (kind IN ('account', 'contact', 'opportunity')),
        crm_id TEXT NOT NULL CHECK (length(crm_id) BETWEEN 1 AND 128),
        source TEXT NOT NULL CHECK (source IN ('salesforce', 'file')),
        name TEXT NOT NULL,
        email TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '',
        stage TEXT NOT NULL DEFAULT '',
        account_id TEXT,
        account_name TEXT NOT NULL DEFAULT '',
        cached_at TEXT NOT NULL,
        PRIMARY KEY (kind, crm_id)
      ) STRICT;
      CREATE INDEX crm_records_by_name ON crm_records (kind, name COLLATE NOCASE);
      CREATE INDEX crm_records_by_source ON crm_records (source);

      CREATE TABLE crm_sources (
        source TEXT PRIMARY KEY CHECK (source IN ('salesforce', 'file')),
        cached_at TEXT,
        attempted_at TEXT,
        last_error TEXT
      ) STRICT;

      ALTER TABLE meetings ADD COLUMN account_id TEXT;
      ALTER TABLE meetings ADD COLUMN contact_id TEXT;
      ALTER TABLE meetings ADD COLUMN opportunity_id TEXT;
      CREATE INDEX meetings_by_status ON meetings (status, started_at);
    `);
  },
};
