import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { statfsSync } from 'node:fs';
import { hostname, platform } from 'node:os';
import type { FleetStatus, RecordsAboutMe, RecordedItem, RecordKindInfo } from '#shared/contract/fleet';
import { REVOKED_MESSAGE } from '#shared/contract/fleet';
import { studioRules } from '#shared/connectors/studio';
import {
  FLEET_KINDS,
  FLEET_PATHS,
  type DeviceStatusPayload,
  type FleetFeed,
  type FleetKind,
  type ForwardedRecord,
  type RecordSource,
} from '#shared/fleet';
import type { ProfileKind } from '#shared/library';
import { PitchcaseError } from '#shared/result';
import { standing as standingSchema, type Standing } from '#shared/standing';
import { fold } from '#shared/text';
import type { KeyProvider } from '../crypto/index.ts';
import { deviceAuthorization, saysRevoked, type StudioEndpoint } from '../outbox/connectors/studio.ts';
import { endpointMessage, exchange, networkReason } from '../outbox/http.ts';
import { enqueue, pendingOutboxByKind, stampRecordsWith, STUDIO_ONLY_KINDS, type OutboxRow } from '../outbox/store.ts';
import {
  abandonStudioLane,
  createStudioLane,
  type StudioFileKind,
  studioPendingCount,
  studioRefusedCount,
  studioStateOf,
} from '../outbox/studio-lane.ts';
import type { ReadDb, WriteDb } from '../storage/database.ts';
import type { Transport } from '../outbox/connectors/connector.ts';
import { defineSetting, getSetting, putSetting } from '../storage/settings.ts';
import type { Clock, Log } from '../types.ts';
import {
  credentialBox,
  lastDeviceStatusAt,
  localDevice,
  noteDeviceStatus,
  readDisconnection,
  readEnrolment,
  requestEnrolment,
  skipConnect,
  storedFeed,
  studioAddressOf,
  tellDisconnected,
  uploadHealth,
  writeDisconnection,
  writeEnrolment,
  writeFeed,
  writeUploadHealth,
  type Enrolment,
} from './enrolment.ts';

/**
 * The device's half of the fleet: enrolment with Studio by a code, the source stamped on every
 * record, Studio's lane of the outbox, the kinds only Studio takes (searches that found nothing,
 * the device's own status), Studio's feed kept for offline reading, and what the rep may see of
 * all of it. A device that never enrols keeps working exactly as before: its records carry its
 * local id and versions, and nothing goes to Studio.
 */
export interface FleetOptions {
  db: WriteDb;
  read: ReadDb;
  keys: KeyProvider;
  clock: Clock;
  log: Log;
  profileDir: string;
  profileKind: ProfileKind;
  appVersion: string;
  /** Sets the channel (URL and pinned keys) Studio gave; throws for a bad one, changing nothing. */
  setChannel(channel: { url: string; publicKeys: string[] }): void;
  /** What device-status reports of content sync. */
  syncFacts(): { lastSyncAt: string | null; storageBytes: number };
  /** The pitches on the device and whether each works offline. */
  pitches(): { id: string; title: string; ready: boolean }[];
  /** Where records of a kind go besides Studio ("Where records go"), as the card names them. */
  otherDestinations(kind: FleetKind): string[];
  /** What a lead row becomes on the wire (opened from its seal). */
  expand(row: OutboxRow): unknown;
  /** In the transaction that marks rows sent to Studio. */
  onStudioSent?(rows: readonly OutboxRow[], at: string): void;
  onChanged(flags: { enrolled: boolean; revoked: boolean }): void;
  /** A kind sent to Studio as files (practice recordings), uploaded after the batches. */
  files?: StudioFileKind;
  /** Other feeds read from Studio with the device credential when the device syncs (practice feedback). */
  pullFeeds?(endpoint: StudioEndpoint, transport: Transport): Promise<'revoked' | 'done' | 'failed'>;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
  retryBaseMs?: number;
  maxBackoffMs?: number;
  batchSize?: number;
}

const forwardedRecords: z.ZodType<ForwardedRecord[]> = z
  .array(
    z.object({
      key: z.string().max(300),
      state: z.enum(['sent', 'queued', 'retrying', 'waiting', 'held']),
      at: z.string().max(40).nullable(),
      reason: z.string().max(600).nullable(),
    }),
  )
  .max(1000);

const kindInfo: Record<FleetKind, { label: string; holds: string }> = {
  event: {
    label: 'Activity',
    holds: 'Which item and page you opened or presented, for how long, in which pitch or meeting.',
  },
  meeting: {
    label: 'Meetings',
    holds: 'A meeting you logged: subject, account or contact you picked, outcome, what was shown.',
  },
  followup: { label: 'Follow-ups', holds: 'A follow-up e-mail you shared after a meeting: recipients and body.' },
  lead: {
    label: 'Leads',
    holds: "A visitor's details they entered with consent at a kiosk (sealed on the device until sent).",
  },
  'search-miss': {
    label: 'Searches that found nothing',
    holds: 'The words of a search you settled on that found nothing, so marketing can fill the gap.',
  },
  'device-status': {
    label: 'Device status',
    holds: "This device's release, app version, last sync, storage, waiting uploads and whether pitches work offline.",
  },
  'quiz-attempt': {
    label: 'Quiz answers',
    holds: 'A quiz you took: which quiz, the choices you picked, your score and whether you passed.',
  },
};

/** The rep's standing as Studio last sent it, kept for offline reading with when it was fetched. */
const standingSetting = defineSetting(
  'fleet.standing',
  z.object({ standing: standingSchema, fetchedAt: z.string() }).nullable(),
  null,
);

export function createFleet(options: FleetOptions) {
  const { db, read, log } = options;
  const box = credentialBox(options.keys);
  const transport = { fetchImpl: options.fetchImpl ?? fetch, timeoutMs: options.timeoutMs ?? 30_000 };
  const device = localDevice(db, log);
  let enrolment = readEnrolment(db, log);
  const active = () => enrolment !== null && enrolment.revokedAt === null;
  const surface = options.profileKind === 'kiosk' ? 'kiosk' : 'rep';

  const releaseVersion = (): number | null =>
    (db.prepare(`SELECT version FROM releases WHERE state = 'current'`).get() as { version: number } | undefined)
      ?.version ?? null;

  /** Who and what makes a record now: read in the transaction that makes it. */
  function source(): RecordSource {
    const identity = enrolment?.identity ?? null;
    return {
      deviceId: identity?.deviceId ?? device.localId,
      rep: identity?.rep?.email || identity?.rep?.name || null,
      booth: identity?.booth?.event ?? null,
      team: identity?.team ?? null,
      region: identity?.region ?? null,
      appVersion: options.appVersion,
      releaseVersion: releaseVersion(),
    };
  }
  const unstamp = stampRecordsWith(db, {
    source,
    toStudio: (kind) => active() && (studioRules.takes(kind) || kind === options.files?.kind),
  });

  const changed = () => options.onChanged({ enrolled: enrolment !== null, revoked: enrolment?.revokedAt != null });

  function markRevoked(at: string): void {
    if (!enrolment || enrolment.revokedAt !== null) return;
    enrolment = { ...enrolment, revokedAt: at };
    writeEnrolment(db, enrolment);
    changed();
  }

  function endpoint(): StudioEndpoint | null {
    if (!enrolment || enrolment.revokedAt !== null) return null;
    try {
      return { type: 'studio', ingestUrl: enrolment.ingestUrl, credential: box.open(enrolment.credential) };
    } catch (error) {
      const message = `The device credential cannot be opened on this device (${(error as Error).message}): enrol again`;
      writeUploadHealth(db, {
        ...uploadHealth(db, log),
        lastError: { at: options.clock.now().toISOString(), message },
      });
      return null;
    }
  }

  const lane = createStudioLane({
    db,
    clock: options.clock,
    log,
    endpoint,
    fallbackSource: source,
    expand: options.expand,
    ...(options.onStudioSent ? { onSent: options.onStudioSent } : {}),
    onRevoked: markRevoked,
    transport,
    ...(options.files ? { files: options.files } : {}),
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    ...(options.retryBaseMs ? { retryBaseMs: options.retryBaseMs } : {}),
    ...(options.maxBackoffMs ? { maxBackoffMs: options.maxBackoffMs } : {}),
  });

  async function upload(request: { retryNow?: boolean } = {}) {
    await sendDisconnectNotice();
    const report = await lane.flush(request);
    const at = options.clock.now().toISOString();
    const health = uploadHealth(db, log);
    if (report.revoked) writeUploadHealth(db, { ...health, lastError: { at, message: REVOKED_MESSAGE } });
    else if (report.lastError) writeUploadHealth(db, { ...health, lastError: { at, message: report.lastError } });
    else if (report.delivered > 0 || report.refused > 0) writeUploadHealth(db, { lastUploadAt: at, lastError: null });
    if (report.delivered > 0 || report.refused > 0 || report.failed > 0) changed();
    return report;
  }

  /** Studio has not heard yet that this device disconnected itself: it is told, once, when it can be reached. */
  async function sendDisconnectNotice(): Promise<void> {
    const pending = readDisconnection(db, log);
    if (!pending?.notice) return;
    let credential: string;
    try {
      credential = box.open(pending.notice);
    } catch {
      // Sealed under a key this device no longer has: nothing can be sent with it.
      writeDisconnection(db, { ...pending, notice: null });
      return;
    }
    if (!(await tellDisconnected(pending.studioUrl, credential, transport))) return;
    writeDisconnection(db, { ...pending, notice: null, toldAt: options.clock.now().toISOString() });
    log.info('Studio told this device disconnected', { studio: pending.studioUrl });
    changed();
  }

  /** Studio's feed for this device, kept for offline reading; a revoked device learns it here too. */
  async function fetchFeed(): Promise<void> {
    if (!enrolment || enrolment.revokedAt !== null) return;
    const opened = endpoint();
    if (!opened) return;
    const host = new URL(enrolment.feedUrl).host;
    let answer;
    try {
      answer = await exchange(
        transport.fetchImpl,
        enrolment.feedUrl,
        { headers: { Accept: 'application/json', Authorization: deviceAuthorization(opened.credential) } },
        transport.timeoutMs,
        `Studio (${host})`,
      );
    } catch (error) {
      log.warn('Studio feed not fetched', { reason: networkReason(error) });
      return;
    }
    const at = options.clock.now().toISOString();
    if (saysRevoked(answer.status, answer.body)) return markRevoked(at);
    if (answer.status !== 200) {
      log.warn('Studio feed not fetched', { status: answer.status, reason: endpointMessage(answer.body) });
      return;
    }
    let feed: FleetFeed;
    try {
      feed = JSON.parse(answer.body) as FleetFeed;
      writeFeed(db, feed, at);
    } catch (error) {
      log.warn('Studio feed not understood', { reason: (error as Error).message });
      return;
    }
    if (feed.revoked) return markRevoked(at);
    if (options.pullFeeds && (await options.pullFeeds(opened, transport)) === 'revoked') markRevoked(at);
    changed();
  }

  /**
   * The rep's points and leaderboards, fetched with the device credential beside the feed. A
   * failure keeps the last standing (shown with its age); a booth has none to fetch.
   */
  async function fetchStanding(): Promise<void> {
    if (!enrolment || enrolment.revokedAt !== null || !enrolment.identity.rep) return;
    const opened = endpoint();
    if (!opened) return;
    const url = standingUrlOf(enrolment.feedUrl);
    let answer;
    try {
      answer = await exchange(
        transport.fetchImpl,
        url,
        { headers: { Accept: 'application/json', Authorization: deviceAuthorization(opened.credential) } },
        transport.timeoutMs,
        `Studio (${new URL(url).host})`,
      );
    } catch (error) {
      log.warn('standing not fetched', { reason: networkReason(error) });
      return;
    }
    const at = options.clock.now().toISOString();
    if (saysRevoked(answer.status, answer.body)) return markRevoked(at);
    if (answer.status !== 200) {
      log.warn('standing not fetched', { status: answer.status, reason: endpointMessage(answer.body) });
      return;
    }
    let standing: Standing;
    try {
      standing = standingSchema.parse(JSON.parse(answer.body));
    } catch (error) {
      log.warn('standing not understood', { reason: (error as Error).message });
      return;
    }
    putSetting(db, standingSetting, { standing, fetchedAt: at });
    changed();
  }

  // Searches that found nothing: one record per folded query per session (the rep's app run,
  // a kiosk visitor's session), and nothing that says who the visitor was.
  let missesThisSession = new Set<string>();

  function deviceStatusPayload(): DeviceStatusPayload {
    const facts = options.syncFacts();
    let freeBytes: number | null;
    try {
      const fs = statfsSync(options.profileDir);
      freeBytes = Number(fs.bavail) * Number(fs.bsize);
    } catch {
      freeBytes = null;
    }
    const pending = { ...pendingOutboxByKind(read), studio: studioPendingCount(read) };
    return {
      releaseVersion: releaseVersion(),
      lastSyncAt: facts.lastSyncAt,
      storageBytes: facts.storageBytes,
      freeBytes,
      pending,
      appVersion: options.appVersion,
      profileKind: options.profileKind,
      pitches: options.pitches(),
    };
  }

  const DAY_MS = 24 * 3_600_000;
  const MAX_MISSES_PER_SESSION = 50;

  return {
    source,

    /** Whether records can go to Studio now, and the endpoint with the credential opened if so. */
    link(): { state: 'connected'; endpoint: StudioEndpoint } | { state: 'not-enrolled' } | { state: 'revoked' } {
      if (!enrolment) return { state: 'not-enrolled' };
      if (enrolment.revokedAt !== null) return { state: 'revoked' };
      const opened = endpoint();
      return opened ? { state: 'connected', endpoint: opened } : { state: 'not-enrolled' };
    },

    /** What Studio last said of forwarding this device's records to the CRM, by record key. */
    forwarded(): ReadonlyMap<string, ForwardedRecord> {
      if (!enrolment) return new Map();
      // The feed is kept as Studio sent it: what is shown on the staff screen is checked here.
      const forwarded = forwardedRecords.safeParse(storedFeed(read, log)?.feed.forwarded ?? []);
      return new Map(forwarded.success ? forwarded.data.map((f) => [f.key, f]) : []);
    },

    /** Records waiting for Studio (none while not enrolled or once revoked). */
    pendingForStudio(): number {
      return active() ? studioPendingCount(read) : 0;
    },

    status(): FleetStatus {
      const health = uploadHealth(read, log);
      const revokedAt = enrolment?.revokedAt ?? null;
      const disconnection = enrolment ? null : readDisconnection(read, log);
      return {
        deviceId: enrolment?.identity.deviceId ?? device.localId,
        enrolled: enrolment !== null,
        revoked: revokedAt ? { at: revokedAt, message: REVOKED_MESSAGE } : null,
        identity: enrolment?.identity ?? null,
        // After a disconnection, the address it had (the connect form offers it again).
        studioUrl: enrolment?.studioUrl ?? disconnection?.studioUrl ?? null,
        enrolledAt: enrolment?.enrolledAt ?? null,
        disconnected: disconnection
          ? { at: disconnection.at, studioUrl: disconnection.studioUrl, studioTold: disconnection.notice === null }
          : null,
        connectSkipped: localDevice(db, log).connectSkipped,
        pending: active() ? studioPendingCount(read) : 0,
        refused: studioRefusedCount(read),
        lastUploadAt: health.lastUploadAt,
        lastError: health.lastError,
        feed: storedFeed(read, log),
      };
    },

    /**
     * Enrols with Studio by a code. Studio's answer is checked whole, then the channel, the
     * sealed credential and the identity are stored in one transaction: a refused code, an
     * unreachable Studio or a bad answer changes nothing.
     */
    async enrol(request: { studioUrl: string; code: string; deviceName?: string }): Promise<FleetStatus> {
      if (active())
        throw new PitchcaseError(
          'refused',
          `This device is already connected to ${enrolment!.studioUrl}; it cannot be enrolled again unless Studio disconnects it`,
        );
      const studioUrl = studioAddressOf(request.studioUrl);
      const answer = await requestEnrolment(
        studioUrl,
        {
          code: request.code.trim(),
          device: {
            name: (request.deviceName?.trim() || hostname()).slice(0, 200),
            platform: platform(),
            appVersion: options.appVersion.slice(0, 64),
            profileKind: options.profileKind,
          },
        },
        transport,
      );
      const at = options.clock.now().toISOString();
      const next: Enrolment = {
        studioUrl,
        identity: answer.identity,
        ingestUrl: answer.ingestUrl,
        feedUrl: answer.feedUrl,
        credential: box.seal(answer.credential),
        enrolledAt: at,
        revokedAt: null,
      };
      db.transaction(() => {
        if (enrolment) abandonStudioLane(db, 'Made while enrolled before this device was disconnected: not sent');
        options.setChannel({ url: answer.channel.url, publicKeys: answer.channel.publicKeys });
        writeEnrolment(db, next);
        writeUploadHealth(db, { lastUploadAt: null, lastError: null });
      })();
      enrolment = next;
      log.info('device enrolled with Studio', {
        studio: studioUrl,
        deviceId: answer.identity.deviceId,
        as: answer.identity.booth ? 'booth' : 'rep',
      });
      changed();
      return this.status();
    },

    /**
     * "Disconnect from Studio": nothing more goes to Studio (what waited for it stays on the
     * device, marked not sent), the credential and identity are forgotten, the release and every
     * local record stay. Studio is told now when it can be reached; otherwise the sealed
     * credential is kept for that notice alone and sent at the next contact.
     */
    async disconnect(): Promise<FleetStatus> {
      if (!enrolment) throw new PitchcaseError('refused', 'This device is not connected to Studio');
      const leaving = enrolment;
      let credential: string | null;
      try {
        credential = box.open(leaving.credential);
      } catch {
        credential = null; // Sealed under a key this device no longer has: Studio cannot be told.
      }
      // A device Studio already revoked has nothing to tell it.
      const told =
        leaving.revokedAt !== null ||
        credential === null ||
        (await tellDisconnected(leaving.studioUrl, credential, {
          ...transport,
          timeoutMs: Math.min(transport.timeoutMs, 10_000),
        }));
      const at = options.clock.now().toISOString();
      db.transaction(() => {
        abandonStudioLane(db, 'Made before this device was disconnected from Studio: not sent');
        writeEnrolment(db, null);
        writeDisconnection(db, {
          studioUrl: leaving.studioUrl,
          at,
          notice: told ? null : leaving.credential,
          toldAt: told ? at : null,
        });
        writeUploadHealth(db, { lastUploadAt: null, lastError: null });
      })();
      enrolment = null;
      log.info('device disconnected from Studio', { studio: leaving.studioUrl, studioTold: told });
      changed();
      return this.status();
    },

    skipConnect(): FleetStatus {
      skipConnect(db, log);
      return this.status();
    },

    /** Uploads what is due to Studio and fetches its feed. */
    async sync(request: { retryNow?: boolean } = {}): Promise<FleetStatus> {
      await upload(request);
      await fetchFeed();
      await fetchStanding();
      return this.status();
    },

    upload,
    fetchFeed,
    fetchStanding,

    /** The standing last fetched (null before the first), and whether a newer one can come. */
    standing(): { standing: Standing | null; fetchedAt: string | null; enrolled: boolean } {
      const stored = getSetting(read, standingSetting, log);
      return {
        standing: stored?.standing ?? null,
        fetchedAt: stored?.fetchedAt ?? null,
        enrolled: active() && enrolment?.identity.rep != null,
      };
    },

    /**
     * A search the rep (or a kiosk visitor) settled on. One that found nothing becomes a
     * `search-miss` record, once per folded query per session, while the device is enrolled.
     */
    searchSettled(query: string, results: number): void {
      if (results > 0 || !active()) return;
      const text = query.trim().slice(0, 200);
      const folded = fold(text);
      // A visitor typing nonsense on purpose fills a session's allowance, not Studio.
      if (!folded || missesThisSession.has(folded) || missesThisSession.size >= MAX_MISSES_PER_SESSION) return;
      missesThisSession.add(folded);
      const at = options.clock.now().toISOString();
      db.transaction(() =>
        enqueue(db, {
          kind: 'search-miss',
          idempotencyKey: `search-miss:${randomUUID()}`,
          payload: { query: text, surface },
          createdAt: at,
        }),
      )();
    },

    /** A new session begins (a kiosk visitor left or arrived): misses are counted afresh. */
    newSearchSession(): void {
      missesThisSession = new Set();
    },

    /**
     * Queues a `device-status` record. 'daily' is the timer's: it records only when no
     * status went out in the last 24 hours (start and sync always record).
     */
    recordDeviceStatus(reason: 'start' | 'sync' | 'daily' | 'enrolled'): boolean {
      if (!active()) return false;
      const now = options.clock.now();
      if (reason === 'daily') {
        const last = lastDeviceStatusAt(db, log);
        if (last && now.getTime() - Date.parse(last) < DAY_MS) return false;
      }
      const payload = deviceStatusPayload();
      const at = now.toISOString();
      db.transaction(() => {
        enqueue(db, {
          kind: 'device-status',
          idempotencyKey: `device-status:${randomUUID()}`,
          payload,
          createdAt: at,
        });
        noteDeviceStatus(db, at);
      })();
      return true;
    },

    recordsAboutMe(limit: number): RecordsAboutMe {
      const kinds: RecordKindInfo[] = FLEET_KINDS.filter(
        // A rep's device makes no leads; a kiosk makes no meetings: only kinds this profile makes.
        (kind) =>
          options.profileKind === 'kiosk'
            ? kind !== 'meeting' && kind !== 'followup' && kind !== 'quiz-attempt'
            : kind !== 'lead',
      ).map((kind) => ({
        kind,
        ...kindInfo[kind],
        destinations: [
          ...(active() ? [`${studioRules.label}: ${enrolment!.studioUrl}`] : []),
          ...((STUDIO_ONLY_KINDS as readonly string[]).includes(kind) ? [] : options.otherDestinations(kind)),
        ],
      }));
      const rows = read
        .prepare(`SELECT id, kind, payload, created_at, source, sent_at FROM outbox ORDER BY id DESC LIMIT ?`)
        .all(limit) as {
        id: number;
        kind: string;
        payload: string;
        created_at: string;
        source: string | null;
        sent_at: string | null;
      }[];
      const recent: RecordedItem[] = rows.map((row) => {
        const studio = studioStateOf(read, row.id);
        return {
          kind: row.kind,
          at: row.created_at,
          summary: summaryOf(row.kind, JSON.parse(row.payload) as Record<string, unknown>),
          source: row.source ? (JSON.parse(row.source) as RecordSource) : null,
          studio: !studio
            ? { state: 'not-sent', reason: null }
            : studio.refused
              ? { state: 'refused', reason: studio.refused }
              : { state: studio.sentAt ? 'sent' : 'waiting', reason: null },
          sentElsewhere: row.sent_at !== null,
        };
      });
      return { source: source(), kinds, recent };
    },

    close(): void {
      unstamp();
    },
  };
}

/** The standing lives beside the feed on the Studio the device enrolled with. */
function standingUrlOf(feedUrl: string): string {
  const url = new URL(feedUrl);
  url.pathname = url.pathname.endsWith(FLEET_PATHS.feed)
    ? url.pathname.slice(0, -FLEET_PATHS.feed.length) + FLEET_PATHS.standing
    : FLEET_PATHS.standing;
  url.search = '';
  return url.toString();
}

/** One line about a record, for the rep: never a lead's personal data. */
function summaryOf(kind: string, payload: Record<string, unknown>): string {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  if (kind === 'event') {
    const page = typeof payload.page === 'number' ? `, page ${payload.page}` : '';
    const dwell = typeof payload.dwellMs === 'number' ? `, ${Math.round(payload.dwellMs / 1000)} s` : '';
    return `${text(payload.type)} ${text(payload.itemId)}${page}${dwell}`.trim();
  }
  if (kind === 'meeting') return `Meeting: ${text(payload.Subject) || '(no subject)'}`;
  if (kind === 'followup') return `Follow-up: ${text(payload.Subject) || '(no subject)'}`;
  if (kind === 'lead') return "A visitor's details (sealed on this device)";
  if (kind === 'practice-recording') return `Practice recording for review: ${text(payload.promptTitle)}`;
  if (kind === 'search-miss') return `“${text(payload.query)}” found nothing`;
  if (kind === 'quiz-attempt') {
    const score = typeof payload.percent === 'number' ? `${payload.percent}%` : '';
    return `Quiz: ${text(payload.quizTitle)} ${score}${payload.passed === true ? ', passed' : ''}`.trim();
  }
  if (kind === 'device-status') {
    const pitches = Array.isArray(payload.pitches) ? (payload.pitches as { ready?: unknown }[]) : [];
    const ready = pitches.filter((p) => p.ready === true).length;
    return `Release ${typeof payload.releaseVersion === 'number' ? payload.releaseVersion : 'none'}, ${ready} of ${pitches.length} pitches ready offline`;
  }
  return kind;
}

export type Fleet = ReturnType<typeof createFleet>;
export { fleetHandlers } from './handlers.ts';
