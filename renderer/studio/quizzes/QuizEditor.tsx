/**
 * One quiz being written: its title, what it is about, the pass mark, and its questions — each a
 * prompt, choices (one or more right), an explanation the rep reads after answering, and what it
 * asks about. Props only: the Quizzes section loads and saves.
 */
import type { CatalogueQuiz, QuizKind } from '#shared/quiz';

type Question = CatalogueQuiz['questions'][number];

export interface Subjects {
  items: { id: string; title: string }[];
  terms: { id: string; term: string }[];
}

const kinds: { value: QuizKind; label: string }[] = [
  { value: 'general', label: 'General (several subjects)' },
  { value: 'item', label: 'About one item' },
  { value: 'term', label: 'About one glossary term' },
  { value: 'whats-new', label: 'What’s new in the next release' },
];

export function blankQuestion(n: number): Question {
  return {
    id: `q${n}`,
    prompt: '',
    choices: [
      { text: '', correct: true },
      { text: '', correct: false },
    ],
    explanation: '',
  };
}

function subjectValue(q: { item?: string | undefined; term?: string | undefined }): string {
  return q.item ? `item:${q.item}` : q.term ? `term:${q.term}` : '';
}

function withSubject<T extends { item?: string | undefined; term?: string | undefined }>(q: T, value: string): T {
  const { item: _i, term: _t, ...rest } = q;
  if (value.startsWith('item:')) return { ...rest, item: value.slice(5) } as T;
  if (value.startsWith('term:')) return { ...rest, term: value.slice(5) } as T;
  return rest as T;
}

function SubjectSelect({
  label,
  value,
  subjects,
  onChange,
  only,
  disabled,
}: {
  label: string;
  value: string;
  subjects: Subjects;
  onChange(value: string): void;
  only?: 'item' | 'term';
  disabled: boolean;
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled}>
        <option value="">{only ? 'Choose…' : 'Nothing in particular'}</option>
        {only !== 'term' ? (
          <optgroup label="Items">
            {subjects.items.map((i) => (
              <option key={i.id} value={`item:${i.id}`}>
                {i.title}
              </option>
            ))}
          </optgroup>
        ) : null}
        {only !== 'item' ? (
          <optgroup label="Glossary terms">
            {subjects.terms.map((t) => (
              <option key={t.id} value={`term:${t.id}`}>
                {t.term}
              </option>
            ))}
          </optgroup>
        ) : null}
      </select>
    </label>
  );
}

export function QuizEditor({
  quiz,
  active,
  subjects,
  canEdit,
  onChange,
  onActive,
}: {
  quiz: CatalogueQuiz;
  active: boolean;
  subjects: Subjects;
  canEdit: boolean;
  onChange(quiz: CatalogueQuiz): void;
  onActive(active: boolean): void;
}) {
  const setQuestion = (index: number, question: Question) =>
    onChange({ ...quiz, questions: quiz.questions.map((q, i) => (i === index ? question : q)) });
  const nextId = () => {
    let n = quiz.questions.length + 1;
    while (quiz.questions.some((q) => q.id === `q${n}`)) n++;
    return n;
  };
  return (
    <fieldset className="quiz-editor" disabled={!canEdit} data-testid="quiz-editor">
      <div className="studio-fields">
        <label>
          Title
          <input value={quiz.title} onChange={(e) => onChange({ ...quiz, title: e.target.value })} required />
        </label>
        <label>
          Kind
          <select
            value={quiz.kind}
            onChange={(e) => {
              const { item: _i, term: _t, ...rest } = quiz;
              onChange({ ...rest, kind: e.target.value as QuizKind });
            }}
          >
            {kinds.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        {quiz.kind === 'item' || quiz.kind === 'term' ? (
          <SubjectSelect
            label={quiz.kind === 'item' ? 'The item' : 'The term'}
            value={subjectValue(quiz)}
            subjects={subjects}
            only={quiz.kind}
            disabled={!canEdit}
            onChange={(value) => onChange(withSubject(quiz, value))}
          />
        ) : null}
        <label>
          Pass mark (%)
          <input
            type="number"
            min={1}
            max={100}
            value={quiz.passPercent ?? 80}
            onChange={(e) => onChange({ ...quiz, passPercent: Number(e.target.value) })}
          />
        </label>
        <label className="studio-check">
          <input type="checkbox" checked={active} onChange={(e) => onActive(e.target.checked)} /> Ships in the next
          release
        </label>
      </div>
      <ol className="quiz-editor__questions">
        {quiz.questions.map((q, index) => (
          <li key={index} className="quiz-editor__question">
            <div className="studio-fields">
              <label className="studio-fields__wide">
                Question {index + 1}
                <textarea
                  rows={2}
                  aria-label={`Question ${index + 1}`}
                  value={q.prompt}
                  onChange={(e) => setQuestion(index, { ...q, prompt: e.target.value })}
                />
              </label>
              <SubjectSelect
                label={quiz.kind === 'whats-new' ? 'About (an item new or changed in the release)' : 'About'}
                value={subjectValue(q)}
                subjects={subjects}
                {...(quiz.kind === 'whats-new' ? { only: 'item' as const } : {})}
                disabled={!canEdit}
                onChange={(value) => setQuestion(index, withSubject(q, value))}
              />
            </div>
            <fieldset className="quiz-editor__choices">
              <legend>Choices: tick every right one</legend>
              {q.choices.map((c, ci) => (
                <div key={ci} className="quiz-editor__choice">
                  <input
                    type="checkbox"
                    aria-label={`Choice ${ci + 1} of question ${index + 1} is right`}
                    checked={c.correct ?? false}
                    onChange={(e) =>
                      setQuestion(index, {
                        ...q,
                        choices: q.choices.map((x, xi) => (xi === ci ? { ...x, correct: e.target.checked } : x)),
                      })
                    }
                  />
                  <input
                    aria-label={`Choice ${ci + 1} of question ${index + 1}`}
                    value={c.text}
                    onChange={(e) =>
                      setQuestion(index, {
                        ...q,
                        choices: q.choices.map((x, xi) => (xi === ci ? { ...x, text: e.target.value } : x)),
                      })
                    }
                  />
                  <button
                    type="button"
                    className="button"
                    aria-label={`Remove choice ${ci + 1} of question ${index + 1}`}
                    disabled={q.choices.length <= 2}
                    onClick={() => setQuestion(index, { ...q, choices: q.choices.filter((_x, xi) => xi !== ci) })}
                  >
                    Remove
                  </button>
                </div>
              ))}
              <button
                type="button"
                className="button"
                disabled={q.choices.length >= 8}
                onClick={() => setQuestion(index, { ...q, choices: [...q.choices, { text: '', correct: false }] })}
              >
                Add a choice
              </button>
            </fieldset>
            <label className="quiz-editor__why">
              Explanation (shown after answering)
              <textarea
                rows={2}
                aria-label={`Explanation of question ${index + 1}`}
                value={q.explanation ?? ''}
                onChange={(e) => setQuestion(index, { ...q, explanation: e.target.value })}
              />
            </label>
            <button
              type="button"
              className="button"
              disabled={quiz.questions.length <= 1}
              onClick={() => onChange({ ...quiz, questions: quiz.questions.filter((_x, i) => i !== index) })}
            >
              Remove question {index + 1}
            </button>
          </li>
        ))}
      </ol>
      <button
        type="button"
        className="button"
        onClick={() => onChange({ ...quiz, questions: [...quiz.questions, blankQuestion(nextId())] })}
      >
        Add a question
      </button>
    </fieldset>
  );
}
