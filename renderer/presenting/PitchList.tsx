/** The rep's pitches: readiness at a glance, present, edit, duplicate or delete. */
import { useState } from 'react';
import type { Pitch } from '#shared/presenting';
import { useAction } from '../data/useAction';
import { PlusIcon } from '../ui/icons';
import { StateMessage } from '../ui/StateMessage';
import { readinessLabel, stepCountLabel } from './pitch-text';
import { PresentingScreen } from './PresentingScreen';
import { usePitchShelf } from './queries';

export interface PitchListProps {
  onBack(): void;
  onNew(): void;
  onEdit(id: string): void;
  onPresent(id: string): void;
}

function formatUpdated(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : `Edited ${date.toLocaleDateString(undefined, { dateStyle: 'medium' })}`;
}

export function PitchList({ onBack, onNew, onEdit, onPresent }: PitchListProps) {
  const state = usePitchShelf();
  const [confirming, setConfirming] = useState<string | null>(null);
  // A failed duplicate or delete is said on screen; the list is read again either way, so it
  // shows what the device really holds.
  const duplicateAction = useAction(
    (client, id: string): Promise<Pitch> => client.duplicatePitch({ id }),
    'Not duplicated: ',
  );
  const deleteAction = useAction((client, id: string) => client.deletePitch({ id }), 'Not deleted: ');
  const problem = duplicateAction.error ?? deleteAction.error;

  const duplicate = (id: string) => {
    deleteAction.dismiss();
    void duplicateAction.run(id).then(state.refresh);
  };
  const remove = (id: string) => {
    setConfirming(null);
    duplicateAction.dismiss();
    void deleteAction.run(id).then(state.refresh);
  };

  return (
    <PresentingScreen
      label="Pitches"
      testId="pitch-list"
      backTestId="pitches-back"
      title="Pitches"
      subtitle="Build the running order the evening before; present it in the meeting."
      onBack={onBack}
      actions={
        <button type="button" className="button button--primary" onClick={onNew} data-testid="new-pitch">
          <PlusIcon size={18} /> New pitch
        </button>
      }
    >
      <div className="presenting-screen__content">
        {problem ? (
          <p className="wrap-up__status" role="alert" data-testid="pitch-action-error">
            {problem}
          </p>
        ) : null}
        {state.status === 'loading' ? <div className="skeleton skeleton--card" aria-label="Loading pitches" /> : null}
        {state.status === 'error' ? (
          <StateMessage tone="error" title="The pitches could not be loaded" onRetry={state.retry}>
            {state.error.message}
          </StateMessage>
        ) : null}
        {state.status === 'ready' && state.data.pitches.length === 0 ? (
          <StateMessage
            tone="empty"
            title="No pitches yet"
            actions={
              <button type="button" className="button button--primary" onClick={onNew}>
                New pitch
              </button>
            }
          >
            A pitch is the items and pages you want to show, in order, ready offline.
          </StateMessage>
        ) : null}
        {state.status === 'ready' && state.data.pitches.length > 0 ? (
          <ul className="pitch-cards">
            {state.data.pitches.map((pitch) => {
              const problems = state.data.problems[pitch.id] ?? null;
              return (
                <li
                  key={pitch.id}
                  className="pitch-card"
                  data-testid="pitch-card"
                  data-pitch-id={pitch.id}
                  data-ready={pitch.ready ? 'true' : 'false'}
                >
                  <button type="button" className="pitch-card__main" onClick={() => onEdit(pitch.id)}>
                    <span className="pitch-card__name">{pitch.name}</span>
                    <span className="pitch-card__meta">
                      {stepCountLabel(pitch.stepCount)} · {formatUpdated(pitch.updatedAt)}
                    </span>
                  </button>
                  <span
                    className={`readiness${pitch.ready ? ' readiness--ready' : ' readiness--attention'}`}
                    data-testid="readiness"
                  >
                    {readinessLabel(pitch, problems)}
                  </span>
                  <div className="pitch-card__actions">
                    <button
                      type="button"
                      className="button button--primary"
                      disabled={pitch.stepCount === 0}
                      onClick={() => onPresent(pitch.id)}
                    >
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
    </PresentingScreen>
  );
}
