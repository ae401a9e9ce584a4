import type { ForwardedRecord } from '#shared/fleet';
import { randomUUID } from 'node:crypto';
import {
  leadSubmission,
  validateLead,
  type BoothLead,
  type LeadDelivery,
  type LeadFieldError,
  type LeadFormConfig,
  type LeadRating,
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
  leadById,
  leadCounts,
  leadOutboxRows,
  leadsIn,
  markLeadsDelivered,
  purgeDeliveredBefore,
  sessionIsOpen,
  updateQualification,
  viewedItems,
  type LeadOutboxRow,
  type LeadRow,
  type LeadWindow,
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
  eventName: string | null = null,
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
      interests: submission.interests,
      viewedItems: open && submission.sendViewed ? viewedItems(ctx.db, submission.sessionId) : [],
      sealed,
      eventName,
    });
    if (open) endSession(ctx.db, submission.sessionId, 'lead', now);
    // The outbox row names the lead; its personal data is opened only when it is sent.
    enqueue(ctx.db, { kind: 'lead', idempotencyKey: `lead:${id}`, payload: { leadId: id }, createdAt: now });
  })();
  return { leadId: id };
}

/** A stored lead with its sealed personal fields (and the staff note) opened. */
export interface OpenLead extends Omit<LeadRow, 'sealed' | 'staffNote'> {
  person: LeadPerson;
  staffNote: string;
}

function openLead(key: Buffer, { sealed, staffNote, ...lead }: LeadRow): OpenLead {
  return {
    ...lead,
    person: unseal<LeadPerson>(key, sealed),
    staffNote: staffNote ? unseal<{ note: string }>(key, staffNote).note : '',
  };
}

/** Every lead, or those of a window (captured between two instants, of one event). */
export function openLeads(ctx: Pick<LeadsContext, 'db' | 'keys'>, window?: LeadWindow): OpenLead[] {
  const key = ctx.keys.leadKey();
  const rows = window ? leadsIn(ctx.db, window) : allLeads(ctx.db);
  return rows.map((row) => openLead(key, row));
}

/** Where one outbox row of a lead stands, for the staff list. */
function deliveryOf(row: LeadOutboxRow | undefined): LeadDelivery {
  if (!row) return { state: 'queued', at: null, attempts: 0, reason: null };
  if (row.sentAt) return { state: 'sent', at: row.sentAt, attempts: row.attempts, reason: null };
  // The stored error was scrubbed of the records' personal data when it was written (deliver.ts).
  if (row.lastError) return { state: 'failed', at: null, attempts: row.attempts, reason: row.lastError };
  return { state: 'queued', at: row.createdAt, attempts: row.attempts, reason: null };
}

/**
 * Leads as the staff list shows them, with the delivery of each (the lead's own outbox row) and
 * of the last qualification update queued after it went out. `titleOf` names viewed items.
 */
export function boothLeads(
  ctx: Pick<LeadsContext, 'db' | 'keys'>,
  leads: readonly OpenLead[],
  titleOf: (itemId: string) => string | null,
  forwarded: ReadonlyMap<string, ForwardedRecord> = new Map(),
): BoothLead[] {
  const rows = leadOutboxRows(
    ctx.db,
    leads.map((l) => l.id),
  );
  return leads.map((lead) => {
    const own = rows.get(lead.id) ?? [];
    const first = own.find((r) => r.idempotencyKey === `lead:${lead.id}`);
    const updates = own.filter((r) => r !== first);
    return {
      id: lead.id,
      capturedAt: lead.capturedAt,
      eventName: lead.eventName,
      firstName: lead.person.firstName ?? '',
      lastName: lead.person.lastName ?? '',
      company: lead.person.company ?? '',
      email: lead.person.email ?? '',
      viewed: lead.viewedItems.map((itemId) => ({ itemId, title: titleOf(itemId) })),
      interests: lead.interests,
      consentVersion: lead.consentVersion,
      // A lead purged from the outbox after delivery still says when it went.
      delivery:
        !first && lead.deliveredAt
          ? { state: 'sent', at: lead.deliveredAt, attempts: 0, reason: null }
          : deliveryOf(first),
      update: updates.length ? deliveryOf(updates.at(-1)) : null,
      crm: forwarded.get(`lead:${lead.id}`) ?? null,
      rating: isRating(lead.rating) ? lead.rating : null,
      staffNote: lead.staffNote,
      qualifiedAt: lead.qualifiedAt,
    };
  });
}

const isRating = (value: string | null): value is LeadRating => value === 'hot' || value === 'warm' || value === 'cold';

/**
 * Staff's qualification of a lead: the rating and the note (sealed, like the lead) in one
 * transaction with what the destination must hear. A lead whose record has not been sent yet
 * carries the qualification itself (its payload is opened at send time). One already sent, or
 * in a batch that was attempted (which goes again exactly as formed), gets an update queued:
 * the lead's record again, under its own key, marked as a qualification update. Salesforce
 * upserts it by the lead's external id, a webhook receives it as a new record of the same lead,
 * and a folder writes it in a new file with the same Pitchcase Lead ID, which an importer
 * upserting by that column applies.
 */
export function qualifyLead(
  ctx: LeadsContext,
  q: { leadId: string; rating: LeadRating | null; note: string },
): OpenLead {
  const now = ctx.clock.now().toISOString();
  const note = q.note.trim();
  const sealedNote = note ? seal(ctx.keys.leadKey(), { note }) : null;
  ctx.db.transaction(() => {
    const lead = leadById(ctx.db, q.leadId);
    if (!lead) throw new PitchcaseError('not-found', 'No such lead on this kiosk (it may have been purged)');
    updateQualification(ctx.db, q.leadId, { rating: q.rating, staffNote: sealedNote, at: now });
    const rows = leadOutboxRows(ctx.db, [q.leadId]).get(q.leadId) ?? [];
    const first = rows.find((r) => r.idempotencyKey === `lead:${q.leadId}`);
    const gone = lead.deliveredAt !== null || !first || first.sentAt !== null || first.inBatch;
    // An update queued earlier and not yet attempted carries the latest qualification itself.
    const waiting = rows.some((r) => r !== first && r.sentAt === null && !r.inBatch);
    if (gone && !waiting)
      enqueue(ctx.db, {
        kind: 'lead',
        idempotencyKey: `lead:${q.leadId}:qualified:${now}`,
        payload: { leadId: q.leadId, update: 'qualification' },
        createdAt: now,
      });
  })();
  const key = ctx.keys.leadKey();
  return openLead(key, leadById(ctx.db, q.leadId)!);
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

/**
 * One lead as it goes to CRM: clear fields, opened from the seal at send time, with staff's
 * qualification as it stands then. `update` marks a qualification update of a lead already sent.
 */
export function leadForDelivery(
  ctx: Pick<LeadsContext, 'db' | 'keys'>,
  leadId: string,
  update?: unknown,
): Record<string, unknown> | null {
  const row = leadById(ctx.db, leadId);
  if (!row) return null;
  const record = leadRecord(openLead(ctx.keys.leadKey(), row));
  return update === 'qualification' ? { ...record, update: 'qualification' } : record;
}

/** An opened lead in the flat shape every connector and export takes. */
function leadRecord(lead: OpenLead): Record<string, unknown> {
  return {
    leadId: lead.id,
    capturedAt: lead.capturedAt,
    consentVersion: lead.consentVersion,
    eventName: lead.eventName,
    rating: lead.rating,
    staffNote: lead.staffNote,
    qualifiedAt: lead.qualifiedAt,
    interests: lead.interests,
    viewedItems: lead.viewedItems,
    ...lead.person,
  };
}
