/**
 * The lead form as data: what the visitor has typed so far, the submission built from it, the
 * messages per field, and the hints each field gives the on-screen keyboard. Pure and unit-tested;
 * the messages themselves come from the shared validateLead, the same the core applies.
 */
import type { LeadFieldError, LeadFieldName, LeadSubmission, validateLead } from '#shared/kiosk';

export interface LeadDraft {
  fields: Partial<Record<LeadFieldName, string>>;
  interests: string[];
  /** Never true until the visitor ticks the box. */
  consent: boolean;
  sendViewed: boolean;
}

export function emptyDraft(): LeadDraft {
  return { fields: {}, interests: [], consent: false, sendViewed: false };
}

type ParsedSubmission = Parameters<typeof validateLead>[0];

/**
 * What goes to captureLead: the configured fields, trimmed, empty ones left out; the consent
 * version is the one of the text shown next to the box.
 */
export function toSubmission(
  draft: LeadDraft,
  options: {
    sessionId: string;
    fieldNames: readonly LeadFieldName[];
    consentVersion: string;
    interests: readonly string[];
  },
): ParsedSubmission & LeadSubmission {
  const fields: Partial<Record<LeadFieldName, string>> = {};
  for (const name of options.fieldNames) {
    const value = draft.fields[name]?.trim();
    if (value) fields[name] = value;
  }
  const offered = new Set(options.interests);
  return {
    sessionId: options.sessionId,
    fields,
    interests: draft.interests.filter((interest) => offered.has(interest)),
    consent: { given: draft.consent, version: options.consentVersion },
    sendViewed: draft.sendViewed,
  };
}

export type FieldMessages = Partial<Record<LeadFieldName | 'consent', string>>;

/** The first message for each field, in the order the validator gave them. */
export function messagesByField(errors: readonly LeadFieldError[]): FieldMessages {
  const messages: FieldMessages = {};
  for (const error of errors) messages[error.field] ??= error.message;
  return messages;
}

/** The field to focus after a failed submit: the first one on screen that has a message. */
export function firstInvalid(
  order: readonly (LeadFieldName | 'consent')[],
  messages: FieldMessages,
): LeadFieldName | 'consent' | null {
  return order.find((name) => messages[name] !== undefined) ?? null;
}

export function toggled<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((entry) => entry !== value) : [...list, value];
}

export interface InputHints {
  type: 'text' | 'email' | 'tel';
  inputMode: 'text' | 'email' | 'tel';
  autoCapitalize: 'words' | 'sentences' | 'off';
  spellCheck: boolean;
  multiline: boolean;
}

/**
 * Keyboard hints per field. Autocomplete stays off everywhere: on a shared kiosk the browser
 * would otherwise offer the previous visitor's details.
 */
export function inputHints(name: LeadFieldName): InputHints {
  switch (name) {
    case 'email':
      return { type: 'email', inputMode: 'email', autoCapitalize: 'off', spellCheck: false, multiline: false };
    case 'phone':
      return { type: 'tel', inputMode: 'tel', autoCapitalize: 'off', spellCheck: false, multiline: false };
    case 'note':
      return { type: 'text', inputMode: 'text', autoCapitalize: 'sentences', spellCheck: true, multiline: true };
    case 'firstName':
    case 'lastName':
    case 'company':
    case 'role':
      return { type: 'text', inputMode: 'text', autoCapitalize: 'words', spellCheck: false, multiline: false };
  }
}

/** "Thanks, Ana — we'll be in touch" (or without a name when none was given). */
export function thankYouLine(firstName: string | undefined): string {
  const name = firstName?.trim();
  return name ? `Thanks, ${name} — we'll be in touch` : "Thanks — we'll be in touch";
}
