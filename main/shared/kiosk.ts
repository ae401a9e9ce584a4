import type { ForwardedRecord } from './fleet.ts';
/**
 * The trade-show kiosk as the UI and the CLI see it: the lead form (which fields, the consent
 * text and its version) and what a captured lead holds.
 */
import { z } from 'zod';
import { storableText } from './contract/text.ts';

export const leadFieldNames = ['firstName', 'lastName', 'email', 'company', 'role', 'phone', 'note'] as const;
export type LeadFieldName = (typeof leadFieldNames)[number];

export interface LeadFormConfig {
  /** Fields shown, in order, and whether each must be filled. */
  fields: { name: LeadFieldName; label: string; required: boolean }[];
  /** Interests to pick from (the library's products). */
  interests: string[];
  consent: { version: string; text: string };
}

export const defaultLeadForm: Omit<LeadFormConfig, 'interests'> = {
  fields: [
    { name: 'firstName', label: 'First name', required: true },
    { name: 'lastName', label: 'Last name', required: true },
    { name: 'email', label: 'Work e-mail', required: true },
    { name: 'company', label: 'Company', required: true },
    { name: 'role', label: 'Role', required: false },
    { name: 'note', label: 'Anything we should know?', required: false },
  ],
  consent: {
    version: '2026-01',
    text: 'I agree that the company may store these details and contact me about its products and services. I can withdraw this consent at any time by replying to any e-mail.',
  },
};

const text = (max: number) => storableText(max, { trim: true });

/** A trade show's name: what staff type, trimmed, one line. */
export const eventName = storableText(120, { trim: true }).pipe(
  z
    .string()
    .min(1, 'is empty')
    .regex(/^[^\r\n\t]*$/, 'must be one line'),
);

/** What the kiosk form submits; validated again in the core whatever the UI checked. */
export const leadSubmission = z
  .object({
    sessionId: z.string().min(1).max(64),
    fields: z
      .object({
        firstName: text(100).optional(),
        lastName: text(100).optional(),
        email: text(200).optional(),
        company: text(200).optional(),
        role: text(100).optional(),
        phone: text(50).optional(),
        note: text(2000).optional(),
      })
      .strict(),
    interests: z.array(text(100)).max(50).default([]),
    // No rating: a visitor never qualifies themselves; staff do, behind the PIN (qualifyLead).
    consent: z.object({ given: z.boolean(), version: z.string().min(1).max(40) }).strict(),
    /** "Send me what I looked at": attach the items viewed in this visit. */
    sendViewed: z.boolean().default(false),
  })
  .strict();

export type LeadSubmission = z.input<typeof leadSubmission>;

export interface LeadFieldError {
  field: LeadFieldName | 'consent';
  message: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

/**
 * The messages a visitor sees next to the fields: required fields, a plausible e-mail, and a
 * consent box ticked for the consent text currently shown. Pure, shared by the UI and the core.
 */
export function validateLead(
  submission: z.output<typeof leadSubmission>,
  form: Omit<LeadFormConfig, 'interests'>,
): LeadFieldError[] {
  const errors: LeadFieldError[] = [];
  for (const field of form.fields) {
    const value = submission.fields[field.name]?.trim() ?? '';
    if (field.required && value === '') errors.push({ field: field.name, message: `${field.label} is required` });
  }
  const email = submission.fields.email?.trim();
  if (email && !EMAIL.test(email))
    errors.push({ field: 'email', message: 'Enter an e-mail address like name@company.com' });
  if (!submission.consent.given)
    errors.push({ field: 'consent', message: 'Please tick the box to agree, so we may contact you' });
  else if (submission.consent.version !== form.consent.version)
    errors.push({ field: 'consent', message: 'The consent text has changed; please read it again and tick the box' });
  return errors;
}

export interface KioskConfig {
  /** This profile runs as a trade-show kiosk. */
  active: boolean;
  /**
   * Staff have set a PIN. A kiosk without one shows only "set up by staff" until they do (from
   * the command line, or when switching to kiosk mode): a visitor must never be the one to set it.
   */
  staffPinSet: boolean;
  /** Idle time before the attract loop starts and the visitor's session ends. */
  idleSeconds: number;
  /** How long the "still there?" countdown shows before the reset. */
  warningSeconds: number;
  attract: { itemIds: string[]; secondsPerItem: number };
  leadForm: LeadFormConfig;
  /** Delivered leads are purged this many days after delivery. */
  retentionDays: number;
  /** The trade show this kiosk stands at (set by staff); each lead is stamped with it. */
  eventName: string | null;
}

export interface LeadStats {
  total: number;
  undelivered: number;
  lastDeliveredAt: string | null;
  /** Undelivered leads within a week of the retention limit. */
  undeliveredNearLimit: number;
}

export type CaptureLeadResult = { leadId: string } | { errors: LeadFieldError[] };

export type KioskUnlock =
  | { unlocked: true; staffUntil: string }
  | { unlocked: false; reason: 'wrong-pin' | 'locked' | 'no-pin'; retryInSeconds: number };

/** What staff (or IT, before the show) configure for a kiosk. */
export interface KioskSettings {
  idleSeconds: number;
  warningSeconds: number;
  retentionDays: number;
  /** The trade show this kiosk stands at; null until staff name it. */
  eventName: string | null;
  leadForm: Omit<LeadFormConfig, 'interests'>;
}

export const kioskSettingsChange = z
  .object({
    idleSeconds: z.number().int().min(15).max(3600).optional(),
    warningSeconds: z.number().int().min(5).max(120).optional(),
    retentionDays: z.number().int().min(1).max(3650).optional(),
    /** The event's name as staff type it ("Brau Beviale 2026"); null clears it. */
    eventName: eventName.nullable().optional(),
    leadForm: z
      .object({
        fields: z
          .array(
            z.object({ name: z.enum(leadFieldNames), label: storableText(80).min(1), required: z.boolean() }).strict(),
          )
          .min(1)
          .max(leadFieldNames.length)
          .refine((f) => new Set(f.map((x) => x.name)).size === f.length, 'each field once')
          .optional(),
        consent: z
          .object({ version: z.string().min(1).max(40), text: storableText(4000).min(20) })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine(
    (s) => s.idleSeconds === undefined || s.warningSeconds === undefined || s.warningSeconds < s.idleSeconds,
    'the warning must start before the idle reset',
  );

export type KioskSettingsChange = z.input<typeof kioskSettingsChange>;

/** How warm staff judge a lead, after talking to the visitor. */
export const leadRatings = ['hot', 'warm', 'cold'] as const;
export type LeadRating = (typeof leadRatings)[number];

/** Where a lead stands with its destination (the outbox row that carries it). */
export type LeadDeliveryState =
  /** Waiting in the outbox: no destination yet, offline, or not tried yet. */
  | 'queued'
  /** The destination acknowledged it. */
  | 'sent'
  /** The last attempt failed; it is tried again. `reason` never holds personal data. */
  | 'failed';

export interface LeadDelivery {
  state: LeadDeliveryState;
  at: string | null;
  attempts: number;
  /** The destination's answer with every personal detail taken out. */
  reason: string | null;
}

/** One lead as staff see it in the list: opened from its seal for the unlocked staff session only. */
export interface BoothLead {
  id: string;
  capturedAt: string;
  eventName: string | null;
  firstName: string;
  lastName: string;
  company: string;
  email: string;
  /** What the visitor looked at: item id and title (null when no longer in the library). */
  viewed: { itemId: string; title: string | null }[];
  interests: string[];
  consentVersion: string;
  /** The lead as first delivered. */
  delivery: LeadDelivery;
  /**
   * A qualification made after the lead went out, queued for the destination as an update;
   * null when there is none (or the lead had not gone out yet, so it carries it itself).
   */
  update: LeadDelivery | null;
  /**
   * A kiosk enrolled with Studio: where Studio's forwarding of the lead to the CRM stands, as
   * Studio last said (at the last sync); null when Studio has not said.
   */
  crm: ForwardedRecord | null;
  rating: LeadRating | null;
  staffNote: string;
  qualifiedAt: string | null;
}

/** A day of the kiosk's local calendar, YYYY-MM-DD. */
export const leadDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'is a day like 2026-05-12');

/**
 * Which leads the staff list shows: one day of the kiosk's calendar (default today) or every
 * day, and one event (default the kiosk's current one) or every event.
 */
export const leadListFilter = z
  .object({
    day: z.union([leadDay, z.literal('all')]).optional(),
    event: z.union([z.object({ name: eventName.nullable() }).strict(), z.literal('all')]).optional(),
  })
  .strict();
export type LeadListFilter = z.input<typeof leadListFilter>;

export interface BoothLeadList {
  /** The filter as applied (defaults filled in). */
  day: string | 'all';
  event: { name: string | null } | 'all';
  today: string;
  leads: BoothLead[];
  /** Every day with leads (of the chosen event), newest first, to go back to earlier days. */
  days: { day: string; count: number }[];
  /** Every event with leads on this kiosk, with "no event" as null. */
  events: { name: string | null; count: number }[];
}

export const leadQualification = z
  .object({
    leadId: z.string().min(1).max(64),
    rating: z.enum(leadRatings).nullable(),
    note: storableText(2000, { trim: true }),
  })
  .strict();
export type LeadQualification = z.input<typeof leadQualification>;

/** A place a CSV can be written: a removable drive or mounted volume found on this machine. */
export interface ExportVolume {
  path: string;
  /** The volume's name as the system shows it ("KINGSTON", "E: USB DRIVE"). */
  label: string;
  removable: boolean;
  freeBytes: number | null;
  writable: boolean;
}

export interface ExportFolders {
  volumes: ExportVolume[];
  /** The folder staff exported to last (remembered), if any. */
  last: string | null;
}

export const exportLeadsToFolderArg = z
  .object({
    /** An absolute folder path: a listed volume, or one staff typed. */
    folder: storableText(1000, { trim: true }).pipe(z.string().min(1, 'is empty')),
    /** Which leads: the list's filter (the default: today and this event). */
    filter: leadListFilter.optional(),
  })
  .strict();
export type ExportLeadsToFolderArg = z.input<typeof exportLeadsToFolderArg>;
