/**
 * Quizzes on the device: the release's quizzes, taken offline and graded here, one attempt kept
 * per submission. A pass remembers the version of every question, so a later release asks a rep
 * who passed only what changed. Each attempt becomes a `quiz-attempt` record in the same
 * transaction (while the device is enrolled), and Studio awards its points once per revision.
 */
import { randomUUID } from 'node:crypto';
import {
  gradeQuiz,
  isAnsweredRight,
  questionsToAsk,
  type QuizAttemptPayload,
  type QuizAttemptResult,
  type QuizSummary,
  type QuizToTake,
  type SubmitQuizInput,
} from '#shared/quiz';
import { PitchcaseError } from '#shared/result';
import { currentRelease } from '../library/index.ts';
import { enqueue } from '../outbox/store.ts';
import type { ReadDb, WriteDb } from '../storage/database.ts';
import type { Clock } from '../types.ts';
import {
  getQuiz,
  insertAttempt,
  knownVersions,
  lastAttempt,
  lastPassAt,
  listQuizzes,
  passedRevision,
  subjectTitles,
  type StoredQuiz,
} from './store.ts';

export { quizzesHandlers } from './handlers.ts';

export interface QuizzesDeps {
  db: WriteDb;
  read: ReadDb;
  clock: Clock;
  /** Whether attempts go to Studio (the device is enrolled as a rep's and not revoked). */
  sendsToStudio(): boolean;
  /** After an attempt is kept: the outbox may upload now. */
  onAttempt?(): void;
}

type Titles = ReturnType<typeof subjectTitles>;

function aboutOf(
  titles: Titles,
  item: string | null | undefined,
  term: string | null | undefined,
): { kind: 'item' | 'term'; id: string; title: string | null } | null {
  if (item) return { kind: 'item', id: item, title: titles.items.get(item) ?? null };
  if (term) return { kind: 'term', id: term, title: titles.terms.get(term) ?? null };
  return null;
}

export function createQuizzes(deps: QuizzesDeps) {
  function quizOrThrow(id: string): { quiz: StoredQuiz; releaseId: number } {
    const release = currentRelease(deps.read);
    const quiz = release ? getQuiz(deps.read, release.id, id) : null;
    if (!release || !quiz) throw new PitchcaseError('not-found', 'That quiz is not in the current library');
    return { quiz, releaseId: release.id };
  }

  return {
    list(): QuizSummary[] {
      const release = currentRelease(deps.read);
      if (!release) return [];
      const titles = subjectTitles(deps.read, release.id);
      return listQuizzes(deps.read, release.id).map((quiz) => ({
        id: quiz.id,
        title: quiz.title,
        kind: quiz.kind,
        about: aboutOf(titles, quiz.itemId, quiz.termId),
        passPercent: quiz.passPercent,
        questions: quiz.questions.length,
        toAsk: questionsToAsk(quiz.questions, knownVersions(deps.read, quiz.id)).length,
        passedAt: lastPassAt(deps.read, quiz.id),
        lastAttempt: lastAttempt(deps.read, quiz.id),
      }));
    },

    /** The questions to ask now, without the answers: only what changed after a pass, unless `all`. */
    take(id: string, all: boolean): QuizToTake {
      const { quiz, releaseId } = quizOrThrow(id);
      const titles = subjectTitles(deps.read, releaseId);
      const known = all ? null : knownVersions(deps.read, quiz.id);
      const asked = questionsToAsk(quiz.questions, known);
      return {
        id: quiz.id,
        title: quiz.title,
        kind: quiz.kind,
        passPercent: quiz.passPercent,
        onlyChanged: known !== null,
        totalQuestions: quiz.questions.length,
        questions: asked.map((q) => ({
          id: q.id,
          prompt: q.prompt,
          choices: q.choices.map((c) => c.text),
          multiple: q.choices.filter((c) => c.correct).length > 1,
          about: aboutOf(titles, q.item, q.term),
        })),
      };
    },

    /**
     * Grades the answers to the questions that were to be asked (the same selection as `take`),
     * keeps the attempt, and queues it for Studio, all in one transaction. Every asked question
     * must be answered: a half-filled quiz is refused and nothing is kept.
     */
    submit(input: SubmitQuizInput): QuizAttemptResult {
      const { quiz } = quizOrThrow(input.quizId);
      const all = input.all ?? false;
      const known = all ? null : knownVersions(deps.read, quiz.id);
      const asked = questionsToAsk(quiz.questions, known);
      if (asked.length === 0)
        throw new PitchcaseError(
          'refused',
          'Nothing in this quiz changed since you passed it: there is nothing to answer',
        );
      const answers = new Map<string, number[]>();
      for (const a of input.answers) {
        if (answers.has(a.questionId))
          throw new PitchcaseError('bad-request', `The question "${a.questionId}" is answered twice`);
        answers.set(a.questionId, a.picked);
      }
      const askedIds = new Set(asked.map((q) => q.id));
      const stray = [...answers.keys()].find((id) => !askedIds.has(id));
      if (stray) throw new PitchcaseError('bad-request', `"${stray}" is not one of the questions asked`);
      for (const q of asked) {
        const picked = answers.get(q.id);
        if (!picked || picked.length === 0)
          throw new PitchcaseError(
            'bad-request',
            `Answer every question before you finish (“${q.prompt.slice(0, 80)}”)`,
          );
        if (picked.some((i) => i >= q.choices.length))
          throw new PitchcaseError(
            'bad-request',
            `A choice picked for “${q.prompt.slice(0, 80)}” is not one it offers`,
          );
      }
      const grade = gradeQuiz(quiz.passPercent, asked, answers);
      const takenAt = deps.clock.now().toISOString();
      const attemptId = randomUUID();
      const answered = asked.map((q) => ({
        questionId: q.id,
        version: q.version,
        picked: [...new Set(answers.get(q.id)!)].sort((a, b) => a - b),
        right: isAnsweredRight(q, answers.get(q.id)!),
      }));
      let firstPass = false;
      deps.db
        .transaction(() => {
          firstPass = grade.passed && !passedRevision(deps.db, quiz.id, quiz.revision);
          // What the rep knows after a pass: what they knew (still asked the same), and what they just answered.
          let knownAfter: Map<string, string> | null = null;
          if (grade.passed) {
            const before = knownVersions(deps.db, quiz.id) ?? new Map<string, string>();
            knownAfter = new Map();
            for (const q of quiz.questions) {
              if (askedIds.has(q.id)) knownAfter.set(q.id, q.version);
              else if (before.get(q.id) === q.version) knownAfter.set(q.id, q.version);
            }
          }
          insertAttempt(
            deps.db,
            {
              id: attemptId,
              quizId: quiz.id,
              quizTitle: quiz.title,
              revision: quiz.revision,
              takenAt,
              asked: grade.asked,
              correct: grade.correct,
              percent: grade.percent,
              passed: grade.passed,
              onlyChanged: known !== null,
              answers: answered,
            },
            knownAfter,
          );
          if (deps.sendsToStudio()) {
            const payload: QuizAttemptPayload = {
              attemptId,
              quizId: quiz.id,
              quizTitle: quiz.title,
              kind: quiz.kind,
              revision: quiz.revision,
              asked: grade.asked,
              correct: grade.correct,
              percent: grade.percent,
              passed: grade.passed,
              onlyChanged: known !== null,
              answers: answered,
            };
            enqueue(deps.db, {
              kind: 'quiz-attempt',
              idempotencyKey: `quiz-attempt:${attemptId}`,
              payload,
              createdAt: takenAt,
            });
          }
        })
        .immediate();
      deps.onAttempt?.();
      return {
        id: attemptId,
        quizId: quiz.id,
        takenAt,
        ...grade,
        firstPass,
        questions: asked.map((q) => {
          const picked = new Set(answers.get(q.id)!);
          return {
            id: q.id,
            prompt: q.prompt,
            choices: q.choices.map((c, i) => ({ text: c.text, correct: c.correct, picked: picked.has(i) })),
            right: isAnsweredRight(q, [...picked]),
            explanation: q.explanation,
          };
        }),
      };
    },
  };
}

export type Quizzes = ReturnType<typeof createQuizzes>;
