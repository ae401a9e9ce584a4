import { randomUUID } from 'node:crypto';
import {
  leadSubmission,
  validateLead,
  type LeadFieldError,
  type LeadFormConfig,
  type LeadSubmission,
} from '#shared/kiosk';
import { PitchcaseError } from '#shared/result';
import { enqueue, leadRecordsCsv } from '../outbox/index.ts';
import type { WriteDb } from '../storage/database.ts';
import type { Clock } from '../types.ts';
import { seal, unseal, type KeyProvider } from '../crypto/index.ts';
import {
  allLeads,
  endSession,
  insertLead,
  leadCounts,
  markLeadsDelivered,
  purgeDeliveredBefore,
  sessionIsOpen,
  viewedItems,
  type LeadRow,
} from './store.ts';

/** The personal part of a lead: sealed at rest, opened only to deliver or export it. */
export interface LeadPerson {
  firstName?: string;
  lastName?: string;
  email?: string;
  company?: string;
  role?: string;
  phone?: string;
  note?: string;
}

export interface LeadsContext {
  db: WriteDb;
  clock: Clock;
  keys: KeyProvider;
}

export type CaptureOutcome = { leadId: string } | { errors: LeadFieldError[] };

/**
 * Captures a lead: validates, seals the personal fields, and commits the lead, the end of the
 * visitor session and the outbox row in ONE transaction (WAL, synchronous=FULL) before the
 * thank-you screen may appear. Nothing the visitor typed is lost once this returns.
 */
export function captureLead(
  ctx: LeadsContext,
  input: LeadSubmission,
  form: Omit<LeadFormConfig, 'interests'>,
): CaptureOutcome {
  const parsed = leadSubmission.safeParse(input);
  if (!parsed.success)
    throw new PitchcaseError('bad-request', `Lead form: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const submission = parsed.data;
  const errors = validateLead(submission, form);
  if (errors.length > 0) return { errors };
  const now = ctx.clock.now().toISOString();
  const id = randomUUID();
  const person: LeadPerson = {};
  for (const field of form.fields) {
    const value = submission.fields[field.name]?.trim();
    if (value) person[field.name] = value;
  }
  const sealed = seal(ctx.keys.leadKey(), person);
  ctx.db.transaction(() => {
    const open = sessionIsOpen(ctx.db, submission.sessionId);
    insertLead(ctx.db, {
      id,
      sessionId: open ? submission.sessionId : null,
      capturedAt: now,
      consentVersion: submission.consent.version,
      rating: submission.rating,
      interests: submission.interests,
      viewedItems: open && submission.sendViewed ? viewedItems(ctx.db, submission.sessionId) : [],
      sealed,
    });
    if (open) endSession(ctx.db, submission.sessionId, 'lead', now);
    // The outbox row names the lead; its personal data is opened only when it is sent.
    enqueue(ctx.db, { kind: 'lead', idempotencyKey: `lead:${id}`, payload: { leadId: id }, createdAt: now });
  })();
  return { leadId: id };
}

/** A stored lead with its sealed personal fields opened. */
export interface OpenLead extends Omit<LeadRow, 'sealed'> {
  person: LeadPerson;
}

export function openLeads(ctx: Pick<LeadsContext, 'db' | 'keys'>): OpenLead[] {
  const key = ctx.keys.leadKey();
  return allLeads(ctx.db).map(({ sealed, ...lead }) => ({ ...lead, person: unseal<LeadPerson>(key, sealed) }));
}

/**
 * CSV in the shape Salesforce's Data Import Wizard and HubSpot's importer map without help:
 * the same columns as a folder destination's lead files (outbox/csv.ts), one lead per row.
 */
export function leadsCsv(leads: readonly OpenLead[]): string {
  return leadRecordsCsv(leads.map(leadRecord));
}

export interface LeadStats {
  total: number;
  undelivered: number;
  lastDeliveredAt: string | null;
  /** Undelivered leads within a week of the retention limit: deliver or export them. */
  undeliveredNearLimit: number;
}

export function leadStats(ctx: Pick<LeadsContext, 'db' | 'clock'>, retentionDays: number): LeadStats {
  const warnBefore = new Date(ctx.clock.now().getTime() - Math.max(0, retentionDays - 7) * 86_400_000).toISOString();
  const c = leadCounts(ctx.db, warnBefore);
  return {
    total: c.total,
    undelivered: c.undelivered,
    lastDeliveredAt: c.lastDeliveredAt,
    undeliveredNearLimit: c.undeliveredOld,
  };
}

export function purgeDelivered(ctx: Pick<LeadsContext, 'db' | 'clock'>, retentionDays: number): number {
  return purgeDeliveredBefore(ctx.db, new Date(ctx.clock.now().getTime() - retentionDays * 86_400_000).toISOString());
}

export { markLeadsDelivered };

/** One lead as it goes to CRM: clear fields, opened from the seal at send time. */
export function leadForDelivery(
  ctx: Pick<LeadsContext, 'db' | 'keys'>,
  leadId: string,
): Record<string, unknown> | null {
  const lead = openLeads(ctx).find((l) => l.id === leadId);
  return lead ? leadRecord(lead) : null;
}

/** An opened lead in the flat shape every connector and export takes. */
function leadRecord(lead: OpenLead): Record<string, unknown> {
  return {
    leadId: lead.id,
    capturedAt: lead.capturedAt,
    consentVersion: lead.consentVersion,
    rating: lead.rating,
    interests: lead.interests,
    viewedItems: lead.viewedItems,
    ...lead.person,
  };
}
