import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import type { CatalogueQuiz } from '#shared/quiz';
import type { StudioLeaderboard, StudioQuiz, TeamProgress } from '#shared/studio-quiz';
import { awardPoints, createUser, startStudio, type RunningStudio } from '#studio/index';
import { makePdf, tempDir } from '../support/release.ts';
import { StudioClient } from './client.ts';

/**
 * Quizzes and points between the real device and the real Studio, nothing faked between them
 * but the network going away: marketing makes a starter quiz from the glossary in Studio and
 * publishes it; a rep takes it offline, the attempt waits in the outbox and reaches Studio when
 * the network is back, scores once however often it is retaken, moves the leaderboard, and the
 * device shows the new standing after its sync. After a term changes, the rep who passed is asked
 * only about that term. A manager sees their own team only.
 */

const password = 'correct horse battery';
let data: ReturnType<typeof tempDir>;
let studio: RunningStudio;
let admin: StudioClient;
let editor: StudioClient;
let approver: StudioClient;
let manager: StudioClient;
let itemId: string;
let now = new Date('2026-11-02T09:00:00Z');
const clock = { now: () => now };
const cleanups: (() => void | Promise<void>)[] = [];
let starter: CatalogueQuiz;

const glossary = [
  {
    id: 'twin-train',
    term: 'Twin-train',
    definition: 'Two treatment trains, so one keeps running while the other is serviced.',
    aliases: [],
  },
  {
    id: 'uptime',
    term: 'Uptime',
    definition: 'The share of hours the plant delivers water to specification.',
    aliases: [],
  },
  {
    id: 'skid',
    term: 'Skid',
    definition: 'A frame with the whole unit pre-assembled, delivered ready to connect.',
    aliases: [],
  },
];

const prompt = {
  id: 'twin-train-60',
  title: "The AquaCore 500's twin-train redundancy in 60 seconds",
  item: 'aquacore-500',
  page: 2,
  keyMessages: ['Never stops', 'Saves 60% of the water'],
  timeLimitSeconds: 60,
};

async function publish(note: string): Promise<void> {
  const submitted = await editor.call<{ release: { id: string } }>('POST', '/api/channels/default/releases', { note });
  expect(submitted.status, JSON.stringify(submitted.error)).toBe(200);
  const release = submitted.value.release.id;
  expect((await approver.call('POST', `/api/releases/${release}/approve`, {})).status).toBe(200);
  // Publishing runs in the background: follow the job to its end.
  const published = await approver.publish(`/api/releases/${release}/publish`);
  expect(published.job?.state, JSON.stringify(published.job?.error ?? published.accepted.error)).toBe('succeeded');
}

beforeAll(async () => {
  data = tempDir('studio-quizzes-');
  studio = await startStudio({
    dataDir: data.dir,
    port: 0,
    // The test moves the clock over days: sessions outlive it.
    config: { scryptCost: 2 ** 10, sessionMs: 30 * 86_400_000 },
    now: () => now,
    log: () => {},
  });
  const people: Record<string, StudioClient> = {};
  const ids: Record<string, string> = {};
  for (const role of ['admin', 'editor', 'approver', 'manager'] as const) {
    ids[role] = (
      await createUser(studio.context, { email: `${role}@example.com`, name: role, role, password }, null)
    ).id;
    people[role] = new StudioClient(studio.url);
    expect((await people[role].signIn(`${role}@example.com`, password)).status).toBe(200);
  }
  ({ admin, editor, approver, manager } = people as Record<string, StudioClient> & {
    admin: StudioClient;
    editor: StudioClient;
    approver: StudioClient;
    manager: StudioClient;
  });
  expect((await admin.call('PUT', `/api/fleet/managers/${ids.manager}`, { team: 'North' })).status).toBe(200);
  const pdf = await makePdf('AquaCore 500', ['AquaCore 500 at a glance', 'Twin-train redundancy', 'Prices']);
  const uploaded = await editor.upload<{ id: string }>('default', 'aquacore-500.pdf', pdf);
  expect(uploaded.status).toBe(200);
  itemId = uploaded.value.id;
  expect((await editor.call('PUT', '/api/channels/default/glossary', { terms: glossary })).status).toBe(200);

  const made = await editor.call<CatalogueQuiz>('POST', '/api/channels/default/quizzes/starter', {});
  expect(made.status, JSON.stringify(made.error)).toBe(200);
  starter = { ...made.value, title: 'Our water words' };
  const saved = await editor.call<StudioQuiz>('PUT', `/api/channels/default/quizzes/${starter.id}`, {
    quiz: starter,
    active: true,
  });
  expect(saved.status, JSON.stringify(saved.error)).toBe(200);
  expect(saved.value).toMatchObject({ title: 'Our water words', active: true, problems: [] });
  // A practice prompt written in Studio rides in the same release.
  const prompts = await editor.call('PUT', '/api/channels/default/practice-prompts', { prompts: [prompt] });
  expect(prompts.status, JSON.stringify(prompts.error)).toBe(200);
  await publish('the AquaCore, a starter quiz and a practice prompt');
}, 60_000);

afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await studio?.close();
  data?.cleanup();
});

/** A device whose way to Studio can be cut, as on a plane; the content channel stays reachable. */
async function device(kind: 'standard' | 'kiosk' = 'standard'): Promise<{ core: Core; offline(on: boolean): void }> {
  const profile = tempDir('studio-quizzes-profile-');
  let cut = false;
  const core = await createCore({
    profileDir: profile.dir,
    shell: 'browser',
    siteBaseUrl: 'http://127.0.0.1',
    profileKind: kind,
    appVersion: '3.4.5',
    clock,
    delivery: {
      fetchImpl: (async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
        if (cut) throw new TypeError('fetch failed');
        return fetch(input, init);
      }) as typeof fetch,
    },
  });
  cleanups.push(
    () => profile.cleanup(),
    () => core.close(),
  );
  return { core, offline: (on) => (cut = on) };
}

async function enrol(core: Core, rep: { name: string; email: string; team: string }): Promise<void> {
  const made = await admin.call<{ code: string }>('POST', '/api/fleet/codes', { kind: 'rep', ...rep });
  expect(made.status, JSON.stringify(made.error)).toBe(200);
  await core.api.enrolDevice({ studioUrl: studio.url, code: made.value.code });
  expect((await core.api.checkForContent({})).lastError).toBeNull();
}

/** The right choices of each question, as marketing marked them in Studio. */
function rightAnswers(quiz: CatalogueQuiz): Map<string, number[]> {
  return new Map(quiz.questions.map((q) => [q.id, q.choices.flatMap((c, i) => (c.correct ? [i] : []))] as const));
}

async function answerAll(core: Core, quizId: string, right: boolean, all = false) {
  const taking = await core.api.takeQuiz({ id: quizId, all });
  const key = rightAnswers(starter);
  return core.api.submitQuiz({
    quizId,
    all,
    answers: taking.questions.map((q) => {
      const correct = key.get(q.id)!;
      const wrong = q.choices.findIndex((_c, i) => !correct.includes(i));
      return { questionId: q.id, picked: right ? correct : [wrong] };
    }),
  });
}

async function board(client: StudioClient, query = ''): Promise<StudioLeaderboard> {
  const answer = await client.call<StudioLeaderboard>('GET', `/api/points/leaderboard${query}`);
  expect(answer.status, JSON.stringify(answer.error)).toBe(200);
  return answer.value;
}

describe('quizzes from Studio to the rep’s device and back', () => {
  it('the starter quiz asks each term’s definition among other terms’ definitions', () => {
    expect(starter.questions).toHaveLength(3);
    for (const [i, q] of starter.questions.entries()) {
      expect(q.term).toBe(glossary[i]!.id);
      expect(q.choices.filter((c) => c.correct).map((c) => c.text)).toEqual([glossary[i]!.definition]);
      expect(q.choices).toHaveLength(3);
      for (const c of q.choices.filter((x) => !x.correct)) expect(glossary.map((g) => g.definition)).toContain(c.text);
    }
  });

  it('refuses a quiz about something the library does not have, saying which', async () => {
    const bad = await editor.call('PUT', '/api/channels/default/quizzes/ghost', {
      quiz: {
        ...starter,
        id: 'ghost',
        questions: [{ ...starter.questions[0]!, term: undefined, item: 'no-such-item' }],
      },
      active: true,
    });
    expect(bad.status).toBe(400);
    expect(bad.error?.message).toMatch(/question "term-twin-train" asks about unknown item "no-such-item"/);
    const none = await editor.call('PUT', '/api/channels/default/quizzes/empty', {
      quiz: {
        ...starter,
        id: 'empty',
        questions: [{ ...starter.questions[0]!, choices: [{ text: 'Yes', correct: true }] }],
      },
      active: true,
    });
    expect(none.status).toBe(400);
    expect(none.error?.message).toMatch(
      /question 1 \(term-twin-train\), choices: a question offers at least 2 choices/,
    );
    const list = await editor.call<StudioQuiz[]>('GET', '/api/channels/default/quizzes');
    expect(list.value.map((q) => q.id)).toEqual([starter.id]);
  });

  it('a quiz taken offline scores once, reaches Studio, moves the leaderboard, and the standing reaches the device', async () => {
    const ana = await device();
    const ben = await device();
    await enrol(ana.core, { name: 'Ana Ortiz', email: 'ana@acme.example', team: 'North' });
    await enrol(ben.core, { name: 'Ben Brook', email: 'ben@acme.example', team: 'South' });
    expect(await ana.core.api.getStanding({})).toEqual({ standing: null, fetchedAt: null, enrolled: true });

    const [quiz] = await ana.core.api.listQuizzes({});
    expect(quiz).toMatchObject({ id: starter.id, title: 'Our water words', questions: 3, toAsk: 3, passedAt: null });
    const taking = await ana.core.api.takeQuiz({ id: starter.id });
    // The device never hands the answers to the screen before the rep has answered.
    expect(JSON.stringify(taking)).not.toMatch(/"correct"/);

    ana.offline(true);
    now = new Date('2026-11-02T10:00:00Z');
    const result = await answerAll(ana.core, starter.id, true);
    expect(result).toMatchObject({ asked: 3, correct: 3, percent: 100, passed: true, firstPass: true });
    now = new Date('2026-11-02T10:05:00Z');
    // Taken again: a new attempt, never a second score.
    const again = await answerAll(ana.core, starter.id, true, true);
    expect(again).toMatchObject({ passed: true, firstPass: false });
    expect((await ana.core.api.syncFleetNow({})).lastError?.message).toBeTruthy();
    const waiting = (await ana.core.api.getRecordsAboutMe({ limit: 50 })).recent.filter(
      (r) => r.kind === 'quiz-attempt',
    );
    expect(waiting.map((r) => [r.summary, r.studio.state])).toEqual([
      ['Quiz: Our water words 100%, passed', 'waiting'],
      ['Quiz: Our water words 100%, passed', 'waiting'],
    ]);
    expect((await board(admin)).rows).toEqual([]);

    ana.offline(false);
    now = new Date('2026-11-02T11:00:00Z');
    const online = await ana.core.api.syncFleetNow({});
    expect(online).toMatchObject({ pending: 0, refused: 0, lastError: null });
    expect((await board(admin)).rows).toEqual([
      expect.objectContaining({ rank: 1, rep: 'ana@acme.example', name: 'Ana Ortiz', team: 'North', points: 20 }),
    ]);
    const standing = await ana.core.api.getStanding({});
    expect(standing.fetchedAt).toBe('2026-11-02T11:00:00.000Z');
    expect(standing.standing?.me).toMatchObject({
      points: 20,
      quizzesPassed: 1,
      teamRank: 1,
      overallRank: 1,
      overallSize: 1,
      streakWeeks: 1,
      recent: [expect.objectContaining({ reason: 'quiz-passed', label: 'Passed “Our water words”', points: 20 })],
    });

    // Ben fails, then passes: a fail scores nothing, his pass ties him with Ana.
    expect(await answerAll(ben.core, starter.id, false)).toMatchObject({ passed: false, correct: 0, firstPass: false });
    await ben.core.api.syncFleetNow({});
    expect((await board(admin)).rows.map((r) => r.rep)).toEqual(['ana@acme.example']);
    expect(await answerAll(ben.core, starter.id, true)).toMatchObject({ passed: true, firstPass: true });
    await ben.core.api.syncFleetNow({});
    expect((await board(admin)).rows.map((r) => [r.rank, r.rep, r.points])).toEqual([
      [1, 'ana@acme.example', 20],
      [1, 'ben@acme.example', 20],
    ]);

    // Presenting the item the latest release brought, in a meeting the rep logged, scores once a day.
    now = new Date('2026-11-03T09:00:00Z');
    for (const meeting of ['meeting-000000001', 'meeting-000000002']) {
      await ana.core.api.recordActivity({
        events: [
          {
            id: `viewed-${meeting}`,
            type: 'page.viewed',
            at: now.toISOString(),
            itemId,
            page: 2,
            dwellMs: 8000,
            meetingId: meeting,
          },
        ],
      });
      await ana.core.api.saveMeeting({
        id: meeting,
        startedAt: now.toISOString(),
        endedAt: now.toISOString(),
        status: 'logged',
        account: 'Marston Brewery',
        outcome: 'Trial agreed',
      });
    }
    await ana.core.api.syncFleetNow({});
    const after = await ana.core.api.getStanding({});
    expect(after.standing?.me).toMatchObject({ points: 30, overallRank: 1 });
    expect(after.standing?.me?.recent[0]).toMatchObject({ reason: 'new-content-presented', points: 10 });
    expect(after.standing?.overall.map((r) => [r.rank, r.rep, r.points])).toEqual([
      [1, 'ana@acme.example', 30],
      [2, 'ben@acme.example', 20],
    ]);
    expect(after.standing?.team.map((r) => r.rep)).toEqual(['ana@acme.example']);

    // Reviewed practice is awarded by whoever reviews it, once per recording.
    const review = {
      rep: 'ben@acme.example',
      team: 'South',
      reason: 'practice-reviewed' as const,
      subject: 'recording-1',
      label: 'Practice reviewed: AquaCore in 60 seconds',
      at: now.toISOString(),
    };
    expect(await awardPoints(studio.context.db, review)).toBe(true);
    expect(await awardPoints(studio.context.db, review)).toBe(false);
    expect((await board(admin)).rows.map((r) => [r.rank, r.rep, r.points])).toEqual([
      [1, 'ben@acme.example', 50],
      [2, 'ana@acme.example', 30],
    ]);

    // A manager sees their own team only, however they ask; marketing sees everyone.
    expect((await board(manager)).rows.map((r) => r.rep)).toEqual(['ana@acme.example']);
    expect((await manager.call('GET', '/api/points/leaderboard?team=South')).status).toBe(403);
    const team = await manager.call<TeamProgress>('GET', '/api/points/team');
    expect(team.value.team).toBe('North');
    expect(team.value.reps).toEqual([
      expect.objectContaining({
        rep: 'ana@acme.example',
        name: 'Ana Ortiz',
        points: 30,
        quizzesPassed: 1,
        quizzesTotal: 1,
        attempts: 2,
        averagePercent: 100,
      }),
    ]);
    const everyone = await editor.call<TeamProgress>('GET', '/api/points/team');
    expect(everyone.value.reps.map((r) => [r.rep, r.attempts, r.practicesReviewed])).toEqual([
      ['ben@acme.example', 2, 1],
      ['ana@acme.example', 2, 0],
    ]);

    // A term changes: the rep who passed is asked only about it, and passing that scores again.
    now = new Date('2026-11-04T09:00:00Z');
    const changed = glossary.map((g) =>
      g.id === 'uptime'
        ? { ...g, definition: 'Hours delivering water to specification, over all hours, per year.' }
        : g,
    );
    expect((await editor.call('PUT', '/api/channels/default/glossary', { terms: changed })).status).toBe(200);
    // The starter's question about uptime says the new definition; the others are untouched.
    starter = {
      ...starter,
      questions: starter.questions.map((q) =>
        q.term === 'uptime'
          ? { ...q, choices: q.choices.map((c) => (c.correct ? { ...c, text: changed[1]!.definition } : c)) }
          : q,
      ),
    };
    expect(
      (await editor.call('PUT', `/api/channels/default/quizzes/${starter.id}`, { quiz: starter, active: true })).status,
    ).toBe(200);
    await publish('uptime defined per year');
    expect((await ana.core.api.checkForContent({})).lastError).toBeNull();
    const [updated] = await ana.core.api.listQuizzes({});
    expect(updated).toMatchObject({ questions: 3, toAsk: 1 });
    const delta = await ana.core.api.takeQuiz({ id: starter.id });
    expect(delta).toMatchObject({ onlyChanged: true, totalQuestions: 3 });
    expect(delta.questions.map((q) => q.id)).toEqual(['term-uptime']);
    expect(await answerAll(ana.core, starter.id, true)).toMatchObject({ asked: 1, passed: true, firstPass: true });
    expect((await ana.core.api.listQuizzes({}))[0]).toMatchObject({ toAsk: 0 });
    await expect(answerAll(ana.core, starter.id, true)).rejects.toThrow(
      /Nothing in this quiz changed since you passed/,
    );
    await ana.core.api.syncFleetNow({});
    const last = await ana.core.api.getStanding({});
    expect(last.standing?.me).toMatchObject({ points: 50, quizzesPassed: 1, streakWeeks: 1 });
    expect(last.fetchedAt).toBe('2026-11-04T09:00:00.000Z');

    // Her quiz attempts and points are hers: exported with her data, erased with it.
    const exported = await admin.call<{ quizAttempts: unknown[]; points: unknown[] }>(
      'GET',
      '/api/fleet/privacy/export?rep=ana@acme.example',
    );
    expect([exported.value.quizAttempts.length, exported.value.points.length]).toEqual([3, 3]);
    expect((await admin.call('POST', '/api/fleet/privacy/erase', { rep: 'ana@acme.example' })).status).toBe(200);
    expect((await board(admin)).rows.map((r) => r.rep)).toEqual(['ben@acme.example']);
  }, 120_000);

  it('a what’s-new question about an item the release does not change is refused at submit', async () => {
    const whatsNew: CatalogueQuiz = {
      id: 'whats-new',
      title: 'What’s new',
      kind: 'whats-new',
      questions: [
        {
          id: 'q1',
          prompt: 'What does the AquaCore 500 keep running during service?',
          choices: [
            { text: 'One of its two trains', correct: true },
            { text: 'Nothing', correct: false },
          ],
          item: itemId,
        },
      ],
    };
    expect(
      (await editor.call('PUT', '/api/channels/default/quizzes/whats-new', { quiz: whatsNew, active: true })).status,
    ).toBe(200);
    // Review & publish says the draft changes the quizzes.
    expect((await editor.call<{ quizzesChanged: boolean }>('GET', '/api/channels/default/draft')).value).toMatchObject({
      quizzesChanged: true,
    });
    const refused = await editor.call('POST', '/api/channels/default/releases', { note: 'quiz only' });
    expect(refused.status).toBe(400);
    expect(refused.error?.message).toMatch(
      new RegExp(
        `quiz "whats-new", question "q1" asks what's new about "${itemId}", which this release does not change`,
      ),
    );
    expect((await editor.call('DELETE', '/api/channels/default/quizzes/whats-new')).status).toBe(200);
  });

  it('a kiosk neither takes quizzes nor reads a standing', async () => {
    const { core } = await device('kiosk');
    for (const [method, arg] of [
      ['listQuizzes', {}],
      ['takeQuiz', { id: 'glossary-starter' }],
      ['submitQuiz', { quizId: 'glossary-starter', answers: [] }],
      ['getStanding', {}],
    ] as const)
      expect(await core.handle(method, arg)).toMatchObject({
        ok: false,
        error: { code: 'refused', message: /not a kiosk/ },
      });
  });
});

// Last: the rep enrolled here would otherwise count in the teams' progress above.
describe('practice prompts from Studio to the rep’s device', () => {
  it('a practice prompt written in Studio reaches the rep’s device with the release', async () => {
    const { core } = await device();
    await enrol(core, { name: 'Pat', email: 'pat@example.com', team: 'North' });
    expect(await core.api.listPracticePrompts({})).toEqual([
      expect.objectContaining({
        id: prompt.id,
        title: prompt.title,
        attachedTo: { kind: 'page', itemId: 'aquacore-500', page: 2, title: 'AquaCore 500' },
        keyMessages: prompt.keyMessages,
        timeLimitSeconds: 60,
      }),
    ]);
  });
});
