import type { ForwardedRecord } from '#shared/fleet';
import { randomUUID } from 'node:crypto';
import {
  defaultLeadForm,
  leadFieldNames,
  type BoothLead,
  type BoothLeadList,
  type CaptureLeadResult,
  type ExportFolders,
  type KioskConfig,
  type LeadFormConfig,
  type LeadListFilter,
  type LeadQualification,
  type LeadStats,
  type LeadSubmission,
} from '#shared/kiosk';
import type { ProfileKind } from '#shared/library';
import { attractLoop, currentRelease, visibleFacts, visibleTitles, type Visibility } from '../library/index.ts';
import type { ReadDb, WriteDb } from '../storage/database.ts';
import { z } from 'zod';
import { defineSetting, getSetting, putSetting } from '../storage/settings.ts';
import { PitchcaseError } from '#shared/result';
import type { KioskSettings, KioskSettingsChange, KioskUnlock } from '#shared/kiosk';
import { boothLeads, leadsCsv, openLeads, qualifyLead, type OpenLead } from './leads.ts';
import type { Clock, Log } from '../types.ts';
import type { KeyProvider } from '../crypto/index.ts';
import { createPinVerifier, pinRefusal } from './pin.ts';
import { captureLead, leadStats, purgeDelivered } from './leads.ts';
import { endSession, insertSession, insertView, leadTimes, type LeadWindow } from './store.ts';
import { exportStem, exportVolumes, writeExportFile, type VolumeSource } from './folders.ts';

export { leadForDelivery, leadsCsv, markLeadsDelivered, openLeads, purgeDelivered } from './leads.ts';
export { keyFileProvider, type KeyProvider } from '../crypto/index.ts';
export { kioskHandlers } from './handlers.ts';
export { exportVolumes, removableWindowsDrives, volumePaths, writeExportFile, type VolumeSource } from './folders.ts';
export { exportProfileLeads, leadKeyKind, LEAD_KEY_FILE, SEALED_LEAD_KEY_FILE, type LeadKeyKind } from './export.ts';

interface StoredKioskSettings {
  idleSeconds: number;
  warningSeconds: number;
  retentionDays: number;
  eventName: string | null;
  leadForm: Partial<Omit<LeadFormConfig, 'interests'>>;
}

const STAFF_SESSION_MS = 5 * 60_000;

const DEFAULTS: StoredKioskSettings = {
  idleSeconds: 60,
  warningSeconds: 15,
  retentionDays: 30,
  eventName: null,
  leadForm: {},
};

// The bounds of a change (kioskSettingsChange): a stored row outside them was not written by us.
// A field missing from an older row takes its default; the lead form keeps only what staff changed.
const kioskSetting = defineSetting<StoredKioskSettings>(
  'kiosk.settings',
  z
    .object({
      idleSeconds: z.number().int().min(15).max(3600).default(DEFAULTS.idleSeconds),
      warningSeconds: z.number().int().min(5).max(120).default(DEFAULTS.warningSeconds),
      retentionDays: z.number().int().min(1).max(3650).default(DEFAULTS.retentionDays),
      eventName: z.string().min(1).max(120).nullable().default(null),
      leadForm: z
        .object({
          fields: z
            .array(z.object({ name: z.enum(leadFieldNames), label: z.string().min(1).max(80), required: z.boolean() }))
            .min(1)
            .max(leadFieldNames.length)
            .optional(),
          // A row from before the rating left the visitor's form may still hold askRating: ignored.
          consent: z.object({ version: z.string().min(1).max(40), text: z.string().min(1).max(4000) }).optional(),
        })
        .default({}),
    })
    .refine((s) => s.warningSeconds < s.idleSeconds, {
      path: ['warningSeconds'],
      message: 'the warning must start before the idle reset',
    }),
  DEFAULTS,
);

/** The folder staff exported leads to last: offered first next time. */
const exportFolderSetting = defineSetting<{ folder: string | null }>(
  'kiosk.exportFolder',
  z.object({ folder: z.string().min(1).max(1000).nullable() }),
  { folder: null },
);

/** A day of the kiosk's own calendar (its time zone is the booth's). */
function localDay(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** The instants a local day starts and ends, as stored (ISO, UTC). */
function dayWindow(day: string): { from: string; to: string } {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return { from: new Date(y, m - 1, d).toISOString(), to: new Date(y, m - 1, d + 1).toISOString() };
}

/** The trade-show kiosk: configuration, anonymous visitor sessions and lead capture. */
export function createKiosk(ctx: {
  db: WriteDb;
  read: ReadDb;
  clock: Clock;
  log: Log;
  keys: KeyProvider;
  profileKind: ProfileKind;
  visibility(): Visibility;
  /** Where removable drives are looked for; this machine's when not given. */
  volumes?: VolumeSource;
  /** What Studio last said of its forwarding to the CRM, by record key (an enrolled booth). */
  forwarded?(): ReadonlyMap<string, ForwardedRecord>;
}) {
  const settings = (): StoredKioskSettings => getSetting(ctx.read, kioskSetting, ctx.log);
  const form = (): Omit<LeadFormConfig, 'interests'> => ({ ...defaultLeadForm, ...settings().leadForm });
  const pin = createPinVerifier(ctx);
  /** A staff session lasts a few minutes after the PIN, then the kiosk locks itself. */
  let staffUntil = 0;

  return {
    config(): KioskConfig {
      const s = settings();
      const release = currentRelease(ctx.read);
      const loop = release ? attractLoop(ctx.read, release.id) : { itemIds: [], secondsPerItem: 8 };
      // Only the loop's items and the products are read: the whole library took seconds at 20,000 items.
      const { visibleIds: visible, products } = visibleFacts(ctx.read, ctx.visibility(), loop.itemIds);
      const interests = [...products].sort((a, b) => a.localeCompare(b));
      return {
        active: ctx.profileKind === 'kiosk',
        staffPinSet: pin.hasPin(),
        idleSeconds: s.idleSeconds,
        warningSeconds: s.warningSeconds,
        attract: { itemIds: loop.itemIds.filter((id) => visible.has(id)), secondsPerItem: loop.secondsPerItem },
        leadForm: { ...form(), interests },
        retentionDays: s.retentionDays,
        eventName: s.eventName,
      };
    },
    startSession(): { sessionId: string } {
      const sessionId = randomUUID();
      insertSession(ctx.db, sessionId, ctx.clock.now().toISOString());
      return { sessionId };
    },
    recordView(sessionId: string, itemId: string): void {
      insertView(ctx.db, sessionId, itemId, ctx.clock.now().toISOString());
    },
    endSession(sessionId: string, reason: 'idle' | 'done'): void {
      endSession(ctx.db, sessionId, reason, ctx.clock.now().toISOString());
    },
    captureLead(submission: LeadSubmission): CaptureLeadResult {
      return captureLead({ db: ctx.db, clock: ctx.clock, keys: ctx.keys }, submission, form(), settings().eventName);
    },
    stats(): LeadStats {
      return leadStats({ db: ctx.db, clock: ctx.clock }, settings().retentionDays);
    },
    /** Delivered leads past the retention period go; undelivered ones never do. */
    purge(): number {
      return purgeDelivered({ db: ctx.db, clock: ctx.clock }, settings().retentionDays);
    },
    purgeAndLog(log: Log): void {
      const purged = this.purge();
      if (purged > 0) log.info('delivered leads past retention purged', { count: purged });
    },
    /**
     * Sets or changes the staff PIN. Changing it takes the current one, through the same
     * rate-limited verifier as the pad. Who may set a first one is the access table's business:
     * never a running kiosk's own screen (whoever stands at it may be a visitor).
     */
    setPin(next: string, currentPin?: string): void {
      if (pin.hasPin()) {
        if (currentPin === undefined) throw new PitchcaseError('refused', 'The current PIN is needed to change it');
        const check = pin.check(currentPin);
        if (!check.ok) throw pinRefusal(check, 'the current PIN is needed to change it');
      }
      pin.store(next);
    },
    /** Sets the first PIN on the way into kiosk mode (the rep's app, before it restarts as a kiosk). */
    setFirstPin(next: string): void {
      if (pin.hasPin()) throw new PitchcaseError('refused', 'A staff PIN is already set');
      pin.store(next);
    },
    unlock(guess: string): KioskUnlock {
      const check = pin.check(guess);
      if (!check.ok) return { unlocked: false, reason: check.reason, retryInSeconds: check.retryInSeconds };
      staffUntil = ctx.clock.now().getTime() + STAFF_SESSION_MS;
      return { unlocked: true, staffUntil: new Date(staffUntil).toISOString() };
    },
    lock(): void {
      staffUntil = 0;
    },
    isUnlocked(): boolean {
      return ctx.clock.now().getTime() < staffUntil;
    },
    hasPin(): boolean {
      return pin.hasPin();
    },
    settings(): KioskSettings {
      const s = settings();
      return {
        idleSeconds: s.idleSeconds,
        warningSeconds: s.warningSeconds,
        retentionDays: s.retentionDays,
        eventName: s.eventName,
        leadForm: form(),
      };
    },
    updateSettings(change: KioskSettingsChange): KioskSettings {
      const current = settings();
      const next: StoredKioskSettings = {
        idleSeconds: change.idleSeconds ?? current.idleSeconds,
        warningSeconds: change.warningSeconds ?? current.warningSeconds,
        retentionDays: change.retentionDays ?? current.retentionDays,
        eventName: change.eventName === undefined ? current.eventName : change.eventName,
        leadForm: { ...current.leadForm, ...change.leadForm },
      };
      if (next.warningSeconds >= next.idleSeconds)
        throw new PitchcaseError('bad-request', 'The warning must start before the idle reset');
      putSetting(ctx.db, kioskSetting, next);
      return this.settings();
    },
    /** Who may export is the access table's business (main/shared/access.ts). */
    exportCsv(): { csv: string; count: number } {
      const leads = openLeads({ db: ctx.db, keys: ctx.keys });
      return { csv: leadsCsv(leads), count: leads.length };
    },
    /**
     * The staff list: one local day (today unless told) of one event (the kiosk's current one
     * unless told), newest first, plus the days and events there are leads for. Who may call it
     * (staff, unlocked) is the access table's business.
     */
    listLeads(filter: LeadListFilter): BoothLeadList {
      const { day, event, window } = this.resolveFilter(filter);
      const leads = openLeads({ db: ctx.db, keys: ctx.keys }, window);
      // The titles of what these visitors looked at, by id: a booth's library can be thousands.
      const titles = visibleTitles(
        ctx.read,
        ctx.visibility(),
        leads.flatMap((lead) => lead.viewedItems),
      );
      const times = leadTimes(ctx.db);
      const days = new Map<string, number>();
      const events = new Map<string | null, number>();
      for (const t of times) {
        events.set(t.eventName, (events.get(t.eventName) ?? 0) + 1);
        if (event !== 'all' && t.eventName !== event.name) continue;
        const d = localDay(new Date(t.capturedAt));
        days.set(d, (days.get(d) ?? 0) + 1);
      }
      return {
        day,
        event,
        today: localDay(ctx.clock.now()),
        leads: boothLeads({ db: ctx.db, keys: ctx.keys }, leads, (id) => titles.get(id) ?? null, ctx.forwarded?.()),
        days: [...days].map(([d, count]) => ({ day: d, count })).sort((a, b) => b.day.localeCompare(a.day)),
        events: [...events]
          .map(([name, count]) => ({ name, count }))
          .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '')),
      };
    },
    resolveFilter(filter: LeadListFilter): {
      day: string | 'all';
      event: { name: string | null } | 'all';
      window: LeadWindow;
    } {
      const day = filter.day ?? localDay(ctx.clock.now());
      const event = filter.event ?? { name: settings().eventName };
      return {
        day,
        event,
        window: { ...(day === 'all' ? {} : dayWindow(day)), ...(event === 'all' ? {} : { event }) },
      };
    },
    qualify(q: LeadQualification): BoothLead {
      const lead = qualifyLead({ db: ctx.db, clock: ctx.clock, keys: ctx.keys }, q);
      const titles = visibleTitles(ctx.read, ctx.visibility(), lead.viewedItems);
      return boothLeads({ db: ctx.db, keys: ctx.keys }, [lead], (id) => titles.get(id) ?? null, ctx.forwarded?.())[0]!;
    },
    async exportFolders(): Promise<ExportFolders> {
      const volumes = await exportVolumes(ctx.volumes ?? { platform: process.platform });
      return { volumes, last: getSetting(ctx.read, exportFolderSetting, ctx.log).folder };
    },
    /** All or nothing: the CSV of the filter's leads, in a new file of `folder`, remembered for next time. */
    async exportToFolder(folder: string, filter: LeadListFilter): Promise<{ path: string; count: number }> {
      const { window, event } = this.resolveFilter(filter);
      const leads: OpenLead[] = openLeads({ db: ctx.db, keys: ctx.keys }, window).reverse();
      const stem = exportStem(ctx.clock.now(), event === 'all' ? null : event.name);
      const file = await writeExportFile(folder, stem, leadsCsv(leads));
      putSetting(ctx.db, exportFolderSetting, { folder });
      return { path: file, count: leads.length };
    },
  };
}
export type Kiosk = ReturnType<typeof createKiosk>;
