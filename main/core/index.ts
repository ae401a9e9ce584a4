import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { siteContentSecurityPolicy, sitePermissionsPolicy } from '#shared/csp';
import { apiArgSchemas, argumentProblem } from '#shared/contract-args';
import { isApiMethod, type PitchcaseApi } from '#shared/contract';
import { sitePath } from '#shared/manifest';
import { fail, ok, PitchcaseError, type Result } from '#shared/result';
import type { AppUpdateStatus } from '#shared/sync';
import { collectUnreferenced, installRelease } from './channel/install.ts';
import { recoverUnsettled } from './channel/settle.ts';
import { createSync } from './channel/sync.ts';
import { createDelivery, createDestinations, lastDeliveryAt, lastOutboxError, onQueued, pendingOutboxByKind, pendingOutboxCount, type OutboxRow } from './outbox/index.ts';
import { createKiosk, keyFileProvider, leadForDelivery, markLeadsDelivered } from './kiosk/index.ts';
import { createPresenting } from './presenting/index.ts';
import { createCrm } from './crm/index.ts';
import { createAudienceRelay } from './audience/index.ts';
import type { DeliveryStatus } from '#shared/sync';
import { readSetting, writeSetting } from './storage/settings.ts';
import { parsePublicKey } from './channel/signature.ts';
import { directorySource } from './channel/source.ts';
import { textResponse } from './content/serve.ts';
import { appOriginBlob } from './content/app-origin.ts';
import { createSiteGlossary, isHtml, SITE_GLOSSARY_PATH, SITE_GLOSSARY_SCRIPT_FILE } from './content/site-glossary.ts';
import { createEventBus } from './events.ts';
import { createSearch } from './search/index.ts';
import { currentRelease, glossary, itemDetail, itemUse, libraryView, blobUses, recordOpened, setFavourite, siteFile, type Visibility } from './library/index.ts';
import { BlobStore } from './storage/blobs.ts';
import { openStorage } from './storage/database.ts';
import type { Clock, ContentService, Core, CoreOptions, EmbeddedRelease, Log } from './types.ts';

export type { Core, CoreOptions, ContentService, Clock, Log, EmbeddedRelease, AppUpdater } from './types.ts';
export type { KeyProvider } from './kiosk/crypto.ts';
export type { ContentResponse } from './content/response.ts';
export { resolveProfileDir, defaultProfileDir, readRememberedProfileKind, rememberProfileKind } from './profile.ts';
import { rememberProfileKind } from './profile.ts';

export const systemClock: Clock = { now: () => new Date() };

export const silentLog: Log = { info() {}, warn() {}, error() {} };

export const stderrLog: Log = {
  info: (message, fields) => process.stderr.write(`${JSON.stringify({ level: 'info', message, ...fields })}\n`),
  warn: (message, fields) => process.stderr.write(`${JSON.stringify({ level: 'warn', message, ...fields })}\n`),
  error: (message, fields) => process.stderr.write(`${JSON.stringify({ level: 'error', message, ...fields })}\n`),
};

function readPackageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version?: string };
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
const defaultSiteGlossaryScript = path.join(import.meta.dirname, '..', '..', 'build', 'renderer', SITE_GLOSSARY_SCRIPT_FILE);

/**
 * The whole product logic behind one object, independent of the shell that runs it.
 * Electron, the browser host and the CLI all build it the same way.
 */
export async function createCore(options: CoreOptions): Promise<Core> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLog;
  const profileKind = options.profileKind ?? 'standard';
  mkdirSync(options.profileDir, { recursive: true });
  const storage = openStorage(path.join(options.profileDir, 'pitchcase.db'));
  const blobs = new BlobStore(options.profileDir, options.durability);
  const events = createEventBus();
  const appVersion = options.appVersion ?? readPackageVersion();

  const visibility = (): Visibility => ({ now: clock.now().toISOString(), kioskOnly: profileKind === 'kiosk' });

  // Before anything reads the library: a crash may have come before the last sync's files
  // reached the disk (settle.ts), and files of an interrupted switch or sync that nothing
  // references any more are collected (partial downloads stay, to be resumed).
  const installCtx = { db: storage.write, blobs, now: () => clock.now() };
  try {
    await recoverUnsettled(installCtx, log);
    collectUnreferenced(installCtx, true);
  } catch (error) {
    storage.close();
    throw error;
  }

  try {
    if (options.embeddedRelease) await installEmbedded(options.embeddedRelease);
  } catch (error) {
    // A broken embedded demo must not stop the app from opening an existing library.
    log.error('embedded release not installed', { reason: (error as Error).message });
    if (!currentRelease(storage.read)) {
      storage.close();
      throw error;
    }
  }

  async function installEmbedded(embedded: EmbeddedRelease): Promise<void> {
    const current = currentRelease(storage.read);
    const source = directorySource(embedded.dir);
    if (current) {
      // Only refresh from the embedded release when the profile still runs on it.
      const { bytes } = await source.readManifest();
      const channel = (JSON.parse(Buffer.from(bytes).toString('utf8')) as { channel?: unknown }).channel;
      if (channel !== current.channel) return;
    }
    const outcome = await installRelease(installCtx, source, [
      parsePublicKey(embedded.publicKeyPem),
    ]);
    if (outcome.status === 'installed') {
      log.info('embedded release installed', { channel: outcome.channel, version: outcome.version });
      libraryChanged(outcome.version);
    }
  }

  /** After any switch: a channel's first release on this device is the "seen" baseline. */
  function libraryChanged(version: number): void {
    const current = currentRelease(storage.read);
    const seen = readSetting<{ channel: string } | null>(storage.read, 'library.seen', null);
    if (current && seen?.channel !== current.channel) {
      writeSetting(storage.write, 'library.seen', { channel: current.channel, version: current.version });
    }
    events.emit('library.changed', { version });
  }

  const search = createSearch({
    read: storage.read,
    write: storage.write,
    blobs,
    profileDir: options.profileDir,
    clock,
    log,
    kioskOnly: profileKind === 'kiosk',
  });
  events.on('library.changed', () => void search.refresh());
  await search.ready;

  const sync = createSync({
    db: storage.write,
    read: storage.read,
    blobs,
    clock,
    log,
    onStatus: (status) => events.emit('sync.status', status),
    onLibraryChanged: libraryChanged,
    pendingUploads: () => pendingOutboxCount(storage.read),
    kioskOnly: profileKind === 'kiosk',
    ...options.sync,
  });
  const stopSchedule = options.backgroundSync ? sync.startSchedule() : () => {};

  const keys = options.keys ?? keyFileProvider(options.profileDir);
  const kiosk = createKiosk({ db: storage.write, read: storage.read, clock, keys, profileKind, visibility });

  const audience = createAudienceRelay((state) => events.emit('presenter.audience', state));

  const presenting = createPresenting({ db: storage.write, read: storage.read, blobs, clock, visibility, siteBaseUrl: options.siteBaseUrl });

  // The outbox: leads are opened from their seal only here, as they go out.
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
  const leadIdOf = (row: OutboxRow) => String((row.payload as { leadId?: unknown }).leadId ?? '');
  const delivery = createDelivery({
    db: storage.write,
    clock,
    log,
    // A follow-up e-mail goes to the CRM connector that takes the meeting it follows.
    endpoints: () => destinations.endpoints(),
    expand: (row) => (row.kind === 'lead' ? (leadForDelivery({ db: storage.write, keys }, leadIdOf(row)) ?? row.payload) : row.payload),
    onSent: (rows, at) => markLeadsDelivered(storage.write, rows.filter((r) => r.kind === 'lead').map(leadIdOf), at),
    onReport: () => events.emit('delivery.status', deliveryStatus()),
    ...options.delivery,
  });
  // The CRM cache refreshes from whichever connector is Salesforce: the meeting's, else the lead's.
  // Never on a kiosk: it logs no meetings, and a visitor must not be one tap from CRM contacts.
  const crm = createCrm({
    db: storage.write,
    read: storage.read,
    clock,
    log,
    salesforce: () => {
      if (profileKind === 'kiosk') return null;
      return destinations.crmSalesforce();
    },
    beforeRefresh: () => destinations.primeCrmToken(),
    onChanged: (status) => events.emit('crm.changed', status),
    ...(options.delivery?.timeoutMs ? { timeoutMs: options.delivery.timeoutMs } : {}),
  });
  const deliveryStatus = (): DeliveryStatus => ({
    pending: pendingOutboxCount(storage.read),
    pendingByKind: pendingOutboxByKind(storage.read),
    lastDeliveredAt: lastDeliveryAt(storage.read),
    lastError: lastOutboxError(storage.read),
  });
  // The Uploads card hears of a record the moment it is queued, not at the next upload run.
  const stopQueued = onQueued(storage.write, () => events.emit('delivery.status', deliveryStatus()));
  let deliveryTimer: NodeJS.Timeout | null = null;
  let purgeTimer: NodeJS.Timeout | null = null;
  // Retention: delivered leads older than the configured days are purged at start and then
  // every few hours while the app runs.
  const purged = kiosk.purge();
  if (purged > 0) log.info('delivered leads past retention purged', { count: purged });
  if (options.backgroundSync) {
    deliveryTimer = setInterval(() => void delivery.flush().then(() => crm.refreshIfDue()), 60_000);
    deliveryTimer.unref();
    purgeTimer = setInterval(() => kiosk.purge(), 6 * 3_600_000);
    purgeTimer.unref();
  }

  const updater = options.updater ?? null;
  const unsupportedUpdate: AppUpdateStatus = { state: 'unsupported', version: null, percent: null, message: 'App updates are installed by the desktop app.' };
  const stopUpdaterEvents = updater
    ? updater.onStatus((status) => {
        events.emit('update.status', status);
        if (status.state === 'ready' && status.version) events.emit('update.ready', { version: status.version });
      })
    : () => {};

  const api: PitchcaseApi = {
    async getAppInfo() {
      return {
        name: 'Pitchcase',
        version: appVersion,
        shell: options.shell,
        profileKind,
        profileDir: options.profileDir,
        schemaVersion: storage.schemaVersion,
      };
    },
    async getLibrary() {
      const view = libraryView(storage.read, visibility());
      const seen = readSetting<{ channel: string; version: number } | null>(storage.read, 'library.seen', null);
      return { ...view, lastSeenVersion: view.release && seen?.channel === view.release.channel ? seen.version : null };
    },
    async getItem({ id }) {
      return itemDetail(storage.read, id, visibility(), options.siteBaseUrl);
    },
    async search(request) {
      return search.search(request);
    },
    async getRecentSearches({ limit }) {
      return search.recent(limit ?? 8);
    },
    async getItemUse() {
      return itemUse(storage.read);
    },
    async setFavourite({ itemId, favourite }) {
      setFavourite(storage.write, itemId, favourite, clock.now().toISOString());
      return itemUse(storage.read);
    },
    async recordItemOpened({ itemId }) {
      recordOpened(storage.write, itemId, clock.now().toISOString());
      return itemUse(storage.read);
    },
    async getChannelSettings() {
      return sync.settings();
    },
    async updateChannelSettings(change) {
      return sync.updateSettings(change);
    },
    async checkForContent() {
      return sync.check();
    },
    async applyContent() {
      return sync.apply();
    },
    async getSyncStatus() {
      return sync.status();
    },
    async markLibrarySeen() {
      return sync.markSeen();
    },
    async getAppUpdateStatus() {
      return updater ? updater.status() : unsupportedUpdate;
    },
    async restartToUpdate() {
      if (!updater) return unsupportedUpdate;
      updater.restartToUpdate();
      return updater.status();
    },
    async getKioskConfig() {
      return kiosk.config();
    },
    async startVisitorSession() {
      return kiosk.startSession();
    },
    async recordVisitorView({ sessionId, itemId }) {
      kiosk.recordView(sessionId, itemId);
      return {};
    },
    async endVisitorSession({ sessionId, reason }) {
      kiosk.endSession(sessionId, reason);
      return {};
    },
    async captureLead(submission) {
      const result = kiosk.captureLead(submission);
      // Committed: try to send it at once; offline it simply waits in the outbox.
      if ('leadId' in result && options.backgroundSync) void delivery.flush();
      return result;
    },
    async getLeadStats() {
      return kiosk.stats();
    },
    async setKioskPin({ pin, currentPin }) {
      kiosk.setPin(pin, currentPin);
      return { pinSet: true as const };
    },
    async unlockKiosk({ pin }) {
      return kiosk.unlock(pin);
    },
    async lockKiosk() {
      kiosk.lock();
      return {};
    },
    async exportLeadsCsv() {
      return kiosk.exportCsv();
    },
    async setProfileKind({ kind, pin }) {
      if (kind === profileKind) return { kind, restartRequired: false };
      if (kind === 'standard' && !kiosk.isUnlocked()) throw new PitchcaseError('refused', 'Staff only: unlock with the PIN to leave kiosk mode');
      if (kind === 'kiosk' && !kiosk.hasPin()) {
        if (!pin) throw new PitchcaseError('bad-request', 'Set a staff PIN first: staff need it to leave kiosk mode');
        kiosk.setPin(pin);
      }
      rememberProfileKind(options.profileDir, kind);
      events.emit('app.restartRequired', { reason: kind === 'kiosk' ? 'Entering kiosk mode' : 'Leaving kiosk mode' });
      return { kind, restartRequired: true };
    },
    async getKioskSettings() {
      return kiosk.settings();
    },
    async updateKioskSettings(change) {
      return kiosk.updateSettings(change);
    },
    async exportLeadsToFile() {
      const { csv, count } = kiosk.exportCsv();
      const dir = options.exportDir ?? path.join(options.profileDir, 'exports');
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `pitchcase-leads-${clock.now().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.csv`);
      writeFileSync(file, csv, { mode: 0o600 });
      return { path: file, count };
    },
    async getDeliverySettings() {
      return destinations.view();
    },
    async updateDeliverySettings(change) {
      const view = destinations.update(change);
      // Records waiting for a destination (or refused by the old one) try the new one now.
      if (options.backgroundSync) void delivery.flush({ retryNow: true });
      return view;
    },
    async testDeliveryConnection({ kind, endpoint }) {
      return destinations.test(kind, endpoint);
    },
    async deliverNow() {
      // The rep (or IT) asked: waiting records go now, not when their backoff says.
      await delivery.flush({ retryNow: true });
      // The network is there: the CRM cache refreshes too when it is due (announced by 'crm.changed').
      void crm.refreshIfDue();
      return deliveryStatus();
    },
    async getDeliveryStatus() {
      return deliveryStatus();
    },
    async listPitches() {
      return presenting.list();
    },
    async getPitch({ id }) {
      return presenting.get(id);
    },
    async savePitch(pitch) {
      return presenting.save(pitch);
    },
    async duplicatePitch({ id }) {
      return presenting.duplicate(id);
    },
    async deletePitch({ id }) {
      presenting.delete(id);
      return {};
    },
    async recordActivity({ events }) {
      return presenting.record(events);
    },
    async saveMeeting(meeting) {
      return presenting.saveMeeting(meeting);
    },
    async getUsageReport(range) {
      return presenting.report(range);
    },
    async listMeetings({ status }) {
      return presenting.listMeetings(status);
    },
    async getMeeting({ id }) {
      return presenting.getMeeting(id);
    },
    async deleteMeeting({ id }) {
      presenting.deleteMeeting(id);
      return {};
    },
    async saveMeetingInk(ink) {
      return presenting.saveInk(ink);
    },
    async getMeetingInk({ meetingId }) {
      return presenting.getInk(meetingId);
    },
    async queueFollowUp(followUp) {
      const result = presenting.queueFollowUp(followUp);
      if (result.queued && options.backgroundSync) void delivery.flush();
      return result;
    },
    async searchCrm(request) {
      return crm.search(request);
    },
    async getCrmCache() {
      return crm.status();
    },
    async refreshCrmCache() {
      await destinations.primeCrmToken();
      return crm.refresh();
    },
    async showToAudience(state) {
      audience.show(state);
      return {};
    },
    async getAudienceState({ sessionId }) {
      return audience.latest(sessionId);
    },
  };

  const siteGlossary = createSiteGlossary({ scriptFile: options.siteGlossaryScript ?? defaultSiteGlossaryScript, warn: log.warn });
  const isVisibleMicrosite = (itemId: string) => {
    try {
      return itemDetail(storage.read, itemId, visibility(), options.siteBaseUrl).siteUrl !== null;
    } catch {
      return false;
    }
  };

  const content: ContentService = {
    blob(sha256, range) {
      const release = currentRelease(storage.read);
      if (!/^[0-9a-f]{64}$/.test(sha256)) return textResponse(400, 'Refused: not a content hash');
      return appOriginBlob(release ? blobUses(storage.read, release.id, sha256, visibility()) : [], blobs.pathOf(sha256), range);
    },
    site(itemId, filePath, range) {
      const checked = sitePath.safeParse(filePath);
      if (!checked.success || !/^[a-z0-9][a-z0-9._-]{0,127}$/.test(itemId)) return textResponse(400, 'Refused: bad site path');
      const release = currentRelease(storage.read);
      const headers = {
        'Content-Security-Policy': siteContentSecurityPolicy(),
        'Permissions-Policy': sitePermissionsPolicy(),
        // The sandboxed frame has an opaque origin: its own files are cross-origin to it.
        'Cross-Origin-Resource-Policy': 'cross-origin',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-cache',
      };
      // Ours, answered before the microsite's own files: a microsite cannot put a file here.
      if (checked.data === SITE_GLOSSARY_PATH) {
        const visible = release !== null && isVisibleMicrosite(itemId);
        const entries = visible ? glossary(storage.read, release.id) : [];
        // The kiosk needs the script for its link lock-down even without a glossary.
        if (!visible || (entries.length === 0 && profileKind !== 'kiosk')) return textResponse(404, 'Not part of this microsite');
        const script = siteGlossary.script(entries, { kiosk: profileKind === 'kiosk' });
        return { ...script, headers: { ...headers, ...script.headers } };
      }
      const found = release ? siteFile(storage.read, release.id, itemId, checked.data, visibility()) : null;
      if (!found) return textResponse(404, 'Not part of this microsite');
      const withGlossary = isHtml(found.mime) && (profileKind === 'kiosk' || glossary(storage.read, release!.id).length > 0);
      return siteGlossary.page(blobs.pathOf(found.sha256), found.mime, range, itemId, headers, withGlossary);
    },
  };

  const staffOnDelivery = new Set<string>(['getDeliverySettings', 'updateDeliverySettings', 'testDeliveryConnection']);
  async function handle(method: unknown, arg: unknown): Promise<Result<unknown>> {
    if (!isApiMethod(method)) return fail(new PitchcaseError('unknown-method', `Unknown method ${JSON.stringify(String(method)).slice(0, 80)}`));
    const parsed = apiArgSchemas[method].safeParse(arg ?? {});
    if (!parsed.success) return fail(new PitchcaseError('bad-request', argumentProblem(method, parsed.error)));
    // A kiosk's window is a visitor's: where its records go is for staff behind the PIN.
    if (profileKind === 'kiosk' && staffOnDelivery.has(method) && !kiosk.isUnlocked()) {
      return fail(new PitchcaseError('refused', 'Staff only: unlock with the PIN first'));
    }
    try {
      const call = api[method] as (a: unknown) => Promise<unknown>;
      return ok(await call(parsed.data));
    } catch (error) {
      if (!(error instanceof PitchcaseError)) log.error('unexpected error', { method, reason: (error as Error).message });
      return fail(error);
    }
  }

  let closed = false;
  return {
    api,
    events,
    content,
    handle,
    settled: () => sync.settled(),
    close() {
      if (closed) return;
      closed = true;
      stopSchedule();
      sync.close();
      stopUpdaterEvents();
      if (deliveryTimer) clearInterval(deliveryTimer);
      if (purgeTimer) clearInterval(purgeTimer);
      stopQueued();
      storage.close();
    },
  };
}
