/** The rep's pitches: readiness at a glance, present, edit, duplicate or delete. */
import { useCallback, useEffect, useState } from 'react';
import type { PitchSummary } from '#shared/presenting';
import { client } from '../api/client';
import { describeError, withDeadline } from '../api/deadline';
import { BackIcon, PlusIcon } from '../ui/icons';
import { StateMessage } from '../ui/StateMessage';
import { readinessLabel, stepCountLabel } from './pitch-text';

export interface PitchListProps {
  onBack(): void;
  onNew(): void;
  onEdit(id: string): void;
  onPresent(id: string): void;
}

type ListState = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; pitches: PitchSummary[]; problems: Record<string, number> };

async function loadPitches(): Promise<{ pitches: PitchSummary[]; problems: Record<string, number> }> {
  const pitches = await client.listPitches({});
  const problems: Record<string, number> = {};
  // Only pitches that are not ready need their steps counted.
  await Promise.all(
    pitches
      .filter((p) => !p.ready)
      .map(async (p) => {
        const full = await client.getPitch({ id: p.id }).catch(() => null);
        if (full) problems[p.id] = full.steps.filter((s) => s.problem).length;
      }),
  );
  return { pitches, problems };
}

function formatUpdated(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : `Edited ${date.toLocaleDateString(undefined, { dateStyle: 'medium' })}`;
}

export function PitchList({ onBack, onNew, onEdit, onPresent }: PitchListProps) {
  const [state, setState] = useState<ListState>({ status: 'loading' });
  const [confirming, setConfirming] = useState<string | null>(null);

  const reload = useCallback(() => {
    withDeadline(loadPitches(), 15_000, 'Loading pitches').then(
      (ready) => setState({ status: 'ready', ...ready }),
      (error: unknown) => setState({ status: 'error', message: describeError(error).message }),
    );
  }, []);
  useEffect(reload, [reload]);

  const duplicate = (id: string) => {
    client.duplicatePitch({ id }).then(reload, reload);
  };
  const remove = (id: string) => {
    setConfirming(null);
    client.deletePitch({ id }).then(reload, reload);
  };

  return (
    <div className="presenting-screen" role="dialog" aria-modal="true" aria-label="Pitches" data-testid="pitch-list">
      <header className="presenting-screen__bar">
        <button type="button" className="icon-button" aria-label="Back to library" onClick={onBack} data-testid="pitches-back">
          <BackIcon />
          <span className="icon-button__label">Library</span>
        </button>
        <div className="presenting-screen__heading">
          <h1>Pitches</h1>
          <p>Build the running order the evening before; present it in the meeting.</p>
        </div>
        <button type="button" className="button button--primary" onClick={onNew} data-testid="new-pitch">
          <PlusIcon size={18} /> New pitch
        </button>
      </header>
      <div className="presenting-screen__content">
        {state.status === 'loading' ? <div className="skeleton skeleton--card" aria-label="Loading pitches" /> : null}
        {state.status === 'error' ? (
          <StateMessage
            tone="error"
            title="The pitches could not be loaded"
            onRetry={reload}
          >
            {state.message}
          </StateMessage>
        ) : null}
        {state.status === 'ready' && state.pitches.length === 0 ? (
          <StateMessage tone="empty" title="No pitches yet" actions={<button type="button" className="button button--primary" onClick={onNew}>New pitch</button>}>
            A pitch is the items and pages you want to show, in order, ready offline.
          </StateMessage>
        ) : null}
        {state.status === 'ready' && state.pitches.length > 0 ? (
          <ul className="pitch-cards">
            {state.pitches.map((pitch) => {
              const problems = state.problems[pitch.id] ?? null;
              return (
                <li key={pitch.id} className="pitch-card" data-testid="pitch-card" data-pitch-id={pitch.id} data-ready={pitch.ready ? 'true' : 'false'}>
                  <button type="button" className="pitch-card__main" onClick={() => onEdit(pitch.id)}>
                    <span className="pitch-card__name">{pitch.name}</span>
                    <span className="pitch-card__meta">
                      {stepCountLabel(pitch.stepCount)} · {formatUpdated(pitch.updatedAt)}
                    </span>
                  </button>
                  <span className={`readiness${pitch.ready ? ' readiness--ready' : ' readiness--attention'}`} data-testid="readiness">
                    {readinessLabel(pitch, problems)}
                  </span>
                  <div className="pitch-card__actions">
                    <button type="button" className="button button--primary" disabled={pitch.stepCount === 0} onClick={() => onPresent(pitch.id)}>
                      Present
                    </button>
                    <button type="button" className="button" onClick={() => onEdit(pitch.id)}>
                      Edit
                    </button>
                    <button type="button" className="button" onClick={() => duplicate(pitch.id)}>
                      Duplicate
                    </button>
                    {confirming === pitch.id ? (
                      <button type="button" className="button button--danger" onClick={() => remove(pitch.id)}>
                        Confirm delete
                      </button>
                    ) : (
                      <button type="button" className="button" onClick={() => setConfirming(pitch.id)}>
                        Delete
                      </button>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        ) : null}
      </div>
    </div>
  );
}
