/** All SQL of the rehearse capability: the release's prompts and the rep's takes. */
import type { PracticeAttachment, PracticePrompt, RehearsalTake } from '#shared/rehearse';
import type { ReadDb, WriteDb } from '../storage/database.ts';
import type { Visibility } from '../library/index.ts';

interface PromptRow {
  id: string;
  title: string;
  item_id: string | null;
  page: number | null;
  term_id: string | null;
  key_messages: string;
  time_limit_seconds: number;
  item_title: string | null;
  item_visible: number;
  term: string | null;
  takes: number;
  best_take_id: string | null;
}

/**
 * The current release's prompts. A prompt about an item that is out of its validity window is
 * left out, as the item is from every other screen; one about a term always shows.
 */
export function listPrompts(db: ReadDb, releaseId: number, visibility: Visibility): PracticePrompt[] {
  const rows = db
    .prepare(
      `SELECT p.id, p.title, p.item_id, p.page, p.term_id, p.key_messages, p.time_limit_seconds,
              i.title AS item_title,
              (i.id IS NOT NULL
                AND (i.valid_from IS NULL OR i.valid_from <= @now)
                AND (i.valid_until IS NULL OR i.valid_until > @now)) AS item_visible,
              g.term,
              (SELECT count(*) FROM rehearsal_takes t WHERE t.prompt_id = p.id) AS takes,
              (SELECT t.id FROM rehearsal_takes t WHERE t.prompt_id = p.id AND t.best = 1) AS best_take_id
         FROM practice_prompts p
         LEFT JOIN items i ON i.release_id = p.release_id AND i.id = p.item_id
         LEFT JOIN glossary g ON g.release_id = p.release_id AND g.id = p.term_id
        WHERE p.release_id = @releaseId
        ORDER BY p.position`,
    )
    .all({ releaseId, now: visibility.now }) as PromptRow[];
  return rows.filter((r) => r.item_id === null || r.item_visible === 1).map(toPrompt);
}

function toPrompt(row: PromptRow): PracticePrompt {
  let attachedTo: PracticeAttachment;
  if (row.term_id !== null) attachedTo = { kind: 'term', termId: row.term_id, title: row.term };
  else if (row.page !== null)
    attachedTo = { kind: 'page', itemId: row.item_id!, page: row.page, title: row.item_title };
  else attachedTo = { kind: 'item', itemId: row.item_id!, title: row.item_title };
  return {
    id: row.id,
    title: row.title,
    attachedTo,
    keyMessages: JSON.parse(row.key_messages) as string[],
    timeLimitSeconds: row.time_limit_seconds,
    takes: row.takes,
    bestTakeId: row.best_take_id,
  };
}

export function promptTitle(db: ReadDb, releaseId: number, promptId: string): string | null {
  const row = db
    .prepare(`SELECT title FROM practice_prompts WHERE release_id = ? AND id = ?`)
    .get(releaseId, promptId) as { title: string } | undefined;
  return row?.title ?? null;
}

interface TakeRow {
  id: string;
  prompt_id: string;
  prompt_title: string;
  recorded_at: string;
  duration_ms: number;
  mime: string;
  size: number;
  best: number;
}

function toTake(row: TakeRow): Omit<RehearsalTake, 'review'> & { review: null } {
  return {
    id: row.id,
    promptId: row.prompt_id,
    promptTitle: row.prompt_title,
    recordedAt: row.recorded_at,
    durationMs: row.duration_ms,
    mime: row.mime,
    size: row.size,
    best: row.best === 1,
    review: null,
  };
}

const TAKE_SELECT = `SELECT id, prompt_id, prompt_title, recorded_at, duration_ms, mime, size, best FROM rehearsal_takes`;

export function listTakes(db: ReadDb, promptId: string): RehearsalTake[] {
  return (
    db.prepare(`${TAKE_SELECT} WHERE prompt_id = ? ORDER BY recorded_at DESC, rowid DESC`).all(promptId) as TakeRow[]
  ).map(toTake);
}

export function getTake(db: ReadDb, id: string): RehearsalTake | null {
  const row = db.prepare(`${TAKE_SELECT} WHERE id = ?`).get(id) as TakeRow | undefined;
  return row ? toTake(row) : null;
}

export function countTakes(db: ReadDb, promptId: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM rehearsal_takes WHERE prompt_id = ?`).get(promptId) as { n: number }).n;
}

export function insertTake(db: WriteDb, take: RehearsalTake): void {
  db.prepare(
    `INSERT INTO rehearsal_takes (id, prompt_id, prompt_title, recorded_at, duration_ms, mime, size, best)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0)`,
  ).run(take.id, take.promptId, take.promptTitle, take.recordedAt, take.durationMs, take.mime, take.size);
}

/** One best take per prompt: the old best is unmarked in the same transaction. */
export function setBest(db: WriteDb, take: RehearsalTake, best: boolean): void {
  db.transaction(() => {
    if (best) db.prepare(`UPDATE rehearsal_takes SET best = 0 WHERE prompt_id = ? AND best = 1`).run(take.promptId);
    db.prepare(`UPDATE rehearsal_takes SET best = ? WHERE id = ?`).run(best ? 1 : 0, take.id);
  }).immediate();
}

export function deleteTakeRow(db: WriteDb, id: string): void {
  db.prepare(`DELETE FROM rehearsal_takes WHERE id = ?`).run(id);
}
