/**
 * What a rep does with the page in front of them, outside any meeting: add it to a pitch (one
 * kept on the device, or a new one) and share it by e-mail as a queued follow-up. Both are
 * written on the device first, so they work offline; the share goes out with the next upload.
 */
import { createContext, useContext, useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { EMAIL_ADDRESS, type Pitch } from '#shared/presenting';
import { useAction } from '../data/useAction';
import { useQuery } from '../data/useQuery';
import { newId } from '../presenting/dwell';
import { presentingQueries } from '../presenting/queries';
import { CloseIcon, PlusIcon } from '../ui/icons';

/** The page the viewer shows: a document's page, or null for an image, a video or a microsite. */
export interface PageTarget {
  itemId: string;
  title: string;
  page: number | null;
}

/** Provided by the rep's viewer only; the kiosk's viewer has no pitches and shares nothing. */
export const PageTargetContext = createContext<PageTarget | null>(null);

type Open = 'none' | 'pitch' | 'share';

/** "AquaCore brochure, page 3" or "Installation photo". */
export function pageLabel(target: PageTarget): string {
  return target.page !== null ? `${target.title}, page ${target.page}` : target.title;
}

/** The two buttons of the viewer's bar and the sheet each opens; nothing without a target. */
export function PageActions() {
  const target = useContext(PageTargetContext);
  const [open, setOpen] = useState<Open>('none');
  const opener = useRef<HTMLButtonElement | null>(null);
  if (!target) return null;
  const show = (which: Open) => (event: { currentTarget: HTMLButtonElement }) => {
    opener.current = event.currentTarget;
    setOpen(which);
  };
  const close = () => {
    setOpen('none');
    // Back where the rep was, for keyboard and screen-reader users.
    opener.current?.focus();
  };
  return (
    <>
      <button
        type="button"
        className="icon-button icon-button--on-dark"
        data-testid="add-to-pitch"
        aria-label="Add to pitch"
        aria-haspopup="dialog"
        onClick={show('pitch')}
      >
        <PlusIcon />
        <span className="icon-button__label">Add to pitch</span>
      </button>
      <button
        type="button"
        className="icon-button icon-button--on-dark"
        data-testid="share-page"
        aria-label="Share"
        aria-haspopup="dialog"
        onClick={show('share')}
      >
        <ShareIcon />
        <span className="icon-button__label">Share</span>
      </button>
      {open === 'pitch' ? <AddToPitchSheet target={target} onClose={close} /> : null}
      {open === 'share' ? <ShareSheet target={target} onClose={close} /> : null}
    </>
  );
}

function ShareIcon() {
  return (
    <svg
      width={22}
      height={22}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      aria-hidden="true"
    >
      <path d="M4 12v7a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-7" strokeLinecap="round" strokeLinejoin="round" />
      <path d="M12 3v12M7 8l5-5 5 5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

/** A sheet over the viewer: focus goes in, Escape and the close button leave, nothing behind is lost. */
function Sheet(props: { title: string; testId: string; onClose(): void; children: ReactNode }) {
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('input, textarea, button:not([data-close])')?.focus();
  }, []);
  // Escape closes the sheet, not the viewer under it, wherever the focus is (after a success the
  // form's button is gone): caught on the way down, before the viewer's own listener.
  const { onClose } = props;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      event.stopPropagation();
      onClose();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onClose]);
  return (
    <div
      className="page-sheet__backdrop"
      onPointerDown={(event) => event.target === event.currentTarget && props.onClose()}
    >
      <div
        ref={ref}
        className="page-sheet"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        data-testid={props.testId}
        // Keys typed here never turn the pages behind.
        onKeyDown={(event) => event.stopPropagation()}
      >
        <div className="page-sheet__bar">
          <h2 id={`${id}-title`} className="page-sheet__title">
            {props.title}
          </h2>
          <button
            type="button"
            className="icon-button"
            aria-label="Close"
            data-close
            data-testid="page-sheet-close"
            onClick={props.onClose}
          >
            <CloseIcon size={20} />
          </button>
        </div>
        {props.children}
      </div>
    </div>
  );
}

const NEW_PITCH = '';

export function AddToPitchSheet({ target, onClose }: { target: PageTarget; onClose(): void }) {
  const id = useId();
  const shelf = useQuery(presentingQueries.shelf());
  const pitches = shelf.data?.pitches ?? [];
  const [chosen, setChosen] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [note, setNote] = useState('');
  const [added, setAdded] = useState<Pitch | null>(null);
  const add = useAction(
    (client, arg: { pitchId: string | null }) =>
      client.addToPitch({
        ...(arg.pitchId ? { pitchId: arg.pitchId } : { name: name.trim() || `${target.title} pitch` }),
        itemId: target.itemId,
        page: target.page,
        note,
      }),
    'Not added: ',
  );
  // The most recent pitch is the likeliest target; with none kept yet (or not read yet), a new
  // one. Once the rep has chosen (tapped a choice, even the one already on, or named the new
  // pitch), the pitches arriving change nothing: the page went to a kept pitch when the list
  // arrived between naming a new one and the tap on "Create pitch and add".
  const pick = chosen ?? pitches[0]?.id ?? NEW_PITCH;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const pitch = await add.run({ pitchId: pick === NEW_PITCH ? null : pick });
    if (pitch) setAdded(pitch);
  };

  return (
    <Sheet title="Add to a pitch" testId="add-to-pitch-sheet" onClose={onClose}>
      {added ? (
        <div className="page-sheet__done">
          <p role="status" data-testid="add-to-pitch-status">
            Added {pageLabel(target)} to “{added.name}” as step {added.steps.length}.
          </p>
          <button type="button" className="button button--secondary" autoFocus onClick={onClose}>
            Done
          </button>
        </div>
      ) : (
        <form className="page-sheet__form" onSubmit={submit} noValidate>
          <p className="page-sheet__what">{pageLabel(target)}</p>
          <fieldset className="page-sheet__choices">
            <legend>Pitch</legend>
            {shelf.status === 'loading' ? <p role="status">Loading pitches…</p> : null}
            {shelf.status === 'error' ? (
              <p role="alert" className="page-sheet__error">
                The pitches could not be read: {shelf.error.message}. A new pitch can still be made.
              </p>
            ) : null}
            <div className="page-sheet__list">
              {pitches.map((pitch) => (
                <label key={pitch.id} className="page-sheet__choice" data-testid="add-to-pitch-choice">
                  <input
                    type="radio"
                    name={`${id}-pitch`}
                    value={pitch.id}
                    checked={pick === pitch.id}
                    onChange={() => setChosen(pitch.id)}
                    onClick={() => setChosen(pitch.id)}
                  />
                  <span className="page-sheet__choice-name">{pitch.name}</span>
                  <span className="page-sheet__choice-meta">
                    {pitch.stepCount === 1 ? '1 step' : `${pitch.stepCount} steps`}
                  </span>
                </label>
              ))}
              <label className="page-sheet__choice" data-testid="add-to-pitch-new">
                <input
                  type="radio"
                  name={`${id}-pitch`}
                  value={NEW_PITCH}
                  checked={pick === NEW_PITCH}
                  onChange={() => setChosen(NEW_PITCH)}
                  onClick={() => setChosen(NEW_PITCH)}
                />
                <span className="page-sheet__choice-name">New pitch</span>
              </label>
            </div>
            {pick === NEW_PITCH ? (
              <label className="page-sheet__field">
                <span>Name of the new pitch</span>
                <input
                  data-testid="add-to-pitch-name"
                  value={name}
                  maxLength={200}
                  placeholder={`${target.title} pitch`}
                  onChange={(event) => {
                    setName(event.target.value);
                    setChosen(NEW_PITCH);
                  }}
                />
              </label>
            ) : null}
          </fieldset>
          <NoteField
            label="Note for this step (optional)"
            testId="add-to-pitch-note"
            rows={2}
            value={note}
            onChange={setNote}
          />
          <SheetSubmit error={add.error} testId="add-to-pitch" pending={add.pending}>
            {add.pending ? 'Adding…' : pick === NEW_PITCH ? 'Create pitch and add' : 'Add'}
          </SheetSubmit>
        </form>
      )}
    </Sheet>
  );
}

/** Client-generated: the same share sent twice (a double tap, a retry) is queued once. */
function newShareId(): string {
  return `share-${newId()}`.slice(0, 64);
}

export function ShareSheet({ target, onClose }: { target: PageTarget; onClose(): void }) {
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [shareId] = useState(newShareId);
  const [queued, setQueued] = useState<{ offline: boolean } | null>(null);
  const share = useAction(
    (client, _: void) =>
      client.shareItem({ id: shareId, itemId: target.itemId, page: target.page, to: to.trim(), note }),
    'Not queued: ',
  );
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!EMAIL_ADDRESS.test(to.trim())) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    const answer = await share.run();
    if (answer) setQueued({ offline: !navigator.onLine });
  };

  return (
    <Sheet title="Share by e-mail" testId="share-sheet" onClose={onClose}>
      {queued ? (
        <div className="page-sheet__done">
          <p role="status" data-testid="share-status">
            {queued.offline
              ? `Queued for ${to.trim()}. This device is offline: it goes out with the next upload once a network is back.`
              : `Queued for ${to.trim()}. It goes out with the next upload.`}
          </p>
          <button type="button" className="button button--secondary" autoFocus onClick={onClose}>
            Done
          </button>
        </div>
      ) : (
        <form className="page-sheet__form" onSubmit={submit} noValidate>
          <p className="page-sheet__what">{pageLabel(target)}</p>
          <label className="page-sheet__field">
            <span>Recipient’s e-mail</span>
            <input
              type="email"
              inputMode="email"
              autoComplete="email"
              data-testid="share-to"
              value={to}
              maxLength={254}
              aria-invalid={invalid || undefined}
              aria-describedby={invalid ? 'share-to-error' : undefined}
              onChange={(event) => setTo(event.target.value)}
            />
          </label>
          {invalid ? (
            <p id="share-to-error" className="page-sheet__error" data-testid="share-to-error">
              Enter an e-mail address like name@company.com
            </p>
          ) : null}
          <NoteField label="Note (optional)" testId="share-note" rows={3} value={note} onChange={setNote} />
          <SheetSubmit error={share.error} testId="share" pending={share.pending}>
            {share.pending ? 'Queuing…' : 'Queue e-mail'}
          </SheetSubmit>
        </form>
      )}
    </Sheet>
  );
}

function NoteField(props: {
  label: string;
  testId: string;
  rows: number;
  value: string;
  onChange(note: string): void;
}) {
  return (
    <label className="page-sheet__field">
      <span>{props.label}</span>
      <textarea
        data-testid={props.testId}
        rows={props.rows}
        maxLength={4000}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
      />
    </label>
  );
}

/** A sheet's last line: why the last try failed, if it did, and the button that sends the form. */
function SheetSubmit(props: { error: string | null; testId: string; pending: boolean; children: ReactNode }) {
  return (
    <>
      {props.error ? (
        <p role="alert" className="page-sheet__error" data-testid={`${props.testId}-error`}>
          {props.error}
        </p>
      ) : null}
      <div className="page-sheet__actions">
        <button
          type="submit"
          className="button button--primary"
          data-testid={`${props.testId}-confirm`}
          disabled={props.pending}
        >
          {props.children}
        </button>
      </div>
    </>
  );
}
