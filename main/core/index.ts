import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mayHear } from '#shared/access';
import type { PitchcaseApi } from '#shared/contract';
import { createAudienceRelay, audienceHandlers } from './audience/index.ts';
import { createSync, installEmbedded, recoverAtStart, syncHandlers } from './channel/index.ts';
import { createContent, SITE_GLOSSARY_SCRIPT_FILE } from './content/index.ts';
import { createCrm, crmHandlers } from './crm/index.ts';
import { createEntry } from './entry.ts';
import { createEventBus } from './events.ts';
import { createFleet, fleetHandlers, type Fleet } from './fleet/index.ts';
import { createKiosk, keyFileProvider, kioskHandlers, leadForDelivery, markLeadsDelivered } from './kiosk/index.ts';
import { libraryHandlers, noteReleaseSwitched, visibilityFor } from './library/index.ts';
import { openProfileFolder } from './profile/index.ts';
import {
  awaitedByStudio,
  createDelivery,
  createDestinations,
  deliveryHandlers,
  deliveryStatus,
  onQueued,
  pendingOutboxCount,
  sentElsewhere,
  type OutboxRow,
} from './outbox/index.ts';
import { createPresenting, presentingHandlers } from './presenting/index.ts';
import { createRehearse, PRACTICE_RECORDING_KIND, rehearseHandlers } from './rehearse/index.ts';
import { createQuizzes, quizzesHandlers } from './quizzes/index.ts';
import { createSearch, searchHandlers } from './search/index.ts';
import { BlobStore } from './storage/blobs.ts';
import { openStorage } from './storage/database.ts';
import { announceUpdates, updatesHandlers } from './updates/index.ts';
import type { Clock, Core, CoreOptions, Log } from './types.ts';

export type { Core, CoreOptions, ContentService, Clock, Log, EmbeddedRelease, AppUpdater } from './types.ts';
export type { CallOrigin } from './entry.ts';
export type { KeyProvider } from './crypto/index.ts';
export type { ContentResponse } from './content/index.ts';
export {
  chooseProfileKind,
  defaultProfileDir,
  parseRememberedProfileKind,
  PROFILE_KIND_FILE,
  readRememberedProfileKind,
  rememberProfileKind,
  resolveProfileDir,
  serializeProfileKind,
  type ProfileKindChoice,
} from './profile/index.ts';

export const systemClock: Clock = { now: () => new Date() };

export const silentLog: Log = { info() {}, warn() {}, error() {} };

export const stderrLog: Log = {
  info: (message, fields) => process.stderr.write(`${JSON.stringify({ level: 'info', message, ...fields })}\n`),
  warn: (message, fields) => process.stderr.write(`${JSON.stringify({ level: 'warn', message, ...fields })}\n`),
  error: (message, fields) => process.stderr.write(`${JSON.stringify({ level: 'error', message, ...fields })}\n`),
};

/** This build's version (package.json), as the fleet and the release channel see it. */
export function readPackageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * The built script that shows the glossary inside microsite pages. Like package.json above, it
 * is found from this file: main/core in a checkout, build/electron in the bundle, both two
 * levels under the root that holds build/renderer.
 */
const defaultSiteGlossaryScript = path.join(
  import.meta.dirname,
  '..',
  '..',
  'build',
  'renderer',
  SITE_GLOSSARY_SCRIPT_FILE,
);

/**
 * The whole product logic behind one object, independent of the shell that runs it.
 * Electron, the browser host and the CLI all build it the same way. This is wiring only: each
 * capability owns its rules and its slice of the contract (<capability>/handlers.ts); the
 * access table decides who may call what where calls enter (entry.ts).
 */
export async function createCore(options: CoreOptions): Promise<Core> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLog;
  const profileKind = options.profileKind ?? 'standard';
  const backgroundSync = options.backgroundSync ?? false;
  openProfileFolder(options.profileDir);
  const storage = openStorage(path.join(options.profileDir, 'pitchcase.db'));
  const blobs = new BlobStore(options.profileDir, options.durability);
  const events = createEventBus();
  const visibility = visibilityFor(profileKind, clock);
  const appVersion = options.appVersion ?? readPackageVersion();
  // Made once the outbox's destinations exist; search and sync reach it through this.
  let fleet: Fleet | null = null;

  const installCtx = { db: storage.write, blobs, now: () => clock.now(), appVersion };
  const libraryChanged = (version: number) => {
    noteReleaseSwitched(storage.write, storage.read, log);
    events.emit('library.changed', { version });
  };
  // Before anything reads the library: recovery of an interrupted sync, then the demo library.
  try {
    await recoverAtStart(installCtx, log);
    const installed = options.embeddedRelease
      ? await installEmbedded(installCtx, storage.read, options.embeddedRelease, log)
      : null;
    if (installed !== null) libraryChanged(installed);
  } catch (error) {
    storage.close();
    throw error;
  }

  const search = createSearch({
    read: storage.read,
    write: storage.write,
    blobs,
    profileDir: options.profileDir,
    clock,
    log,
    kioskOnly: profileKind === 'kiosk',
    onSettled: (query, results) => fleet?.searchSettled(query, results),
  });
  events.on('library.changed', () => void search.refresh());
  await search.ready;

  const sync = createSync({
    db: storage.write,
    read: storage.read,
    blobs,
    clock,
    log,
    appVersion,
    // Told to update by a release, the app looks for its own update at once, not in an hour.
    onAppTooOld: () => void options.updater?.check().catch(() => {}),
    onStatus: (status) => events.emit('sync.status', status),
    onLibraryChanged: libraryChanged,
    pendingUploads: () => pendingOutboxCount(storage.read) + (fleet?.pendingForStudio() ?? 0),
    kioskOnly: profileKind === 'kiosk',
    ...options.sync,
  });
  const stopSchedule = backgroundSync ? sync.startSchedule() : () => {};

  const keys = options.keys ?? keyFileProvider(options.profileDir);
  const kiosk = createKiosk({
    db: storage.write,
    read: storage.read,
    clock,
    log,
    keys,
    profileKind,
    visibility,
    forwarded: () => fleet?.forwarded() ?? new Map(),
  });
  const audience = createAudienceRelay((state) => events.emit('presenter.audience', state));
  const presenting = createPresenting({
    db: storage.write,
    read: storage.read,
    blobs,
    clock,
    visibility,
    siteBaseUrl: options.siteBaseUrl,
  });

  const rehearse = createRehearse({
    db: storage.write,
    read: storage.read,
    clock,
    profileDir: options.profileDir,
    visibility,
    ...(options.durability ? { durability: options.durability } : {}),
    log,
    studio: () => fleet?.link() ?? { state: 'not-enrolled' },
    ...(options.practiceChunkBytes ? { chunkBytes: options.practiceChunkBytes } : {}),
    onReviewChanged: () => events.emit('rehearse.changed', {}),
  });

  // Where records go: secrets sealed with the profile's key, opened only for a request.
  const destinations = createDestinations({
    db: storage.write,
    read: storage.read,
    keys,
    clock,
    log,
    ...(options.delivery?.fetchImpl ? { fetchImpl: options.delivery.fetchImpl } : {}),
    ...(options.delivery?.timeoutMs ? { timeoutMs: options.delivery.timeoutMs } : {}),
  });
  // The outbox: leads are opened from their seal only here, as they go out.
  const leadIdOf = (row: OutboxRow) => String((row.payload as { leadId?: unknown }).leadId ?? '');
  const expandRow = (row: OutboxRow) =>
    row.kind === 'lead'
      ? (leadForDelivery({ db: storage.write, keys }, leadIdOf(row), (row.payload as { update?: unknown }).update) ??
        row.payload)
      : row.payload;
  const delivery = createDelivery({
    db: storage.write,
    clock,
    log,
    // A follow-up e-mail goes to the CRM connector that takes the meeting it follows.
    endpoints: () => destinations.endpoints(),
    expand: expandRow,
    // A lead is delivered (and may be purged after its retention) once every destination has it.
    onSent: (rows, at) =>
      markLeadsDelivered(
        storage.write,
        rows.filter((r) => r.kind === 'lead' && !awaitedByStudio(storage.write, r.id)).map(leadIdOf),
        at,
      ),
    onReport: () => events.emit('delivery.status', deliveryStatus(storage.read)),
    ...options.delivery,
  });
  fleet = createFleet({
    db: storage.write,
    read: storage.read,
    keys,
    clock,
    log,
    profileDir: options.profileDir,
    profileKind,
    appVersion,
    setChannel: (channel) => void sync.updateSettings({ channelUrl: channel.url, publicKeys: channel.publicKeys }),
    syncFacts: () => {
      const status = sync.status();
      return { lastSyncAt: status.lastSuccessAt, storageBytes: status.storageBytes };
    },
    pitches: () => presenting.list().map((p) => ({ id: p.id, title: p.name, ready: p.ready })),
    otherDestinations: (kind) => destinations.describe(kind),
    expand: expandRow,
    onStudioSent: (rows, at) =>
      markLeadsDelivered(
        storage.write,
        rows
          .filter((r) => r.kind === 'lead' && (sentElsewhere(storage.write, r.id) || !destinations.has('lead')))
          .map(leadIdOf),
        at,
      ),
    onChanged: (flags) => events.emit('fleet.changed', flags),
    files: {
      kind: PRACTICE_RECORDING_KIND,
      send: (row, endpoint, transport) => rehearse.review.upload(row, endpoint, transport),
      onOutcome: (row, outcome) => rehearse.review.noteOutcome(row, outcome),
    },
    pullFeeds: (endpoint, transport) => rehearse.review.pullFeed(endpoint, transport),
    ...(options.delivery?.fetchImpl ? { fetchImpl: options.delivery.fetchImpl } : {}),
    ...(options.delivery?.timeoutMs ? { timeoutMs: options.delivery.timeoutMs } : {}),
    ...(options.delivery?.retryBaseMs ? { retryBaseMs: options.delivery.retryBaseMs } : {}),
    ...(options.delivery?.maxBackoffMs ? { maxBackoffMs: options.delivery.maxBackoffMs } : {}),
  });
  const enrolledFleet = fleet;
  const quizzes = createQuizzes({
    db: storage.write,
    read: storage.read,
    clock,
    sendsToStudio: () => enrolledFleet.standing().enrolled,
    onAttempt: () => {
      if (backgroundSync) void enrolledFleet.upload();
    },
  });
  // After every successful content sync: the device reports its status, uploads and reads its feed.
  let lastSyncSuccess = sync.status().lastSuccessAt;
  events.on('sync.status', (status) => {
    if (status.lastSuccessAt === lastSyncSuccess || status.lastSuccessAt === null) return;
    lastSyncSuccess = status.lastSuccessAt;
    enrolledFleet.recordDeviceStatus('sync');
    if (backgroundSync) void enrolledFleet.sync();
  });
  enrolledFleet.recordDeviceStatus('start');
  const flushSoon = () => {
    if (backgroundSync) {
      void delivery.flush();
      void enrolledFleet.upload();
    }
  };
  // The CRM cache refreshes from whichever connector is Salesforce: the meeting's, else the lead's.
  const crm = createCrm({
    db: storage.write,
    read: storage.read,
    clock,
    log,
    kiosk: profileKind === 'kiosk',
    salesforce: () => destinations.crmSalesforce(),
    beforeRefresh: () => destinations.primeCrmToken(),
    onChanged: (status) => events.emit('crm.changed', status),
    ...(options.delivery?.timeoutMs ? { timeoutMs: options.delivery.timeoutMs } : {}),
  });

  // The Uploads card hears of a record the moment it is queued, not at the next upload run.
  const stopQueued = onQueued(storage.write, () => events.emit('delivery.status', deliveryStatus(storage.read)));
  let deliveryTimer: NodeJS.Timeout | null = null;
  let purgeTimer: NodeJS.Timeout | null = null;
  let statusTimer: NodeJS.Timeout | null = null;
  // Retention: delivered leads older than the configured days are purged at start and then
  // every few hours while the app runs.
  kiosk.purgeAndLog(log);
  if (backgroundSync) {
    deliveryTimer = setInterval(() => {
      void delivery.flush().then(() => crm.refreshIfDue());
      void enrolledFleet.upload();
    }, 60_000);
    deliveryTimer.unref();
    // At least one status a day from a device left running, however rarely it syncs.
    statusTimer = setInterval(() => enrolledFleet.recordDeviceStatus('daily'), 3_600_000);
    statusTimer.unref();
    purgeTimer = setInterval(() => kiosk.purgeAndLog(log), 6 * 3_600_000);
    purgeTimer.unref();
  }

  const updater = options.updater ?? null;
  const stopUpdaterEvents = announceUpdates(updater, events);

  const api: PitchcaseApi = {
    ...libraryHandlers({
      read: storage.read,
      log,
      write: storage.write,
      clock,
      blobs,
      visibility,
      siteBaseUrl: options.siteBaseUrl,
      app: {
        name: 'Pitchcase',
        version: appVersion,
        shell: options.shell,
        profileKind,
        profileDir: options.profileDir,
        schemaVersion: storage.schemaVersion,
      },
    }),
    ...searchHandlers(search),
    ...syncHandlers(sync),
    ...updatesHandlers(updater),
    ...kioskHandlers({
      kiosk,
      profileKind,
      profileDir: options.profileDir,
      exportDir: options.exportDir,
      clock,
      events,
      onLeadCaptured: flushSoon,
    }),
    ...deliveryHandlers({
      read: storage.read,
      destinations,
      delivery,
      backgroundSync,
      onDelivered: () => void crm.refreshIfDue(),
    }),
    ...presentingHandlers(presenting, { onFollowUpQueued: flushSoon }),
    ...crmHandlers(crm, { primeToken: () => destinations.primeCrmToken() }),
    ...audienceHandlers(audience),
    ...rehearseHandlers(rehearse, { onQueuedForReview: flushSoon }),
    ...quizzesHandlers(quizzes, () => enrolledFleet.standing()),
    ...fleetHandlers(enrolledFleet, {
      afterEnrol: () => {
        enrolledFleet.recordDeviceStatus('enrolled');
        // The channel Studio gave is fetched at once, and what is queued goes out.
        if (backgroundSync) {
          void sync.check();
          void enrolledFleet.sync();
        }
      },
    }),
  };
  // A kiosk visitor's searches are theirs alone: each session counts its misses afresh.
  const kioskSessionHandlers = { start: api.startVisitorSession, end: api.endVisitorSession };
  api.startVisitorSession = (arg) => {
    enrolledFleet.newSearchSession();
    return kioskSessionHandlers.start(arg);
  };
  api.endVisitorSession = (arg) => {
    enrolledFleet.newSearchSession();
    return kioskSessionHandlers.end(arg);
  };

  const content = createContent({
    read: storage.read,
    blobs,
    profileKind,
    visibility,
    siteBaseUrl: options.siteBaseUrl,
    siteGlossaryScript: options.siteGlossaryScript ?? defaultSiteGlossaryScript,
    log,
  });

  const caller = () => ({ profileKind, staffUnlocked: kiosk.isUnlocked() });
  const handle = createEntry(api, caller, log);

  let closed = false;
  return {
    api,
    events,
    content,
    handle,
    hears: (event, origin = {}) => mayHear(event, { ...caller(), audience: origin.audience === true }),
    settled: () => sync.settled(),
    close() {
      if (closed) return;
      closed = true;
      stopSchedule();
      sync.close();
      stopUpdaterEvents();
      if (deliveryTimer) clearInterval(deliveryTimer);
      if (purgeTimer) clearInterval(purgeTimer);
      if (statusTimer) clearInterval(statusTimer);
      enrolledFleet.close();
      stopQueued();
      storage.close();
    },
  };
}
