/**
 * The Quizzes section: marketing writes quizzes (or starts from one made from the glossary),
 * keeps drafts, and switches on the ones that ship with the next release. Everyone signed in may
 * read them; admins and editors change them (the server checks).
 */
import { useCallback, useEffect, useState } from 'react';
import type { CatalogueQuiz } from '#shared/quiz';
import type { StudioQuiz } from '#shared/studio-quiz';
import { studioApi, type Role } from '../api.ts';
import { quizApi } from './api.ts';
import { blankQuestion, QuizEditor, type Subjects } from './QuizEditor.tsx';

type Draft = { quiz: CatalogueQuiz; active: boolean; isNew: boolean };

const slug = (title: string) =>
  title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/[\s_]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 60) || 'quiz';

const kindLabel: Record<CatalogueQuiz['kind'], string> = {
  general: 'General',
  item: 'Item',
  term: 'Term',
  'whats-new': 'What’s new',
};

export function Quizzes({ channel, role }: { channel: string; role: Role }) {
  const canEdit = role === 'admin' || role === 'editor';
  const [quizzes, setQuizzes] = useState<StudioQuiz[] | null>(null);
  const [subjects, setSubjects] = useState<Subjects>({ items: [], terms: [] });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const [list, items, terms] = await Promise.all([
      quizApi.list(channel),
      // The first 200 items by title: the API's page limit (a longer library needs a search here).
      studioApi.items(channel, { q: '', offset: 0, limit: 200 }),
      studioApi.glossary(channel),
    ]);
    setQuizzes(list);
    setSubjects({
      items: items.items.map((i) => ({ id: i.id, title: i.title ?? i.fileName })),
      terms: terms.map((t) => ({ id: t.id, term: t.term })),
    });
  }, [channel]);
  useEffect(() => {
    load().catch((error: Error) => setMessage({ text: error.message, error: true }));
  }, [load]);

  const act = async (what: () => Promise<void>) => {
    setBusy(true);
    setMessage(null);
    try {
      await what();
    } catch (error) {
      setMessage({ text: (error as Error).message, error: true });
    } finally {
      setBusy(false);
    }
  };

  const open = (q: StudioQuiz) => {
    const { active, updatedAt: _u, updatedBy: _b, problems: _p, ...quiz } = q;
    setDraft({ quiz, active, isNew: false });
    setMessage(null);
  };

  return (
    <section className="studio-section" aria-labelledby="quizzes-title">
      <div className="studio-section__head">
        <h1 id="quizzes-title">Quizzes</h1>
        {canEdit ? (
          <div className="studio-actions">
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() =>
                setDraft({
                  quiz: { id: '', title: '', kind: 'general', passPercent: 80, questions: [blankQuestion(1)] },
                  active: false,
                  isNew: true,
                })
              }
            >
              New quiz
            </button>
            <button
              type="button"
              className="button"
              data-testid="quiz-starter"
              disabled={busy}
              onClick={() =>
                act(async () => {
                  const quiz = await quizApi.starter(channel);
                  setDraft({ quiz, active: false, isNew: true });
                  setMessage({
                    text: `A starter quiz of ${quiz.questions.length} questions from the glossary: edit it, then save.`,
                    error: false,
                  });
                })
              }
            >
              Starter quiz from the glossary
            </button>
          </div>
        ) : null}
      </div>
      <p className="studio-muted">
        Reps take quizzes on their device, offline. Those switched on ship with the next release; a rep who passed is
        asked again only about items and terms that changed since.
      </p>
      {message ? (
        <p role={message.error ? 'alert' : 'status'} className={message.error ? 'studio-error' : 'studio-ok'}>
          {message.text}
        </p>
      ) : null}
      {quizzes === null ? (
        <p aria-busy="true">Loading the quizzes…</p>
      ) : quizzes.length === 0 ? (
        <p className="studio-muted">No quizzes yet.</p>
      ) : (
        <table className="studio-table" data-testid="quiz-table">
          <thead>
            <tr>
              <th scope="col">Quiz</th>
              <th scope="col">Kind</th>
              <th scope="col">Questions</th>
              <th scope="col">Next release</th>
              <th scope="col">Problems</th>
            </tr>
          </thead>
          <tbody>
            {quizzes.map((q) => (
              <tr key={q.id}>
                <td>
                  <button type="button" className="studio-link" onClick={() => open(q)}>
                    {q.title}
                  </button>
                </td>
                <td>{kindLabel[q.kind]}</td>
                <td>{q.questions.length}</td>
                <td>{q.active ? 'Ships' : 'Draft'}</td>
                <td className={q.problems.length ? 'studio-error' : undefined}>{q.problems.join('; ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {draft ? (
        <form
          className="quiz-editor__form"
          aria-label={draft.isNew ? 'New quiz' : `Quiz ${draft.quiz.title}`}
          onSubmit={(event) => {
            event.preventDefault();
            void act(async () => {
              const quiz = { ...draft.quiz, id: draft.quiz.id || slug(draft.quiz.title) };
              const saved = await quizApi.save(channel, quiz, draft.active);
              await load();
              open(saved);
              setMessage({ text: `Saved “${saved.title}”.`, error: false });
            });
          }}
        >
          <h2>{draft.isNew ? 'New quiz' : draft.quiz.title}</h2>
          <QuizEditor
            quiz={draft.quiz}
            active={draft.active}
            subjects={subjects}
            canEdit={canEdit}
            onChange={(quiz) => setDraft({ ...draft, quiz })}
            onActive={(active) => setDraft({ ...draft, active })}
          />
          {canEdit ? (
            <div className="studio-actions">
              <button type="submit" className="button button--primary" data-testid="quiz-save" disabled={busy}>
                Save quiz
              </button>
              <button type="button" className="button" disabled={busy} onClick={() => setDraft(null)}>
                Close
              </button>
              <span className="studio-spacer" />
              {!draft.isNew ? (
                <button
                  type="button"
                  className="button"
                  disabled={busy}
                  onClick={() =>
                    act(async () => {
                      if (!confirm(`Delete the quiz “${draft.quiz.title}”? Releases already published keep it.`))
                        return;
                      await quizApi.remove(channel, draft.quiz.id);
                      setDraft(null);
                      await load();
                    })
                  }
                >
                  Delete quiz
                </button>
              ) : null}
            </div>
          ) : null}
        </form>
      ) : null}
    </section>
  );
}
