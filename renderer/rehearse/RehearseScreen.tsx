/**
 * The Rehearse screen (`#/rehearse`, `#/rehearse/<prompt>`): pick a practice prompt, read its
 * key messages and time limit, record a take against the countdown, listen to it, record again,
 * keep the best. Every take is kept in the profile through the core the moment it ends, so
 * nothing said is lost; it all works offline.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { RehearsalTake } from '#shared/rehearse';
import { useAction } from '../data/useAction';
import { useQuery } from '../data/useQuery';
import { StateMessage } from '../ui/StateMessage';
import { ScreenFrame } from '../ui/ScreenFrame';
import { examplesQuery, practicePromptsQuery, takesQuery } from './queries';
import { base64ToBlob, blobToBase64, useRecorder } from './recorder';
import type { PracticeConsent } from '#shared/practice-review';
import { PromptBrief, PromptList, RecordPanel, TakeList, type TakePlayback } from './RehearseParts';
import { ConsentDialog, ExampleList } from './TakeReview';
import './rehearse.css';

export interface RehearseScreenProps {
  promptId: string | null;
  onPick(promptId: string): void;
  onBack(): void;
}

export function RehearseScreen({ promptId, onPick, onBack }: RehearseScreenProps) {
  const prompts = useQuery(practicePromptsQuery);
  const list = prompts.status === 'ready' ? prompts.data : [];
  const prompt = list.find((p) => p.id === promptId) ?? null;

  return (
    <ScreenFrame name="rehearse" title="Rehearse" onBack={onBack}>
      {prompts.status === 'loading' ? (
        <p role="status">Loading the practice prompts…</p>
      ) : prompts.status === 'error' ? (
        <StateMessage tone="error" title="The practice prompts did not load" onRetry={prompts.retry}>
          {prompts.error.message}
        </StateMessage>
      ) : list.length === 0 ? (
        <StateMessage tone="empty" title="No practice prompts yet" testId="rehearse-empty">
          Marketing adds them to the library; they arrive with the next content update.
        </StateMessage>
      ) : (
        <>
          <PromptList prompts={list} selectedId={prompt?.id ?? null} onPick={onPick} />
          {prompt ? (
            <PromptPractice
              key={prompt.id}
              promptId={prompt.id}
              timeLimitSeconds={prompt.timeLimitSeconds}
              brief={<PromptBrief prompt={prompt} />}
              onTakesChanged={prompts.refresh}
            />
          ) : (
            <p className="rehearse-screen__hint" data-testid="rehearse-pick">
              {promptId ? 'That prompt is not in the current library. ' : ''}Pick a prompt to practise.
            </p>
          )}
        </>
      )}
    </ScreenFrame>
  );
}

function PromptPractice({
  promptId,
  timeLimitSeconds,
  brief,
  onTakesChanged,
}: {
  promptId: string;
  timeLimitSeconds: number;
  brief: ReactNode;
  onTakesChanged(): void;
}) {
  const takes = useQuery(takesQuery(promptId));
  const examples = useQuery(examplesQuery(promptId));
  const [example, setExample] = useState<{ id: string; url: string } | null>(null);
  const exampleRef = useRef(example);
  exampleRef.current = example;
  useEffect(() => () => void (exampleRef.current && URL.revokeObjectURL(exampleRef.current.url)), []);
  const playExample = useAction(
    (client, recordingId: string) => client.getPracticeExampleAudio({ recordingId }),
    'The example did not play: ',
  );
  const recorder = useRecorder(timeLimitSeconds);
  const [playing, setPlaying] = useState<TakePlayback | null>(null);
  const [consentFor, setConsentFor] = useState<RehearsalTake | null>(null);
  const playingRef = useRef(playing);
  playingRef.current = playing;
  useEffect(() => () => void (playingRef.current && URL.revokeObjectURL(playingRef.current.url)), []);

  const save = useAction(
    async (client, take: { blob: Blob; mime: string; durationMs: number }) =>
      client.saveRehearsalTake({
        promptId,
        mime: take.mime,
        durationMs: take.durationMs,
        audioBase64: await blobToBase64(take.blob),
      }),
    'The take was not kept: ',
  );
  const play = useAction((client, id: string) => client.getRehearsalTakeAudio({ id }), 'The take did not play: ');
  const best = useAction(
    (client, take: RehearsalTake) => client.markBestTake({ id: take.id, best: !take.best }),
    'Not marked: ',
  );
  const remove = useAction((client, id: string) => client.deleteRehearsalTake({ id }), 'Not deleted: ');
  const send = useAction(async (client, request: { take: RehearsalTake; consent?: PracticeConsent }) => {
    if (!request.consent && (await client.getPracticeConsent({})) === null) return 'consent-needed' as const;
    return client.sendTakeForReview({
      id: request.take.id,
      ...(request.consent ? { consent: request.consent } : {}),
    });
  }, 'Not sent for review: ');
  const cancelSend = useAction((client, id: string) => client.cancelTakeReview({ id }), 'Not cancelled: ');

  const onSend = (take: RehearsalTake, consent?: PracticeConsent) => {
    void send.run({ take, ...(consent ? { consent } : {}) }).then((answer) => {
      if (answer === 'consent-needed') setConsentFor(take);
      else if (answer) refresh();
    });
  };

  const refresh = takes.refresh;
  const changed = useCallback(() => {
    refresh();
    onTakesChanged();
  }, [refresh, onTakesChanged]);

  const { state, reset } = recorder;
  const { run: runSave } = save;
  // A finished recording is kept at once; the rep then listens to it from the list.
  useEffect(() => {
    if (state.status !== 'recorded') return;
    const take = { blob: state.blob, mime: state.mime, durationMs: state.durationMs };
    reset();
    void runSave(take).then((saved) => {
      if (saved) changed();
    });
  }, [state, reset, runSave, changed]);

  const onPlay = (take: RehearsalTake) => {
    void play.run(take.id).then((audio) => {
      if (!audio) return;
      if (playingRef.current) URL.revokeObjectURL(playingRef.current.url);
      setPlaying({ id: take.id, url: URL.createObjectURL(base64ToBlob(audio.audioBase64, audio.mime)), seek: null });
    });
  };

  // A comment's moment: the take plays from there (loaded first when it is not the one playing).
  const onSeek = (take: RehearsalTake, ms: number) => {
    const current = playingRef.current;
    if (current?.id === take.id) {
      setPlaying({ ...current, seek: { ms, n: (current.seek?.n ?? 0) + 1 } });
      return;
    }
    void play.run(take.id).then((audio) => {
      if (!audio) return;
      if (playingRef.current) URL.revokeObjectURL(playingRef.current.url);
      setPlaying({
        id: take.id,
        url: URL.createObjectURL(base64ToBlob(audio.audioBase64, audio.mime)),
        seek: { ms, n: 1 },
      });
    });
  };

  const error =
    save.error ?? play.error ?? best.error ?? remove.error ?? send.error ?? cancelSend.error ?? playExample.error;
  return (
    <div className="rehearse-practice">
      {brief}
      <RecordPanel
        state={recorder.state}
        timeLimitSeconds={timeLimitSeconds}
        saving={save.pending}
        onStart={() => void recorder.start()}
        onStop={recorder.stop}
      />
      {error ? (
        <p className="rehearse-record__problem" role="alert" data-testid="rehearse-error">
          {error}
        </p>
      ) : null}
      <section className="rehearse-takes-section" aria-label="Takes">
        <h3>Your takes</h3>
        {takes.status === 'error' ? (
          <StateMessage tone="error" title="Your takes did not load" onRetry={takes.retry}>
            {takes.error.message}
          </StateMessage>
        ) : takes.status === 'ready' ? (
          <TakeList
            takes={takes.data}
            playing={playing}
            busy={best.pending || remove.pending || send.pending || cancelSend.pending}
            onPlay={onPlay}
            onSend={(take) => onSend(take)}
            onCancelSend={(take) => void cancelSend.run(take.id).then((done) => done && refresh())}
            onSeek={onSeek}
            onBest={(take) => void best.run(take).then((done) => done && changed())}
            onDelete={(take) => {
              if (!window.confirm('Delete this take? It cannot be brought back.')) return;
              void remove.run(take.id).then((done) => done && changed());
            }}
          />
        ) : (
          <p role="status">Loading your takes…</p>
        )}
      </section>
      {examples.status === 'ready' ? (
        <ExampleList
          examples={examples.data}
          playing={example}
          onPlay={(chosen) =>
            void playExample.run(chosen.recordingId).then((audio) => {
              if (!audio) return;
              if (exampleRef.current) URL.revokeObjectURL(exampleRef.current.url);
              setExample({
                id: chosen.recordingId,
                url: URL.createObjectURL(base64ToBlob(audio.audioBase64, audio.mime)),
              });
            })
          }
        />
      ) : null}
      {consentFor ? (
        <ConsentDialog
          onClose={() => setConsentFor(null)}
          onAgree={(consent) => {
            const take = consentFor;
            setConsentFor(null);
            onSend(take, consent);
          }}
        />
      ) : null}
    </div>
  );
}
