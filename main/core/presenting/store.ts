import { slideIdentity, type SlideIdentity } from '#shared/pages';
import type { PitchStepInput } from '#shared/presenting';
import type { ReadDb, WriteDb } from '../storage/database.ts';

/** SQL of presenting: pitches and their steps, activity, meetings, and the report's sums. */

/** A step as kept: the page it was saved on and, for a presentation, the slide's identity. */
export interface StoredStep extends PitchStepInput {
  slide: SlideIdentity | null;
}

export interface PitchRow {
  id: string;
  name: string;
  updatedAt: string;
  steps: StoredStep[];
}

function parseSlide(json: string | null): SlideIdentity | null {
  if (json === null) return null;
  const checked = slideIdentity.safeParse(JSON.parse(json));
  return checked.success ? checked.data : null;
}

export function pitchRows(db: ReadDb | WriteDb): PitchRow[] {
  const pitches = db.prepare(`SELECT id, name, updated_at FROM pitches ORDER BY updated_at DESC, id`).all() as {
    id: string;
    name: string;
    updated_at: string;
  }[];
  const steps = db.prepare(`SELECT item_id, page, note, slide FROM pitch_steps WHERE pitch_id = ? ORDER BY position`);
  return pitches.map((p) => ({
    id: p.id,
    name: p.name,
    updatedAt: p.updated_at,
    steps: (steps.all(p.id) as { item_id: string; page: number | null; note: string; slide: string | null }[]).map(
      (s) => ({
        itemId: s.item_id,
        page: s.page,
        note: s.note,
        slide: parseSlide(s.slide),
      }),
    ),
  }));
}

export function writePitch(db: WriteDb, pitch: PitchRow, createdAt: string): void {
  db.transaction(() => {
    db.prepare(
      `INSERT INTO pitches (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at`,
    ).run(pitch.id, pitch.name, createdAt, pitch.updatedAt);
    db.prepare(`DELETE FROM pitch_steps WHERE pitch_id = ?`).run(pitch.id);
    const insert = db.prepare(
      `INSERT INTO pitch_steps (pitch_id, position, item_id, page, note, slide) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    pitch.steps.forEach((s, i) =>
      insert.run(pitch.id, i, s.itemId, s.page, s.note, s.slide ? JSON.stringify(s.slide) : null),
    );
  })();
}

export function deletePitchRow(db: WriteDb, id: string): boolean {
  return db.prepare(`DELETE FROM pitches WHERE id = ?`).run(id).changes > 0;
}

export function insertActivity(
  db: WriteDb,
  e: {
    id: string;
    type: string;
    at: string;
    itemId: string | null;
    page: number | null;
    dwellMs: number | null;
    pitchId: string | null;
    meetingId: string | null;
    releaseVersion: number | null;
  },
): boolean {
  return (
    db
      .prepare(
        `INSERT INTO activity (id, type, at, item_id, page, dwell_ms, pitch_id, meeting_id, release_version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      )
      .run(e.id, e.type, e.at, e.itemId, e.page, e.dwellMs, e.pitchId, e.meetingId, e.releaseVersion).changes > 0
  );
}

export interface MeetingRow {
  id: string;
  pitchId: string | null;
  startedAt: string;
  endedAt: string;
  status: 'later' | 'logged';
  account: string;
  contact: string;
  opportunity: string;
  outcome: string;
  notes: string;
  /** JSON of ShownPage[]. */
  shown: string;
  accountId: string | null;
  contactId: string | null;
  opportunityId: string | null;
  updatedAt: string;
}

export function upsertMeeting(db: WriteDb, m: MeetingRow): void {
  db.prepare(
    `INSERT INTO meetings (id, pitch_id, started_at, ended_at, status, account, contact, opportunity, outcome, notes, shown, account_id, contact_id, opportunity_id, updated_at)
     VALUES (@id, @pitchId, @startedAt, @endedAt, @status, @account, @contact, @opportunity, @outcome, @notes, @shown, @accountId, @contactId, @opportunityId, @updatedAt)
     ON CONFLICT (id) DO UPDATE SET pitch_id = excluded.pitch_id, started_at = excluded.started_at, ended_at = excluded.ended_at,
       status = excluded.status, account = excluded.account, contact = excluded.contact, opportunity = excluded.opportunity,
       outcome = excluded.outcome, notes = excluded.notes, shown = excluded.shown, account_id = excluded.account_id,
       contact_id = excluded.contact_id, opportunity_id = excluded.opportunity_id, updated_at = excluded.updated_at`,
  ).run(m);
}

export function meetingStatus(db: ReadDb | WriteDb, id: string): string | null {
  return (
    (db.prepare(`SELECT status FROM meetings WHERE id = ?`).get(id) as { status: string } | undefined)?.status ?? null
  );
}

const meetingColumns = `id, pitch_id AS pitchId, started_at AS startedAt, ended_at AS endedAt, status, account, contact, opportunity, outcome, notes, shown,
  account_id AS accountId, contact_id AS contactId, opportunity_id AS opportunityId, updated_at AS updatedAt`;

export function meetingRow(db: ReadDb | WriteDb, id: string): MeetingRow | null {
  return (db.prepare(`SELECT ${meetingColumns} FROM meetings WHERE id = ?`).get(id) as MeetingRow | undefined) ?? null;
}

/** Meetings of one status, the latest first (the "saved for later" list). */
export function meetingRows(db: ReadDb | WriteDb, status: 'later' | 'logged', limit: number): MeetingRow[] {
  return db
    .prepare(`SELECT ${meetingColumns} FROM meetings WHERE status = ? ORDER BY started_at DESC, id LIMIT ?`)
    .all(status, limit) as MeetingRow[];
}

/** Deletes a meeting only while it is saved for later: a logged one belongs to CRM. */
export function deleteDraftMeeting(db: WriteDb, id: string): boolean {
  return db.prepare(`DELETE FROM meetings WHERE id = ? AND status = 'later'`).run(id).changes > 0;
}

export interface UsageSums {
  itemId: string;
  opens: number;
  pageViews: number;
  dwellMs: number;
}

export function usageByItem(db: ReadDb | WriteDb, from: string, to: string): UsageSums[] {
  return db
    .prepare(
      `SELECT item_id AS itemId,
              sum(type = 'item.opened') AS opens,
              sum(type = 'page.viewed') AS pageViews,
              coalesce(sum(CASE WHEN type = 'page.viewed' THEN dwell_ms END), 0) AS dwellMs
         FROM activity WHERE item_id IS NOT NULL AND at >= ? AND at <= ? GROUP BY item_id`,
    )
    .all(from, to) as UsageSums[];
}

export function pageViews(
  db: ReadDb | WriteDb,
  from: string,
  to: string,
): { itemId: string; page: number; views: number; dwellMs: number }[] {
  return db
    .prepare(
      `SELECT item_id AS itemId, page, count(*) AS views, sum(dwell_ms) AS dwellMs FROM activity
        WHERE type = 'page.viewed' AND item_id IS NOT NULL AND page IS NOT NULL AND at >= ? AND at <= ?
        GROUP BY item_id, page ORDER BY item_id, page`,
    )
    .all(from, to) as { itemId: string; page: number; views: number; dwellMs: number }[];
}

export function zeroResultQueries(
  db: ReadDb | WriteDb,
  from: string,
  to: string,
): { query: string; count: number; lastAt: string; scope: 'rep' | 'kiosk' }[] {
  return db
    .prepare(
      `SELECT min(query) AS query, count(*) AS count, max(at) AS lastAt, scope FROM search_log
        WHERE results = 0 AND at >= ? AND at <= ? GROUP BY lower(query), scope ORDER BY count DESC, lastAt DESC`,
    )
    .all(from, to) as { query: string; count: number; lastAt: string; scope: 'rep' | 'kiosk' }[];
}

export function pitchNames(db: ReadDb | WriteDb): Map<string, string> {
  return new Map(
    (db.prepare(`SELECT id, name FROM pitches`).all() as { id: string; name: string }[]).map((p) => [p.id, p.name]),
  );
}

export interface InkRow {
  itemId: string;
  page: number | null;
  aspect: number;
  /** JSON of InkStroke[]. */
  strokes: string;
  updatedAt: string;
}

/** A meeting's ink, by item and page. */
export function inkRows(db: ReadDb | WriteDb, meetingId: string): InkRow[] {
  return db
    .prepare(
      `SELECT item_id AS itemId, page, aspect, strokes, updated_at AS updatedAt FROM meeting_ink WHERE meeting_id = ? ORDER BY item_id, ifnull(page, 0)`,
    )
    .all(meetingId) as InkRow[];
}

/** Replaces one page's ink; no strokes clears it. Call inside a transaction. */
export function replaceInkPage(db: WriteDb, meetingId: string, row: InkRow, empty: boolean): void {
  db.prepare(`DELETE FROM meeting_ink WHERE meeting_id = ? AND item_id = ? AND ifnull(page, 0) = ifnull(?, 0)`).run(
    meetingId,
    row.itemId,
    row.page,
  );
  if (empty) return;
  db.prepare(
    `INSERT INTO meeting_ink (meeting_id, item_id, page, aspect, strokes, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(meetingId, row.itemId, row.page, row.aspect, row.strokes, row.updatedAt);
}

/** How many pages carry ink and the size of their JSON, for a meeting's bounds. */
export function inkTotals(db: WriteDb, meetingId: string): { pages: number; bytes: number } {
  return db
    .prepare(
      `SELECT count(*) AS pages, coalesce(sum(length(strokes)), 0) AS bytes FROM meeting_ink WHERE meeting_id = ?`,
    )
    .get(meetingId) as { pages: number; bytes: number };
}
