import { useState, type ReactElement } from 'react';

/** One text input of a row: what it shows, how it changes the row, and its accessible name. */
export interface ListField<T> {
  label: string;
  aria(index: number): string;
  get(row: T): string;
  set(row: T, text: string): T;
}

/**
 * A channel list as marketing edits it (collections, glossary terms): rows of inputs, add,
 * remove and, where order matters, move; the caller saves the whole list at once.
 */
export function ListEditor<T>(props: {
  rows: T[];
  onChange(rows: T[]): void;
  fields: ListField<T>[];
  listLabel: string;
  disabled: boolean;
  /** Names a row for its move buttons; absent: the list has no order to change. */
  moveName?(row: T): string;
}) {
  const { rows, onChange } = props;
  const move = (index: number, by: number) => {
    const next = [...rows];
    const [moved] = next.splice(index, 1);
    next.splice(index + by, 0, moved!);
    onChange(next);
  };
  return (
    <fieldset disabled={props.disabled} className="studio-fieldset">
      <ol className="studio-collections" aria-label={props.listLabel}>
        {rows.map((row, i) => (
          <li key={i} className="studio-bulk">
            {props.fields.map((field) => (
              <label key={field.label}>
                {field.label}{' '}
                <input
                  value={field.get(row)}
                  onChange={(e) => onChange(rows.map((r, j) => (j === i ? field.set(r, e.target.value) : r)))}
                  aria-label={field.aria(i)}
                />
              </label>
            ))}
            {props.moveName && (
              <>
                <button
                  type="button"
                  className="button"
                  disabled={i === 0}
                  onClick={() => move(i, -1)}
                  aria-label={`Move ${props.moveName(row)} up`}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="button"
                  disabled={i === rows.length - 1}
                  onClick={() => move(i, 1)}
                  aria-label={`Move ${props.moveName(row)} down`}
                >
                  ↓
                </button>
              </>
            )}
            <button type="button" className="button" onClick={() => onChange(rows.filter((_, j) => j !== i))}>
              Remove
            </button>
          </li>
        ))}
      </ol>
    </fieldset>
  );
}

/** A save's outcome, said once: "saved" as a status, a refusal as an alert. */
export function useSaveOutcome(): [
  ReactElement | null,
  (save: () => Promise<unknown>, savedText: string) => Promise<void>,
] {
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const run = async (save: () => Promise<unknown>, savedText: string) => {
    try {
      await save();
      setMessage({ error: false, text: savedText });
    } catch (e) {
      setMessage({ error: true, text: (e as Error).message });
    }
  };
  const element = message && (
    <p role={message.error ? 'alert' : 'status'} className={message.error ? 'studio-error' : 'studio-ok'}>
      {message.text}
    </p>
  );
  return [element, run];
}
