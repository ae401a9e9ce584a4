import { useEffect, useState } from 'react';
import { studioApi, type AttractLoop, type GlossaryTerm } from './api.ts';
import { splitList } from './format.ts';

/** The channel's glossary and the kiosk's attract loop, saved to the draft like items. */
export function ChannelExtras({ channel, canEdit }: { channel: string; canEdit: boolean }) {
  const [terms, setTerms] = useState<GlossaryTerm[] | null>(null);
  const [attractIds, setAttractIds] = useState('');
  const [seconds, setSeconds] = useState(8);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  useEffect(() => {
    void studioApi.glossary(channel).then(setTerms);
    void studioApi.attract(channel).then(({ attract }) => {
      setAttractIds(attract?.items.join(', ') ?? '');
      setSeconds(attract?.secondsPerItem ?? 8);
    });
  }, [channel]);
  if (!terms) return null;
  const change = (index: number, patch: Partial<GlossaryTerm>) =>
    setTerms(terms.map((t, i) => (i === index ? { ...t, ...patch } : t)));
  const save = async () => {
    try {
      const ids = splitList(attractIds);
      const attract: AttractLoop | null = ids.length ? { items: ids, secondsPerItem: seconds } : null;
      await studioApi.saveGlossary(channel, terms);
      await studioApi.saveAttract(channel, attract);
      setMessage({ error: false, text: 'Glossary and attract loop saved to the draft.' });
    } catch (e) {
      setMessage({ error: true, text: (e as Error).message });
    }
  };
  return (
    <details className="studio-card studio-card--wide">
      <summary>Glossary ({terms.length}) and attract loop</summary>
      <fieldset disabled={!canEdit} className="studio-fieldset">
        <ol className="studio-collections" aria-label="Glossary terms">
          {terms.map((t, i) => (
            <li key={i} className="studio-bulk">
              <label>
                Id{' '}
                <input
                  value={t.id}
                  onChange={(e) => change(i, { id: e.target.value })}
                  aria-label={`Id of term ${i + 1}`}
                />
              </label>
              <label>
                Term{' '}
                <input
                  value={t.term}
                  onChange={(e) => change(i, { term: e.target.value })}
                  aria-label={`Term ${i + 1}`}
                />
              </label>
              <label>
                Definition{' '}
                <input
                  value={t.definition}
                  onChange={(e) => change(i, { definition: e.target.value })}
                  aria-label={`Definition of term ${i + 1}`}
                />
              </label>
              <label>
                Also known as{' '}
                <input
                  value={t.aliases.join(', ')}
                  onChange={(e) => change(i, { aliases: splitList(e.target.value) })}
                  aria-label={`Aliases of term ${i + 1}`}
                />
              </label>
              <button type="button" className="button" onClick={() => setTerms(terms.filter((_, j) => j !== i))}>
                Remove
              </button>
            </li>
          ))}
        </ol>
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
      {message && (
        <p role={message.error ? 'alert' : 'status'} className={message.error ? 'studio-error' : 'studio-ok'}>
          {message.text}
        </p>
      )}
      {canEdit && (
        <div className="studio-actions">
          <button type="button" className="button button--primary" onClick={() => void save()}>
            Save glossary and attract loop
          </button>
        </div>
      )}
    </details>
  );
}
