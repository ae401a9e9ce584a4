import { hkdfSync, randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  enrolAnswer,
  FLEET_PATHS,
  fleetIdentity,
  type EnrolAnswer,
  type EnrolRequest,
  type FleetFeed,
} from '#shared/fleet';
import { studioRules } from '#shared/connectors/studio';
import { PitchcaseError } from '#shared/result';
import { seal, unseal, type KeyProvider } from '../crypto/index.ts';
import { deviceAuthorization, studioUrls } from '../outbox/connectors/studio.ts';
import { endpointMessage, exchange, networkReason, redirectProblem } from '../outbox/http.ts';
import type { ReadDb, WriteDb } from '../storage/database.ts';
import { defineSetting, getSetting, putSetting, type SettingReport } from '../storage/settings.ts';

/**
 * What enrolment leaves on the device, one setting each: the enrolment itself (Studio's address,
 * the identity it assigned, the ingest and feed URLs and the device credential, sealed with a
 * key derived from the profile's lead key so the database never holds it in clear), this
 * device's own local id (for records made before or without enrolment), upload health, and
 * Studio's last feed.
 */
const enrolmentSetting = defineSetting(
  'fleet.enrolment',
  z
    .object({
      studioUrl: z.string().max(2048),
      identity: fleetIdentity,
      ingestUrl: z.string().max(2048),
      feedUrl: z.string().max(2048),
      /** The credential sealed (base64), never in clear. */
      credential: z.string().max(4096),
      enrolledAt: z.string(),
      revokedAt: z.string().nullable(),
    })
    .nullable(),
  null,
);
export type Enrolment = NonNullable<z.infer<typeof enrolmentSetting.schema>>;

/**
 * Every device has an id of its own from its first start, enrolled or not: an unenrolled rep's
 * CSV or webhook records still say which device made them (two tablets of one rep, a kiosk and
 * a laptop), without naming anyone. Enrolment replaces it on new records with Studio's id.
 */
const deviceSetting = defineSetting(
  'fleet.device',
  z.object({ localId: z.string().min(1).max(64), connectSkipped: z.boolean().default(false) }).nullable(),
  null,
);

const uploadSetting = defineSetting(
  'fleet.upload',
  z.object({
    lastUploadAt: z.string().nullable(),
    lastError: z.object({ at: z.string(), message: z.string() }).nullable(),
  }),
  { lastUploadAt: null, lastError: null },
);

/** The feed as stored: the contract's fields checked, anything Studio adds later kept as sent. */
const feedSchema = z
  .object({ deviceId: z.string().max(64), revoked: z.boolean(), generatedAt: z.string().max(40) })
  .passthrough();
const feedSetting = defineSetting('fleet.feed', z.object({ feed: feedSchema, fetchedAt: z.string() }).nullable(), null);

/**
 * The device left Studio of its own accord (Disconnect from Studio). While Studio has not been
 * told (the device was offline), `notice` keeps the sealed credential for that one request and
 * nothing else; once Studio answered, it is forgotten.
 */
const disconnectSetting = defineSetting(
  'fleet.disconnected',
  z
    .object({
      studioUrl: z.string().max(2048),
      at: z.string(),
      notice: z.string().max(4096).nullable(),
      toldAt: z.string().nullable(),
    })
    .nullable(),
  null,
);
export type Disconnection = NonNullable<z.infer<typeof disconnectSetting.schema>>;

export function readDisconnection(db: ReadDb | WriteDb, report: SettingReport): Disconnection | null {
  return getSetting(db, disconnectSetting, report);
}

export function writeDisconnection(db: WriteDb, disconnection: Disconnection | null): void {
  putSetting(db, disconnectSetting, disconnection);
}

const statusSetting = defineSetting('fleet.deviceStatus', z.object({ lastAt: z.string().nullable() }), {
  lastAt: null,
});

export function readEnrolment(db: ReadDb | WriteDb, report: SettingReport): Enrolment | null {
  return getSetting(db, enrolmentSetting, report);
}

export function writeEnrolment(db: WriteDb, enrolment: Enrolment | null): void {
  putSetting(db, enrolmentSetting, enrolment);
}

/** This device's local id and first-run choice, made on first use. */
export function localDevice(db: WriteDb, report: SettingReport): { localId: string; connectSkipped: boolean } {
  const stored = getSetting(db, deviceSetting, report);
  if (stored) return stored;
  const made = { localId: `local-${randomUUID()}`, connectSkipped: false };
  putSetting(db, deviceSetting, made);
  return made;
}

export function skipConnect(db: WriteDb, report: SettingReport): void {
  putSetting(db, deviceSetting, { ...localDevice(db, report), connectSkipped: true });
}

export function uploadHealth(db: ReadDb | WriteDb, report: SettingReport) {
  return getSetting(db, uploadSetting, report);
}

export function writeUploadHealth(db: WriteDb, health: z.infer<typeof uploadSetting.schema>): void {
  putSetting(db, uploadSetting, health);
}

export function storedFeed(db: ReadDb | WriteDb, report: SettingReport): { feed: FleetFeed; fetchedAt: string } | null {
  return getSetting(db, feedSetting, report);
}

export function writeFeed(db: WriteDb, feed: FleetFeed, fetchedAt: string): void {
  putSetting(db, feedSetting, { feed: feedSchema.parse(feed), fetchedAt });
}

export function lastDeviceStatusAt(db: ReadDb | WriteDb, report: SettingReport): string | null {
  return getSetting(db, statusSetting, report).lastAt;
}

export function noteDeviceStatus(db: WriteDb, at: string): void {
  putSetting(db, statusSetting, { lastAt: at });
}

/** Seals the device credential like the delivery secrets: a key of its own derived from the lead key. */
export function credentialBox(keys: KeyProvider) {
  let key: Buffer | null = null;
  const derived = () =>
    (key ??= Buffer.from(hkdfSync('sha256', keys.leadKey(), Buffer.alloc(0), 'pitchcase device credential', 32)));
  return {
    seal: (credential: string) => seal(derived(), credential).toString('base64'),
    open: (sealed: string) => unseal<string>(derived(), Buffer.from(sealed, 'base64')),
  };
}

/**
 * Studio's address as the rep gave it. The link in Studio's enrolment QR code
 * (`<studio>/enrol?code=…`) is accepted too: pasted or scanned into the address field, it
 * names the same Studio, so the device takes its base rather than posting under the link.
 */
export function studioAddressOf(typed: string): string {
  const trimmed = typed.trim();
  if (URL.canParse(trimmed)) {
    const url = new URL(trimmed);
    if (/\/enrol\/?$/.test(url.pathname)) return `${url.origin}${url.pathname.replace(/\/enrol\/?$/, '')}`;
  }
  return trimmed.replace(/\/+$/, '');
}

/**
 * Asks Studio to enrol this device with a code. Everything Studio answers is checked before
 * anything is stored; a refused or expired code comes back as Studio's words.
 */
/**
 * Tells Studio this device disconnected itself: true when Studio answered (it now shows the
 * device as disconnected, or no longer knows the credential), false when it could not be reached.
 */
export async function tellDisconnected(
  studioUrl: string,
  credential: string,
  transport: { fetchImpl: typeof fetch; timeoutMs: number },
): Promise<boolean> {
  const url = studioUrl.trim().replace(/\/+$/, '') + FLEET_PATHS.disconnect;
  try {
    const answer = await exchange(
      transport.fetchImpl,
      url,
      { method: 'POST', headers: { Authorization: deviceAuthorization(credential) } },
      transport.timeoutMs,
      'Studio',
    );
    // 401: Studio no longer knows the credential; 403: it revoked the device first. Either way
    // there is nothing more to tell it.
    return (answer.status >= 200 && answer.status <= 299) || answer.status === 401 || answer.status === 403;
  } catch {
    return false;
  }
}

export async function requestEnrolment(
  studioUrl: string,
  request: EnrolRequest,
  transport: { fetchImpl: typeof fetch; timeoutMs: number },
): Promise<EnrolAnswer> {
  const problem = studioRules.urlProblem(studioUrl);
  if (problem) throw new PitchcaseError('bad-request', problem);
  const url = studioUrls(studioUrl).enrol;
  const host = new URL(url).host;
  let answer;
  try {
    answer = await exchange(
      transport.fetchImpl,
      url,
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) },
      transport.timeoutMs,
      `Studio (${host})`,
    );
  } catch (error) {
    throw new PitchcaseError('refused', `Could not reach Studio at ${host}: ${networkReason(error)}`);
  }
  const redirect = redirectProblem(url, answer, `Studio (${host})`);
  if (redirect) throw new PitchcaseError('bad-request', redirect);
  if (answer.status === 404 && !answer.body.trim().startsWith('{'))
    throw new PitchcaseError('bad-request', `${host} is not a Studio (it has no enrolment page): check the address`);
  if (answer.status < 200 || answer.status > 299) {
    const said = endpointMessage(answer.body);
    throw new PitchcaseError(
      'refused',
      `Studio refused the code${said ? `: ${said}` : ` (HTTP ${answer.status})`}. Ask for a new code if it has expired or was used.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body) as unknown;
  } catch {
    throw new PitchcaseError('bad-request', `Studio (${host}) answered the enrolment with something that is not JSON`);
  }
  const checked = enrolAnswer.safeParse(parsed);
  if (!checked.success)
    throw new PitchcaseError(
      'bad-request',
      `Studio (${host}) answered the enrolment in a shape this version does not know`,
    );
  const identity = checked.data.identity;
  if ((identity.rep === null) === (identity.booth === null))
    throw new PitchcaseError('bad-request', 'Studio answered with an identity that is neither a rep nor a booth');
  for (const [what, value] of [
    ['ingest URL', checked.data.ingestUrl],
    ['feed URL', checked.data.feedUrl],
  ] as const) {
    const bad = studioRules.urlProblem(value);
    if (bad) throw new PitchcaseError('bad-request', `Studio's ${what}: ${bad}`);
  }
  return checked.data;
}
