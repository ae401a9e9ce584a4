import { sql } from 'kysely';
import { z } from 'zod';
import {
  deviceStatusPayload,
  FLEET_KINDS,
  fleetRecord,
  searchMissPayload,
  type DeviceStatusPayload,
  type FleetKind,
} from '#shared/fleet';
import { quizAttemptPayload } from '#shared/quiz';
import { cutText, isWellFormedText } from '#shared/contract/text';
import { fold } from '#shared/text';
import type { FleetRecordTable } from './tables.ts';
import type { AuthenticatedDevice } from './device-auth.ts';

/**
 * What Studio accepts of each kind. Fields Studio does not read pass through untouched (a newer
 * app may add some); the fields it stores in columns are checked.
 */
const id = z.string().min(1).max(128);
const optionalText = (max: number) => z.string().max(max).nullable().optional();

const eventPayload = z
  .object({
    id,
    // A newer app may record a type this Studio does not know yet: it is kept (the dashboards
    // read the types they know), not refused, since a refused record is never sent again.
    type: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[a-z][a-z0-9.-]*$/, 'not an activity type'),
    itemId: optionalText(128),
    page: z.number().int().positive().max(100_000).nullable().optional(),
    dwellMs: z
      .number()
      .int()
      .nonnegative()
      .max(24 * 3_600_000)
      .nullable()
      .optional(),
    pitchId: optionalText(64),
    meetingId: optionalText(64),
  })
  .loose();

const meetingPayload = z
  .object({
    meetingId: id,
    Account: optionalText(200),
    Outcome: optionalText(200),
  })
  .loose();

const followupPayload = z.object({ followUpId: id, meetingId: optionalText(64) }).loose();

const leadPayload = z
  .object({
    leadId: id,
    consentVersion: z.string().max(40).nullable(),
    viewedItems: z.array(z.string().max(128)).max(500).optional(),
    /** The kiosk's retention rule, when the device sends it; Studio's default otherwise. */
    retentionDays: z.number().int().min(1).max(3650).optional(),
    /** Set when the record updates a lead sent before (staff qualified it): the same visitor, not a new one. */
    update: z.string().min(1).max(40).optional(),
  })
  .loose();

/** The schemas of record: what a record must be, part by part. */
export const recordSchemas = {
  envelope: fleetRecord as z.ZodType<z.infer<typeof fleetRecord>>,
  at: z.iso.datetime({ offset: true }) as z.ZodType<string>,
  payloads: {
    event: eventPayload,
    meeting: meetingPayload,
    followup: followupPayload,
    lead: leadPayload,
    'search-miss': searchMissPayload,
    'device-status': deviceStatusPayload,
    'quiz-attempt': quizAttemptPayload,
  } as Record<FleetKind, z.ZodType>,
};
type RecordSchemas = typeof recordSchemas;

/**
 * Every record of every batch goes through these: compiled, zod checks a valid record in
 * generated code instead of walking the schema (twice as fast here), and runs the schema itself
 * on a record the fast path refuses, so what is accepted and each refusal's reason stay the schema's.
 */
const compiledSchemas: RecordSchemas = {
  envelope: z.compile(recordSchemas.envelope),
  at: z.compile(recordSchemas.at),
  payloads: Object.fromEntries(
    Object.entries(recordSchemas.payloads).map(([kind, schema]) => [kind, z.compile(schema)]),
  ) as Record<FleetKind, z.ZodType>,
};

/**
 * Meetings, searches and leads have partial indexes of their kind only (migration 013); a planner
 * uses one only when the query names the kind as a literal, not as a bound parameter.
 */
export const kindLiteral = (kind: 'meeting' | 'search-miss' | 'lead') => sql.lit(kind);

/** How long Studio keeps a lead whose device sent no retention rule. */
export const DEFAULT_LEAD_RETENTION_DAYS = 365;

/** Zero-result queries are grouped by this: case, accents and spacing do not count. */
export const foldQuery = (query: string) => fold(query).replace(/\s+/g, ' ').trim();

/** Dwell falls in buckets about 5% wide, so a median over millions of views reads a small histogram. */
const BUCKET_BASE = Math.log(1.05);
export const dwellBucket = (ms: number) => (ms <= 0 ? 0 : 1 + Math.floor(Math.log(ms) / BUCKET_BASE));
/** The middle of a bucket, in milliseconds. */
export const bucketDwell = (bucket: number) => (bucket <= 0 ? 0 : Math.round(Math.exp((bucket - 0.5) * BUCKET_BASE)));

export type Checked =
  | { ok: true; row: FleetRecordTable; status: DeviceStatusPayload | null; lead: Record<string, unknown> | null }
  | { ok: false; idempotencyKey: string | null; reason: string };

/**
 * Text no database of Studio's stores as sent: a NUL character (PostgreSQL's text cannot hold
 * one) or half of a surrogate pair (not Unicode: PostgreSQL refuses it in JSON).
 */
const unstorable = (text: string) => text.includes('\u0000') || !isWellFormedText(text);
/** How JSON.stringify writes those: a NUL, or any surrogate it writes as an escape (a lone one; pairs go as they are). */
const UNSTORABLE_ESCAPED = /\\u(?:0000|d[89a-f])/;

/** Whether a string anywhere in a parsed payload (a key or a value) is unstorable text. */
function holdsUnstorable(value: unknown): boolean {
  if (typeof value === 'string') return unstorable(value);
  if (Array.isArray(value)) return value.some(holdsUnstorable);
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).some(([k, v]) => unstorable(k) || holdsUnstorable(v));
  return false;
}

function reasonOf(error: z.ZodError, prefix: string): string {
  const issue = error.issues[0];
  const where = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
  return `${where || 'record'}: ${issue?.message ?? 'invalid'}`;
}

/**
 * One record checked on its own: the envelope, its source (it must be this device), the time,
 * and the payload of its kind. The row's rep, booth, team and region are the device's as Studio
 * enrolled it, so a record cannot place itself in another team's figures.
 */
export function checkRecord(raw: unknown, device: AuthenticatedDevice, receivedAt: string): Checked {
  return checkWith(compiledSchemas, raw, device, receivedAt);
}

/** The same check with the schemas run as written: the reference the compiled one is tested against. */
export function checkRecordBySchema(raw: unknown, device: AuthenticatedDevice, receivedAt: string): Checked {
  return checkWith(recordSchemas, raw, device, receivedAt);
}

function checkWith(schemas: RecordSchemas, raw: unknown, device: AuthenticatedDevice, receivedAt: string): Checked {
  const envelope = schemas.envelope.safeParse(raw);
  const key =
    typeof raw === 'object' && raw !== null && typeof (raw as { idempotencyKey?: unknown }).idempotencyKey === 'string'
      ? ((raw as { idempotencyKey: string }).idempotencyKey.slice(0, 200) ?? null)
      : null;
  if (!envelope.success) return { ok: false, idempotencyKey: key, reason: reasonOf(envelope.error, '') };
  const record = envelope.data;
  if (record.source.deviceId !== device.id)
    return { ok: false, idempotencyKey: key, reason: 'source.deviceId: not the device that sent it' };
  if (!(FLEET_KINDS as readonly string[]).includes(record.kind))
    return { ok: false, idempotencyKey: key, reason: `kind: "${record.kind}" is not one Studio knows` };
  const kind = record.kind as FleetKind;
  if (!schemas.at.safeParse(record.at).success)
    return { ok: false, idempotencyKey: key, reason: 'at: not an ISO 8601 date and time' };
  const parsed = schemas.payloads[kind].safeParse(record.payload);
  if (!parsed.success) return { ok: false, idempotencyKey: key, reason: reasonOf(parsed.error, 'payload') };
  let payload: string;
  try {
    payload = JSON.stringify(parsed.data);
  } catch {
    // Fields Studio does not read pass through, however deeply nested: too deep to write out.
    return { ok: false, idempotencyKey: key, reason: 'payload: nested too deeply' };
  }
  // Refused here, unstorable text would fail its whole commit on PostgreSQL (and the batch, sent
  // again and again). JSON writes it as an escape, so only records whose payload has one are walked.
  if (
    unstorable(record.idempotencyKey) ||
    unstorable(record.source.appVersion) ||
    (UNSTORABLE_ESCAPED.test(payload) && holdsUnstorable(parsed.data))
  )
    return {
      ok: false,
      idempotencyKey: key,
      reason: 'record: text holds a NUL character or half a character (a lone surrogate), which Studio cannot store',
    };
  const at = new Date(record.at).toISOString();
  const row: FleetRecordTable = {
    device_id: device.id,
    idempotency_key: record.idempotencyKey,
    kind,
    at,
    day: at.slice(0, 10),
    received_at: receivedAt,
    rep: device.rep,
    booth: device.booth,
    team: device.team,
    region: device.region,
    app_version: record.source.appVersion,
    release_version: record.source.releaseVersion,
    event_type: null,
    item_id: null,
    page: null,
    dwell_ms: null,
    dwell_bucket: null,
    meeting_id: null,
    account: null,
    outcome: null,
    query_folded: null,
    consent_version: null,
    viewed_items: null,
    retain_until: null,
    payload,
    sealed: 0,
  };
  let status: DeviceStatusPayload | null = null;
  let lead: Record<string, unknown> | null = null;
  if (kind === 'event') {
    const p = parsed.data as z.infer<typeof eventPayload>;
    row.event_type = p.type;
    // An empty item id is no item, as a missing one is.
    row.item_id = p.itemId || null;
    row.page = p.page ?? null;
    row.dwell_ms = p.dwellMs ?? null;
    row.dwell_bucket = p.dwellMs === null || p.dwellMs === undefined ? null : dwellBucket(p.dwellMs);
    row.meeting_id = p.meetingId ?? null;
  } else if (kind === 'meeting') {
    const p = parsed.data as z.infer<typeof meetingPayload>;
    row.meeting_id = p.meetingId;
    row.account = p.Account || null;
    row.outcome = p.Outcome || null;
  } else if (kind === 'followup') {
    row.meeting_id = (parsed.data as z.infer<typeof followupPayload>).meetingId ?? null;
  } else if (kind === 'search-miss') {
    const folded = foldQuery((parsed.data as z.infer<typeof searchMissPayload>).query);
    if (!folded) return { ok: false, idempotencyKey: key, reason: 'payload.query: empty once folded' };
    row.query_folded = cutText(folded, 200);
  } else if (kind === 'lead') {
    const p = parsed.data as z.infer<typeof leadPayload>;
    row.consent_version = p.consentVersion;
    // A lead's event_type names an update of it; a new visitor's lead has none, and only those count.
    row.event_type = p.update ?? null;
    row.viewed_items = JSON.stringify(p.viewedItems ?? []);
    const days = p.retentionDays ?? DEFAULT_LEAD_RETENTION_DAYS;
    row.retain_until = new Date(Date.parse(at) + days * 86_400_000).toISOString();
    lead = p;
  } else if (kind === 'device-status') {
    status = parsed.data as DeviceStatusPayload;
  } else if (kind === 'quiz-attempt') {
    // Which quiz, in the column the activity dashboards leave empty for this kind.
    row.event_type = cutText((parsed.data as { quizId: string }).quizId, 64);
  }
  return { ok: true, row, status, lead };
}
