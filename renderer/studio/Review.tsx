import { useCallback, useEffect, useState } from 'react';
import { studioApi, type Channel, type PageChange, type Release, type ReleaseDiff, type SessionUser } from './api.ts';
import { DevicePreviewButtons } from './DevicePreview.tsx';
import { formatBytes, formatWhen } from './format.ts';

/** What the next release changes, and the path from submitted to published; plus history. */
export function Review({ user, channel }: { user: SessionUser; channel: Channel }) {
  const [diff, setDiff] = useState<ReleaseDiff | null>(null);
  const [releases, setReleases] = useState<Release[]>([]);
  const [note, setNote] = useState('');
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [pages, setPages] = useState<{ title: string; pages: PageChange[] } | null>(null);

  const load = useCallback(async () => {
    const [d, r] = await Promise.all([studioApi.draft(channel.id), studioApi.releases(channel.id)]);
    setDiff(d);
    setReleases(r);
  }, [channel.id]);
  useEffect(() => void load(), [load]);

  const act = async (what: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await what();
      setMessage({ error: false, text: done });
      await load();
    } catch (e) {
      setMessage({ error: true, text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  };

  const canSubmit = user.role === 'admin' || user.role === 'editor';
  const canReview = user.role === 'admin' || user.role === 'approver';
  const canPublish = canSubmit || canReview;

  return (
    <section className="studio-section" aria-labelledby="review-title">
      <h1 id="review-title">Review &amp; publish</h1>
      {message && (
        <p role={message.error ? 'alert' : 'status'} className={message.error ? 'studio-error' : 'studio-ok'}>
          {message.text}
        </p>
      )}
      {diff && (
        <DraftDiff
          diff={diff}
          onComparePages={(id, title) =>
            void studioApi.draftPages(channel.id, id).then(
              (answer) => setPages({ title, pages: answer.pages }),
              (e: Error) => setMessage({ error: true, text: e.message }),
            )
          }
        />
      )}
      {canPublish && <DevicePreviewButtons channel={channel.id} />}
      {pages && <PageDiff title={pages.title} pages={pages.pages} onClose={() => setPages(null)} />}
      {canSubmit && (
        <div className="studio-bulk">
          <label>
            Note for the approver <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
          </label>
          <button
            type="button"
            className="button button--primary"
            disabled={busy}
            onClick={() => act(() => studioApi.submit(channel.id, note), 'Submitted for approval.')}
          >
            Submit draft for approval
          </button>
        </div>
      )}
      <h2>Releases</h2>
      <ChannelAddress channel={channel} />
      <table className="studio-table">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">State</th>
            <th scope="col">Items</th>
            <th scope="col">Note</th>
            <th scope="col">Submitted</th>
            <th scope="col">Published</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {releases.length === 0 && (
            <tr>
              <td colSpan={7}>Nothing submitted yet.</td>
            </tr>
          )}
          {releases.map((r) => (
            <tr key={r.id}>
              <td>{r.version ?? '—'}</td>
              <td>
                <span className={`badge studio-state studio-state--${r.state}`}>{r.state}</span>
              </td>
              <td>{r.items}</td>
              <td>{r.rollbackOf !== null ? `Roll back to version ${r.rollbackOf}` : r.note}</td>
              <td>{formatWhen(r.submittedAt)}</td>
              <td>{formatWhen(r.publishedAt)}</td>
              <td className="studio-actions">
                {r.state === 'submitted' && canReview && (
                  <>
                    <button
                      type="button"
                      className="button button--primary"
                      disabled={busy}
                      onClick={() => act(() => studioApi.approve(r.id), 'Approved.')}
                    >
                      Approve
                    </button>
                    <button
                      type="button"
                      className="button"
                      disabled={busy}
                      onClick={() => act(() => studioApi.reject(r.id, ''), 'Rejected.')}
                    >
                      Reject
                    </button>
                  </>
                )}
                {r.state === 'approved' && canPublish && (
                  <button
                    type="button"
                    className="button button--primary"
                    disabled={busy}
                    onClick={() => act(() => studioApi.publish(r.id), 'Published.')}
                  >
                    Publish
                  </button>
                )}
                {r.state === 'published' && canReview && (
                  <button
                    type="button"
                    className="button"
                    disabled={busy}
                    onClick={() =>
                      act(
                        () => studioApi.rollback(r.id),
                        `Version ${r.version}'s content published again as a new version.`,
                      )
                    }
                  >
                    Roll back to this
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function DraftDiff({
  diff,
  onComparePages,
}: {
  diff: ReleaseDiff;
  onComparePages?(id: string, title: string): void;
}) {
  const nothing =
    diff.added.length + diff.changed.length + diff.removed.length === 0 &&
    !diff.collectionsChanged &&
    !diff.glossaryChanged &&
    !diff.attractChanged &&
    !diff.quizzesChanged;
  return (
    <div className="studio-card studio-card--wide" aria-label="Draft changes">
      <h2>
        Draft against {diff.baseVersion === null ? 'nothing published yet' : `published version ${diff.baseVersion}`}
      </h2>
      <p>
        {nothing
          ? 'No changes.'
          : `${diff.added.length} new, ${diff.changed.length} changed, ${diff.removed.length} removed, ${diff.unchanged} unchanged${diff.collectionsChanged ? '; collections changed' : ''}${diff.glossaryChanged ? '; glossary changed' : ''}${diff.attractChanged ? '; attract loop changed' : ''}${diff.quizzesChanged ? '; quizzes changed' : ''}; devices download ${formatBytes(diff.downloadBytes)}.`}
      </p>
      <ul className="studio-diff">
        {diff.added.map((a) => (
          <li key={`a-${a.id}`}>
            <span className="badge badge--new">new</span> {a.title}{' '}
            <span className="studio-muted">{formatBytes(a.bytes)}</span>
          </li>
        ))}
        {diff.changed.map((c) => (
          <li key={`c-${c.id}`}>
            <span className="badge">changed</span> {c.title}{' '}
            <span className="studio-muted">{[...(c.fileChanged ? ['file'] : []), ...c.fields].join(', ')}</span>
            {c.fileChanged && onComparePages && (
              <button type="button" className="studio-link" onClick={() => onComparePages(c.id, c.title)}>
                Compare pages
              </button>
            )}
          </li>
        ))}
        {diff.removed.map((r) => (
          <li key={`r-${r.id}`}>
            <span className="badge">removed</span> {r.title}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** What IT needs to point devices at this channel: its URL here and the key to pin. */
export function ChannelAddress({ channel }: { channel: Channel }) {
  const url = new URL(channel.url, location.origin).href;
  return (
    <details className="studio-card studio-card--wide">
      <summary>Point devices at this channel</summary>
      <p>
        Channel URL: <code>{url}</code>
      </p>
      <p>Public key to pin (save as a .pem file):</p>
      <pre className="studio-key">{channel.publicKeyPem}</pre>
      <pre className="studio-key">{`pitchcase sync --profile DIR --channel ${url} --pubkey ${channel.id}.public.pem`}</pre>
    </details>
  );
}

/** A changed PDF's pages: the published one beside the draft's, the changed ones marked. */
export function PageDiff({ title, pages, onClose }: { title: string; pages: PageChange[]; onClose(): void }) {
  const changed = pages.filter((p) => p.status !== 'same').length;
  return (
    <section className="studio-card studio-card--wide" aria-label={`Pages of ${title}`}>
      <h2>
        {title}: {changed === 0 ? 'no page changed' : `${changed} of ${pages.length} pages changed`}
      </h2>
      <ol className="studio-pages">
        {pages.map((p) => (
          <li key={p.page} className={`studio-page studio-page--${p.status}`}>
            <span>
              Page {p.page}: {p.status}
            </span>
            <span className="studio-page__pair">
              {p.before ? (
                <img src={p.before} alt={`Page ${p.page} as published`} loading="lazy" />
              ) : (
                <span className="studio-thumb-empty" />
              )}
              {p.after ? (
                <img src={p.after} alt={`Page ${p.page} in the draft`} loading="lazy" />
              ) : (
                <span className="studio-thumb-empty" />
              )}
            </span>
          </li>
        ))}
      </ol>
      <div className="studio-actions">
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </section>
  );
}
