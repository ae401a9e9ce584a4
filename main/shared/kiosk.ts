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
  /** Staff rate the lead (hot/warm/cold) before handing over. */
  askRating: boolean;
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
  askRating: true,
};

const text = (max: number) => storableText(max, { trim: true });

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
    rating: z.enum(['hot', 'warm', 'cold']).nullable().default(null),
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
  leadForm: Omit<LeadFormConfig, 'interests'>;
}

export const kioskSettingsChange = z
  .object({
    idleSeconds: z.number().int().min(15).max(3600).optional(),
    warningSeconds: z.number().int().min(5).max(120).optional(),
    retentionDays: z.number().int().min(1).max(3650).optional(),
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
        askRating: z.boolean().optional(),
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
