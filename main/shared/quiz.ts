/**
 * Quizzes: written by marketing (in Studio or the catalogue), shipped in the release, taken by
 * the rep offline and graded on the device. Each question carries the version (a content hash the
 * publisher computes) of what it asks about, so a rep who passed is asked again only what changed.
 * Pure functions only: the device, Studio and the tests grade and select with the same code.
 */
import { z } from 'zod';

export const QUIZ_QUESTIONS_MAX = 100;
export const QUIZ_CHOICES_MIN = 2;
export const QUIZ_CHOICES_MAX = 8;
export const QUIZ_PASS_PERCENT_DEFAULT = 80;

/**
 * What a quiz is about: one item, one glossary term, what a release changed, or several things
 * (a starter quiz over the whole glossary).
 */
export const quizKinds = ['item', 'term', 'whats-new', 'general'] as const;
export type QuizKind = (typeof quizKinds)[number];

const idPattern = /^[a-z0-9][a-z0-9._-]{0,127}$/;
const id = z.string().regex(idPattern, 'ids are lower-case letters, digits, ".", "_" and "-"');
const versionHash = z.string().regex(/^[0-9a-f]{64}$/, 'a version is a sha256 (64 lower-case hex digits)');
/** A short human string: no control characters, not blank. */
const line = (max: number, what: string) =>
  z
    .string()
    .max(max, `${what} is at most ${max} characters`)
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), 'control characters are not allowed')
    .refine((s) => s.trim() !== '', `${what} cannot be empty`);

export const quizChoice = z.object({ text: line(500, 'a choice'), correct: z.boolean().default(false) }).strict();

/** A question as marketing writes it; `item`/`term` ties it to what it asks about (at most one). */
export const catalogueQuizQuestion = z
  .object({
    id,
    prompt: line(1000, 'a question'),
    choices: z
      .array(quizChoice)
      .min(QUIZ_CHOICES_MIN, `a question offers at least ${QUIZ_CHOICES_MIN} choices`)
      .max(QUIZ_CHOICES_MAX, `a question offers at most ${QUIZ_CHOICES_MAX} choices`),
    explanation: z.string().max(2000).default(''),
    item: id.optional(),
    term: id.optional(),
  })
  .strict()
  .refine((q) => q.choices.some((c) => c.correct), { message: 'a question marks at least one choice correct' })
  .refine((q) => !q.choices.every((c) => c.correct), {
    message: 'a question has at least one wrong choice (otherwise it asks nothing)',
  })
  .refine((q) => q.item === undefined || q.term === undefined, {
    message: 'a question is about one item or one term, not both',
  });

const quizFields = {
  id,
  title: line(200, 'a quiz title'),
  kind: z.enum(quizKinds),
  /** The item or term an item/term quiz is about; its questions are about it unless they say otherwise. */
  item: id.optional(),
  term: id.optional(),
  passPercent: z.number().int().min(1).max(100).default(QUIZ_PASS_PERCENT_DEFAULT),
};

function checkQuizShape(
  q: { kind: QuizKind; item?: string | undefined; term?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if (q.kind === 'item' && q.item === undefined)
    ctx.addIssue({ code: 'custom', message: 'an item quiz names its item', path: ['item'] });
  if (q.kind === 'term' && q.term === undefined)
    ctx.addIssue({ code: 'custom', message: 'a term quiz names its term', path: ['term'] });
  if (q.kind !== 'item' && q.item !== undefined)
    ctx.addIssue({ code: 'custom', message: 'only an item quiz names an item of its own', path: ['item'] });
  if (q.kind !== 'term' && q.term !== undefined)
    ctx.addIssue({ code: 'custom', message: 'only a term quiz names a term of its own', path: ['term'] });
}

function checkQuestionIds(q: { questions: { id: string }[] }, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  for (const question of q.questions) {
    if (seen.has(question.id))
      ctx.addIssue({ code: 'custom', message: `two questions have the id "${question.id}"`, path: ['questions'] });
    seen.add(question.id);
  }
}

/** A quiz as marketing writes it (catalogue.yaml, Studio). */
export const catalogueQuiz = z
  .object({
    ...quizFields,
    questions: z
      .array(catalogueQuizQuestion)
      .min(1, 'a quiz asks at least one question')
      .max(QUIZ_QUESTIONS_MAX, `a quiz asks at most ${QUIZ_QUESTIONS_MAX} questions`),
  })
  .strict()
  .superRefine(checkQuizShape)
  .superRefine(checkQuestionIds);
export type CatalogueQuiz = z.input<typeof catalogueQuiz>;
export type CatalogueQuizParsed = z.output<typeof catalogueQuiz>;

/**
 * A question as shipped: what it is about is resolved (its own subject, else the quiz's), and
 * `version` is the publisher's hash of that subject (or, for a question about nothing in
 * particular, of the question itself). A rep who passed is asked it again only when it changes.
 */
export const manifestQuizQuestion = z
  .object({
    id,
    prompt: line(1000, 'a question'),
    choices: z.array(quizChoice).min(QUIZ_CHOICES_MIN).max(QUIZ_CHOICES_MAX),
    explanation: z.string().max(2000).default(''),
    item: id.optional(),
    term: id.optional(),
    version: versionHash,
  })
  .strict()
  .refine((q) => q.choices.some((c) => c.correct), { message: 'a question marks at least one choice correct' })
  .refine((q) => q.item === undefined || q.term === undefined, {
    message: 'a question is about one item or one term, not both',
  });

export const manifestQuiz = z
  .object({
    ...quizFields,
    /** A hash of every question's content and version: a pass of one revision scores once. */
    revision: versionHash,
    questions: z.array(manifestQuizQuestion).min(1).max(QUIZ_QUESTIONS_MAX),
  })
  .strict()
  .superRefine(checkQuizShape)
  .superRefine(checkQuestionIds);
export type ManifestQuiz = z.infer<typeof manifestQuiz>;
export type ManifestQuizQuestion = z.infer<typeof manifestQuizQuestion>;

/**
 * Problems of the quizzes against the release they ship in: every item or term a quiz or
 * question names must be in it. One sentence per problem, naming the quiz and question.
 */
export function quizReferenceProblems(
  quizzes: readonly {
    id: string;
    item?: string | undefined;
    term?: string | undefined;
    questions: readonly { id: string; item?: string | undefined; term?: string | undefined }[];
  }[],
  itemIds: ReadonlySet<string>,
  termIds: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const quiz of quizzes) {
    if (seen.has(quiz.id)) problems.push(`duplicate quiz id "${quiz.id}"`);
    seen.add(quiz.id);
    if (quiz.item !== undefined && !itemIds.has(quiz.item))
      problems.push(`quiz "${quiz.id}" is about unknown item "${quiz.item}"`);
    if (quiz.term !== undefined && !termIds.has(quiz.term))
      problems.push(`quiz "${quiz.id}" is about unknown term "${quiz.term}"`);
    for (const q of quiz.questions) {
      if (q.item !== undefined && !itemIds.has(q.item))
        problems.push(`quiz "${quiz.id}", question "${q.id}" asks about unknown item "${q.item}"`);
      if (q.term !== undefined && !termIds.has(q.term))
        problems.push(`quiz "${quiz.id}", question "${q.id}" asks about unknown term "${q.term}"`);
    }
  }
  return problems;
}

/** A question is right when exactly the correct choices are picked (some questions have several). */
export function isAnsweredRight(question: { choices: readonly { correct: boolean }[] }, picked: readonly number[]) {
  const chosen = new Set(picked);
  return question.choices.every((c, i) => c.correct === chosen.has(i));
}

export interface QuizGrade {
  asked: number;
  correct: number;
  percent: number;
  passed: boolean;
}

/** Grades the questions asked; a quiz with nothing to ask is not graded (the caller refuses it). */
export function gradeQuiz(
  passPercent: number,
  questions: readonly { id: string; choices: readonly { correct: boolean }[] }[],
  answers: ReadonlyMap<string, readonly number[]>,
): QuizGrade {
  const correct = questions.filter((q) => isAnsweredRight(q, answers.get(q.id) ?? [])).length;
  const percent = questions.length === 0 ? 0 : Math.round((correct / questions.length) * 100);
  return { asked: questions.length, correct, percent, passed: questions.length > 0 && percent >= passPercent };
}

/**
 * Which questions to ask a rep: all of them until they pass; after a pass, only those whose
 * version differs from the version they passed on (their subject changed) or that are new.
 */
export function questionsToAsk<Q extends { id: string; version: string }>(
  questions: readonly Q[],
  known: ReadonlyMap<string, string> | null,
): Q[] {
  if (!known) return [...questions];
  return questions.filter((q) => known.get(q.id) !== q.version);
}

// ── What the rep's device shows and sends ─────────────────────────────────────────────────────

/** A quiz on the device, as the list shows it: without the answers. */
export interface QuizSummary {
  id: string;
  title: string;
  kind: QuizKind;
  /** The item's or term's title when the quiz is about one; null when it is not in the library. */
  about: { kind: 'item' | 'term'; id: string; title: string | null } | null;
  passPercent: number;
  questions: number;
  /** How many would be asked now: all before a pass, only the changed ones after. */
  toAsk: number;
  /** The rep's last pass of this quiz (any revision), if any. */
  passedAt: string | null;
  lastAttempt: { at: string; percent: number; passed: boolean } | null;
}

export interface QuizQuestionView {
  id: string;
  prompt: string;
  choices: string[];
  /** More than one choice is right: the screen says "pick all that apply". */
  multiple: boolean;
  about: { kind: 'item' | 'term'; id: string; title: string | null } | null;
}

/** A quiz ready to take: the questions to ask now, without which choices are right. */
export interface QuizToTake {
  id: string;
  title: string;
  kind: QuizKind;
  passPercent: number;
  /** True when only what changed since the rep's last pass is asked. */
  onlyChanged: boolean;
  /** Every question, asked again on request (`all: true`). */
  totalQuestions: number;
  questions: QuizQuestionView[];
}

export interface QuizResultQuestion {
  id: string;
  prompt: string;
  choices: { text: string; correct: boolean; picked: boolean }[];
  right: boolean;
  explanation: string;
}

export interface QuizAttemptResult {
  id: string;
  quizId: string;
  takenAt: string;
  asked: number;
  correct: number;
  percent: number;
  passed: boolean;
  /** This pass is the first of the quiz's revision on this device: Studio awards its points once. */
  firstPass: boolean;
  questions: QuizResultQuestion[];
}

export const submitQuizInput = z
  .object({
    quizId: z.string().min(1).max(128),
    /** All questions asked (a retake of everything), or only the changed ones (the default). */
    all: z.boolean().default(false),
    answers: z
      .array(
        z
          .object({
            questionId: z.string().min(1).max(128),
            picked: z
              .array(
                z
                  .number()
                  .int()
                  .min(0)
                  .max(QUIZ_CHOICES_MAX - 1),
              )
              .max(QUIZ_CHOICES_MAX),
          })
          .strict(),
      )
      .max(QUIZ_QUESTIONS_MAX),
  })
  .strict();
export type SubmitQuizInput = z.input<typeof submitQuizInput>;

/** The record kind `quiz-attempt`: one attempt, graded on the device, as Studio receives it. */
export const quizAttemptPayload = z
  .object({
    attemptId: z.string().min(1).max(64),
    quizId: z.string().min(1).max(128),
    quizTitle: z.string().max(200),
    kind: z.enum(quizKinds),
    revision: z.string().max(64),
    asked: z.number().int().nonnegative().max(QUIZ_QUESTIONS_MAX),
    correct: z.number().int().nonnegative().max(QUIZ_QUESTIONS_MAX),
    percent: z.number().int().min(0).max(100),
    passed: z.boolean(),
    onlyChanged: z.boolean(),
    answers: z
      .array(
        z
          .object({
            questionId: z.string().max(128),
            version: z.string().max(64),
            picked: z
              .array(
                z
                  .number()
                  .int()
                  .min(0)
                  .max(QUIZ_CHOICES_MAX - 1),
              )
              .max(QUIZ_CHOICES_MAX),
            right: z.boolean(),
          })
          .strict(),
      )
      .max(QUIZ_QUESTIONS_MAX),
  })
  .loose()
  .refine((p) => p.correct <= p.asked, { message: 'more right answers than questions asked' });
export type QuizAttemptPayload = z.infer<typeof quizAttemptPayload>;
