/**
 * One meeting: loads the pitch and its items, presents it, then wraps the meeting up. The pen's
 * ink and the meeting id live here while presenting; the wrap-up keeps the ink with the meeting.
 */
import { useMemo, useState } from 'react';
import { StateMessage } from '../ui/StateMessage';
import { createAnnotations } from './AnnotationLayer';
import { newId } from './dwell';
import { inkPagesFromAnnotations } from './meeting-ink';
import { Presenter, type PresentationResult } from './Presenter';
import { usePitchDeck } from './queries';
import { WrapUp, type WrapUpDraft } from './WrapUp';
import { emptyFields } from './wrap-up';

export interface PresentSessionProps {
  pitchId: string;
  onClose(): void;
}

export function PresentSession({ pitchId, onClose }: PresentSessionProps) {
  const state = usePitchDeck(pitchId);
  const loaded = state.data ?? null;
  const [result, setResult] = useState<PresentationResult | null>(null);
  const meetingId = useMemo(() => newId(), []);
  const annotations = useMemo(() => createAnnotations(), []);

  // What was shown, with titles and share links, pre-filled into the wrap-up (once).
  const draft = useMemo<WrapUpDraft | null>(() => {
    if (!loaded || !result) return null;
    return {
      meetingId,
      pitchId: loaded.pitch.id,
      pitchName: loaded.pitch.name,
      startedAt: result.startedAt,
      endedAt: result.endedAt,
      fields: emptyFields,
      lines: result.shown.map((entry) => {
        const item = loaded.items.get(entry.itemId);
        return { ...entry, title: item?.title ?? entry.itemId, shareUrl: item?.shareUrl ?? null };
      }),
    };
  }, [loaded, result, meetingId]);

  // The ink as drawn when presenting ended, taken once: it goes with the draft.
  const ink = useMemo(
    () => (result ? inkPagesFromAnnotations(annotations.entries(), result.aspect) : null),
    [result, annotations],
  );

  if (loaded) {
    if (draft) {
      return (
        <WrapUp
          draft={draft}
          fresh
          skipped={loaded.deck.skipped}
          ink={ink?.pages}
          inkItems={loaded.items}
          inkUnsaved
          inkTrimmed={ink?.trimmed}
          onClose={onClose}
        />
      );
    }
    return (
      <Presenter
        pitchId={pitchId}
        meetingId={meetingId}
        slides={loaded.deck.slides}
        items={loaded.items}
        annotations={annotations}
        stepCount={loaded.pitch.steps.length}
        onFinish={setResult}
      />
    );
  }

  return (
    <div
      className="presenter presenter--loading"
      data-testid={state.status === 'error' ? 'presenter-error' : 'presenter-loading'}
      role="dialog"
      aria-modal="true"
      aria-label="Presenting"
    >
      <div className="presenter__stage">
        {state.status === 'error' ? (
          <StateMessage
            tone="error"
            onDark
            title="This pitch could not be opened"
            onRetry={state.retry}
            actions={
              <button type="button" className="button button--ghost-dark" onClick={onClose}>
                Back to pitches
              </button>
            }
          >
            {state.error.message}
          </StateMessage>
        ) : (
          <div className="presenter__hint" role="status">
            Opening…
          </div>
        )}
      </div>
    </div>
  );
}
