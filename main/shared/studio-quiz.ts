/** What Studio's quiz and points screens read and send (the server's answers, the UI's types). */
import type { CatalogueQuiz } from './quiz.ts';
import type { LeaderboardRow } from './standing.ts';

export interface StudioQuiz extends CatalogueQuiz {
  /** Ships in the next release when true; otherwise kept as a draft. */
  active: boolean;
  updatedAt: string;
  updatedBy: string;
  /** What keeps it from shipping with the draft as it stands (a removed item, a term renamed …). */
  problems: string[];
}

export interface StudioLeaderboard {
  generatedAt: string;
  days: number;
  /** The team shown: a manager's own, or the one asked for; null for everyone. */
  team: string | null;
  rows: LeaderboardRow[];
}

/** One rep's progress, for a manager (their team) or marketing (everyone). */
export interface RepProgress {
  rep: string;
  name: string;
  team: string | null;
  points: number;
  streakWeeks: number;
  /** Quizzes of the latest release passed, of how many it has. */
  quizzesPassed: number;
  quizzesTotal: number;
  attempts: number;
  /** Average of the rep's best score per quiz, null before any attempt. */
  averagePercent: number | null;
  lastQuizAt: string | null;
  /** Practices reviewed (points for reviewed practice), in the leaderboard's window. */
  practicesReviewed: number;
  lastActiveAt: string | null;
}

export interface TeamProgress {
  generatedAt: string;
  days: number;
  team: string | null;
  reps: RepProgress[];
}
