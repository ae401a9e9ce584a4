/** Quizzes, attempts and points: Studio's tables for them, in the portable style of the rest. */
export interface QuizTable {
  channel: string;
  id: string;
  title: string;
  kind: string;
  item: string | null;
  term: string | null;
  pass_percent: number;
  /** 1: ships in the next release; 0: kept as a draft. */
  active: number;
  /** The questions as marketing wrote them (catalogueQuizQuestion[]), JSON. */
  questions: string;
  position: number;
  updated_at: string;
  updated_by: string;
}

/** One attempt as a device graded it (from a `quiz-attempt` record), for managers' views. */
export interface QuizAttemptTable {
  device_id: string;
  attempt_id: string;
  rep: string | null;
  team: string | null;
  quiz_id: string;
  quiz_title: string;
  revision: string;
  asked: number;
  correct: number;
  percent: number;
  passed: number;
  at: string;
}

/** The points ledger: one row per (rep, reason, subject), so nothing scores twice. */
export interface PointsAwardTable {
  rep: string;
  reason: string;
  subject: string;
  team: string | null;
  points: number;
  label: string;
  at: string;
}

export interface QuizTables {
  quizzes: QuizTable;
  quiz_attempts: QuizAttemptTable;
  points_awards: PointsAwardTable;
}
