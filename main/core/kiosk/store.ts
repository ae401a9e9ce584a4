import type { ReadDb, WriteDb } from '../storage/database.ts';

/** SQL of the kiosk: visitor sessions, their views, and sealed leads. */

export function insertSession(db: WriteDb, id: string, at: string): void {
  db.prepare(`INSERT INTO visitor_sessions (id, started_at) VALUES (?, ?)`).run(id, at);
}

export function insertView(db: WriteDb, sessionId: string, itemId: string, at: string): void {
  db.prepare(
    `INSERT INTO visitor_views (session_id, item_id, viewed_at) SELECT id, ?, ? FROM visitor_sessions WHERE id = ? AND ended_at IS NULL`,
  ).run(itemId, at, sessionId);
}

export function endSession(db: WriteDb, id: string, reason: 'idle' | 'done' | 'lead', at: string): void {
  db.prepare(`UPDATE visitor_sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL`).run(
    at,
    reason,
    id,
  );
}

export function sessionIsOpen(db: ReadDb | WriteDb, id: string): boolean {
  return Boolean(db.prepare(`SELECT 1 FROM visitor_sessions WHERE id = ? AND ended_at IS NULL`).get(id));
}

export function viewedItems(db: ReadDb | WriteDb, sessionId: string): string[] {
  return (
    db
      .prepare(`SELECT item_id FROM visitor_views WHERE session_id = ? GROUP BY item_id ORDER BY min(viewed_at)`)
      .all(sessionId) as { item_id: string }[]
  ).map((r) => r.item_id);
}

export interface LeadRow {
  id: string;
  capturedAt: string;
  consentVersion: string;
  rating: string | null;
  interests: string[];
  viewedItems: string[];
  sealed: Buffer;
  deliveredAt: string | null;
}

export function insertLead(db: WriteDb, lead: Omit<LeadRow, 'deliveredAt'> & { sessionId: string | null }): void {
  db.prepare(
    `INSERT INTO leads (id, session_id, captured_at, consent_version, rating, interests, viewed_items, sealed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    lead.id,
    lead.sessionId,
    lead.capturedAt,
    lead.consentVersion,
    lead.rating,
    JSON.stringify(lead.interests),
    JSON.stringify(lead.viewedItems),
    lead.sealed,
  );
}

export function allLeads(db: ReadDb | WriteDb): LeadRow[] {
  return (
    db
      .prepare(
        `SELECT id, captured_at, consent_version, rating, interests, viewed_items, sealed, delivered_at FROM leads ORDER BY captured_at, id`,
      )
      .all() as {
      id: string;
      captured_at: string;
      consent_version: string;
      rating: string | null;
      interests: string;
      viewed_items: string;
      sealed: Buffer;
      delivered_at: string | null;
    }[]
  ).map((r) => ({
    id: r.id,
    capturedAt: r.captured_at,
    consentVersion: r.consent_version,
    rating: r.rating,
    interests: JSON.parse(r.interests) as string[],
    viewedItems: JSON.parse(r.viewed_items) as string[],
    sealed: r.sealed,
    deliveredAt: r.delivered_at,
  }));
}

export function markLeadsDelivered(db: WriteDb, ids: readonly string[], at: string): void {
  const update = db.prepare(`UPDATE leads SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL`);
  for (const id of ids) update.run(at, id);
}

export function leadCounts(
  db: ReadDb | WriteDb,
  warnBefore: string,
): { total: number; undelivered: number; lastDeliveredAt: string | null; undeliveredOld: number } {
  return db
    .prepare(
      `SELECT count(*) AS total,
              coalesce(sum(delivered_at IS NULL), 0) AS undelivered,
              max(delivered_at) AS lastDeliveredAt,
              coalesce(sum(delivered_at IS NULL AND captured_at < ?), 0) AS undeliveredOld
         FROM leads`,
    )
    .get(warnBefore) as { total: number; undelivered: number; lastDeliveredAt: string | null; undeliveredOld: number };
}

/** Delivered leads older than the retention period go; undelivered ones never do. */
export function purgeDeliveredBefore(db: WriteDb, before: string): number {
  return db.prepare(`DELETE FROM leads WHERE delivered_at IS NOT NULL AND delivered_at < ?`).run(before).changes;
}
