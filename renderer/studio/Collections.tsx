import { useEffect, useState } from 'react';
import { studioApi, type Collection } from './api.ts';

/** The channel's collections as one ordered list: rename, describe, move, add, remove, then save. */
export function Collections({ channel, canEdit }: { channel: string; canEdit: boolean }) {
  const [list, setList] = useState<Collection[] | null>(null);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  useEffect(() => {
    void studioApi.collections(channel).then(setList);
  }, [channel]);
  if (!list) return null;

  const change = (index: number, patch: Partial<Collection>) =>
    setList(list.map((c, i) => (i === index ? { ...c, ...patch } : c)));
  const move = (index: number, by: number) => {
    const next = [...list];
    const [moved] = next.splice(index, 1);
    next.splice(index + by, 0, moved!);
    setList(next);
  };
  const save = async () => {
    try {
      setList(await studioApi.saveCollections(channel, list));
      setMessage({ error: false, text: 'Collections saved to the draft.' });
    } catch (e) {
      setMessage({ error: true, text: (e as Error).message });
    }
  };

  return (
    <details className="studio-card studio-card--wide">
      <summary>Collections ({list.length})</summary>
      <ol className="studio-collections" aria-label="Collections in order">
        {list.map((c, i) => (
          <li key={i}>
            <fieldset disabled={!canEdit} className="studio-bulk">
              <label>
                Id{' '}
                <input
                  value={c.id}
                  onChange={(e) => change(i, { id: e.target.value })}
                  aria-label={`Id of collection ${i + 1}`}
                />
              </label>
              <label>
                Title{' '}
                <input
                  value={c.title}
                  onChange={(e) => change(i, { title: e.target.value })}
                  aria-label={`Title of collection ${i + 1}`}
                />
              </label>
              <label>
                Description{' '}
                <input
                  value={c.description}
                  onChange={(e) => change(i, { description: e.target.value })}
                  aria-label={`Description of collection ${i + 1}`}
                />
              </label>
              <button
                type="button"
                className="button"
                disabled={i === 0}
                onClick={() => move(i, -1)}
                aria-label={`Move ${c.title || c.id} up`}
              >
                ↑
              </button>
              <button
                type="button"
                className="button"
                disabled={i === list.length - 1}
                onClick={() => move(i, 1)}
                aria-label={`Move ${c.title || c.id} down`}
              >
                ↓
              </button>
              <button type="button" className="button" onClick={() => setList(list.filter((_, j) => j !== i))}>
                Remove
              </button>
            </fieldset>
          </li>
        ))}
      </ol>
      {message && (
        <p role={message.error ? 'alert' : 'status'} className={message.error ? 'studio-error' : 'studio-ok'}>
          {message.text}
        </p>
      )}
      {canEdit && (
        <div className="studio-actions">
          <button
            type="button"
            className="button"
            onClick={() => setList([...list, { id: '', title: '', description: '' }])}
          >
            Add collection
          </button>
          <button type="button" className="button button--primary" onClick={() => void save()}>
            Save collections
          </button>
        </div>
      )}
    </details>
  );
}
