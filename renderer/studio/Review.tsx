import { useCallback, useEffect, useState } from 'react';
import {
  studioApi,
  type Channel,
  type PageChange,
  type PublishJob,
  type Release,
  type ReleaseDiff,
  type SessionUser,
} from './api.ts';
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

  const finished = useCallback(
    (done: PublishJob) => {
      setMessage(jobOutcome(done));
      void load();
    },
    [load],
  );
  const failed = useCallback((text: string) => setMessage({ error: true, text }), []);
  const [job, follow] = usePublishJob(channel.id, finished, failed);
  const publishing = job?.state === 'running';

  const start = async (what: () => Promise<PublishJob>) => {
    setBusy(true);
    setMessage(null);
    try {
      follow(await what());
    } catch (e) {
      setMessage({ error: true, text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  };

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
      {publishing && <PublishProgress job={job} />}
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
                    disabled={busy || publishing}
                    onClick={() => start(() => studioApi.publish(r.id))}
                  >
                    Publish
                  </button>
                )}
                {r.state === 'published' && canReview && (
                  <button
                    type="button"
                    className="button"
                    disabled={busy || publishing}
                    onClick={() => start(() => studioApi.rollback(r.id))}
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

/**
 * The channel's publish job: the latest one found when the page opens (so a reload picks up a
 * running publish, or shows why the last one did not finish), then the one started here,
 * followed with long polls until it ends.
 */
function usePublishJob(
  channel: string,
  onFinished: (job: PublishJob) => void,
  onError: (text: string) => void,
): [PublishJob | null, (job: PublishJob) => void] {
  const [job, setJob] = useState<PublishJob | null>(null);
  useEffect(() => {
    let gone = false;
    studioApi.publishJobs(channel).then(
      (jobs) => {
        const latest = jobs[0];
        if (gone || !latest) return;
        setJob(latest);
        if (latest.state === 'failed' || latest.state === 'interrupted') onFinished(latest);
      },
      (e: Error) => onError(e.message),
    );
    return () => {
      gone = true;
    };
  }, [channel, onFinished, onError]);
  const running = job?.state === 'running' ? job : null;
  useEffect(() => {
    if (!running) return;
    let gone = false;
    studioApi.publishJob(running.id, running.revision, 20_000).then(
      (next) => {
        if (gone) return;
        setJob(next);
        if (next.state !== 'running') onFinished(next);
      },
      // A dropped connection (Studio restarting): look again shortly, the job is in the database.
      () => void setTimeout(() => !gone && setJob({ ...running }), 2_000),
    );
    return () => {
      gone = true;
    };
  }, [running, onFinished]);
  return [job, setJob];
}

const jobLabel = (job: PublishJob) => (job.kind === 'rollback' ? 'Roll back' : 'Publish');

/** What marketing reads when a publish ends. */
export function jobOutcome(job: PublishJob): { error: boolean; text: string } {
  if (job.state === 'succeeded')
    return {
      error: false,
      text:
        job.kind === 'rollback'
          ? `Rolled back: the earlier content is live as version ${job.version}.`
          : `Published version ${job.version}.`,
    };
  return { error: true, text: `${jobLabel(job)} ${job.state}: ${job.error ?? 'no reason given.'}` };
}

const stageLabels: Record<string, string> = {
  waiting: 'starting',
  staging: 'laying out the files',
  converting: 'converting documents',
  reading: 'reading documents',
  writing: 'writing files',
  recording: 'recording the release',
};

/** A publish under way: stage, items and bytes. */
export function PublishProgress({ job }: { job: PublishJob }) {
  const byBytes = job.stage === 'writing' && job.bytesTotal > 0;
  const [done, total] = byBytes ? [job.bytesDone, job.bytesTotal] : [job.itemsDone, job.itemsTotal];
  return (
    <div className="studio-job" role="status" aria-live="polite">
      <strong>
        {jobLabel(job)} running: {stageLabels[job.stage] ?? job.stage}
      </strong>
      <progress max={Math.max(total, 1)} value={done} aria-label={`${jobLabel(job)} progress`} />
      <span>
        {job.itemsDone} of {job.itemsTotal} items
        {job.bytesTotal > 0 && `, ${formatBytes(job.bytesDone)} of ${formatBytes(job.bytesTotal)} written`}
      </span>
      <span className="studio-muted">It goes on if you leave this page.</span>
    </div>
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
    !diff.quizzesChanged &&
    !diff.practiceChanged;
  return (
    <div className="studio-card studio-card--wide" aria-label="Draft changes">
      <h2>
        Draft against {diff.baseVersion === null ? 'nothing published yet' : `published version ${diff.baseVersion}`}
      </h2>
      <p>
        {nothing
          ? 'No changes.'
          : `${diff.added.length} new, ${diff.changed.length} changed, ${diff.removed.length} removed, ${diff.unchanged} unchanged${diff.collectionsChanged ? '; collections changed' : ''}${diff.glossaryChanged ? '; glossary changed' : ''}${diff.attractChanged ? '; attract loop changed' : ''}${diff.quizzesChanged ? '; quizzes changed' : ''}${diff.practiceChanged ? '; practice prompts changed' : ''}; devices download ${formatBytes(diff.downloadBytes)}.`}
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
