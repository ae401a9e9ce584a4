/**
 * The pitch builder: a name, the steps in order (whole items or chosen pages, each with a note),
 * reordered by dragging the handle (pointer events: finger, pen or mouse) or with the move
 * buttons; the library on the side to add from, with a document's page thumbnails.
 */
import {
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent as ReactPointerEvent,
} from 'react';
import type { ItemSummary } from '#shared/library';
import type { Pitch, PitchStep } from '#shared/presenting';
import { describeError } from '../api/deadline';
import { useClient } from '../data/ClientProvider';
import { BackIcon } from '../ui/icons';
import { StateMessage } from '../ui/StateMessage';
import { problemText, readinessLabel, stepLabel } from './pitch-text';
import { usePitch } from './queries';
import { dropIndex, moveItem } from './reorder';
import { LibraryPicker } from './LibraryPicker';

export interface PitchBuilderProps {
  /** null: a new pitch. */
  pitchId: string | null;
  onBack(): void;
  onSaved(pitch: Pitch): void;
  onOpen(id: string): void;
  onPresent(id: string): void;
}

interface DraftStep extends PitchStep {
  /** Stable key for React and dragging; steps may repeat an item and page. */
  key: string;
}

let keys = 0;
const withKey = (step: PitchStep): DraftStep => ({ ...step, key: `s${++keys}` });

export function PitchBuilder({ pitchId, onBack, onSaved, onOpen, onPresent }: PitchBuilderProps) {
  const client = useClient();
  const stored = usePitch(pitchId);
  const [name, setName] = useState('');
  const [steps, setSteps] = useState<DraftStep[]>([]);
  const [saved, setSaved] = useState<Pitch | null>(null);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const adopt = useCallback((pitch: Pitch) => {
    setSaved(pitch);
    setName(pitch.name);
    setSteps(pitch.steps.map(withKey));
    setDirty(false);
  }, []);

  // The stored pitch becomes the draft once, when it arrives; edits after that are the rep's.
  const storedPitch = stored.data;
  useEffect(() => {
    if (storedPitch) adopt(storedPitch);
  }, [storedPitch, adopt]);
  // A new pitch has nothing to load; a stored one shows its skeleton until it is the draft.
  const loaded = pitchId === null || saved ? 'ready' : stored.status;

  const change = (next: DraftStep[]) => {
    setSteps(next);
    setDirty(true);
  };

  const addStep = (item: ItemSummary, page: number | null) => {
    change([...steps, withKey({ itemId: item.id, page, note: '', title: item.title, kind: item.kind, problem: null })]);
  };

  const save = async (): Promise<Pitch | null> => {
    const trimmed = name.trim() || 'Untitled pitch';
    setBusy(true);
    setMessage(null);
    try {
      const pitch = await client.savePitch({
        ...(saved ? { id: saved.id } : {}),
        name: trimmed,
        steps: steps.map(({ itemId, page, note }) => ({ itemId, page, note })),
      });
      adopt(pitch);
      setMessage('Saved');
      onSaved(pitch);
      return pitch;
    } catch (error) {
      setMessage(`Not saved: ${describeError(error).message}`);
      return null;
    } finally {
      setBusy(false);
    }
  };

  const present = async () => {
    const pitch = dirty || !saved ? await save() : saved;
    if (pitch) onPresent(pitch.id);
  };

  const duplicate = async () => {
    if (!saved) return;
    setMessage(null);
    try {
      const copy = await client.duplicatePitch({ id: saved.id });
      onOpen(copy.id);
    } catch (error) {
      setMessage(`Not duplicated: ${describeError(error).message}`);
    }
  };

  // A pitch that could not be deleted stays open, with the reason, instead of vanishing from view.
  const remove = async () => {
    if (!saved) return onBack();
    setConfirmDelete(false);
    setMessage(null);
    try {
      await client.deletePitch({ id: saved.id });
      onBack();
    } catch (error) {
      setMessage(`Not deleted: ${describeError(error).message}`);
    }
  };

  const problems = steps.filter((s) => s.problem).length;
  const readiness =
    saved && !dirty ? readinessLabel({ ready: saved.ready, stepCount: saved.steps.length }, problems) : 'Not saved yet';

  return (
    <div
      className="presenting-screen"
      role="dialog"
      aria-modal="true"
      aria-label="Pitch builder"
      data-testid="pitch-builder"
      data-pitch-id={saved?.id ?? ''}
      data-dirty={dirty ? 'true' : 'false'}
      data-step-count={steps.length}
    >
      <header className="presenting-screen__bar">
        {/* The screen's heading, where the focus lands on arrival; the name field says the rest. */}
        <h1 className="visually-hidden">{saved ? 'Edit pitch' : 'New pitch'}</h1>
        <button
          type="button"
          className="icon-button"
          aria-label="Back to pitches"
          onClick={onBack}
          data-testid="builder-back"
        >
          <BackIcon />
          <span className="icon-button__label">Pitches</span>
        </button>
        <label className="pitch-name">
          <span className="visually-hidden">Pitch name</span>
          <input
            className="pitch-name__input"
            data-testid="pitch-name"
            value={name}
            placeholder="Name this pitch"
            onChange={(e) => {
              setName(e.target.value);
              setDirty(true);
            }}
          />
        </label>
        <div className="presenting-screen__tools">
          <span
            className={`readiness${saved?.ready && !dirty ? ' readiness--ready' : problems ? ' readiness--attention' : ''}`}
            data-testid="builder-readiness"
          >
            {readiness}
          </span>
          {saved ? (
            <button type="button" className="button" onClick={duplicate} disabled={busy}>
              Duplicate
            </button>
          ) : null}
          {confirmDelete ? (
            <button type="button" className="button button--danger" onClick={remove}>
              Confirm delete
            </button>
          ) : (
            <button type="button" className="button" onClick={() => setConfirmDelete(true)}>
              Delete
            </button>
          )}
          <button type="button" className="button" onClick={() => void save()} disabled={busy} data-testid="save-pitch">
            Save
          </button>
          <button
            type="button"
            className="button button--primary"
            onClick={() => void present()}
            disabled={busy || steps.length === 0}
            data-testid="present-pitch"
          >
            Present
          </button>
        </div>
      </header>
      {message ? (
        <p className="builder__message" role="status" data-testid="builder-message">
          {message}
        </p>
      ) : null}
      {loaded === 'error' ? (
        <div className="presenting-screen__content">
          <StateMessage
            tone="error"
            title="This pitch could not be opened"
            onRetry={stored.retry}
            actions={
              <button type="button" className="button" onClick={onBack}>
                Back to pitches
              </button>
            }
          >
            {stored.error?.message}
          </StateMessage>
        </div>
      ) : (
        <div className="builder">
          <section className="builder__steps" aria-label="Steps">
            {loaded === 'loading' ? <div className="skeleton skeleton--card" /> : null}
            {loaded === 'ready' && steps.length === 0 ? (
              <StateMessage tone="empty" title="No steps yet">
                Add whole items or chosen pages from the library on the right.
              </StateMessage>
            ) : null}
            <StepList steps={steps} onChange={change} />
          </section>
          <LibraryPicker steps={steps} onAdd={addStep} />
        </div>
      )}
    </div>
  );
}

interface DragState {
  key: string;
  from: number;
  pointerId: number;
  startY: number;
  offset: number;
  to: number;
}

function StepList({ steps, onChange }: { steps: DraftStep[]; onChange(next: DraftStep[]): void }) {
  const listRef = useRef<HTMLOListElement>(null);
  const listId = useId();
  const [drag, setDrag] = useState<DragState | null>(null);
  const rects = useRef<{ top: number; height: number }[]>([]);
  // The handle picked up with the keyboard (Space), and where its step started, for Escape.
  const [grabbed, setGrabbed] = useState<{ key: string; from: number } | null>(null);
  const [announcement, setAnnouncement] = useState('');
  // After a move the row is drawn anew at its new place: the focus follows the control used.
  const refocus = useRef<{ key: string; control: 'step-up' | 'step-down' | 'step-drag' } | null>(null);
  useLayoutEffect(() => {
    const wanted = refocus.current;
    if (!wanted) return;
    refocus.current = null;
    const row = listRef.current?.querySelector<HTMLElement>(`[data-step-key="${CSS.escape(wanted.key)}"]`);
    const control = row?.querySelector<HTMLButtonElement>(`[data-testid="${wanted.control}"]`);
    // At the top or bottom that button is now disabled: the other move button takes the focus.
    const other = row?.querySelector<HTMLButtonElement>(
      `[data-testid="${wanted.control === 'step-up' ? 'step-down' : 'step-up'}"]`,
    );
    const target =
      control && !control.disabled
        ? control
        : other && !other.disabled
          ? other
          : row?.querySelector<HTMLButtonElement>('[data-testid="step-drag"]');
    target?.focus();
  }, [steps]);

  const move = (index: number, to: number, control: 'step-up' | 'step-down' | 'step-drag') => {
    const step = steps[index];
    if (!step || to < 0 || to >= steps.length || to === index) return;
    refocus.current = { key: step.key, control };
    onChange(moveItem(steps, index, to));
    setAnnouncement(`${step.title ?? step.itemId} is now step ${to + 1} of ${steps.length}.`);
  };

  const onHandleKey = (event: KeyboardEvent<HTMLButtonElement>, index: number, step: DraftStep) => {
    const name = step.title ?? step.itemId;
    if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      if (grabbed?.key === step.key) {
        setGrabbed(null);
        setAnnouncement(`${name} dropped at step ${index + 1} of ${steps.length}.`);
      } else {
        setGrabbed({ key: step.key, from: index });
        setAnnouncement(
          `${name} picked up at step ${index + 1}. Arrow keys move it, Space drops it, Escape puts it back.`,
        );
      }
      return;
    }
    if (grabbed?.key !== step.key) return;
    if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      event.preventDefault();
      move(index, event.key === 'ArrowUp' ? index - 1 : index + 1, 'step-drag');
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      setGrabbed(null);
      if (grabbed.from !== index) {
        refocus.current = { key: step.key, control: 'step-drag' };
        onChange(moveItem(steps, index, grabbed.from));
      }
      setAnnouncement(`${name} put back at step ${grabbed.from + 1}.`);
    }
  };

  const onHandleDown = (event: ReactPointerEvent<HTMLButtonElement>, index: number, key: string) => {
    if (!event.isPrimary || event.button !== 0) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    rects.current = Array.from(listRef.current?.children ?? []).map((row) => {
      const rect = row.getBoundingClientRect();
      return { top: rect.top, height: rect.height };
    });
    setDrag({ key, from: index, pointerId: event.pointerId, startY: event.clientY, offset: 0, to: index });
  };
  const onHandleMove = (event: ReactPointerEvent<HTMLButtonElement>) => {
    if (!drag || event.pointerId !== drag.pointerId) return;
    const offset = event.clientY - drag.startY;
    const row = rects.current[drag.from];
    const centre = row ? row.top + row.height / 2 + offset : event.clientY;
    setDrag({ ...drag, offset, to: dropIndex(rects.current, drag.from, centre) });
  };
  const onHandleUp = (event: ReactPointerEvent<HTMLButtonElement>) => {
    if (!drag || event.pointerId !== drag.pointerId) return;
    setDrag(null);
    if (drag.to !== drag.from) onChange(moveItem(steps, drag.from, drag.to));
  };

  /** How far a row moves aside while another is dragged past it. */
  const shiftFor = (index: number): number => {
    if (!drag || index === drag.from) return 0;
    const height = rects.current[drag.from]?.height ?? 0;
    if (drag.from < index && index <= drag.to) return -height - 8;
    if (drag.to <= index && index < drag.from) return height + 8;
    return 0;
  };

  const update = (index: number, patch: Partial<DraftStep>) =>
    onChange(steps.map((s, i) => (i === index ? { ...s, ...patch } : s)));

  return (
    <>
      <p className="visually-hidden" role="status" aria-live="polite" data-testid="step-announcement">
        {announcement}
      </p>
      <ol className="step-list" ref={listRef} data-testid="step-list" data-dragging={drag ? 'true' : 'false'}>
        {steps.map((step, index) => {
          const dragging = drag?.key === step.key;
          const label = `${step.title ?? step.itemId}, ${stepLabel(step).toLowerCase()}`;
          return (
            <li
              key={step.key}
              className={`step-row${dragging ? ' is-dragging' : ''}${step.problem ? ' has-problem' : ''}`}
              style={{ transform: `translateY(${dragging ? drag.offset : shiftFor(index)}px)` }}
              data-testid="step-row"
              data-step-key={step.key}
              data-item-id={step.itemId}
              data-page={step.page ?? ''}
              data-problem={step.problem ?? ''}
            >
              <button
                type="button"
                className="step-row__handle"
                aria-label={`Drag to reorder ${label}`}
                aria-pressed={grabbed?.key === step.key}
                aria-describedby={`${listId}-drag-help`}
                data-testid="step-drag"
                onKeyDown={(e) => onHandleKey(e, index, step)}
                onBlur={() => (grabbed?.key === step.key && refocus.current === null ? setGrabbed(null) : undefined)}
                onPointerDown={(e) => onHandleDown(e, index, step.key)}
                onPointerMove={onHandleMove}
                onPointerUp={onHandleUp}
                onPointerCancel={() => setDrag(null)}
              >
                <span aria-hidden="true">⋮⋮</span>
              </button>
              <span className="step-row__number">{index + 1}</span>
              <div className="step-row__body">
                <div className="step-row__title">
                  <strong>{step.title ?? step.itemId}</strong> <span className="muted">{stepLabel(step)}</span>
                </div>
                {step.problem ? (
                  <p className="step-row__problem" data-testid="step-problem">
                    Cannot be shown: {problemText(step.problem)}.
                  </p>
                ) : null}
                <label className="step-row__note">
                  <span className="visually-hidden">Note for step {index + 1}</span>
                  <input
                    className="field__input"
                    data-testid="step-note"
                    placeholder="Note (only you see it)"
                    value={step.note}
                    onChange={(e) => update(index, { note: e.target.value })}
                    maxLength={2000}
                  />
                </label>
              </div>
              <div className="step-row__actions">
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Move ${label} up`}
                  data-testid="step-up"
                  disabled={index === 0}
                  onClick={() => move(index, index - 1, 'step-up')}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Move ${label} down`}
                  data-testid="step-down"
                  disabled={index === steps.length - 1}
                  onClick={() => move(index, index + 1, 'step-down')}
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Remove ${label}`}
                  data-testid="step-remove"
                  onClick={() => onChange(steps.filter((_, i) => i !== index))}
                >
                  ✕
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      <p className="visually-hidden" id={`${listId}-drag-help`}>
        Space picks the step up; the arrow keys move it; Space drops it; Escape puts it back.
      </p>
    </>
  );
}
