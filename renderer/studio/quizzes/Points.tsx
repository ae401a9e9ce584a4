/**
 * Points and progress: the leaderboard of the last 30 days and, per rep, quizzes passed, scores
 * and practice reviewed. A manager sees their own team only (the server narrows it); admins and
 * editors see everyone or one team.
 */
import { useCallback, useEffect, useState } from 'react';
import type { StudioLeaderboard, TeamProgress } from '#shared/studio-quiz';
import type { Role } from '../api.ts';
import { quizApi } from './api.ts';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString() : '—');

export function Points({ role }: { role: Role }) {
  const [team, setTeam] = useState('');
  const [board, setBoard] = useState<StudioLeaderboard | null>(null);
  const [progress, setProgress] = useState<TeamProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async (asked: string) => {
    setError(null);
    try {
      const t = asked.trim() || null;
      const [b, p] = await Promise.all([quizApi.leaderboard(t), quizApi.team(t)]);
      setBoard(b);
      setProgress(p);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useEffect(() => void load(''), [load]);

  return (
    <section className="studio-section" aria-labelledby="points-title">
      <div className="studio-section__head">
        <h1 id="points-title">Points &amp; progress</h1>
        {role !== 'manager' ? (
          <form
            className="studio-actions"
            onSubmit={(e) => {
              e.preventDefault();
              void load(team);
            }}
          >
            <label>
              Team <input value={team} onChange={(e) => setTeam(e.target.value)} placeholder="Everyone" />
            </label>
            <button type="submit" className="button">
              Show
            </button>
          </form>
        ) : null}
      </div>
      {error ? (
        <p role="alert" className="studio-error">
          {error}
        </p>
      ) : null}
      {board ? (
        <>
          <p className="studio-muted">
            {board.team ? `Team ${board.team}` : 'Everyone'}: points of the last {board.days} days. Streaks count
            consecutive weeks with points. Updated {new Date(board.generatedAt).toLocaleTimeString()}.
          </p>
          <h2>Leaderboard</h2>
          {board.rows.length === 0 ? (
            <p className="studio-muted">No points yet in this window.</p>
          ) : (
            <table className="studio-table" data-testid="points-leaderboard">
              <thead>
                <tr>
                  <th scope="col">Rank</th>
                  <th scope="col">Rep</th>
                  <th scope="col">Team</th>
                  <th scope="col">Points</th>
                  <th scope="col">Streak (weeks)</th>
                </tr>
              </thead>
              <tbody>
                {board.rows.map((r) => (
                  <tr key={r.rep}>
                    <td className="fleet-num">{r.rank}</td>
                    <td>{r.name}</td>
                    <td>{r.team ?? '—'}</td>
                    <td className="fleet-num">{r.points}</td>
                    <td className="fleet-num">{r.streakWeeks}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      ) : null}
      {progress ? (
        <>
          <h2>Who practised</h2>
          {progress.reps.length === 0 ? (
            <p className="studio-muted">No reps enrolled yet.</p>
          ) : (
            <table className="studio-table" data-testid="points-progress">
              <thead>
                <tr>
                  <th scope="col">Rep</th>
                  <th scope="col">Team</th>
                  <th scope="col">Quizzes passed</th>
                  <th scope="col">Average best score</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Last quiz</th>
                  <th scope="col">Practice reviewed</th>
                  <th scope="col">Points</th>
                </tr>
              </thead>
              <tbody>
                {progress.reps.map((r) => (
                  <tr key={r.rep}>
                    <td>{r.name}</td>
                    <td>{r.team ?? '—'}</td>
                    <td className="fleet-num">
                      {r.quizzesPassed} of {r.quizzesTotal}
                    </td>
                    <td className="fleet-num">{r.averagePercent === null ? '—' : `${r.averagePercent}%`}</td>
                    <td className="fleet-num">{r.attempts}</td>
                    <td>{when(r.lastQuizAt)}</td>
                    <td className="fleet-num">{r.practicesReviewed}</td>
                    <td className="fleet-num">{r.points}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      ) : null}
    </section>
  );
}
