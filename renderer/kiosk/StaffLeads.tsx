/**
 * The booth's leads on the staff screen, props only: which day and event are shown (today and
 * this event first, earlier days one tap away), and per lead who it is, what they looked at,
 * their consent, where its delivery stands, and staff's qualification (hot/warm/cold and a
 * note), saved with a button so a half-typed note is never sent.
 */
import { useId, useState } from 'react';
import {
  leadRatings,
  type BoothLead,
  type BoothLeadList,
  type LeadListFilter,
  type LeadQualification,
  type LeadRating,
} from '#shared/kiosk';
import { describeError } from '../api/deadline';
import { crmLine, dayLabel, deliveryLine, timeLine } from './staff';

const ratingLabels: Record<LeadRating, string> = { hot: 'Hot', warm: 'Warm', cold: 'Cold' };

export interface StaffLeadsProps {
  list: BoothLeadList;
  onFilter(filter: LeadListFilter): void;
  /** Saves a qualification; the answer is the lead as stored. */
  onQualify(q: LeadQualification): Promise<BoothLead>;
}

export function StaffLeads({ list, onFilter, onQualify }: StaffLeadsProps) {
  const eventValue = list.event === 'all' ? 'all' : JSON.stringify(list.event.name);
  const days = [
    list.today,
    ...list.days.map((d) => d.day).filter((d) => d !== list.today && d !== list.day),
    ...(list.day !== 'all' && list.day !== list.today ? [list.day] : []),
  ].sort((a, b) => b.localeCompare(a));
  const countOf = (day: string) => list.days.find((d) => d.day === day)?.count ?? 0;
  const eventNames = list.events.map((e) => e.name);
  if (list.event !== 'all' && !eventNames.includes(list.event.name)) eventNames.unshift(list.event.name);

  return (
    <section className="staff-leads" aria-labelledby="staff-leads-title" data-testid="staff-leads">
      <div className="staff-leads__head">
        <h2 className="staff-section__title" id="staff-leads-title">
          Leads
        </h2>
        <label className="staff-leads__event">
          <span className="lead-field__label">Event</span>
          <select
            className="lead-input staff-select"
            data-testid="staff-leads-event"
            value={eventValue}
            onChange={(e) =>
              onFilter({
                day: list.day,
                event: e.target.value === 'all' ? 'all' : { name: JSON.parse(e.target.value) as string | null },
              })
            }
          >
            {eventNames.map((name) => (
              <option key={JSON.stringify(name)} value={JSON.stringify(name)}>
                {name ?? 'No event set'}
              </option>
            ))}
            <option value="all">All events</option>
          </select>
        </label>
      </div>
      <div className="staff-days" role="group" aria-label="Day" data-testid="staff-days">
        {[...days, 'all'].map((day) => (
          <button
            key={day}
            type="button"
            className={`staff-day${list.day === day ? ' is-on' : ''}`}
            aria-pressed={list.day === day}
            data-testid="staff-day"
            data-day={day}
            onClick={() => onFilter({ day, event: list.event })}
          >
            {dayLabel(day, list.today)}
            {day !== 'all' ? <span className="staff-day__count"> · {countOf(day)}</span> : null}
          </button>
        ))}
      </div>
      {list.leads.length === 0 ? (
        <p className="staff-leads__empty" data-testid="staff-leads-empty">
          No leads {list.day === 'all' ? 'yet' : list.day === list.today ? 'today' : 'that day'}
          {list.event !== 'all' && list.event.name ? ` at ${list.event.name}` : ''}.
        </p>
      ) : (
        <ul className="staff-lead-list" data-testid="staff-lead-list">
          {list.leads.map((lead) => (
            <LeadRow key={lead.id} lead={lead} onQualify={onQualify} showDay={list.day === 'all'} today={list.today} />
          ))}
        </ul>
      )}
    </section>
  );
}

function LeadRow({
  lead,
  onQualify,
  showDay,
  today,
}: {
  lead: BoothLead;
  onQualify(q: LeadQualification): Promise<BoothLead>;
  showDay: boolean;
  today: string;
}) {
  const id = useId();
  const [rating, setRating] = useState<LeadRating | null>(lead.rating);
  const [note, setNote] = useState(lead.staffNote);
  const [saved, setSaved] = useState<{ rating: LeadRating | null; note: string }>({
    rating: lead.rating,
    note: lead.staffNote,
  });
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const dirty = rating !== saved.rating || note.trim() !== saved.note;
  const name = [lead.firstName, lead.lastName].filter(Boolean).join(' ') || 'No name given';

  const save = async () => {
    setBusy(true);
    setMessage(null);
    try {
      const stored = await onQualify({ leadId: lead.id, rating, note });
      setSaved({ rating: stored.rating, note: stored.staffNote });
      setNote(stored.staffNote);
      setMessage({
        tone: 'ok',
        text:
          stored.update !== null
            ? 'Saved. It was already sent: the update is queued for the destination.'
            : 'Saved. It goes out with the lead.',
      });
    } catch (failure) {
      // What staff typed stays in the field: nothing is lost.
      setMessage({ tone: 'error', text: `Not saved: ${describeError(failure).message}` });
    } finally {
      setBusy(false);
    }
  };

  const when = new Date(lead.capturedAt);
  const day = when.toLocaleDateString('sv-SE');
  return (
    <li className="staff-lead" data-testid="staff-lead" data-lead-id={lead.id} aria-labelledby={`${id}-name`}>
      <div className="staff-lead__who">
        <h3 className="staff-lead__name" id={`${id}-name`} data-testid="staff-lead-name">
          {name}
        </h3>
        <p className="staff-lead__company" data-testid="staff-lead-company">
          {lead.company || 'No company given'}
        </p>
        <p className="staff-lead__meta">
          {showDay && day !== today
            ? `${when.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })}, `
            : ''}
          {timeLine(lead.capturedAt)}
          {lead.email ? ` · ${lead.email}` : ''}
        </p>
        <p className="staff-lead__meta" data-testid="staff-lead-consent">
          Consent given (text version {lead.consentVersion})
        </p>
      </div>
      <div className="staff-lead__looked">
        <p className="staff-lead__label">Looked at</p>
        {lead.viewed.length > 0 ? (
          <ul className="staff-lead__viewed" data-testid="staff-lead-viewed">
            {lead.viewed.map((v) => (
              <li key={v.itemId}>{v.title ?? `${v.itemId} (no longer in the library)`}</li>
            ))}
          </ul>
        ) : (
          <p className="staff-lead__meta" data-testid="staff-lead-viewed">
            Nothing sent with the lead
          </p>
        )}
        {lead.interests.length > 0 ? (
          <p className="staff-lead__meta">Interested in {lead.interests.join(', ')}</p>
        ) : null}
        <p
          className={`staff-lead__delivery staff-lead__delivery--${lead.delivery.state}`}
          data-testid="staff-lead-delivery"
          data-state={lead.delivery.state}
        >
          {deliveryLine(lead.delivery)}
        </p>
        {lead.crm ? (
          <p
            className={`staff-lead__delivery staff-lead__delivery--${lead.crm.state === 'sent' ? 'sent' : lead.crm.state === 'retrying' ? 'failed' : 'queued'}`}
            data-testid="staff-lead-crm"
            data-state={lead.crm.state}
          >
            {crmLine(lead.crm)}
          </p>
        ) : null}
        {lead.update ? (
          <p
            className={`staff-lead__delivery staff-lead__delivery--${lead.update.state}`}
            data-testid="staff-lead-update"
            data-state={lead.update.state}
          >
            Qualification update: {deliveryLine(lead.update)}
          </p>
        ) : null}
      </div>
      <div className="staff-lead__qualify">
        <div className="kiosk-segmented" role="radiogroup" aria-label={`How warm is ${name}?`}>
          {leadRatings.map((r) => (
            <button
              key={r}
              type="button"
              role="radio"
              aria-checked={rating === r}
              className={`kiosk-segmented__option kiosk-segmented__option--${r}${rating === r ? ' is-on' : ''}`}
              data-testid={`staff-rate-${r}`}
              disabled={busy}
              onClick={() => setRating((current) => (current === r ? null : r))}
            >
              {ratingLabels[r]}
            </button>
          ))}
        </div>
        <label className="lead-field">
          <span className="lead-field__label">Staff note</span>
          <textarea
            className="lead-input staff-lead__note"
            rows={2}
            maxLength={2000}
            data-testid="staff-lead-note"
            value={note}
            disabled={busy}
            onChange={(e) => setNote(e.target.value)}
          />
        </label>
        <div className="staff-lead__save">
          <button
            type="button"
            className="kiosk-button kiosk-button--primary staff-lead__save-button"
            data-testid="staff-lead-save"
            disabled={!dirty || busy}
            onClick={() => void save()}
          >
            {busy ? 'Saving…' : 'Save'}
          </button>
          {message ? (
            <p
              className={`staff-screen__note staff-screen__note--${message.tone}`}
              role={message.tone === 'error' ? 'alert' : 'status'}
              data-testid="staff-lead-saved"
            >
              {message.text}
            </p>
          ) : null}
        </div>
      </div>
    </li>
  );
}
