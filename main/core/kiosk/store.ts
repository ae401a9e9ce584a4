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
  /** Staff's qualification (hot/warm/cold); a lead from before 015 may carry the form's rating. */
  rating: string | null;
  interests: string[];
  viewedItems: string[];
  sealed: Buffer;
  deliveredAt: string | null;
  eventName: string | null;
  /** The staff note, sealed like the lead; null when staff wrote none. */
  staffNote: Buffer | null;
  qualifiedAt: string | null;
}

export function insertLead(
  db: WriteDb,
  lead: Omit<LeadRow, 'deliveredAt' | 'rating' | 'staffNote' | 'qualifiedAt'> & { sessionId: string | null },
): void {
  db.prepare(
    `INSERT INTO leads (id, session_id, captured_at, consent_version, interests, viewed_items, sealed, event_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    lead.id,
    lead.sessionId,
    lead.capturedAt,
    lead.consentVersion,
    JSON.stringify(lead.interests),
    JSON.stringify(lead.viewedItems),
    lead.sealed,
    lead.eventName,
  );
}

const leadColumns = `id, captured_at, consent_version, rating, interests, viewed_items, sealed, delivered_at, event_name, staff_note, qualified_at`;
type RawLead = {
  id: string;
  captured_at: string;
  consent_version: string;
  rating: string | null;
  interests: string;
  viewed_items: string;
  sealed: Buffer;
  delivered_at: string | null;
  event_name: string | null;
  staff_note: Buffer | null;
  qualified_at: string | null;
};
const toLead = (r: RawLead): LeadRow => ({
  id: r.id,
  capturedAt: r.captured_at,
  consentVersion: r.consent_version,
  rating: r.rating,
  interests: JSON.parse(r.interests) as string[],
  viewedItems: JSON.parse(r.viewed_items) as string[],
  sealed: r.sealed,
  deliveredAt: r.delivered_at,
  eventName: r.event_name,
  staffNote: r.staff_note,
  qualifiedAt: r.qualified_at,
});

export function allLeads(db: ReadDb | WriteDb): LeadRow[] {
  return (db.prepare(`SELECT ${leadColumns} FROM leads ORDER BY captured_at, id`).all() as RawLead[]).map(toLead);
}

export function leadById(db: ReadDb | WriteDb, id: string): LeadRow | null {
  const row = db.prepare(`SELECT ${leadColumns} FROM leads WHERE id = ?`).get(id) as RawLead | undefined;
  return row ? toLead(row) : null;
}

/** A filter on the clear columns: captured in [from, to) and of one event (null: none named). */
export interface LeadWindow {
  from?: string;
  to?: string;
  event?: { name: string | null };
}

function windowWhere(window: LeadWindow): { sql: string; params: (string | null)[] } {
  const clauses: string[] = [];
  const params: (string | null)[] = [];
  if (window.from !== undefined) {
    clauses.push('captured_at >= ?');
    params.push(window.from);
  }
  if (window.to !== undefined) {
    clauses.push('captured_at < ?');
    params.push(window.to);
  }
  if (window.event) {
    clauses.push('event_name IS ?');
    params.push(window.event.name);
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** The leads of a window, newest first (the staff list). */
export function leadsIn(db: ReadDb | WriteDb, window: LeadWindow): LeadRow[] {
  const where = windowWhere(window);
  return (
    db
      .prepare(`SELECT ${leadColumns} FROM leads ${where.sql} ORDER BY captured_at DESC, id`)
      .all(...where.params) as RawLead[]
  ).map(toLead);
}

/** When each lead was captured and at which event: the clear columns only, to count by day. */
export function leadTimes(db: ReadDb | WriteDb): { capturedAt: string; eventName: string | null }[] {
  return db
    .prepare(`SELECT captured_at AS capturedAt, event_name AS eventName FROM leads ORDER BY captured_at DESC`)
    .all() as { capturedAt: string; eventName: string | null }[];
}

export function updateQualification(
  db: WriteDb,
  id: string,
  q: { rating: string | null; staffNote: Buffer | null; at: string },
): boolean {
  return (
    db
      .prepare(`UPDATE leads SET rating = ?, staff_note = ?, qualified_at = ? WHERE id = ?`)
      .run(q.rating, q.staffNote, q.at, id).changes === 1
  );
}

/** Where an outbox row of a lead stands: its key, whether it went, and its last (scrubbed) error. */
export interface LeadOutboxRow {
  idempotencyKey: string;
  createdAt: string;
  sentAt: string | null;
  attempts: number;
  lastError: string | null;
  /** The row belongs to a batch that was attempted: it goes out again exactly as formed. */
  inBatch: boolean;
}

/** Every outbox row of these leads (the lead itself and any qualification updates), by lead id. */
export function leadOutboxRows(db: ReadDb | WriteDb, leadIds: readonly string[]): Map<string, LeadOutboxRow[]> {
  const rows = db
    .prepare(
      `SELECT json_extract(payload, '$.leadId') AS leadId, idempotency_key, created_at, sent_at, attempts, last_error, batch_key
         FROM outbox WHERE kind = 'lead' AND json_extract(payload, '$.leadId') IN (SELECT value FROM json_each(?))
        ORDER BY id`,
    )
    .all(JSON.stringify(leadIds)) as {
    leadId: string;
    idempotency_key: string;
    created_at: string;
    sent_at: string | null;
    attempts: number;
    last_error: string | null;
    batch_key: string | null;
  }[];
  const byLead = new Map<string, LeadOutboxRow[]>();
  for (const r of rows) {
    const list = byLead.get(r.leadId) ?? [];
    list.push({
      idempotencyKey: r.idempotency_key,
      createdAt: r.created_at,
      sentAt: r.sent_at,
      attempts: r.attempts,
      lastError: r.last_error,
      inBatch: r.batch_key !== null,
    });
    byLead.set(r.leadId, list);
  }
  return byLead;
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
