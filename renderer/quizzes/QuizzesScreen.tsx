/**
 * The Quizzes screen (`#/quizzes`, `#/quizzes/<quiz>`): the release's quizzes and the rep's
 * points as Studio last sent them. A quiz is taken one question at a time and graded on the
 * device, offline; a rep who passed is asked only what changed since. Answers in progress live
 * in the screen until Finish, which keeps the attempt in the core at once.
 */
import { useState } from 'react';
import type { QuizAttemptResult, QuizSummary, QuizToTake } from '#shared/quiz';
import { useAction } from '../data/useAction';
import { useQuery } from '../data/useQuery';
import { StateMessage } from '../ui/StateMessage';
import { ScreenFrame } from '../ui/ScreenFrame';
import { QuestionView, QuizList, QuizResult, StandingCard } from './QuizParts';
import { quizzesQuery, standingQuery } from './queries';
import './quizzes.css';

export interface QuizzesScreenProps {
  quizId: string | null;
  onPick(quizId: string): void;
  onBack(): void;
}

export function QuizzesScreen({ quizId, onPick, onBack }: QuizzesScreenProps) {
  const quizzes = useQuery(quizzesQuery);
  const standing = useQuery(standingQuery);
  const list = quizzes.status === 'ready' ? quizzes.data : [];
  const quiz = list.find((q) => q.id === quizId) ?? null;

  return (
    <ScreenFrame name="quizzes" title="Quizzes" onBack={onBack}>
      <div className="quizzes-screen__side">
        {standing.status === 'ready' ? <StandingCard view={standing.data} now={new Date()} /> : null}
        {standing.status === 'error' ? (
          <p className="quizzes-screen__problem" role="alert">
            Your points did not load: {standing.error.message}
          </p>
        ) : null}
        {quizzes.status === 'loading' ? (
          <p role="status">Loading the quizzes…</p>
        ) : quizzes.status === 'error' ? (
          <StateMessage tone="error" title="The quizzes did not load" onRetry={quizzes.retry}>
            {quizzes.error.message}
          </StateMessage>
        ) : list.length === 0 ? (
          <StateMessage tone="empty" title="No quizzes yet" testId="quizzes-empty">
            Marketing adds them in Studio; they arrive with the next content update.
          </StateMessage>
        ) : (
          <QuizList quizzes={list} selectedId={quiz?.id ?? null} onPick={onPick} />
        )}
      </div>
      <div className="quizzes-screen__main">
        {quiz ? (
          <QuizRun key={quiz.id} summary={quiz} onDone={quizzes.refresh} />
        ) : list.length > 0 ? (
          <p className="quizzes-screen__hint" data-testid="quizzes-pick">
            {quizId ? 'That quiz is not in the current library. ' : ''}Pick a quiz to take.
          </p>
        ) : null}
      </div>
    </ScreenFrame>
  );
}

type Stage =
  | { name: 'intro' }
  | { name: 'asking'; quiz: QuizToTake; index: number }
  | { name: 'result'; result: QuizAttemptResult };

function QuizRun({ summary, onDone }: { summary: QuizSummary; onDone(): void }) {
  const [stage, setStage] = useState<Stage>({ name: 'intro' });
  const [answers, setAnswers] = useState<Record<string, number[]>>({});
  const [all, setAll] = useState(false);
  const start = useAction(
    (client, everything: boolean) => client.takeQuiz({ id: summary.id, all: everything }),
    'The quiz did not open: ',
  );
  const finish = useAction(
    (client, arg: { quiz: QuizToTake; all: boolean }) =>
      client.submitQuiz({
        quizId: arg.quiz.id,
        all: arg.all,
        answers: arg.quiz.questions.map((q) => ({ questionId: q.id, picked: answers[q.id] ?? [] })),
      }),
    'Your answers were not kept: ',
  );

  const begin = async (everything: boolean) => {
    const quiz = await start.run(everything);
    if (!quiz) return;
    setAll(everything);
    setAnswers({});
    setStage({ name: 'asking', quiz, index: 0 });
  };

  if (stage.name === 'result')
    return (
      <div className="quiz-run">
        <h2 className="quiz-run__title">{summary.title}</h2>
        <QuizResult result={stage.result} passPercent={summary.passPercent} />
        <div className="quiz-run__actions">
          <button type="button" className="button" data-testid="quiz-again" onClick={() => setStage({ name: 'intro' })}>
            Back to the quiz
          </button>
        </div>
      </div>
    );

  if (stage.name === 'asking') {
    const { quiz, index } = stage;
    const question = quiz.questions[index]!;
    const picked = answers[question.id] ?? [];
    const last = index === quiz.questions.length - 1;
    const unanswered = quiz.questions.filter((q) => !(answers[q.id]?.length ?? 0)).length;
    return (
      <div className="quiz-run">
        <h2 className="quiz-run__title">{quiz.title}</h2>
        {quiz.onlyChanged ? (
          <p className="quiz-run__note">
            Only what changed since you passed: {quiz.questions.length} of {quiz.totalQuestions}.
          </p>
        ) : null}
        <QuestionView
          key={question.id}
          question={question}
          index={index}
          total={quiz.questions.length}
          picked={picked}
          onPick={(next) => setAnswers((a) => ({ ...a, [question.id]: next }))}
        />
        {finish.error ? (
          <p className="quizzes-screen__problem" role="alert">
            {finish.error}
          </p>
        ) : null}
        <div className="quiz-run__actions">
          <button
            type="button"
            className="button"
            disabled={index === 0}
            onClick={() => setStage({ ...stage, index: index - 1 })}
          >
            Previous
          </button>
          {last ? (
            <button
              type="button"
              className="button button--primary"
              data-testid="quiz-finish"
              disabled={unanswered > 0 || finish.pending}
              onClick={async () => {
                const result = await finish.run({ quiz, all });
                if (!result) return;
                setStage({ name: 'result', result });
                onDone();
              }}
            >
              {unanswered > 0 ? `${unanswered} to answer` : 'Finish'}
            </button>
          ) : (
            <button
              type="button"
              className="button button--primary"
              data-testid="quiz-next"
              disabled={picked.length === 0}
              onClick={() => setStage({ ...stage, index: index + 1 })}
            >
              Next
            </button>
          )}
        </div>
      </div>
    );
  }

  const upToDate = summary.passedAt !== null && summary.toAsk === 0;
  return (
    <div className="quiz-run" data-testid="quiz-intro">
      <h2 className="quiz-run__title">{summary.title}</h2>
      <p className="quiz-run__lead">
        {summary.about?.title ? `About ${summary.about.title}. ` : ''}
        {summary.questions} question{summary.questions === 1 ? '' : 's'}; pass at {summary.passPercent}%.
      </p>
      {summary.passedAt !== null ? (
        <p className="quiz-run__note" data-testid="quiz-changed">
          {upToDate
            ? 'You passed it and nothing has changed since: there is nothing new to answer.'
            : `You passed it before. ${summary.toAsk} question${summary.toAsk === 1 ? ' is' : 's are'} about something that changed since.`}
        </p>
      ) : null}
      {start.error ? (
        <p className="quizzes-screen__problem" role="alert">
          {start.error}
        </p>
      ) : null}
      <div className="quiz-run__actions">
        {!upToDate ? (
          <button
            type="button"
            className="button button--primary"
            data-testid="quiz-start"
            disabled={start.pending}
            onClick={() => void begin(false)}
          >
            {summary.passedAt !== null ? 'Answer what changed' : 'Start'}
          </button>
        ) : null}
        {summary.passedAt !== null ? (
          <button
            type="button"
            className="button"
            data-testid="quiz-retake"
            disabled={start.pending}
            onClick={() => void begin(true)}
          >
            Take all of it again
          </button>
        ) : null}
      </div>
    </div>
  );
}
