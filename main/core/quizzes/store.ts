/** All SQL of the quizzes capability: the release's quizzes, the rep's attempts and what they knew at a pass. */
import type { ManifestQuizQuestion, QuizKind } from '#shared/quiz';
import type { ReadDb, WriteDb } from '../storage/database.ts';

export interface StoredQuiz {
  id: string;
  title: string;
  kind: QuizKind;
  itemId: string | null;
  termId: string | null;
  passPercent: number;
  revision: string;
  questions: ManifestQuizQuestion[];
}

interface QuizRow {
  id: string;
  title: string;
  kind: string;
  item_id: string | null;
  term_id: string | null;
  pass_percent: number;
  revision: string;
  questions: string;
}

const toQuiz = (row: QuizRow): StoredQuiz => ({
  id: row.id,
  title: row.title,
  kind: row.kind as QuizKind,
  itemId: row.item_id,
  termId: row.term_id,
  passPercent: row.pass_percent,
  revision: row.revision,
  questions: JSON.parse(row.questions) as ManifestQuizQuestion[],
});

const QUIZ_SELECT = `SELECT id, title, kind, item_id, term_id, pass_percent, revision, questions FROM quizzes`;

export function listQuizzes(db: ReadDb, releaseId: number): StoredQuiz[] {
  return (db.prepare(`${QUIZ_SELECT} WHERE release_id = ? ORDER BY position`).all(releaseId) as QuizRow[]).map(toQuiz);
}

export function getQuiz(db: ReadDb, releaseId: number, id: string): StoredQuiz | null {
  const row = db.prepare(`${QUIZ_SELECT} WHERE release_id = ? AND id = ?`).get(releaseId, id) as QuizRow | undefined;
  return row ? toQuiz(row) : null;
}

/** Titles of the current release's items and terms, for "about …" lines. */
export function subjectTitles(
  db: ReadDb,
  releaseId: number,
): { items: Map<string, string>; terms: Map<string, string> } {
  const items = db.prepare(`SELECT id, title FROM items WHERE release_id = ?`).all(releaseId) as {
    id: string;
    title: string;
  }[];
  const terms = db.prepare(`SELECT id, term FROM glossary WHERE release_id = ?`).all(releaseId) as {
    id: string;
    term: string;
  }[];
  return { items: new Map(items.map((i) => [i.id, i.title])), terms: new Map(terms.map((t) => [t.id, t.term])) };
}

/** The versions of a quiz's questions when the rep last passed it; null before any pass. */
export function knownVersions(db: ReadDb | WriteDb, quizId: string): Map<string, string> | null {
  const rows = db.prepare(`SELECT question_id, version FROM quiz_known WHERE quiz_id = ?`).all(quizId) as {
    question_id: string;
    version: string;
  }[];
  return rows.length > 0 ? new Map(rows.map((r) => [r.question_id, r.version])) : null;
}

export interface AttemptRow {
  id: string;
  quizId: string;
  quizTitle: string;
  revision: string;
  takenAt: string;
  asked: number;
  correct: number;
  percent: number;
  passed: boolean;
  onlyChanged: boolean;
  answers: { questionId: string; version: string; picked: number[]; right: boolean }[];
}

export function lastAttempt(db: ReadDb, quizId: string): { at: string; percent: number; passed: boolean } | null {
  const row = db
    .prepare(
      `SELECT taken_at, percent, passed FROM quiz_attempts WHERE quiz_id = ? ORDER BY taken_at DESC, rowid DESC LIMIT 1`,
    )
    .get(quizId) as { taken_at: string; percent: number; passed: number } | undefined;
  return row ? { at: row.taken_at, percent: row.percent, passed: row.passed === 1 } : null;
}

export function lastPassAt(db: ReadDb | WriteDb, quizId: string): string | null {
  const row = db
    .prepare(`SELECT max(taken_at) AS at FROM quiz_attempts WHERE quiz_id = ? AND passed = 1`)
    .get(quizId) as { at: string | null };
  return row.at;
}

export function passedRevision(db: ReadDb | WriteDb, quizId: string, revision: string): boolean {
  return (
    db
      .prepare(`SELECT 1 FROM quiz_attempts WHERE quiz_id = ? AND revision = ? AND passed = 1 LIMIT 1`)
      .get(quizId, revision) !== undefined
  );
}

/**
 * Keeps an attempt; a pass also records the version of every question the rep now knows (the
 * ones just answered, and the unchanged ones they knew before), in the same transaction.
 */
export function insertAttempt(db: WriteDb, attempt: AttemptRow, knownAfterPass: Map<string, string> | null): void {
  db.prepare(
    `INSERT INTO quiz_attempts (id, quiz_id, quiz_title, revision, taken_at, asked, correct, percent, passed, only_changed, answers)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    attempt.id,
    attempt.quizId,
    attempt.quizTitle,
    attempt.revision,
    attempt.takenAt,
    attempt.asked,
    attempt.correct,
    attempt.percent,
    attempt.passed ? 1 : 0,
    attempt.onlyChanged ? 1 : 0,
    JSON.stringify(attempt.answers),
  );
  if (!knownAfterPass) return;
  db.prepare(`DELETE FROM quiz_known WHERE quiz_id = ?`).run(attempt.quizId);
  const insert = db.prepare(`INSERT INTO quiz_known (quiz_id, question_id, version, passed_at) VALUES (?, ?, ?, ?)`);
  for (const [questionId, version] of knownAfterPass) insert.run(attempt.quizId, questionId, version, attempt.takenAt);
}
