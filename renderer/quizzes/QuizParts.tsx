/** The Quizzes screen's parts: props only, no client (the screen holds the data). */
import type { StandingView } from '#shared/contract/quizzes';
import type { QuizAttemptResult, QuizQuestionView, QuizSummary } from '#shared/quiz';
import type { LeaderboardRow } from '#shared/standing';
import { ageOf } from '../fleet/presentation';

const kindLabel: Record<QuizSummary['kind'], string> = {
  item: 'About an item',
  term: 'About a term',
  'whats-new': 'What’s new',
  general: 'Quiz',
};

const day = (iso: string) => new Date(iso).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });

/** Where a quiz stands for the rep: what the list's second line says. */
export function quizStatus(quiz: QuizSummary): string {
  if (quiz.passedAt === null)
    return quiz.lastAttempt
      ? `Last try ${quiz.lastAttempt.percent}% · pass at ${quiz.passPercent}%`
      : `${quiz.questions} question${quiz.questions === 1 ? '' : 's'} · new`;
  if (quiz.toAsk === 0) return `Passed ${day(quiz.passedAt)} · up to date`;
  return `${quiz.toAsk} question${quiz.toAsk === 1 ? '' : 's'} changed since you passed`;
}

export function QuizList({
  quizzes,
  selectedId,
  onPick,
}: {
  quizzes: readonly QuizSummary[];
  selectedId: string | null;
  onPick(id: string): void;
}) {
  return (
    <ul className="quiz-list" aria-label="Quizzes" data-testid="quiz-list">
      {quizzes.map((quiz) => {
        const due = quiz.passedAt === null || quiz.toAsk > 0;
        return (
          <li key={quiz.id}>
            <button
              type="button"
              className={`quiz-card${quiz.id === selectedId ? ' quiz-card--selected' : ''}`}
              aria-current={quiz.id === selectedId ? 'true' : undefined}
              data-testid={`quiz-${quiz.id}`}
              onClick={() => onPick(quiz.id)}
            >
              <span className="quiz-card__kind">{kindLabel[quiz.kind]}</span>
              <span className="quiz-card__title">{quiz.title}</span>
              <span className={`quiz-card__status${due ? ' quiz-card__status--due' : ''}`}>{quizStatus(quiz)}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

function BoardRows({
  rows,
  me,
  label,
  days,
}: {
  rows: readonly LeaderboardRow[];
  me: string | null;
  label: string;
  days: number;
}) {
  if (rows.length === 0) return <p className="standing__empty">No points yet in the last {days} days.</p>;
  return (
    <ol className="standing__board" aria-label={label}>
      {rows.map((row) => (
        <li key={row.rep} className={row.rep === me ? 'standing__row standing__row--me' : 'standing__row'}>
          <span className="standing__rank">{row.rank}</span>
          <span className="standing__name">
            {row.name}
            {row.rep === me ? ' (you)' : ''}
          </span>
          <span className="standing__points">{row.points} pts</span>
        </li>
      ))}
    </ol>
  );
}

/** Points, ranks and streak as Studio last sent them, with how old that is; offline it says so plainly. */
export function StandingCard({ view, now }: { view: StandingView; now: Date }) {
  const standing = view.standing;
  if (!standing || !standing.me)
    return (
      <section className="standing" aria-labelledby="standing-title" data-testid="standing">
        <h2 className="standing__title" id="standing-title">
          Your points
        </h2>
        <p className="standing__empty">
          {view.enrolled
            ? 'Your points arrive from your company’s Studio at the next sync.'
            : 'Points and leaderboards come from your company’s Studio once this device is connected.'}
        </p>
      </section>
    );
  const me = standing.me;
  return (
    <section className="standing" aria-labelledby="standing-title" data-testid="standing">
      <div className="standing__head">
        <h2 className="standing__title" id="standing-title">
          Your points
        </h2>
        <span className="standing__age" data-testid="standing-age">
          as of {ageOf(view.fetchedAt, now)}
        </span>
      </div>
      <dl className="standing__figures">
        <div>
          <dt>Last {standing.days} days</dt>
          <dd data-testid="standing-points">{me.points}</dd>
        </div>
        <div>
          <dt>Team rank</dt>
          <dd data-testid="standing-team-rank">{me.teamRank ? `${me.teamRank} of ${me.teamSize}` : '—'}</dd>
        </div>
        <div>
          <dt>Overall</dt>
          <dd>{me.overallRank ? `${me.overallRank} of ${me.overallSize}` : '—'}</dd>
        </div>
        <div>
          <dt>Streak</dt>
          <dd data-testid="standing-streak">
            {me.streakWeeks} week{me.streakWeeks === 1 ? '' : 's'}
          </dd>
        </div>
      </dl>
      {standing.team.length > 0 ? (
        <>
          <h3 className="standing__subtitle">{me.team ? `Team ${me.team}` : 'Your team'}</h3>
          <BoardRows rows={standing.team} me={me.rep} label="Team leaderboard" days={standing.days} />
        </>
      ) : null}
      <h3 className="standing__subtitle">Everyone</h3>
      <BoardRows rows={standing.overall} me={me.rep} label="Overall leaderboard" days={standing.days} />
    </section>
  );
}

/** One question: big touch targets; one choice, or several when more than one is right. */
export function QuestionView({
  question,
  index,
  total,
  picked,
  onPick,
}: {
  question: QuizQuestionView;
  index: number;
  total: number;
  picked: readonly number[];
  onPick(picked: number[]): void;
}) {
  const name = `question-${question.id}`;
  const toggle = (i: number) => {
    if (!question.multiple) return onPick([i]);
    onPick(picked.includes(i) ? picked.filter((p) => p !== i) : [...picked, i].sort((a, b) => a - b));
  };
  return (
    <fieldset className="quiz-question" data-testid="quiz-question">
      <legend className="quiz-question__prompt">
        <span className="quiz-question__count">
          Question {index + 1} of {total}
        </span>
        {question.prompt}
      </legend>
      {question.about?.title ? <p className="quiz-question__about">About {question.about.title}</p> : null}
      {question.multiple ? <p className="quiz-question__hint">Pick all that apply.</p> : null}
      <div className="quiz-question__choices">
        {question.choices.map((choice, i) => (
          <label key={i} className={`quiz-choice${picked.includes(i) ? ' quiz-choice--picked' : ''}`}>
            <input
              type={question.multiple ? 'checkbox' : 'radio'}
              name={name}
              checked={picked.includes(i)}
              onChange={() => toggle(i)}
            />
            <span>{choice}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function QuizResult({ result, passPercent }: { result: QuizAttemptResult; passPercent: number }) {
  return (
    <section className="quiz-result" aria-labelledby="quiz-result-title" data-testid="quiz-result">
      <h2
        id="quiz-result-title"
        className={`quiz-result__score quiz-result__score--${result.passed ? 'pass' : 'fail'}`}
      >
        {result.passed ? 'Passed' : 'Not passed yet'}: {result.correct} of {result.asked} right ({result.percent}%)
      </h2>
      <p className="quiz-result__note" data-testid="quiz-result-note">
        {result.passed
          ? result.firstPass
            ? 'Your points are counted at your next sync with Studio.'
            : 'You had passed this before: a retake keeps your practice up, points count once.'
          : `You need ${passPercent}% to pass. Read the explanations and try again.`}
      </p>
      <ol className="quiz-result__questions">
        {result.questions.map((q) => (
          <li key={q.id} className={`quiz-review quiz-review--${q.right ? 'right' : 'wrong'}`}>
            <p className="quiz-review__prompt">
              <span className="quiz-review__mark">{q.right ? 'Right' : 'Wrong'}</span> {q.prompt}
            </p>
            <ul className="quiz-review__choices">
              {q.choices
                .filter((c) => c.correct || c.picked)
                .map((c, i) => (
                  <li key={i}>
                    {c.correct ? 'Answer: ' : 'You picked: '}
                    {c.text}
                  </li>
                ))}
            </ul>
            {q.explanation ? <p className="quiz-review__why">{q.explanation}</p> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
