/**
 * "Get in touch": the configured fields, interests as chips, an optional note, the consent box
 * (never ticked for the visitor) beside the consent text, and "send me what I looked at". No
 * rating: a visitor must not qualify themselves, staff do it behind the PIN. What the visitor types lives in the parent's draft, so
 * going back to browse and returning keeps it; a failed send keeps it too.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import { validateLead, type LeadFieldName, type LeadFormConfig } from '#shared/kiosk';
import { describeError, withDeadline } from '../api/deadline';
import { BackIcon } from '../ui/icons';
import {
  firstInvalid,
  inputHints,
  messagesByField,
  toggled,
  toSubmission,
  type FieldMessages,
  type LeadDraft,
} from './lead-form';
import type { VisitorSession } from './visitor-session';

export interface LeadFormProps {
  form: LeadFormConfig;
  draft: LeadDraft;
  onDraftChange(update: (draft: LeadDraft) => LeadDraft): void;
  viewedCount: number;
  session: VisitorSession;
  onSendingChange(sending: boolean): void;
  onCaptured(): void;
  onBack(): void;
}

export function LeadForm({
  form,
  draft,
  onDraftChange,
  viewedCount,
  session,
  onSendingChange,
  onCaptured,
  onBack,
}: LeadFormProps) {
  const id = useId();
  const [attempted, setAttempted] = useState(false);
  const [serverMessages, setServerMessages] = useState<FieldMessages | null>(null);
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const fieldNames = form.fields.map((field) => field.name);
  const order: (LeadFieldName | 'consent')[] = [...fieldNames, 'consent'];

  const build = (sessionId: string) =>
    toSubmission(draft, { sessionId, fieldNames, consentVersion: form.consent.version, interests: form.interests });

  // After a first attempt, messages follow the typing, so a fixed field clears at once; the
  // core's own messages show until the visitor changes something.
  const messages: FieldMessages = !attempted
    ? {}
    : (serverMessages ?? messagesByField(validateLead(build('pending'), form)));

  const update = (change: (draft: LeadDraft) => LeadDraft) => {
    setServerMessages(null);
    onDraftChange(change);
  };

  const focusField = (name: LeadFieldName | 'consent' | null) => {
    if (!name) return;
    formRef.current?.querySelector<HTMLElement>(`[data-field="${name}"]`)?.focus();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (sending) return;
    setAttempted(true);
    setServerMessages(null);
    setFailure(null);
    const local = messagesByField(validateLead(build('pending'), form));
    if (Object.keys(local).length > 0) {
      focusField(firstInvalid(order, local));
      return;
    }
    setSending(true);
    onSendingChange(true);
    try {
      const result = await withDeadline(
        session.captureLead((sessionId) => build(sessionId)),
        20_000,
        'Sending your details',
      );
      if ('leadId' in result) {
        onCaptured();
        return;
      }
      const server = messagesByField(result.errors);
      setServerMessages(server);
      focusField(firstInvalid(order, server));
    } catch (error) {
      setFailure(describeError(error).message);
    } finally {
      setSending(false);
      onSendingChange(false);
    }
  };

  const messageCount = Object.keys(messages).length;
  const errorId = (name: string) => `${id}-${name}-error`;

  return (
    <div
      className="lead-screen"
      data-testid="lead-form-screen"
      role="dialog"
      aria-modal="true"
      aria-labelledby={`${id}-title`}
    >
      <header className="lead-screen__bar">
        <button type="button" className="kiosk-button kiosk-button--quiet" data-testid="lead-back" onClick={onBack}>
          <BackIcon size={26} />
          Keep browsing
        </button>
      </header>
      <form
        ref={formRef}
        className="lead-form"
        data-testid="lead-form"
        autoComplete="off"
        noValidate
        aria-busy={sending}
        onSubmit={(event) => void submit(event)}
      >
        <div className="lead-form__intro">
          <h1 id={`${id}-title`} className="lead-form__title">
            Get in touch
          </h1>
          <p className="lead-form__lede">
            Leave your details and we will follow up with what you need. Fields marked * are required.
          </p>
        </div>

        <div className="lead-form__fields">
          {form.fields.map((field) => {
            const hints = inputHints(field.name);
            const message = messages[field.name];
            const common = {
              id: `${id}-${field.name}`,
              name: field.name,
              'data-field': field.name,
              'data-testid': `lead-field-${field.name}`,
              className: `lead-input${message ? ' is-invalid' : ''}`,
              value: draft.fields[field.name] ?? '',
              autoComplete: 'off',
              autoCapitalize: hints.autoCapitalize,
              spellCheck: hints.spellCheck,
              inputMode: hints.inputMode,
              required: field.required,
              'aria-required': field.required,
              'aria-invalid': message ? true : undefined,
              'aria-describedby': message ? errorId(field.name) : undefined,
              readOnly: sending,
            } as const;
            const onChange = (value: string) => update((d) => ({ ...d, fields: { ...d.fields, [field.name]: value } }));
            return (
              <div key={field.name} className={`lead-field${hints.multiline ? ' lead-field--wide' : ''}`}>
                <label className="lead-field__label" htmlFor={common.id}>
                  {field.label}
                  {field.required ? (
                    <span aria-hidden="true"> *</span>
                  ) : (
                    <span className="lead-field__optional"> (optional)</span>
                  )}
                </label>
                {hints.multiline ? (
                  <textarea {...common} rows={3} maxLength={2000} onChange={(event) => onChange(event.target.value)} />
                ) : (
                  <input
                    {...common}
                    type={hints.type}
                    autoCorrect="off"
                    maxLength={field.name === 'email' ? 200 : 100}
                    enterKeyHint="next"
                    onChange={(event) => onChange(event.target.value)}
                  />
                )}
                {message ? (
                  <p className="lead-field__error" id={errorId(field.name)} data-testid={`lead-error-${field.name}`}>
                    {message}
                  </p>
                ) : null}
              </div>
            );
          })}
        </div>

        {form.interests.length > 0 ? (
          <fieldset className="lead-group">
            <legend className="lead-group__legend">What are you interested in?</legend>
            <div className="kiosk-chips">
              {form.interests.map((interest) => {
                const on = draft.interests.includes(interest);
                return (
                  <button
                    key={interest}
                    type="button"
                    className={`kiosk-chip${on ? ' is-on' : ''}`}
                    data-testid="interest-chip"
                    aria-pressed={on}
                    disabled={sending}
                    onClick={() => update((d) => ({ ...d, interests: toggled(d.interests, interest) }))}
                  >
                    {interest}
                  </button>
                );
              })}
            </div>
          </fieldset>
        ) : null}

        <label className="kiosk-switch-row">
          <input
            type="checkbox"
            role="switch"
            className="kiosk-switch"
            data-testid="send-viewed"
            checked={draft.sendViewed}
            disabled={sending}
            onChange={(event) => {
              const checked = event.target.checked;
              update((d) => ({ ...d, sendViewed: checked }));
            }}
          />
          <span>
            <span className="kiosk-switch-row__label">Send me what I looked at</span>
            <span className="kiosk-switch-row__detail">
              {viewedCount === 0
                ? 'Nothing opened yet: anything you open before sending is included.'
                : `${viewedCount === 1 ? '1 item' : `${viewedCount} items`} from this visit`}
            </span>
          </span>
        </label>

        <div className={`kiosk-consent${messages.consent ? ' is-invalid' : ''}`}>
          <input
            id={`${id}-consent`}
            type="checkbox"
            className="kiosk-consent__box"
            data-field="consent"
            data-testid="lead-consent"
            data-consent-version={form.consent.version}
            checked={draft.consent}
            disabled={sending}
            aria-invalid={messages.consent ? true : undefined}
            aria-describedby={messages.consent ? errorId('consent') : undefined}
            onChange={(event) => {
              const checked = event.target.checked;
              update((d) => ({ ...d, consent: checked }));
            }}
          />
          <label htmlFor={`${id}-consent`} className="kiosk-consent__text" data-testid="consent-text">
            {form.consent.text}
          </label>
          {messages.consent ? (
            <p
              className="lead-field__error kiosk-consent__error"
              id={errorId('consent')}
              data-testid="lead-error-consent"
            >
              {messages.consent}
            </p>
          ) : null}
        </div>

        <div className="lead-form__footer">
          {failure ? (
            <p className="lead-form__failure" role="alert" data-testid="lead-failure">
              Your details could not be sent just now ({failure}). Nothing you typed is lost: please try again, or ask a
              member of our team.
            </p>
          ) : messageCount > 0 ? (
            <p className="lead-form__summary" role="alert" data-testid="lead-summary">
              {messageCount === 1
                ? 'Please check the highlighted field.'
                : `Please check the ${messageCount} highlighted fields.`}
            </p>
          ) : null}
          <button
            type="submit"
            className="kiosk-button kiosk-button--primary kiosk-button--wide"
            data-testid="lead-submit"
            disabled={sending}
            aria-busy={sending}
          >
            {sending ? (
              <>
                <span className="kiosk-spinner" aria-hidden="true" />
                Sending…
              </>
            ) : (
              'Send'
            )}
          </button>
        </div>
      </form>
    </div>
  );
}
