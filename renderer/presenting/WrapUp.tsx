/**
 * The meeting wrap-up after presenting: who it was with, how it went, and what was shown (with
 * the times pre-filled from the presentation). "Log meeting" sends it to CRM as a Task; "Save
 * for later" keeps it on the device. A follow-up e-mail draft opens in the mail client.
 */
import { useId, useMemo, useState, type FormEvent } from 'react';
import type { ItemDetail } from '#shared/library';
import type { Pitch } from '#shared/presenting';
import { client } from '../api/client';
import { describeError } from '../api/deadline';
import type { Deck } from './deck';
import { newId } from './dwell';
import type { PresentationResult } from './Presenter';
import { problemText } from './pitch-text';
import { followUpDraft, formatDwell, mailtoHref, shownLabel, type ShownLine } from './wrap-up';

export interface WrapUpProps {
  pitch: Pitch;
  meetingId: string;
  items: ReadonlyMap<string, ItemDetail>;
  skipped: Deck['skipped'];
  result: PresentationResult;
  annotatedPages: number;
  onClose(): void;
}

const outcomes = ['Trial agreed', 'Proposal requested', 'Follow-up meeting booked', 'Needs more information', 'No interest'];

type Saved = { status: 'idle' } | { status: 'saving'; as: 'logged' | 'later' } | { status: 'saved'; as: 'logged' | 'later' } | { status: 'error'; message: string };

export function WrapUp({ pitch, meetingId, items, skipped, result, annotatedPages, onClose }: WrapUpProps) {
  const formId = useId();
  const [account, setAccount] = useState('');
  const [contact, setContact] = useState('');
  const [opportunity, setOpportunity] = useState('');
  const [outcome, setOutcome] = useState('');
  const [notes, setNotes] = useState('');
  const [lines, setLines] = useState<ShownLine[]>(() =>
    result.shown.map((entry) => {
      const item = items.get(entry.itemId);
      return { ...entry, title: item?.title ?? entry.itemId, shareUrl: item?.shareUrl ?? null };
    }),
  );
  const [saved, setSaved] = useState<Saved>({ status: 'idle' });
  const draft = useMemo(() => followUpDraft({ contact, account, lines }), [contact, account, lines]);
  const locked = saved.status === 'saving' || (saved.status === 'saved' && saved.as === 'logged');

  const save = (status: 'logged' | 'later') => {
    if (locked) return;
    setSaved({ status: 'saving', as: status });
    client
      .saveMeeting({
        id: meetingId,
        pitchId: pitch.id,
        startedAt: result.startedAt,
        endedAt: result.endedAt,
        status,
        account: account.trim(),
        contact: contact.trim(),
        opportunity: opportunity.trim(),
        outcome: outcome.trim(),
        notes: notes.trim(),
        shown: lines.map(({ itemId, page, dwellMs }) => ({ itemId, page, dwellMs })),
      })
      .then(
        () => setSaved({ status: 'saved', as: status }),
        (error: unknown) => setSaved({ status: 'error', message: describeError(error).message }),
      );
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save('logged');
  };

  const shared = () => {
    client
      .recordActivity({ events: [{ id: newId(), type: 'followup.shared', at: new Date().toISOString(), pitchId: pitch.id, meetingId }] })
      .catch(() => {});
  };

  return (
    <div className="presenting-screen wrap-up" role="dialog" aria-modal="true" aria-labelledby={`${formId}-title`} data-testid="wrap-up" data-saved={saved.status === 'saved' ? saved.as : ''}>
      <header className="presenting-screen__bar">
        <div className="presenting-screen__heading">
          <h1 id={`${formId}-title`}>Wrap up the meeting</h1>
          <p>
            {pitch.name} · {formatDwell(Date.parse(result.endedAt) - Date.parse(result.startedAt))}
            {annotatedPages > 0 ? ` · ink on ${annotatedPages} ${annotatedPages === 1 ? 'page' : 'pages'} (not saved)` : ''}
          </p>
        </div>
        <button type="button" className="button" onClick={onClose} data-testid="wrap-up-close">
          {saved.status === 'saved' ? 'Done' : 'Close'}
        </button>
      </header>
      <div className="presenting-screen__content wrap-up__content">
        <form id={formId} className="wrap-up__form" onSubmit={onSubmit}>
          <fieldset disabled={locked} className="wrap-up__fields">
            <label className="field">
              <span className="field__label">Account</span>
              <input className="field__input" value={account} onChange={(e) => setAccount(e.target.value)} autoComplete="off" autoFocus />
            </label>
            <label className="field">
              <span className="field__label">Contact</span>
              <input className="field__input" value={contact} onChange={(e) => setContact(e.target.value)} autoComplete="off" placeholder="Name or e-mail" />
            </label>
            <label className="field">
              <span className="field__label">Opportunity</span>
              <input className="field__input" value={opportunity} onChange={(e) => setOpportunity(e.target.value)} autoComplete="off" />
            </label>
            <label className="field">
              <span className="field__label">Outcome</span>
              <input className="field__input" value={outcome} onChange={(e) => setOutcome(e.target.value)} list={`${formId}-outcomes`} autoComplete="off" />
              <datalist id={`${formId}-outcomes`}>
                {outcomes.map((o) => (
                  <option key={o} value={o} />
                ))}
              </datalist>
            </label>
            <label className="field field--wide">
              <span className="field__label">Notes</span>
              <textarea className="field__input field__input--area" value={notes} onChange={(e) => setNotes(e.target.value)} rows={4} />
            </label>
          </fieldset>
        </form>
        <section className="wrap-up__shown" aria-labelledby={`${formId}-shown`}>
          <h2 id={`${formId}-shown`}>Shown in this meeting</h2>
          {lines.length === 0 ? <p className="muted">Nothing was on screen for two seconds or more.</p> : null}
          <ul className="shown-list" data-testid="shown-list">
            {lines.map((line, index) => (
              <li key={`${line.itemId}#${line.page ?? ''}`} className="shown-list__row" data-testid="shown-row" data-item-id={line.itemId} data-page={line.page ?? ''} data-dwell-ms={line.dwellMs}>
                <span className="shown-list__title">{shownLabel(line)}</span>
                <span className="shown-list__time">{formatDwell(line.dwellMs)}</span>
                <button type="button" className="link-button" disabled={locked} aria-label={`Remove ${shownLabel(line)} from the record`} onClick={() => setLines((all) => all.filter((_, i) => i !== index))}>
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
          <a className="button follow-up-link" href={mailtoHref(draft)} data-testid="follow-up-mail" onClick={shared}>
            Follow-up e-mail…
          </a>
        </section>
      </div>
      <footer className="presenting-screen__footer">
        <p className="wrap-up__status" role="status" data-testid="wrap-up-status">
          {saved.status === 'saving' ? 'Saving…' : null}
          {saved.status === 'saved' && saved.as === 'logged' ? 'Meeting logged. It goes to CRM with the next upload.' : null}
          {saved.status === 'saved' && saved.as === 'later' ? 'Saved on this device. Log it when you know who it was with.' : null}
          {saved.status === 'error' ? `Not saved: ${saved.message}` : null}
        </p>
        <button type="button" className="button" disabled={locked} onClick={() => save('later')} data-testid="save-later">
          Save for later
        </button>
        <button type="submit" form={formId} className="button button--primary" disabled={locked} data-testid="log-meeting">
          Log meeting
        </button>
      </footer>
    </div>
  );
}
