import type { Kysely } from 'kysely';
import type { QuizAttemptPayload } from '#shared/quiz';
import { cutText } from '#shared/contract/text';
import type { StudioTables } from '../database/schema.ts';
import type { FleetRecordTable } from '../fleet/tables.ts';
import { awardPoints } from '../points/points.ts';

/**
 * A `quiz-attempt` record, checked by the ingest: kept once per (device, attempt), and a pass
 * awards the quiz's points once per rep and revision — retaking a passed quiz records the
 * attempt, never the points again. A booth (no rep) has no attempts to score.
 */
export async function recordQuizAttempt(db: Kysely<StudioTables>, row: FleetRecordTable): Promise<void> {
  const attempt = JSON.parse(row.payload) as QuizAttemptPayload;
  const inserted = await db
    .insertInto('quiz_attempts')
    .values({
      device_id: row.device_id,
      attempt_id: attempt.attemptId,
      rep: row.rep,
      team: row.team,
      quiz_id: attempt.quizId,
      quiz_title: cutText(attempt.quizTitle, 200),
      revision: attempt.revision,
      asked: attempt.asked,
      correct: attempt.correct,
      percent: attempt.percent,
      passed: attempt.passed ? 1 : 0,
      at: row.at,
    })
    .onConflict((oc) => oc.columns(['device_id', 'attempt_id']).doNothing())
    .returning('attempt_id')
    .executeTakeFirst();
  if (!inserted || !attempt.passed || !row.rep) return;
  await awardPoints(db, {
    rep: row.rep,
    team: row.team,
    reason: 'quiz-passed',
    subject: `${attempt.quizId}@${attempt.revision}`,
    label: `Passed “${attempt.quizTitle}”${attempt.onlyChanged ? ' (what changed)' : ''}`,
    at: row.at,
  });
}
