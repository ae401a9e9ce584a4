/**
 * A take's way to review, props only: where the send stands (queued, uploading n %, sent,
 * reviewed), the reviewer's score, rubric and comments at their moments (a tap seeks the
 * playback there), and which key messages the transcript heard. Plus the consent asked before
 * the first send, in the words the consent version stands for.
 */
import { useEffect, useRef, useState } from 'react';
import { PRACTICE_CONSENT, type PracticeConsent, type PracticeExample, type TakeReview } from '#shared/practice-review';

const ratingLabel = { said: 'Said', partly: 'Partly', missed: 'Missed' } as const;

export function formatMoment(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export function reviewStateText(review: TakeReview): string {
  switch (review.state) {
    case 'queued':
      return review.error ? 'Waiting to send for review (will retry)' : 'Queued for review';
    case 'uploading':
      return `Uploading ${Math.floor((review.sentBytes / review.size) * 100)} %`;
    case 'sent':
      return 'Sent for review';
    case 'reviewed':
      return 'Reviewed';
    case 'cancelled':
      return 'Send cancelled';
    case 'refused':
      return 'Not sent';
  }
}

export function TakeReviewPanel({
  review,
  busy,
  onSend,
  onCancel,
  onSeek,
}: {
  review: TakeReview | null;
  busy: boolean;
  onSend(): void;
  onCancel(): void;
  onSeek(ms: number): void;
}) {
  const canSend = review === null || review.state === 'cancelled' || review.state === 'refused';
  const canCancel = review?.state === 'queued' || review?.state === 'uploading';
  const feedback = review?.feedback ?? null;
  return (
    <div className="take-review" data-testid="take-review" data-state={review?.state ?? 'not-sent'}>
      <div className="take-review__line">
        {review ? (
          <span className="take-review__state" role="status" data-testid="take-review-state">
            {reviewStateText(review)}
            {review.state === 'uploading' ? (
              <progress className="take-review__progress" max={review.size} value={review.sentBytes} />
            ) : null}
          </span>
        ) : null}
        {canSend ? (
          <button type="button" className="button" data-testid="take-send" disabled={busy} onClick={onSend}>
            Send for review
          </button>
        ) : null}
        {canCancel ? (
          <button type="button" className="button" data-testid="take-cancel-send" disabled={busy} onClick={onCancel}>
            Cancel send
          </button>
        ) : null}
      </div>
      {review?.error ? (
        <p className="take-review__problem" data-testid="take-review-error">
          {review.error}
        </p>
      ) : null}
      {feedback?.review ? (
        <section className="take-review__feedback" aria-label="Feedback" data-testid="take-feedback">
          <p className="take-review__score">
            <strong data-testid="take-score">{feedback.review.overall} / 5</strong> from {feedback.review.reviewer}
          </p>
          <ul className="take-review__rubric" aria-label="Key messages as the reviewer heard them">
            {feedback.review.rubric.map((r) => (
              <li key={r.message} data-rating={r.rating}>
                <span className={`take-review__rating take-review__rating--${r.rating}`}>{ratingLabel[r.rating]}</span>{' '}
                {r.message}
              </li>
            ))}
          </ul>
          {feedback.review.comments.length > 0 ? (
            <ol className="take-review__comments" aria-label="Comments">
              {feedback.review.comments.map((c, i) => (
                <li key={`${c.atMs}-${i}`}>
                  <button
                    type="button"
                    className="take-review__moment"
                    data-testid="take-comment-seek"
                    aria-label={`Play from ${formatMoment(c.atMs)}`}
                    onClick={() => onSeek(c.atMs)}
                  >
                    {formatMoment(c.atMs)}
                  </button>{' '}
                  <span data-testid="take-comment">{c.text}</span> <span className="take-review__by">— {c.by}</span>
                </li>
              ))}
            </ol>
          ) : null}
        </section>
      ) : null}
      {feedback?.keyMessages ? (
        <section className="take-review__heard" aria-label="What the transcript heard" data-testid="take-heard">
          <h4>Key messages in your words</h4>
          <ul>
            {feedback.keyMessages.map((k) => (
              <li key={k.message} data-said={k.said}>
                {k.said ? 'Said' : 'Missed'}: {k.message}
                {k.heard ? <q className="take-review__quote">{k.heard}</q> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

/** Asked before the first send (and again when the wording's version changes). */
export function ConsentDialog({ onAgree, onClose }: { onAgree(consent: PracticeConsent): void; onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [share, setShare] = useState(false);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="consent-dialog"
      aria-labelledby="consent-title"
      data-testid="review-consent"
      // Escape closes this dialog only, not the Rehearse screen behind it.
      onKeyDown={(event) => {
        if (event.key === 'Escape') event.stopPropagation();
      }}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id="consent-title">Send for review?</h2>
      <p>What is sent to your company’s Studio:</p>
      <ul>
        {PRACTICE_CONSENT.sent.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ul>
      <p>Who can listen to it and comment:</p>
      <ul>
        {PRACTICE_CONSENT.seenBy.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ul>
      <label className="consent-dialog__choice">
        <input
          type="checkbox"
          data-testid="consent-share"
          checked={share}
          onChange={(event) => setShare(event.target.checked)}
        />{' '}
        {PRACTICE_CONSENT.example} (optional)
      </label>
      <p className="consent-dialog__note">
        Your choice is kept with every take you send; nothing is sent until you agree.
      </p>
      <div className="consent-dialog__actions">
        <button type="button" className="button" onClick={onClose}>
          Not now
        </button>
        <button
          type="button"
          className="button button--primary"
          data-testid="consent-agree"
          onClick={() => onAgree({ version: PRACTICE_CONSENT.version, shareAsExample: share })}
        >
          Agree and send
        </button>
      </div>
    </dialog>
  );
}

/** Other reps' takes of this prompt that marketing chose as examples (their reps allowed it). */
export function ExampleList({
  examples,
  playing,
  onPlay,
}: {
  examples: PracticeExample[];
  playing: { id: string; url: string } | null;
  onPlay(example: PracticeExample): void;
}) {
  if (examples.length === 0) return null;
  return (
    <section className="rehearse-examples" aria-labelledby="rehearse-examples-title" data-testid="rehearse-examples">
      <h3 id="rehearse-examples-title">How other reps say it</h3>
      <ul className="rehearse-takes">
        {examples.map((example) => (
          <li key={example.recordingId} className="rehearse-take" data-testid="rehearse-example">
            <span className="rehearse-take__name">Example{example.team ? ` · team ${example.team}` : ''}</span>
            <span className="rehearse-take__meta">{formatMoment(example.durationMs)}</span>
            <span className="rehearse-take__actions">
              <button
                type="button"
                className="button"
                data-testid="example-play"
                disabled={!example.available}
                onClick={() => onPlay(example)}
              >
                {example.available ? 'Play' : 'Arrives with the next sync'}
              </button>
            </span>
            {playing?.id === example.recordingId ? (
              <audio className="rehearse-take__audio" data-testid="example-audio" src={playing.url} controls autoPlay />
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
