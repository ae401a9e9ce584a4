/**
 * The meeting wrap-up, right after presenting or later from the list of meetings saved for
 * later: who it was with (typed, or picked from the CRM cache so the Task lands on that contact
 * and opportunity), how it went, and what was shown (times pre-filled). "Log meeting" sends it to
 * CRM; everything else keeps it on the device as a draft, saved as the rep types and when they
 * leave, so nothing typed is lost. The pen's ink of the meeting is kept with the draft (saved with
 * its first save, retried with the next one should that fail) and shown page by page. The
 * follow-up e-mail opens in the mail client or is queued to the CRM connector.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { CrmRecord } from '#shared/crm';
import type { ItemDetail } from '#shared/library';
import type { MeetingInput } from '#shared/presenting';
import { useClient } from '../data/ClientProvider';
import { useCrmSearch } from './queries';
import { describeError } from '../api/deadline';
import { CrmPicker } from './CrmPicker';
import type { Deck } from './deck';
import { newId } from './dwell';
import { problemText } from './pitch-text';
import { inkJournalClear, inkJournalWrite, journalClear, journalWrite } from './draft-journal';
import { orderInkPages, saveInkInParts, type InkPageView } from './meeting-ink';
import { MeetingInkPages } from './MeetingInkPages';
import { followUpDraft, formatDwell, mailtoHref, shownLabel, type ShownLine, type WrapUpFields } from './wrap-up';
import './wrap-up.css';

export interface WrapUpDraft {
  meetingId: string;
  pitchId: string | null;
  pitchName: string;
  startedAt: string;
  endedAt: string;
  lines: ShownLine[];
  fields: WrapUpFields;
}

export interface WrapUpProps {
  draft: WrapUpDraft;
  /** Straight from presenting: kept as a draft at once, so what was shown is never lost. */
  fresh?: boolean;
  skipped?: Deck['skipped'];
  /** The pen's ink of this meeting, page by page. */
  ink?: readonly InkPageView[];
  /** The inked pages' items, to show the pages under their ink. */
  inkItems?: ReadonlyMap<string, ItemDetail>;
  /** Straight from presenting: the ink is not in the core yet and is saved with the draft. */
  inkUnsaved?: boolean;
  /** Pages that held more ink than a page keeps: their newest strokes are kept. */
  inkTrimmed?: number;
  onClose(): void;
}

type InkSaved = { status: 'saving' } | { status: 'saved' } | { status: 'error'; message: string };

const noItems: ReadonlyMap<string, ItemDetail> = new Map();
const noInk: readonly InkPageView[] = [];

const outcomes = [
  'Trial agreed',
  'Proposal requested',
  'Follow-up meeting booked',
  'Needs more information',
  'No interest',
];

/** Typing pauses this long before the draft is saved. */
const AUTOSAVE_MS = 700;

type Saved =
  | { status: 'idle' }
  | { status: 'saving'; as: 'logged' | 'later' }
  | { status: 'saved'; as: 'logged' | 'later' }
  | { status: 'deleted' }
  | { status: 'error'; message: string };

type FollowUp =
  { status: 'idle' } | { status: 'queuing' } | { status: 'queued' } | { status: 'error'; message: string };

export function WrapUp({
  draft,
  fresh = false,
  skipped = [],
  ink = noInk,
  inkItems = noItems,
  inkUnsaved = false,
  inkTrimmed = 0,
  onClose,
}: WrapUpProps) {
  const client = useClient();
  const formId = useId();
  const [fields, setFields] = useState<WrapUpFields>(draft.fields);
  const [lines, setLines] = useState<ShownLine[]>(draft.lines);
  const [contactEmail, setContactEmail] = useState('');
  const [saved, setSaved] = useState<Saved>({ status: 'idle' });
  const [followUp, setFollowUp] = useState<FollowUp>({ status: 'idle' });
  const [shareNotRecorded, setShareNotRecorded] = useState<string | null>(null);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const followUpId = useMemo(() => newId(), []);
  const mail = useMemo(
    () => followUpDraft({ contact: fields.contact, account: fields.account, lines, email: contactEmail }),
    [fields.contact, fields.account, lines, contactEmail],
  );
  const locked =
    saved.status === 'deleted' ||
    (saved.status === 'saving' && saved.as === 'logged') ||
    (saved.status === 'saved' && saved.as === 'logged');

  // The latest state, for saves that run after a render (debounced, on leaving).
  const latest = useRef({ fields, lines });
  latest.current = { fields, lines };
  /** Logged or deleted: no draft may be written any more. */
  const final = useRef(false);
  const dirty = useRef(fresh);
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const timer = useRef<number | null>(null);
  /** The last write to the window's journal of this wrap-up (see draft-journal.ts). */
  const journalSeq = useRef(0);
  /** Ink drawn in this meeting that the core does not have yet. */
  const inkPending = useRef(inkUnsaved && ink.length > 0);
  const [inkSaved, setInkSaved] = useState<InkSaved>(inkPending.current ? { status: 'saving' } : { status: 'saved' });
  const inkPages = useMemo(() => orderInkPages(ink, draft.lines), [ink, draft.lines]);

  const meeting = useCallback(
    (status: 'later' | 'logged'): MeetingInput => {
      const { fields: f, lines: l } = latest.current;
      return {
        id: draft.meetingId,
        pitchId: draft.pitchId,
        startedAt: draft.startedAt,
        endedAt: draft.endedAt,
        status,
        account: f.account.trim(),
        accountId: f.accountId,
        contact: f.contact.trim(),
        contactId: f.contactId,
        opportunity: f.opportunity.trim(),
        opportunityId: f.opportunityId,
        outcome: f.outcome.trim(),
        notes: f.notes.trim(),
        shown: l.map(({ itemId, page, dwellMs }) => ({ itemId, page, dwellMs })),
      };
    },
    [draft],
  );

  /** Saves in order: a draft save never overtakes the logging that follows it. */
  const persist = useCallback(
    (status: 'later' | 'logged'): Promise<void> => {
      if (timer.current !== null) window.clearTimeout(timer.current);
      timer.current = null;
      if (final.current) return Promise.resolve();
      if (status === 'logged') final.current = true;
      dirty.current = false;
      const upTo = journalSeq.current;
      const run = chain.current.then(async () => {
        if (inkPending.current) {
          // The ink needs its meeting in the core, and a logged meeting takes no more ink: the
          // draft first, then the ink, then (when logging) the meeting as logged.
          setInkSaved({ status: 'saving' });
          try {
            await client.saveMeeting(meeting('later'));
            await saveInkInParts((arg) => client.saveMeetingInk(arg), draft.meetingId, ink);
          } catch (error) {
            setInkSaved({ status: 'error', message: describeError(error).message });
            throw error;
          }
          inkPending.current = false;
          inkJournalClear(draft.meetingId);
          setInkSaved({ status: 'saved' });
          if (status === 'later') return;
        }
        await client.saveMeeting(meeting(status));
      });
      chain.current = run.catch(() => {});
      return run.then(() => {
        // The core has it now: the window's own copy of what was typed can go.
        journalClear(draft.meetingId, status === 'logged' ? undefined : upTo);
      });
    },
    [meeting, draft, ink],
  );

  const saveDraft = useCallback(() => {
    setSaved({ status: 'saving', as: 'later' });
    persist('later').then(
      () => !final.current && setSaved({ status: 'saved', as: 'later' }),
      (error: unknown) => {
        dirty.current = true;
        setSaved({ status: 'error', message: describeError(error).message });
      },
    );
  }, [persist]);

  // A reopened draft linked to a CRM contact: the follow-up goes to their cached e-mail.
  const linked = draft.fields.contactId ? { id: draft.fields.contactId, name: draft.fields.contact } : null;
  const linkedContacts = useCrmSearch(linked ? { kind: 'contact', query: linked.name, limit: 50 } : null).data;
  // Only a new answer sets the address: typing afterwards is the rep's.
  useEffect(() => {
    if (!linked || !linkedContacts) return;
    // Not if the rep has meanwhile typed or picked someone else.
    if (latest.current.fields.contactId === linked.id)
      setContactEmail(linkedContacts.records.find((r) => r.id === linked.id)?.email ?? '');
  }, [linkedContacts]);

  // Every change is saved as a draft once typing pauses; a fresh meeting is saved at once.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      if (fresh) {
        journalSeq.current = journalWrite(meeting('later'));
        if (inkPending.current) inkJournalWrite(draft.meetingId, ink);
        saveDraft();
      }
      return;
    }
    if (final.current) return;
    dirty.current = true;
    // At once, synchronously: a window closed before the save below still keeps it.
    journalSeq.current = journalWrite(meeting('later'));
    if (timer.current !== null) window.clearTimeout(timer.current);
    timer.current = window.setTimeout(saveDraft, AUTOSAVE_MS);
  }, [fields, lines, fresh, saveDraft, meeting, draft, ink]);

  // Leaving by any way (Back, another route, closing the window) keeps what was typed.
  useEffect(() => {
    const flush = () => {
      if (dirty.current && !final.current) void persist('later').catch(() => {});
    };
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [persist]);

  const log = () => {
    if (locked) return;
    setSaved({ status: 'saving', as: 'logged' });
    persist('logged').then(
      () => setSaved({ status: 'saved', as: 'logged' }),
      (error: unknown) => {
        final.current = false;
        dirty.current = true;
        setSaved({ status: 'error', message: describeError(error).message });
      },
    );
  };

  const saveForLater = () => {
    if (locked) return;
    setSaved({ status: 'saving', as: 'later' });
    persist('later').then(onClose, (error: unknown) => {
      dirty.current = true;
      setSaved({ status: 'error', message: describeError(error).message });
    });
  };

  const discard = () => {
    final.current = true;
    if (timer.current !== null) window.clearTimeout(timer.current);
    const run = chain.current.then(() => client.deleteMeeting({ id: draft.meetingId }));
    chain.current = run.catch(() => {});
    run.then(
      () => {
        journalClear(draft.meetingId);
        inkJournalClear(draft.meetingId);
        setSaved({ status: 'deleted' });
        onClose();
      },
      (error: unknown) => {
        const { code, message } = describeError(error);
        // Never saved (deleted before its first save landed): nothing to delete.
        if (code === 'not-found') {
          journalClear(draft.meetingId);
          inkJournalClear(draft.meetingId);
          setSaved({ status: 'deleted' });
          onClose();
          return;
        }
        final.current = false;
        setSaved({ status: 'error', message });
      },
    );
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    log();
  };

  const update = (change: Partial<WrapUpFields>) => setFields((f) => ({ ...f, ...change }));
  const pickAccount = (r: CrmRecord) => update({ account: r.name, accountId: r.id });
  // A contact or opportunity brings its account along when none was chosen yet.
  const withAccount = (f: WrapUpFields, r: CrmRecord): Partial<WrapUpFields> =>
    r.accountName && !f.accountId && (f.account.trim() === '' || f.account.trim() === r.accountName)
      ? { account: r.accountName, accountId: r.accountId }
      : {};
  const pickContact = (r: CrmRecord) => {
    setContactEmail(r.email);
    setFields((f) => ({ ...f, ...withAccount(f, r), contact: r.name, contactId: r.id }));
  };
  const pickOpportunity = (r: CrmRecord) =>
    setFields((f) => ({ ...f, ...withAccount(f, r), opportunity: r.name, opportunityId: r.id }));

  // The e-mail opens either way; a share that could not be recorded is said, not hidden.
  const recordShared = () => {
    setShareNotRecorded(null);
    client
      .recordActivity({
        events: [
          {
            id: newId(),
            type: 'followup.shared',
            at: new Date().toISOString(),
            ...(draft.pitchId ? { pitchId: draft.pitchId } : {}),
            meetingId: draft.meetingId,
          },
        ],
      })
      .catch((error: unknown) => setShareNotRecorded(describeError(error).message));
  };

  const queueFollowUp = () => {
    setFollowUp({ status: 'queuing' });
    client
      .queueFollowUp({
        id: followUpId,
        meetingId: draft.meetingId,
        pitchId: draft.pitchId,
        to: mail.to,
        subject: mail.subject,
        body: mail.body,
        accountId: fields.accountId,
        contactId: fields.contactId,
        opportunityId: fields.opportunityId,
      })
      .then(
        () => setFollowUp({ status: 'queued' }),
        (error: unknown) => setFollowUp({ status: 'error', message: describeError(error).message }),
      );
  };

  const savedAs = saved.status === 'saved' ? saved.as : '';
  return (
    <div
      className="presenting-screen wrap-up"
      role="dialog"
      aria-modal="true"
      aria-labelledby={`${formId}-title`}
      data-testid="wrap-up"
      data-meeting-id={draft.meetingId}
      data-saved={savedAs}
    >
      <header className="presenting-screen__bar">
        <div className="presenting-screen__heading">
          <h1 id={`${formId}-title`}>Wrap up the meeting</h1>
          <p>
            {draft.pitchName} · {formatDwell(Date.parse(draft.endedAt) - Date.parse(draft.startedAt))}
          </p>
        </div>
        <button type="button" className="button" onClick={onClose} data-testid="wrap-up-close">
          {savedAs === 'logged' ? 'Done' : 'Close'}
        </button>
      </header>
      <div className="presenting-screen__content wrap-up__content">
        <form id={formId} className="wrap-up__form" onSubmit={onSubmit}>
          <fieldset disabled={locked} className="wrap-up__fields">
            <CrmPicker
              label="Account"
              kind="account"
              value={fields.account}
              pickedId={fields.accountId}
              accountId={null}
              disabled={locked}
              autoFocus
              onType={(account) => update({ account, accountId: null })}
              onPick={pickAccount}
            />
            <CrmPicker
              label="Contact"
              kind="contact"
              value={fields.contact}
              pickedId={fields.contactId}
              accountId={fields.accountId}
              disabled={locked}
              placeholder="Name or e-mail"
              onType={(contact) => {
                setContactEmail('');
                update({ contact, contactId: null });
              }}
              onPick={pickContact}
            />
            <CrmPicker
              label="Opportunity"
              kind="opportunity"
              value={fields.opportunity}
              pickedId={fields.opportunityId}
              accountId={fields.accountId}
              disabled={locked}
              onType={(opportunity) => update({ opportunity, opportunityId: null })}
              onPick={pickOpportunity}
            />
            <label className="field">
              <span className="field__label">Outcome</span>
              <input
                className="field__input"
                value={fields.outcome}
                onChange={(e) => update({ outcome: e.target.value })}
                list={`${formId}-outcomes`}
                autoComplete="off"
              />
              <datalist id={`${formId}-outcomes`}>
                {outcomes.map((o) => (
                  <option key={o} value={o} />
                ))}
              </datalist>
            </label>
            {/* The label beside, not around, the textarea: a reopened draft's text is not part of its name. */}
            <div className="field field--wide">
              <label className="field__label" htmlFor={`${formId}-notes`}>
                Notes
              </label>
              <textarea
                id={`${formId}-notes`}
                className="field__input field__input--area"
                value={fields.notes}
                onChange={(e) => update({ notes: e.target.value })}
                rows={4}
              />
            </div>
          </fieldset>
        </form>
        <section className="wrap-up__shown" aria-labelledby={`${formId}-shown`}>
          <h2 id={`${formId}-shown`}>Shown in this meeting</h2>
          {lines.length === 0 ? <p className="muted">Nothing was on screen for two seconds or more.</p> : null}
          <ul className="shown-list" data-testid="shown-list">
            {lines.map((line, index) => (
              <li
                key={`${line.itemId}#${line.page ?? ''}`}
                className="shown-list__row"
                data-testid="shown-row"
                data-item-id={line.itemId}
                data-page={line.page ?? ''}
                data-dwell-ms={line.dwellMs}
              >
                <span className="shown-list__title">{shownLabel(line)}</span>
                <span className="shown-list__time">{formatDwell(line.dwellMs)}</span>
                <button
                  type="button"
                  className="link-button"
                  disabled={locked}
                  aria-label={`Remove ${shownLabel(line)} from the record`}
                  onClick={() => setLines((all) => all.filter((_, i) => i !== index))}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
          {skipped.length > 0 ? (
            <p className="muted">
              Not shown: {skipped.map((s) => `${s.title} (${problemText(s.problem)})`).join('; ')}.
            </p>
          ) : null}
          {inkPages.length > 0 ? (
            <div
              className="wrap-up__ink"
              data-testid="wrap-up-ink"
              data-pages={inkPages.length}
              data-ink-saved={inkSaved.status}
            >
              <h3>Ink on {inkPages.length === 1 ? '1 page' : `${inkPages.length} pages`}</h3>
              <MeetingInkPages pages={inkPages} items={inkItems} />
              <p className="muted" role="status" data-testid="wrap-up-ink-status">
                {inkSaved.status === 'saving' ? 'Keeping the ink with this meeting…' : null}
                {inkSaved.status === 'saved'
                  ? 'Kept with this meeting on this device; never sent to CRM or written into the collateral.'
                  : null}
                {inkSaved.status === 'error'
                  ? `Ink not saved yet: ${inkSaved.message}. It stays here and is saved with the next save.`
                  : null}
                {inkTrimmed > 0
                  ? ` ${inkTrimmed === 1 ? 'One page' : `${inkTrimmed} pages`} held more ink than a page keeps: the newest strokes are kept.`
                  : null}
              </p>
            </div>
          ) : null}
          <div className="wrap-up__follow-up">
            <a
              className="button follow-up-link"
              href={mailtoHref(mail)}
              data-testid="follow-up-mail"
              onClick={recordShared}
            >
              Follow-up e-mail…
            </a>
            <button
              type="button"
              className="button"
              data-testid="follow-up-queue"
              disabled={followUp.status === 'queuing' || followUp.status === 'queued'}
              onClick={queueFollowUp}
            >
              {followUp.status === 'queued' ? 'Follow-up queued' : 'Queue follow-up to CRM'}
            </button>
          </div>
          <p className="muted" role="status" data-testid="follow-up-status">
            {followUp.status === 'queued' ? 'The follow-up goes to CRM with the next upload.' : null}
            {followUp.status === 'error' ? `Not queued: ${followUp.message}` : null}
            {shareNotRecorded ? ` The shared e-mail was not recorded: ${shareNotRecorded}` : null}
          </p>
        </section>
      </div>
      <footer className="presenting-screen__footer">
        <p className="wrap-up__status" role="status" data-testid="wrap-up-status">
          {saved.status === 'saving' ? 'Saving…' : null}
          {savedAs === 'logged' ? 'Meeting logged. It goes to CRM with the next upload.' : null}
          {savedAs === 'later' ? 'Draft saved on this device. Log it when you know who it was with.' : null}
          {saved.status === 'error' ? `Not saved: ${saved.message}` : null}
        </p>
        {savedAs !== 'logged' ? (
          confirmDiscard ? (
            <button type="button" className="button button--danger" onClick={discard} data-testid="discard-confirm">
              Delete this draft
            </button>
          ) : (
            <button
              type="button"
              className="button"
              disabled={locked}
              onClick={() => setConfirmDiscard(true)}
              data-testid="discard"
            >
              Discard…
            </button>
          )
        ) : null}
        <button type="button" className="button" disabled={locked} onClick={saveForLater} data-testid="save-later">
          Save for later
        </button>
        <button
          type="submit"
          form={formId}
          className="button button--primary"
          disabled={locked}
          data-testid="log-meeting"
        >
          Log meeting
        </button>
      </footer>
    </div>
  );
}
