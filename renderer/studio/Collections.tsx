import { useEffect, useState } from 'react';
import { studioApi, type Collection } from './api.ts';
import { ListEditor, useSaveOutcome, type ListField } from './ListEditor.tsx';

const fields: ListField<Collection>[] = [
  { label: 'Id', aria: (i) => `Id of collection ${i + 1}`, get: (c) => c.id, set: (c, id) => ({ ...c, id }) },
  {
    label: 'Title',
    aria: (i) => `Title of collection ${i + 1}`,
    get: (c) => c.title,
    set: (c, title) => ({ ...c, title }),
  },
  {
    label: 'Description',
    aria: (i) => `Description of collection ${i + 1}`,
    get: (c) => c.description,
    set: (c, description) => ({ ...c, description }),
  },
];

/** The channel's collections as one ordered list: rename, describe, move, add, remove, then save. */
export function Collections({ channel, canEdit }: { channel: string; canEdit: boolean }) {
  const [list, setList] = useState<Collection[] | null>(null);
  const [outcome, save] = useSaveOutcome();
  useEffect(() => {
    void studioApi.collections(channel).then(setList);
  }, [channel]);
  if (!list) return null;
  return (
    <details className="studio-card studio-card--wide">
      <summary>Collections ({list.length})</summary>
      <ListEditor
        rows={list}
        onChange={setList}
        fields={fields}
        listLabel="Collections in order"
        disabled={!canEdit}
        moveName={(c) => c.title || c.id}
      />
      {outcome}
      {canEdit && (
        <div className="studio-actions">
          <button
            type="button"
            className="button"
            onClick={() => setList([...list, { id: '', title: '', description: '' }])}
          >
            Add collection
          </button>
          <button
            type="button"
            className="button button--primary"
            onClick={() =>
              void save(
                async () => setList(await studioApi.saveCollections(channel, list)),
                'Collections saved to the draft.',
              )
            }
          >
            Save collections
          </button>
        </div>
      )}
    </details>
  );
}
