import { useEffect, useState } from 'react';
import { studioApi, type AttractLoop, type GlossaryTerm } from './api.ts';
import { splitList } from './format.ts';
import { ListEditor, useSaveOutcome, type ListField } from './ListEditor.tsx';

const fields: ListField<GlossaryTerm>[] = [
  { label: 'Id', aria: (i) => `Id of term ${i + 1}`, get: (t) => t.id, set: (t, id) => ({ ...t, id }) },
  { label: 'Term', aria: (i) => `Term ${i + 1}`, get: (t) => t.term, set: (t, term) => ({ ...t, term }) },
  {
    label: 'Definition',
    aria: (i) => `Definition of term ${i + 1}`,
    get: (t) => t.definition,
    set: (t, definition) => ({ ...t, definition }),
  },
  {
    label: 'Also known as',
    aria: (i) => `Aliases of term ${i + 1}`,
    get: (t) => t.aliases.join(', '),
    set: (t, text) => ({ ...t, aliases: splitList(text) }),
  },
];

/** The channel's glossary and the kiosk's attract loop, saved to the draft like items. */
export function ChannelExtras({ channel, canEdit }: { channel: string; canEdit: boolean }) {
  const [terms, setTerms] = useState<GlossaryTerm[] | null>(null);
  const [attractIds, setAttractIds] = useState('');
  const [seconds, setSeconds] = useState(8);
  const [outcome, save] = useSaveOutcome();
  useEffect(() => {
    void studioApi.glossary(channel).then(setTerms);
    void studioApi.attract(channel).then(({ attract }) => {
      setAttractIds(attract?.items.join(', ') ?? '');
      setSeconds(attract?.secondsPerItem ?? 8);
    });
  }, [channel]);
  if (!terms) return null;
  const saveBoth = async () => {
    const ids = splitList(attractIds);
    const attract: AttractLoop | null = ids.length ? { items: ids, secondsPerItem: seconds } : null;
    await studioApi.saveGlossary(channel, terms);
    await studioApi.saveAttract(channel, attract);
  };
  return (
    <details className="studio-card studio-card--wide">
      <summary>Glossary ({terms.length}) and attract loop</summary>
      <ListEditor rows={terms} onChange={setTerms} fields={fields} listLabel="Glossary terms" disabled={!canEdit} />
      <fieldset disabled={!canEdit} className="studio-fieldset">
        <button
          type="button"
          className="button"
          onClick={() => setTerms([...terms, { id: '', term: '', definition: '', aliases: [] }])}
        >
          Add term
        </button>
        <div className="studio-bulk">
          <label>
            Attract loop: item ids in order{' '}
            <input
              value={attractIds}
              onChange={(e) => setAttractIds(e.target.value)}
              placeholder="harbour-brochure, demo-clip"
            />
          </label>
          <label>
            Seconds per item{' '}
            <input
              type="number"
              min={2}
              max={600}
              value={seconds}
              onChange={(e) => setSeconds(Number(e.target.value))}
            />
          </label>
        </div>
      </fieldset>
      {outcome}
      {canEdit && (
        <div className="studio-actions">
          <button
            type="button"
            className="button button--primary"
            onClick={() => void save(saveBoth, 'Glossary and attract loop saved to the draft.')}
          >
            Save glossary and attract loop
          </button>
        </div>
      )}
    </details>
  );
}
