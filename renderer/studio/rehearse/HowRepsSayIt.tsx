import { useEffect, useState } from 'react';
import { formatWhen } from '../format.ts';
import type { HowRepsSayItAnswer, TranscribedPrompt } from '#shared/studio-rehearse';
import { howRepsSayItCsv, rehearseApi } from './api.ts';

/**
 * One prompt's transcripts side by side, and the phrases reps use that marketing's message
 * does not: props only, so it can be shown and tested with made-up data.
 */
export function HowRepsSayItView({ data }: { data: HowRepsSayItAnswer }) {
  const { prompt, transcripts, phrases } = data;
  return (
    <div className="rehearse-view">
      <section className="fleet-panel" aria-labelledby="rehearse-official">
        <h3 id="rehearse-official">The official message</h3>
        <p>{prompt.title}</p>
        <ul className="rehearse-messages">
          {prompt.keyMessages.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      </section>
      <section className="fleet-panel" aria-labelledby="rehearse-phrases">
        <div className="studio-section__head">
          <h3 id="rehearse-phrases">Phrases reps use that the message does not</h3>
          <a className="button" href={howRepsSayItCsv(prompt.id, 'phrases')} download>
            Export CSV
          </a>
        </div>
        {phrases.length === 0 ? (
          <p className="studio-muted">No phrase of the reps’ own comes up more than once yet.</p>
        ) : (
          <div className="fleet-scroll">
            <table className="studio-table">
              <thead>
                <tr>
                  <th scope="col">Phrase</th>
                  <th scope="col" className="fleet-num">
                    Times said
                  </th>
                  <th scope="col" className="fleet-num">
                    Reps
                  </th>
                </tr>
              </thead>
              <tbody>
                {phrases.map((p) => (
                  <tr key={p.phrase}>
                    <td>“{p.phrase}”</td>
                    <td className="fleet-num">{p.count.toLocaleString()}</td>
                    <td className="fleet-num">{p.reps.toLocaleString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="fleet-panel" aria-labelledby="rehearse-transcripts">
        <div className="studio-section__head">
          <h3 id="rehearse-transcripts">
            Transcripts <span className="studio-muted">({transcripts.length.toLocaleString()})</span>
          </h3>
          <a className="button" href={howRepsSayItCsv(prompt.id, 'transcripts')} download>
            Export CSV
          </a>
        </div>
        <ul className="rehearse-grid">
          {transcripts.map((t) => (
            <li
              key={t.recordingId}
              className="rehearse-card"
              aria-label={`${t.rep ?? 'Unknown rep'}, ${formatWhen(t.recordedAt)}`}
            >
              <p className="rehearse-card__who">
                <strong>{t.rep ?? 'Unknown rep'}</strong>
                <span className="studio-muted">
                  {t.team ?? 'No team'} · {formatWhen(t.recordedAt)}
                </span>
              </p>
              <blockquote className="rehearse-card__text">{t.text || '(nothing recognised)'}</blockquote>
              <ul className="rehearse-said" aria-label="Key messages">
                {t.keyMessages.map((k) => (
                  <li key={k.message} className={k.said ? 'rehearse-said__yes' : 'rehearse-said__no'}>
                    <span aria-hidden="true">{k.said ? '✓' : '✗'}</span> {k.said ? 'Said' : 'Missed'}: {k.message}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

/** Marketing's "how reps say it": pick a prompt, compare the reps' words with the message. */
export function HowRepsSayItSection() {
  const [prompts, setPrompts] = useState<TranscribedPrompt[] | null>(null);
  const [chosen, setChosen] = useState<string>('');
  const [data, setData] = useState<HowRepsSayItAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    rehearseApi
      .prompts()
      .then((list) => {
        setPrompts(list);
        setChosen((current) => current || list[0]?.id || '');
      })
      .catch((e: Error) => setError(e.message));
  }, []);
  useEffect(() => {
    if (!chosen) return;
    setData(null);
    rehearseApi
      .howRepsSayIt(chosen)
      .then((d) => {
        setData(d);
        setError(null);
      })
      .catch((e: Error) => setError(e.message));
  }, [chosen]);

  return (
    <section className="studio-section" aria-labelledby="rehearse-title">
      <div className="studio-section__head">
        <h2 id="rehearse-title">How reps say it</h2>
        {prompts && prompts.length > 0 && (
          <label className="fleet-inline">
            Prompt{' '}
            <select value={chosen} onChange={(e) => setChosen(e.target.value)}>
              {prompts.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.title} ({p.transcripts})
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {error && (
        <p role="alert" className="studio-error">
          {error}
        </p>
      )}
      {prompts && prompts.length === 0 && (
        <p className="studio-muted">
          No rehearsal has been transcribed yet. When reps send recordings for review, their words appear here.
        </p>
      )}
      {!prompts && !error && (
        <p className="studio-muted" aria-busy="true">
          Loading…
        </p>
      )}
      {data && <HowRepsSayItView data={data} />}
    </section>
  );
}
