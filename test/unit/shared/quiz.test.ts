import { describe, expect, it } from 'vitest';
import { manifest, MANIFEST_FORMAT } from '#shared/manifest';
import { catalogueQuiz, gradeQuiz, questionsToAsk } from '#shared/quiz';
import { starterQuizFromGlossary } from '#shared/starter-quiz';
import { streakWeeks, weekStart } from '#studio/points/points';
import { itemVersion, shipQuizzes, termVersion } from '#publish/quizzes';

const sha = (c: string) => c.repeat(64);
const item = {
  id: 'aquacore',
  kind: 'pdf' as const,
  title: 'AquaCore 500',
  description: 'Twin-train water treatment',
  tags: [],
  products: [],
  audiences: [],
  collections: [],
  kiosk: false,
  pageCount: 3,
  files: [{ role: 'primary' as const, sha256: sha('a'), size: 10, mime: 'application/pdf' }],
};
const glossary = [
  { id: 'uptime', term: 'Uptime', definition: 'Hours delivering to specification.', aliases: [] },
  { id: 'skid', term: 'Skid', definition: 'A pre-assembled frame.', aliases: [] },
];
const question = (id: string, about: { item?: string; term?: string } = {}) => ({
  id,
  prompt: `Question ${id}?`,
  choices: [
    { text: 'Right', correct: true },
    { text: 'Wrong', correct: false },
  ],
  ...about,
});
const release = (quizzes: unknown[], items: unknown[] = [item]) => ({
  format: MANIFEST_FORMAT,
  channel: 'alpha',
  version: 1,
  publishedAt: '2026-01-01T00:00:00Z',
  expiresAt: '2027-01-01T00:00:00Z',
  items,
  glossary,
  quizzes,
});
const issues = (value: unknown) => {
  const parsed = manifest.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.message);
};

describe('quizzes in the manifest', () => {
  const shipped = shipQuizzes(
    [
      catalogueQuiz.parse({
        id: 'basics',
        title: 'Basics',
        kind: 'item',
        item: 'aquacore',
        questions: [question('q1'), question('q2', { term: 'uptime' })],
      }),
    ],
    [item],
    glossary,
  );

  it('ships questions versioned by their subject: the quiz’s item, or the term a question names', () => {
    expect(shipped[0]!.questions.map((q) => [q.id, q.item, q.term, q.version])).toEqual([
      ['q1', 'aquacore', undefined, itemVersion(item)],
      ['q2', undefined, 'uptime', termVersion(glossary[0]!)],
    ]);
    expect(issues(release(shipped))).toEqual([]);
  });

  it('refuses a question about an item or term the release does not have, naming quiz, question and subject', () => {
    const ghost = [{ ...shipped[0]!, questions: [{ ...shipped[0]!.questions[1]!, term: 'no-such-term' }] }];
    expect(issues(release(ghost))).toEqual(['quiz "basics", question "q2" asks about unknown term "no-such-term"']);
    const gone = release(shipped, [{ ...item, id: 'other' }]);
    expect(issues(gone)).toContain('quiz "basics" is about unknown item "aquacore"');
    expect(issues(gone)).toContain('quiz "basics", question "q1" asks about unknown item "aquacore"');
  });

  it('keeps releases without quizzes as they were: the field is optional', () => {
    const { quizzes: _none, ...older } = release([]);
    expect(issues(older)).toEqual([]);
  });

  it('refuses a question with no right choice, or with only right ones', () => {
    const none = catalogueQuiz.safeParse({
      id: 'x',
      title: 'X',
      kind: 'general',
      questions: [{ ...question('q1'), choices: [{ text: 'A' }, { text: 'B' }] }],
    });
    expect(none.success ? [] : none.error.issues.map((i) => i.message)).toEqual([
      'a question marks at least one choice correct',
    ]);
    const all = catalogueQuiz.safeParse({
      id: 'x',
      title: 'X',
      kind: 'general',
      questions: [
        {
          ...question('q1'),
          choices: [
            { text: 'A', correct: true },
            { text: 'B', correct: true },
          ],
        },
      ],
    });
    expect(all.success).toBe(false);
  });

  it('changes an item question’s version when the item’s content changes, not when a tag does', () => {
    expect(itemVersion({ ...item, tags: ['new'] })).toBe(itemVersion(item));
    expect(itemVersion({ ...item, files: [{ ...item.files[0]!, sha256: sha('b') }] })).not.toBe(itemVersion(item));
  });
});

describe('grading and what to ask', () => {
  const questions = [
    { id: 'a', version: 'v1', choices: [{ correct: true }, { correct: false }] },
    { id: 'b', version: 'v1', choices: [{ correct: true }, { correct: true }, { correct: false }] },
  ];

  it('counts a question right only when exactly its right choices are picked', () => {
    expect(
      gradeQuiz(
        100,
        questions,
        new Map([
          ['a', [0]],
          ['b', [0, 1]],
        ]),
      ),
    ).toEqual({
      asked: 2,
      correct: 2,
      percent: 100,
      passed: true,
    });
    expect(
      gradeQuiz(
        80,
        questions,
        new Map([
          ['a', [0]],
          ['b', [0]],
        ]),
      ),
    ).toMatchObject({ correct: 1, passed: false });
  });

  it('asks everything before a pass, and after it only questions whose version changed or that are new', () => {
    expect(questionsToAsk(questions, null).map((q) => q.id)).toEqual(['a', 'b']);
    expect(
      questionsToAsk(
        questions,
        new Map([
          ['a', 'v1'],
          ['b', 'v1'],
        ]),
      ),
    ).toEqual([]);
    expect(
      questionsToAsk(
        questions,
        new Map([
          ['a', 'v0'],
          ['b', 'v1'],
        ]),
      ).map((q) => q.id),
    ).toEqual(['a']);
    expect(questionsToAsk(questions, new Map([['a', 'v1']])).map((q) => q.id)).toEqual(['b']);
  });
});

describe('the starter quiz from the glossary', () => {
  it('needs two terms with different definitions', () => {
    expect(starterQuizFromGlossary([glossary[0]!])).toBeNull();
    expect(
      starterQuizFromGlossary([glossary[0]!, { ...glossary[1]!, definition: glossary[0]!.definition }]),
    ).toBeNull();
  });

  it('is a valid quiz that ships', () => {
    const quiz = catalogueQuiz.parse(starterQuizFromGlossary(glossary));
    expect(quiz.questions.map((q) => [q.term, q.choices.filter((c) => c.correct).length])).toEqual([
      ['uptime', 1],
      ['skid', 1],
    ]);
    expect(issues(release(shipQuizzes([quiz], [item], glossary)))).toEqual([]);
  });
});

describe('streaks', () => {
  const now = new Date('2026-11-04T12:00:00Z'); // a Wednesday

  it('weeks start on Monday (UTC)', () => {
    expect(new Date(weekStart(now)).toISOString()).toBe('2026-11-02T00:00:00.000Z');
    expect(new Date(weekStart(new Date('2026-11-08T23:59:00Z'))).toISOString()).toBe('2026-11-02T00:00:00.000Z');
  });

  it('counts consecutive weeks with points, not broken before this week is over', () => {
    expect(streakWeeks([], now)).toBe(0);
    expect(streakWeeks(['2026-11-03T09:00:00Z', '2026-10-27T09:00:00Z', '2026-10-20T09:00:00Z'], now)).toBe(3);
    // Nothing yet this week: last week's streak still stands.
    expect(streakWeeks(['2026-10-27T09:00:00Z', '2026-10-21T09:00:00Z'], now)).toBe(2);
    // A week without points breaks it.
    expect(streakWeeks(['2026-11-03T09:00:00Z', '2026-10-20T09:00:00Z'], now)).toBe(1);
    expect(streakWeeks(['2026-10-20T09:00:00Z'], now)).toBe(0);
  });
});
