import type { Migration } from './migration.ts';

/**
 * Trade-show kiosk: anonymous visitor sessions (what was viewed, for marketing) and leads.
 * Everything personal about a lead is in `sealed` (AES-256-GCM); the clear columns say only
 * when, which consent text, how warm, and what was looked at.
 */
export const migration004: Migration = {
  version: 4,
  name: 'kiosk sessions and leads',
  up(db) {
    db.exec(`
      CREATE TABLE visitor_sessions (
        id TEXT PRIMARY KEY,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        end_reason TEXT CHECK (end_reason IN ('idle', 'done', 'lead'))
      ) STRICT;

      CREATE TABLE visitor_views (
        session_id TEXT NOT NULL REFERENCES visitor_sessions (id) ON DELETE CASCADE,
        item_id TEXT NOT NULL,
        viewed_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX visitor_views_by_session ON visitor_views (session_id);

      CREATE TABLE leads (
        id TEXT PRIMARY KEY,
        session_id TEXT REFERENCES visitor_sessions (id) ON DELETE SET NULL,
        captured_at TEXT NOT NULL,
        consent_version TEXT NOT NULL,
        rating TEXT CHECK (rating IN ('hot', 'warm', 'cold')),
        interests TEXT NOT NULL DEFAULT '[]',
        viewed_items TEXT NOT NULL DEFAULT '[]',
        sealed BLOB NOT NULL,
        delivered_at TEXT
      ) STRICT;
      CREATE INDEX leads_undelivered ON leads (captured_at) WHERE delivered_at IS NULL;
    `);
  },
};
