/** Quizzes: the release's quizzes taken offline on the device, and the rep's standing from Studio. */
import { z } from 'zod';
import {
  submitQuizInput,
  type QuizAttemptResult,
  type QuizSummary,
  type QuizToTake,
  type SubmitQuizInput,
} from '../quiz.ts';
import type { Standing } from '../standing.ts';
import { noArg, type ArgSchemas, type NoArg } from './schema.ts';

export interface StandingView {
  /** Null until Studio has sent one (or on a device that is not enrolled). */
  standing: Standing | null;
  /** When it was fetched: the screen says how old it is. */
  fetchedAt: string | null;
  /** A newer standing can come (the device is enrolled as a rep's and not disconnected). */
  enrolled: boolean;
}

export interface QuizzesApi {
  /** The current release's quizzes, with what the rep would be asked now and their last attempt. */
  listQuizzes(arg: NoArg): Promise<QuizSummary[]>;
  /** A quiz's questions to answer now (without the answers): only what changed since a pass, unless `all`. */
  takeQuiz(arg: { id: string; all?: boolean }): Promise<QuizToTake>;
  /** Grades and keeps an attempt, and queues it for Studio; every asked question must be answered. */
  submitQuiz(arg: SubmitQuizInput): Promise<QuizAttemptResult>;
  /** Points, streak and leaderboards as Studio last sent them, with their age. */
  getStanding(arg: NoArg): Promise<StandingView>;
}

export const quizzesArgs = {
  listQuizzes: noArg,
  takeQuiz: z.object({ id: z.string().min(1).max(128), all: z.boolean().optional() }).strict(),
  submitQuiz: submitQuizInput,
  getStanding: noArg,
} satisfies ArgSchemas<QuizzesApi>;
