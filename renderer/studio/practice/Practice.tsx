/**
 * Practice: the recordings reps sent for review. A list filtered by prompt, team and rep (a
 * manager sees their team only; the server decides), a player, the prompt's rubric (each key
 * message said, partly or missed, and an overall score), and comments pinned to a moment of the
 * recording: clicking one plays from there.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import {
  RUBRIC_RATINGS,
  type PracticeRecordingDetail,
  type PracticeRecordingPage,
  type RubricRating,
} from '#shared/practice-review';
import type { Role } from '../api.ts';
import { formatWhen } from '../format.ts';
import { practiceApi } from './api.ts';

const ratingLabel: Record<RubricRating, string> = { said: 'Said', partly: 'Partly', missed: 'Missed' };

export function formatMoment(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export function Practice({ role }: { role: Role }) {
  const [filters, setFilters] = useState<{ prompt: string; team: string; rep: string; page: number }>({
    prompt: '',
    team: '',
    rep: '',
    page: 1,
  });
  const [page, setPage] = useState<PracticeRecordingPage | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setPage(await practiceApi.list(filters));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [filters]);
  useEffect(() => void load(), [load]);

  const pages = page ? Math.max(1, Math.ceil(page.total / page.pageSize)) : 1;
  const set = (key: 'prompt' | 'team' | 'rep', value: string) => setFilters({ ...filters, [key]: value, page: 1 });

  return (
    <section className="studio-section practice" aria-labelledby="practice-title">
      <div className="studio-section__head">
        <h2 id="practice-title">Practice</h2>
        {page?.scope ? <span className="studio-muted">Team {page.scope}</span> : null}
      </div>
      {error && (
        <p role="alert" className="studio-error">
          {error}
        </p>
      )}
      <div className="fleet-filters">
        <label>
          Prompt
          <select value={filters.prompt} onChange={(e) => set('prompt', e.target.value)}>
            <option value="">All prompts</option>
            {page?.filters.prompts.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </select>
        </label>
        {page?.scope ? null : (
          <label>
            Team
            <select value={filters.team} onChange={(e) => set('team', e.target.value)}>
              <option value="">All teams</option>
              {page?.filters.teams.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Rep
          <select value={filters.rep} onChange={(e) => set('rep', e.target.value)}>
            <option value="">All reps</option>
            {page?.filters.reps.map((r) => (
              <option key={r.email} value={r.email}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="practice__layout">
        <div className="fleet-scroll">
          <table className="studio-table" aria-label="Practice recordings">
            <thead>
              <tr>
                <th scope="col">Rep</th>
                <th scope="col">Team</th>
                <th scope="col">Prompt</th>
                <th scope="col">Received</th>
                <th scope="col">Review</th>
              </tr>
            </thead>
            <tbody>
              {page?.rows.map((r) => (
                <tr key={r.id} aria-selected={selected === r.id}>
                  <td>
                    <button
                      type="button"
                      className="studio-link"
                      data-testid="practice-open"
                      onClick={() => setSelected(r.id)}
                    >
                      {r.repName ?? r.rep ?? 'Unknown rep'}
                    </button>
                  </td>
                  <td>{r.team ?? '—'}</td>
                  <td>{r.promptTitle}</td>
                  <td>{formatWhen(r.receivedAt)}</td>
                  <td>{r.status === 'reviewed' ? `${r.overall} / 5` : 'To review'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {page && page.rows.length === 0 ? (
            <p className="studio-muted" data-testid="practice-empty">
              No practice recordings {filters.prompt || filters.team || filters.rep ? 'match these filters' : 'yet'}.
            </p>
          ) : null}
          <div className="studio-pager">
            <button
              type="button"
              className="button"
              disabled={filters.page <= 1}
              onClick={() => setFilters({ ...filters, page: filters.page - 1 })}
            >
              Previous
            </button>
            <span>
              Page {filters.page} of {pages}
            </span>
            <button
              type="button"
              className="button"
              disabled={filters.page >= pages}
              onClick={() => setFilters({ ...filters, page: filters.page + 1 })}
            >
              Next
            </button>
          </div>
        </div>
        {selected ? (
          <RecordingReview key={selected} id={selected} role={role} onChanged={() => void load()} />
        ) : (
          <p className="studio-muted">Pick a recording to listen to it and review it.</p>
        )}
      </div>
    </section>
  );
}

function RecordingReview({ id, role, onChanged }: { id: string; role: Role; onChanged(): void }) {
  const [detail, setDetail] = useState<PracticeRecordingDetail | null>(null);
  const [ratings, setRatings] = useState<Record<string, RubricRating>>({});
  const [overall, setOverall] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const audio = useRef<HTMLAudioElement>(null);

  const show = useCallback((d: PracticeRecordingDetail) => {
    setDetail(d);
    setRatings(Object.fromEntries((d.review?.rubric ?? []).map((r) => [r.message, r.rating])));
    setOverall(d.review?.overall ?? null);
  }, []);
  useEffect(() => {
    practiceApi.get(id).then(show, (e: Error) => setError(e.message));
  }, [id, show]);

  if (!detail) return error ? <p className="studio-error">{error}</p> : <p aria-busy="true">Loading…</p>;

  const act = async (what: () => Promise<PracticeRecordingDetail>, done: string) => {
    try {
      show(await what());
      setError(null);
      setSaved(done);
      onChanged();
    } catch (e) {
      setError((e as Error).message);
      setSaved(null);
    }
  };
  const complete = overall !== null && detail.keyMessages.every((m) => ratings[m]);

  const seek = (ms: number) => {
    const player = audio.current;
    if (!player) return;
    player.currentTime = ms / 1000;
    void player.play().catch(() => {});
  };

  const addComment = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const text = String(new FormData(form).get('comment') ?? '').trim();
    if (!text) return;
    const atMs = Math.round((audio.current?.currentTime ?? 0) * 1000);
    void act(() => practiceApi.comment(id, { atMs, text }), 'Comment added.').then(() => form.reset());
  };

  return (
    <article className="studio-card practice-review" aria-labelledby="practice-review-title">
      <h3 id="practice-review-title">{detail.promptTitle}</h3>
      <p className="studio-muted">
        {detail.repName ?? detail.rep} · {detail.team ?? 'no team'} · recorded {formatWhen(detail.recordedAt)} ·{' '}
        {formatMoment(detail.durationMs)}
      </p>
      <audio
        ref={audio}
        className="practice-review__player"
        data-testid="practice-player"
        controls
        preload="metadata"
        src={practiceApi.audioUrl(id)}
      />
      <fieldset className="practice-review__rubric">
        <legend>Key messages</legend>
        {detail.keyMessages.map((message, i) => (
          <div key={message} className="practice-review__message" role="radiogroup" aria-labelledby={`km-${i}`}>
            <span id={`km-${i}`}>{message}</span>
            <span className="practice-review__choices">
              {RUBRIC_RATINGS.map((rating) => (
                <label key={rating} className="studio-check">
                  <input
                    type="radio"
                    name={`km-${i}`}
                    checked={ratings[message] === rating}
                    onChange={() => setRatings({ ...ratings, [message]: rating })}
                  />
                  {ratingLabel[rating]}
                </label>
              ))}
            </span>
          </div>
        ))}
      </fieldset>
      <fieldset className="practice-review__overall">
        <legend>Overall</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n} className="studio-check">
            <input type="radio" name="overall" checked={overall === n} onChange={() => setOverall(n)} />
            {n}
          </label>
        ))}
      </fieldset>
      <div className="studio-actions">
        <button
          type="button"
          className="button button--primary"
          disabled={!complete}
          onClick={() =>
            void act(
              () =>
                practiceApi.review(id, {
                  overall: overall!,
                  rubric: detail.keyMessages.map((message) => ({ message, rating: ratings[message]! })),
                }),
              'Review saved; the rep sees it at their next sync.',
            )
          }
        >
          Save review
        </button>
        {role !== 'manager' && detail.shareAsExample ? (
          <button
            type="button"
            className="button"
            aria-pressed={detail.example}
            onClick={() =>
              void act(
                () => practiceApi.example(id, !detail.example),
                detail.example ? 'No longer an example.' : 'Marked as an example.',
              )
            }
          >
            {detail.example ? 'Example ✓' : 'Mark as example'}
          </button>
        ) : null}
        {!detail.shareAsExample ? (
          <span className="studio-muted">The rep did not allow sharing as an example.</span>
        ) : null}
      </div>
      {saved && (
        <p role="status" className="studio-ok">
          {saved}
        </p>
      )}
      {error && (
        <p role="alert" className="studio-error">
          {error}
        </p>
      )}
      <h4>Comments</h4>
      <ol className="practice-review__comments" aria-label="Comments">
        {detail.comments.map((c) => (
          <li key={c.id}>
            <button
              type="button"
              className="studio-link"
              data-testid="practice-comment-seek"
              aria-label={`Play from ${formatMoment(c.atMs)}`}
              onClick={() => seek(c.atMs)}
            >
              {formatMoment(c.atMs)}
            </button>{' '}
            {c.text} <span className="studio-muted">— {c.by}</span>
          </li>
        ))}
      </ol>
      <form className="practice-review__add" onSubmit={addComment}>
        <label>
          Comment at the player’s current time
          <textarea name="comment" rows={2} maxLength={2000} required />
        </label>
        <button type="submit" className="button">
          Add comment
        </button>
      </form>
      {detail.transcript !== null ? (
        <section aria-labelledby="practice-transcript">
          <h4 id="practice-transcript">Transcript</h4>
          <p>{detail.transcript}</p>
          {detail.keyMessageChecks ? (
            <ul>
              {detail.keyMessageChecks.map((k) => (
                <li key={k.message}>
                  {k.said ? 'Said' : 'Missed'}: {k.message}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}
    </article>
  );
}
