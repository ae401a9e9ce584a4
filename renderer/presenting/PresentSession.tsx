/**
 * One meeting: loads the pitch and its items, presents it, then wraps the meeting up. The pen's
 * ink and the meeting id live here while presenting; the wrap-up keeps the ink with the meeting.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ItemDetail } from '#shared/library';
import type { Pitch } from '#shared/presenting';
import { client } from '../api/client';
import { describeError, withDeadline } from '../api/deadline';
import { StateMessage } from '../ui/StateMessage';
import { createAnnotations } from './AnnotationLayer';
import { buildDeck, type Deck } from './deck';
import { newId } from './dwell';
import { inkPagesFromAnnotations } from './meeting-ink';
import { Presenter, type PresentationResult } from './Presenter';
import { WrapUp, type WrapUpDraft } from './WrapUp';
import { emptyFields } from './wrap-up';

type Loaded =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; pitch: Pitch; items: Map<string, ItemDetail>; deck: Deck };

async function load(id: string): Promise<{ pitch: Pitch; items: Map<string, ItemDetail>; deck: Deck }> {
  const pitch = await client.getPitch({ id });
  const ids = [...new Set(pitch.steps.filter((s) => !s.problem).map((s) => s.itemId))];
  const details = await Promise.all(ids.map((itemId) => client.getItem({ id: itemId }).catch(() => null)));
  const items = new Map<string, ItemDetail>();
  for (const detail of details) if (detail) items.set(detail.id, detail);
  const counts = new Map([...items.values()].map((item) => [item.id, item.pageCount]));
  const usable = { steps: pitch.steps.map((s) => (s.problem || items.has(s.itemId) ? s : { ...s, problem: 'removed' as const })) };
  return { pitch, items, deck: buildDeck(usable, counts) };
}

export interface PresentSessionProps {
  pitchId: string;
  onClose(): void;
}

export function PresentSession({ pitchId, onClose }: PresentSessionProps) {
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [result, setResult] = useState<PresentationResult | null>(null);
  const meetingId = useMemo(() => newId(), []);
  const annotations = useMemo(() => createAnnotations(), []);

  useEffect(() => {
    let live = true;
    setLoaded({ status: 'loading' });
    withDeadline(load(pitchId), 20_000, 'Opening the pitch').then(
      (ready) => live && setLoaded({ status: 'ready', ...ready }),
      (error: unknown) => live && setLoaded({ status: 'error', message: describeError(error).message }),
    );
    return () => {
      live = false;
    };
  }, [pitchId, attempt]);

  // What was shown, with titles and share links, pre-filled into the wrap-up (once).
  const draft = useMemo<WrapUpDraft | null>(() => {
    if (loaded.status !== 'ready' || !result) return null;
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
  const ink = useMemo(() => (result ? inkPagesFromAnnotations(annotations.entries(), result.aspect) : null), [result, annotations]);

  if (loaded.status === 'ready') {
    if (draft) {
      return <WrapUp draft={draft} fresh skipped={loaded.deck.skipped} ink={ink?.pages} inkItems={loaded.items} inkUnsaved inkTrimmed={ink?.trimmed} onClose={onClose} />;
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
    <div className="presenter presenter--loading" data-testid={loaded.status === 'error' ? 'presenter-error' : 'presenter-loading'} role="dialog" aria-modal="true" aria-label="Presenting">
      <div className="presenter__stage">
        {loaded.status === 'error' ? (
          <StateMessage
            tone="error"
            onDark
            title="This pitch could not be opened"
            onRetry={() => setAttempt((n) => n + 1)}
            actions={
              <button type="button" className="button button--ghost-dark" onClick={onClose}>
                Back to pitches
              </button>
            }
          >
            {loaded.message}
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
