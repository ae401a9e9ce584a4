/** Studio's quiz and points calls, as the UI makes them. */
import type { CatalogueQuiz } from '#shared/quiz';
import type { StudioLeaderboard, StudioQuiz, TeamProgress } from '#shared/studio-quiz';
import { call } from '../api.ts';

const teamQuery = (team: string | null) => (team ? `?team=${encodeURIComponent(team)}` : '');

export const quizApi = {
  list: (channel: string) => call<StudioQuiz[]>('GET', `/api/channels/${channel}/quizzes`),
  save: (channel: string, quiz: CatalogueQuiz, active: boolean) =>
    call<StudioQuiz>('PUT', `/api/channels/${channel}/quizzes/${encodeURIComponent(quiz.id)}`, { quiz, active }),
  remove: (channel: string, id: string) =>
    call<unknown>('DELETE', `/api/channels/${channel}/quizzes/${encodeURIComponent(id)}`, {}),
  starter: (channel: string) => call<CatalogueQuiz>('POST', `/api/channels/${channel}/quizzes/starter`, {}),
  leaderboard: (team: string | null) => call<StudioLeaderboard>('GET', `/api/points/leaderboard${teamQuery(team)}`),
  team: (team: string | null) => call<TeamProgress>('GET', `/api/points/team${teamQuery(team)}`),
};
