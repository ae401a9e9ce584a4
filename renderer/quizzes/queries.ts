/** What the Quizzes screen reads from the core. */
import type { StandingView } from '#shared/contract/quizzes';
import type { QuizSummary } from '#shared/quiz';
import type { Query } from '../data/query';

export const quizzesQuery: Query<QuizSummary[]> = {
  key: ['quizzes'],
  what: 'Loading the quizzes',
  deadlineMs: 10_000,
  load: (client) => client.listQuizzes({}),
  refetchOn: ['library.changed'],
};

/** Studio's last word on the rep's points: read again whenever the fleet link reports a change. */
export const standingQuery: Query<StandingView> = {
  key: ['standing'],
  what: 'Loading your points',
  deadlineMs: 10_000,
  load: (client) => client.getStanding({}),
  refetchOn: ['fleet.changed'],
};
