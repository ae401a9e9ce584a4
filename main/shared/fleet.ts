import { z } from 'zod';

/**
 * The wire between an enrolled device and Studio. Devices and Studio both import these schemas, so
 * what one sends is what the other checks. Paths are relative to Studio's base URL.
 *
 * - `POST /api/fleet/enrol` (no credential; the code is the credential, single-use, expiring)
 * - `POST /api/fleet/ingest` (device credential + Idempotency-Key)
 * - `GET  /api/fleet/feed` (device credential): what Studio has for this device (revocation,
 *   feedback, leaderboards in later work), readable offline once fetched.
 *
 * The device credential travels as `Authorization: Device <deviceId>.<secret>`. A revoked device
 * gets 403 with `{ error: 'revoked' }` on every call; an unknown credential 401.
 */

export const FLEET_PATHS = {
  enrol: '/api/fleet/enrol',
  ingest: '/api/fleet/ingest',
  feed: '/api/fleet/feed',
  /** A device leaving Studio of its own accord (the rep or booth staff disconnected it). */
  disconnect: '/api/fleet/disconnect',
  /** The page Studio's QR code opens on a phone: how to enter the code in the app. */
  enrolPage: '/enrol',
  /** The rep's points, streak and leaderboards (main/shared/standing.ts), device credential. */
  standing: '/api/fleet/standing',
} as const;

export const DEVICE_AUTH_SCHEME = 'Device';

/** Who the device is, as Studio assigned it at enrolment. Exactly one of rep and booth is set. */
export const fleetIdentity = z
  .object({
    deviceId: z.string().min(1).max(64),
    rep: z.object({ name: z.string().max(200), email: z.string().max(320) }).nullable(),
    booth: z.object({ event: z.string().max(200) }).nullable(),
    team: z.string().max(200).nullable(),
    region: z.string().max(200).nullable(),
  })
  .strict();
export type FleetIdentity = z.infer<typeof fleetIdentity>;

export const enrolRequest = z
  .object({
    code: z.string().min(4).max(64),
    device: z
      .object({
        name: z.string().max(200),
        platform: z.string().max(64),
        appVersion: z.string().max(64),
        profileKind: z.enum(['standard', 'kiosk']),
      })
      .strict(),
  })
  .strict();
export type EnrolRequest = z.infer<typeof enrolRequest>;

export const enrolAnswer = z
  .object({
    identity: fleetIdentity,
    /** `<deviceId>.<secret>`: kept sealed on the device like the lead key. */
    credential: z.string().min(16).max(512),
    channel: z.object({ url: z.string().max(2048), publicKeys: z.array(z.string().max(4096)).min(1) }).strict(),
    /** Absolute URL of the ingest endpoint (the device adds Studio as an outbox destination). */
    ingestUrl: z.string().max(2048),
    feedUrl: z.string().max(2048),
  })
  .strict();
export type EnrolAnswer = z.infer<typeof enrolAnswer>;

/** The kinds a device sends. New kinds are added here, never renamed. */
export const FLEET_KINDS = [
  'event',
  'meeting',
  'followup',
  'lead',
  'search-miss',
  'device-status',
  'quiz-attempt',
] as const;
export type FleetKind = (typeof FLEET_KINDS)[number];

/** Stamped on every record a device sends: which device, who, which build and which release. */
export const recordSource = z
  .object({
    deviceId: z.string().max(64),
    rep: z.string().max(320).nullable(),
    booth: z.string().max(200).nullable(),
    team: z.string().max(200).nullable(),
    region: z.string().max(200).nullable(),
    appVersion: z.string().max(64),
    releaseVersion: z.number().int().nullable(),
  })
  .strict();
export type RecordSource = z.infer<typeof recordSource>;

/**
 * One record as sent: the outbox row's own idempotency key (stable across retries), its kind,
 * when it happened, its source, and the kind's payload (validated per kind by Studio).
 */
export const fleetRecord = z
  .object({
    idempotencyKey: z.string().min(1).max(200),
    kind: z.string().max(32),
    at: z.string().max(40),
    source: recordSource,
    payload: z.unknown(),
  })
  .strict();
export type FleetRecord = z.infer<typeof fleetRecord>;

/** The body of `POST /api/fleet/ingest` (the batch's key is the Idempotency-Key header). */
export const ingestBatch = z.object({ records: z.array(z.unknown()).max(5000) }).strict();

/** Studio's answer: 200 even when some records were refused, each with its reason. */
export interface IngestAnswer {
  /** Records stored by this call or an earlier call with the same Idempotency-Key. */
  accepted: number;
  /** True when the key had been seen: nothing was stored again. */
  duplicate: boolean;
  refused: { index: number; idempotencyKey: string | null; reason: string }[];
}

/** What the device reports about itself (kind `device-status`). */
export const deviceStatusPayload = z
  .object({
    releaseVersion: z.number().int().nullable(),
    lastSyncAt: z.string().nullable(),
    storageBytes: z.number().int().nonnegative(),
    freeBytes: z.number().int().nonnegative().nullable(),
    pending: z.record(z.string(), z.number().int().nonnegative()),
    appVersion: z.string(),
    profileKind: z.enum(['standard', 'kiosk']),
    /** Pitches on the device and whether each works offline (every file present). */
    pitches: z.array(z.object({ id: z.string(), title: z.string(), ready: z.boolean() }).strict()),
  })
  .strict();
export type DeviceStatusPayload = z.infer<typeof deviceStatusPayload>;

/** A search that found nothing (kind `search-miss`). The query as typed; Studio folds it. */
export const searchMissPayload = z
  .object({ query: z.string().min(1).max(200), surface: z.enum(['rep', 'kiosk']) })
  .strict();
export type SearchMissPayload = z.infer<typeof searchMissPayload>;

/** `GET /api/fleet/feed`: what Studio says to one device. */
export interface FleetFeed {
  deviceId: string;
  revoked: boolean;
  generatedAt: string;
  /**
   * Where Studio's forwarding to the CRM stands for this device's latest leads, by record key
   * (`lead:<id>`); absent from a Studio before forwarding. Never a visitor's details.
   */
  forwarded?: ForwardedRecord[];
}

/** One record Studio forwards to the CRM, as the device's staff see it. */
export interface ForwardedRecord {
  key: string;
  state: 'sent' | 'queued' | 'retrying' | 'waiting' | 'held';
  /** When it was sent; null before. */
  at: string | null;
  /** Why it waits or was not forwarded (the CRM's refusal, without personal data). */
  reason: string | null;
}
