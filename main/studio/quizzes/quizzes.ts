/**
 * Quizzes in Studio: marketing writes them per channel, keeps some as drafts, and the active ones
 * ship with the next release (frozen in its snapshot, versioned by the publisher). Every check a
 * device's manifest makes is made here first, with a sentence marketing can act on.
 */
import type { Kysely } from 'kysely';
import { catalogueQuiz, quizReferenceProblems, type CatalogueQuiz, type CatalogueQuizParsed } from '#shared/quiz';
import type { ReleaseDiff } from '#shared/studio';
import type { StudioQuiz } from '#shared/studio-quiz';
import type { StudioDb } from '../database/connection.ts';
import type { StudioTables } from '../database/schema.ts';
import type { Snapshot } from '../releases/snapshot.ts';
import type { QuizTable } from './tables.ts';

function toCatalogue(row: QuizTable): CatalogueQuiz {
  return {
    id: row.id,
    title: row.title,
    kind: row.kind as CatalogueQuiz['kind'],
    ...(row.item !== null ? { item: row.item } : {}),
    ...(row.term !== null ? { term: row.term } : {}),
    passPercent: row.pass_percent,
    questions: JSON.parse(row.questions) as CatalogueQuiz['questions'],
  };
}

export async function loadQuizRows(db: StudioDb, channel: string): Promise<QuizTable[]> {
  return db
    .selectFrom('quizzes')
    .selectAll()
    .where('channel', '=', channel)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

/** The active quizzes, as they go into the next release's snapshot. */
export async function shippingQuizzes(db: StudioDb, channel: string): Promise<CatalogueQuiz[]> {
  return (await loadQuizRows(db, channel)).filter((r) => r.active === 1).map(toCatalogue);
}

/**
 * What the draft's items and glossary say about one quiz: references to things not in the draft.
 * Whether a what's-new quiz asks about what changed is known only against a release (below).
 */
export function quizProblems(
  quiz: CatalogueQuiz,
  itemIds: ReadonlySet<string>,
  termIds: ReadonlySet<string>,
): string[] {
  const problems = quizReferenceProblems([quiz], itemIds, termIds);
  if (quiz.kind === 'whats-new')
    for (const q of quiz.questions)
      if (q.item === undefined)
        problems.push(`quiz "${quiz.id}", question "${q.id}" is in a what's-new quiz but names no item`);
  return problems;
}

/**
 * Why the snapshot's quizzes cannot ship: a reference to an item or term not in it, or a
 * what's-new question about an item this release neither adds nor changes (switch the quiz off,
 * or point the question at something new).
 */
export function releaseQuizProblems(snapshot: Snapshot, diff: ReleaseDiff): string[] {
  const itemIds = new Set(snapshot.items.map((i) => i.id));
  const termIds = new Set((snapshot.glossary ?? []).map((t) => t.id));
  const fresh = new Set([...diff.added, ...diff.changed].map((i) => i.id));
  const problems: string[] = [];
  for (const quiz of snapshot.quizzes ?? []) {
    problems.push(...quizProblems(quiz, itemIds, termIds));
    if (quiz.kind !== 'whats-new') continue;
    for (const q of quiz.questions)
      if (q.item !== undefined && itemIds.has(q.item) && !fresh.has(q.item))
        problems.push(
          `quiz "${quiz.id}", question "${q.id}" asks what's new about "${q.item}", which this release does not change`,
        );
  }
  return problems;
}

export function toStudioQuiz(row: QuizTable, itemIds: ReadonlySet<string>, termIds: ReadonlySet<string>): StudioQuiz {
  const quiz = toCatalogue(row);
  return {
    ...quiz,
    active: row.active === 1,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
    problems: quizProblems(quiz, itemIds, termIds),
  };
}

/** Checks a quiz as typed; the first problem is the error, with where it is. */
export function parseQuiz(raw: unknown): { ok: true; quiz: CatalogueQuizParsed } | { ok: false; message: string } {
  const parsed = catalogueQuiz.safeParse(raw);
  if (parsed.success) return { ok: true, quiz: parsed.data };
  const issue = parsed.error.issues[0];
  const where = describePath(issue?.path ?? [], raw);
  return { ok: false, message: `${where}${issue?.message ?? 'invalid'}` };
}

/** "Question 3, choice 2: …" rather than "questions.2.choices.1". */
function describePath(path: readonly PropertyKey[], raw: unknown): string {
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    const next = path[i + 1];
    if (key === 'questions' && typeof next === 'number') {
      const q = (raw as { questions?: { id?: unknown }[] })?.questions?.[next];
      parts.push(`question ${next + 1}${typeof q?.id === 'string' ? ` (${q.id})` : ''}`);
      i++;
    } else if (key === 'choices' && typeof next === 'number') {
      parts.push(`choice ${next + 1}`);
      i++;
    } else if (typeof key === 'string') parts.push(key);
  }
  return parts.length > 0 ? `${parts.join(', ')}: ` : '';
}

export async function saveQuizRow(db: Kysely<StudioTables>, row: QuizTable): Promise<void> {
  await db.deleteFrom('quizzes').where('channel', '=', row.channel).where('id', '=', row.id).execute();
  await db.insertInto('quizzes').values(row).execute();
}
