/** The Rehearse screen's props-only parts: the prompt list, the brief, the recorder panel, the takes. */
import { useEffect, useRef } from 'react';
import type { PracticePrompt, RehearsalTake } from '#shared/rehearse';
import { formatSeconds, type RecorderState } from './recorder';
import { TakeReviewPanel } from './TakeReview';

export function attachmentLabel(prompt: PracticePrompt): string {
  const a = prompt.attachedTo;
  const title = a.title ?? 'not in this library';
  if (a.kind === 'term') return `Term: ${title}`;
  if (a.kind === 'page') return `${title}, page ${a.page}`;
  return title;
}

export function PromptList({
  prompts,
  selectedId,
  onPick,
}: {
  prompts: PracticePrompt[];
  selectedId: string | null;
  onPick(id: string): void;
}) {
  return (
    <ul className="rehearse-prompts" aria-label="Practice prompts">
      {prompts.map((p) => (
        <li key={p.id}>
          <button
            type="button"
            className={`rehearse-prompt${p.id === selectedId ? ' rehearse-prompt--selected' : ''}`}
            aria-current={p.id === selectedId ? 'true' : undefined}
            data-testid={`prompt-${p.id}`}
            onClick={() => onPick(p.id)}
          >
            <span className="rehearse-prompt__title">{p.title}</span>
            <span className="rehearse-prompt__meta">
              {attachmentLabel(p)} · {formatSeconds(p.timeLimitSeconds * 1000)} ·{' '}
              {p.takes === 1 ? '1 take' : `${p.takes} takes`}
              {p.bestTakeId ? ' · best kept' : ''}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

export function PromptBrief({ prompt }: { prompt: PracticePrompt }) {
  return (
    <section className="rehearse-brief" aria-labelledby="rehearse-brief-title" data-testid="rehearse-brief">
      <h2 id="rehearse-brief-title">{prompt.title}</h2>
      <p className="rehearse-brief__about">{attachmentLabel(prompt)}</p>
      <p className="rehearse-brief__limit" data-testid="rehearse-limit">
        Time limit: {formatSeconds(prompt.timeLimitSeconds * 1000)}
      </p>
      <h3>Key messages to get across, in your own words</h3>
      <ul className="rehearse-brief__messages" data-testid="rehearse-key-messages">
        {prompt.keyMessages.map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ul>
    </section>
  );
}

export function RecordPanel({
  state,
  timeLimitSeconds,
  saving,
  onStart,
  onStop,
}: {
  state: RecorderState;
  timeLimitSeconds: number;
  saving: boolean;
  onStart(): void;
  onStop(): void;
}) {
  const recording = state.status === 'recording';
  const left = recording ? timeLimitSeconds * 1000 - state.elapsedMs : timeLimitSeconds * 1000;
  return (
    <section className="rehearse-record" aria-label="Record a take" data-state={state.status}>
      <p
        className={`rehearse-record__clock${recording && left <= 10_000 ? ' rehearse-record__clock--ending' : ''}`}
        data-testid="rehearse-countdown"
        role="timer"
        aria-live="off"
      >
        {formatSeconds(left)}
      </p>
      {recording ? (
        <button type="button" className="button button--danger" data-testid="rehearse-stop" onClick={onStop}>
          Stop
        </button>
      ) : (
        <button
          type="button"
          className="button button--primary"
          data-testid="rehearse-record"
          disabled={state.status === 'asking' || saving}
          onClick={onStart}
        >
          {state.status === 'asking' ? 'Waiting for the microphone…' : saving ? 'Keeping the take…' : 'Record a take'}
        </button>
      )}
      <p className="rehearse-record__status" role="status">
        {recording ? 'Recording… the take stops by itself when the time is up.' : ''}
      </p>
      {state.status === 'failed' ? (
        <p className="rehearse-record__problem" role="alert" data-testid="rehearse-problem">
          {state.message}
        </p>
      ) : null}
    </section>
  );
}

/** Playback of one take; `seek` moves it to a moment (a comment's), again each time its `n` changes. */
function TakeAudio({ url, seek }: { url: string; seek: { ms: number; n: number } | null }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const audio = ref.current;
    if (!audio || !seek) return;
    const go = () => {
      audio.currentTime = seek.ms / 1000;
      void audio.play().catch(() => {});
    };
    if (audio.readyState >= 1) go();
    else {
      audio.addEventListener('loadedmetadata', go, { once: true });
      return () => audio.removeEventListener('loadedmetadata', go);
    }
  }, [seek]);
  return (
    <audio ref={ref} className="rehearse-take__audio" data-testid="take-audio" src={url} controls autoPlay={!seek} />
  );
}

export interface TakePlayback {
  id: string;
  url: string;
  seek: { ms: number; n: number } | null;
}

export function TakeList({
  takes,
  playing,
  busy,
  onPlay,
  onBest,
  onDelete,
  onSend,
  onCancelSend,
  onSeek,
}: {
  takes: RehearsalTake[];
  playing: TakePlayback | null;
  busy: boolean;
  onPlay(take: RehearsalTake): void;
  onBest(take: RehearsalTake): void;
  onDelete(take: RehearsalTake): void;
  onSend(take: RehearsalTake): void;
  onCancelSend(take: RehearsalTake): void;
  onSeek(take: RehearsalTake, ms: number): void;
}) {
  if (takes.length === 0)
    return (
      <p className="rehearse-takes__empty" data-testid="rehearse-no-takes">
        No takes yet. Record one, listen to it, and record again until you like it.
      </p>
    );
  return (
    <ol className="rehearse-takes" aria-label="Your takes" data-testid="rehearse-takes">
      {takes.map((take, i) => (
        <li key={take.id} className="rehearse-take" data-testid="rehearse-take" data-best={take.best || undefined}>
          <span className="rehearse-take__name">
            Take {takes.length - i}
            {take.best ? <strong className="rehearse-take__best"> · Best</strong> : null}
          </span>
          <span className="rehearse-take__meta">
            {formatSeconds(take.durationMs)} · {new Date(take.recordedAt).toLocaleString()}
          </span>
          <span className="rehearse-take__actions">
            <button type="button" className="button" data-testid="take-play" onClick={() => onPlay(take)}>
              Play
            </button>
            <button
              type="button"
              className="button"
              data-testid="take-best"
              aria-pressed={take.best}
              disabled={busy}
              onClick={() => onBest(take)}
            >
              {take.best ? 'Best take ✓' : 'Keep as best'}
            </button>
            <button
              type="button"
              className="button"
              data-testid="take-delete"
              disabled={busy}
              onClick={() => onDelete(take)}
            >
              Delete
            </button>
          </span>
          {playing?.id === take.id ? <TakeAudio url={playing.url} seek={playing.seek} /> : null}
          <TakeReviewPanel
            review={take.review}
            busy={busy}
            onSend={() => onSend(take)}
            onCancel={() => onCancelSend(take)}
            onSeek={(ms) => onSeek(take, ms)}
          />
        </li>
      ))}
    </ol>
  );
}
