import { useEffect, useId, useState } from 'react';
import { studioApi, type GlossaryTerm, type Item, type PracticePrompt } from './api.ts';
import { useSaveOutcome } from './ListEditor.tsx';

/**
 * A prompt as the form holds it: key messages as typed lines and numbers as typed text, so a
 * half-written prompt is never cut short while marketing types; the server checks the whole.
 */
export interface PromptDraft {
  id: string;
  title: string;
  about: 'item' | 'term';
  item: string;
  page: string;
  term: string;
  keyMessages: string;
  timeLimit: string;
}

export const toDraft = (p: PracticePrompt): PromptDraft => ({
  id: p.id,
  title: p.title,
  about: p.term !== undefined ? 'term' : 'item',
  item: p.item ?? '',
  page: p.page === undefined ? '' : String(p.page),
  term: p.term ?? '',
  keyMessages: p.keyMessages.join('\n'),
  timeLimit: String(p.timeLimitSeconds),
});

export function toPrompt(d: PromptDraft): PracticePrompt {
  const page = d.page.trim();
  return {
    id: d.id.trim(),
    title: d.title.trim(),
    ...(d.about === 'item' ? { item: d.item.trim(), ...(page ? { page: Number(page) } : {}) } : { term: d.term }),
    keyMessages: d.keyMessages
      .split('\n')
      .map((m) => m.trim())
      .filter(Boolean),
    timeLimitSeconds: Number(d.timeLimit),
  };
}

const blank: PromptDraft = {
  id: '',
  title: '',
  about: 'item',
  item: '',
  page: '',
  term: '',
  keyMessages: '',
  timeLimit: '60',
};

/** The rows of prompts with their inputs; the caller loads and saves the list. */
export function PracticePromptList(props: {
  rows: PromptDraft[];
  onChange(rows: PromptDraft[]): void;
  items: readonly Pick<Item, 'id' | 'title' | 'fileName'>[];
  terms: readonly GlossaryTerm[];
  disabled: boolean;
}) {
  const { rows, onChange } = props;
  const itemList = useId();
  const edit = (i: number, change: Partial<PromptDraft>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));
  return (
    <fieldset disabled={props.disabled} className="studio-fieldset">
      <datalist id={itemList}>
        {props.items.map((item) => (
          <option key={item.id} value={item.id}>
            {item.title ?? item.fileName}
          </option>
        ))}
      </datalist>
      <ol className="studio-collections" aria-label="Practice prompts">
        {rows.map((row, i) => {
          const n = i + 1;
          return (
            <li key={i} className="studio-bulk">
              <label>
                Id{' '}
                <input
                  value={row.id}
                  onChange={(e) => edit(i, { id: e.target.value })}
                  aria-label={`Id of prompt ${n}`}
                />
              </label>
              <label>
                What to pitch{' '}
                <input
                  value={row.title}
                  onChange={(e) => edit(i, { title: e.target.value })}
                  aria-label={`What to pitch in prompt ${n}`}
                />
              </label>
              <label>
                About{' '}
                <select
                  value={row.about}
                  onChange={(e) => edit(i, { about: e.target.value as PromptDraft['about'] })}
                  aria-label={`What prompt ${n} is about`}
                >
                  <option value="item">An item</option>
                  <option value="term">A glossary term</option>
                </select>
              </label>
              {row.about === 'item' ? (
                <>
                  <label>
                    Item id{' '}
                    <input
                      list={itemList}
                      value={row.item}
                      onChange={(e) => edit(i, { item: e.target.value })}
                      aria-label={`Item of prompt ${n}`}
                    />
                  </label>
                  <label>
                    Page (PDFs, optional){' '}
                    <input
                      type="number"
                      min={1}
                      value={row.page}
                      onChange={(e) => edit(i, { page: e.target.value })}
                      aria-label={`Page of prompt ${n}`}
                    />
                  </label>
                </>
              ) : (
                <label>
                  Term{' '}
                  <select
                    value={row.term}
                    onChange={(e) => edit(i, { term: e.target.value })}
                    aria-label={`Term of prompt ${n}`}
                  >
                    <option value="">Choose a term</option>
                    {props.terms.map((t) => (
                      <option key={t.id} value={t.id}>
                        {t.term}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              <label>
                Key messages, one a line{' '}
                <textarea
                  rows={3}
                  value={row.keyMessages}
                  onChange={(e) => edit(i, { keyMessages: e.target.value })}
                  aria-label={`Key messages of prompt ${n}`}
                />
              </label>
              {/* The allowed range is the server's to say: importing it would pull zod into the UI bundle. */}
              <label>
                Time limit (seconds){' '}
                <input
                  type="number"
                  min={1}
                  value={row.timeLimit}
                  onChange={(e) => edit(i, { timeLimit: e.target.value })}
                  aria-label={`Time limit of prompt ${n} in seconds`}
                />
              </label>
              <button
                type="button"
                className="button"
                onClick={() => onChange(rows.filter((_, j) => j !== i))}
                aria-label={`Remove prompt ${n}`}
              >
                Remove
              </button>
            </li>
          );
        })}
      </ol>
      <button type="button" className="button" onClick={() => onChange([...rows, blank])}>
        Add prompt
      </button>
    </fieldset>
  );
}

/**
 * The channel's practice prompts, saved to the draft like the glossary and shipped with the next
 * release: what reps rehearse on their devices, about an item, a page of it, or a term.
 */
export function PracticePrompts({ channel, canEdit }: { channel: string; canEdit: boolean }) {
  const [rows, setRows] = useState<PromptDraft[] | null>(null);
  const [items, setItems] = useState<Item[]>([]);
  const [terms, setTerms] = useState<GlossaryTerm[]>([]);
  const [outcome, save] = useSaveOutcome();
  useEffect(() => {
    void studioApi.practicePrompts(channel).then((prompts) => setRows(prompts.map(toDraft)));
    // Suggestions only: any id may be typed, and the server checks it against the whole library.
    void studioApi.items(channel, { q: '', offset: 0, limit: 200 }).then((page) => setItems(page.items));
    void studioApi.glossary(channel).then(setTerms);
  }, [channel]);
  if (!rows) return null;
  return (
    <details className="studio-card studio-card--wide">
      <summary>Practice prompts ({rows.length})</summary>
      <PracticePromptList rows={rows} onChange={setRows} items={items} terms={terms} disabled={!canEdit} />
      {outcome}
      {canEdit && (
        <div className="studio-actions">
          <button
            type="button"
            className="button button--primary"
            onClick={() =>
              void save(async () => {
                // The saved list comes back as the server keeps it: trimmed, blank lines gone.
                const saved = await studioApi.savePracticePrompts(channel, rows.map(toPrompt));
                setRows(saved.map(toDraft));
              }, 'Practice prompts saved to the draft.')
            }
          >
            Save practice prompts
          </button>
        </div>
      )}
    </details>
  );
}
