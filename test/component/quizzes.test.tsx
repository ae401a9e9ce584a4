/**
 * The Quizzes screen against a fake core: the rep's standing with its age (or why there is none),
 * quizzes with what is due, a multiple-answer question taken and finished, the result with the
 * right answers, and Finish held back until every question is answered.
 */
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { StandingView } from '#shared/contract/quizzes';
import type { QuizSummary, QuizToTake } from '#shared/quiz';
import { QuizzesScreen } from '../../renderer/quizzes/QuizzesScreen';
import { FakeCore, renderWith } from './fake-core';

const partners: QuizSummary = {
  id: 'partners',
  title: 'Partners and pipeline',
  kind: 'general',
  about: null,
  passPercent: 50,
  questions: 2,
  toAsk: 2,
  passedAt: null,
  lastAttempt: null,
};
const passed: QuizSummary = {
  ...partners,
  id: 'terms',
  title: 'Our vocabulary',
  passedAt: '2026-11-02T10:00:00.000Z',
  toAsk: 1,
};
const taking: QuizToTake = {
  id: 'partners',
  title: 'Partners and pipeline',
  kind: 'general',
  passPercent: 50,
  onlyChanged: false,
  totalQuestions: 2,
  questions: [
    {
      id: 'q1',
      prompt: 'Who services a reseller’s units?',
      choices: ['A dealer', 'The reseller'],
      multiple: false,
      about: null,
    },
    {
      id: 'q2',
      prompt: 'What makes a lead qualified?',
      choices: ['Need', 'Budget', 'A quote'],
      multiple: true,
      about: { kind: 'term', id: 'qualified-lead', title: 'Qualified lead' },
    },
  ],
};

function core(standing: StandingView) {
  return new FakeCore()
    .answer('listQuizzes', () => [partners, passed])
    .answer('getStanding', () => standing)
    .answer('takeQuiz', () => taking)
    .answer('submitQuiz', (arg) => ({
      id: 'attempt-1',
      quizId: arg.quizId,
      takenAt: '2026-11-02T10:00:00.000Z',
      asked: 2,
      correct: 2,
      percent: 100,
      passed: true,
      firstPass: true,
      questions: [
        {
          id: 'q1',
          prompt: 'Who services a reseller’s units?',
          choices: [
            { text: 'A dealer', correct: true, picked: true },
            { text: 'The reseller', correct: false, picked: false },
          ],
          right: true,
          explanation: 'Resellers do not service.',
        },
      ],
    }));
}

const fetchedAnHourAgo = new Date(Date.now() - 3_600_000).toISOString();
const standing: StandingView = {
  enrolled: true,
  fetchedAt: fetchedAnHourAgo,
  standing: {
    generatedAt: fetchedAnHourAgo,
    days: 30,
    me: {
      rep: 'ana@acme.example',
      name: 'Ana Ortiz',
      team: 'North',
      points: 40,
      totalPoints: 90,
      streakWeeks: 3,
      quizzesPassed: 2,
      teamRank: 1,
      teamSize: 4,
      overallRank: 2,
      overallSize: 12,
      recent: [],
    },
    team: [{ rank: 1, rep: 'ana@acme.example', name: 'Ana Ortiz', team: 'North', points: 40, streakWeeks: 3 }],
    overall: [{ rank: 1, rep: 'ben@acme.example', name: 'Ben Brook', team: 'South', points: 50, streakWeeks: 1 }],
  },
};

describe('QuizzesScreen', () => {
  it('shows the standing with its age, and what each quiz asks now', async () => {
    renderWith(core(standing), <QuizzesScreen quizId={null} onPick={() => {}} onBack={() => {}} />);
    expect((await screen.findByTestId('standing-age')).textContent).toBe('as of 1 h ago');
    expect(screen.getByTestId('standing-points').textContent).toBe('40');
    expect(screen.getByTestId('standing-team-rank').textContent).toBe('1 of 4');
    expect(screen.getByTestId('standing-streak').textContent).toBe('3 weeks');
    expect(screen.getByTestId('quiz-partners').textContent).toContain('2 questions · new');
    expect(screen.getByTestId('quiz-terms').textContent).toContain('1 question changed since you passed');
  });

  it('says where points come from on a device that is not connected', async () => {
    renderWith(
      core({ enrolled: false, fetchedAt: null, standing: null }),
      <QuizzesScreen quizId={null} onPick={() => {}} onBack={() => {}} />,
    );
    expect((await screen.findByTestId('standing')).textContent).toContain('once this device is connected');
  });

  it('takes a quiz one question at a time, holds Finish until all are answered, and shows the result', async () => {
    const fake = core(standing);
    const onPick = vi.fn();
    renderWith(fake, <QuizzesScreen quizId="partners" onPick={onPick} onBack={() => {}} />);
    fireEvent.click(await screen.findByTestId('quiz-start'));
    fireEvent.click(await screen.findByLabelText('A dealer'));
    fireEvent.click(screen.getByTestId('quiz-next'));
    expect(await screen.findByText('Pick all that apply.')).toBeTruthy();
    expect((screen.getByTestId('quiz-finish') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByLabelText('Need'));
    fireEvent.click(screen.getByLabelText('Budget'));
    fireEvent.click(screen.getByTestId('quiz-finish'));
    await waitFor(() => expect(screen.getByTestId('quiz-result').textContent).toContain('Passed: 2 of 2 right (100%)'));
    expect(fake.callsTo('submitQuiz')).toEqual([
      {
        quizId: 'partners',
        all: false,
        answers: [
          { questionId: 'q1', picked: [0] },
          { questionId: 'q2', picked: [0, 1] },
        ],
      },
    ]);
    expect(screen.getByTestId('quiz-result').textContent).toContain('Resellers do not service.');
  });
});
