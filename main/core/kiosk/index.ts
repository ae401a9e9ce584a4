import { randomUUID } from 'node:crypto';
import {
  defaultLeadForm,
  leadFieldNames,
  type CaptureLeadResult,
  type KioskConfig,
  type LeadFormConfig,
  type LeadStats,
  type LeadSubmission,
} from '#shared/kiosk';
import type { ProfileKind } from '#shared/library';
import { attractLoop, currentRelease, visibleFacts, type Visibility } from '../library/index.ts';
import type { ReadDb, WriteDb } from '../storage/database.ts';
import { z } from 'zod';
import { defineSetting, getSetting, putSetting } from '../storage/settings.ts';
import { PitchcaseError } from '#shared/result';
import type { KioskSettings, KioskSettingsChange, KioskUnlock } from '#shared/kiosk';
import { leadsCsv, openLeads } from './leads.ts';
import type { Clock, Log } from '../types.ts';
import type { KeyProvider } from '../crypto/index.ts';
import { createPinVerifier, pinRefusal } from './pin.ts';
import { captureLead, leadStats, purgeDelivered } from './leads.ts';
import { endSession, insertSession, insertView } from './store.ts';

export { leadForDelivery, leadsCsv, markLeadsDelivered, openLeads, purgeDelivered } from './leads.ts';
export { keyFileProvider, type KeyProvider } from '../crypto/index.ts';
export { kioskHandlers } from './handlers.ts';
export { exportProfileLeads, leadKeyKind, LEAD_KEY_FILE, SEALED_LEAD_KEY_FILE, type LeadKeyKind } from './export.ts';

interface StoredKioskSettings {
  idleSeconds: number;
  warningSeconds: number;
  retentionDays: number;
  leadForm: Partial<Omit<LeadFormConfig, 'interests'>>;
}

const STAFF_SESSION_MS = 5 * 60_000;

const DEFAULTS: StoredKioskSettings = { idleSeconds: 60, warningSeconds: 15, retentionDays: 30, leadForm: {} };

// The bounds of a change (kioskSettingsChange): a stored row outside them was not written by us.
// A field missing from an older row takes its default; the lead form keeps only what staff changed.
const kioskSetting = defineSetting<StoredKioskSettings>(
  'kiosk.settings',
  z
    .object({
      idleSeconds: z.number().int().min(15).max(3600).default(DEFAULTS.idleSeconds),
      warningSeconds: z.number().int().min(5).max(120).default(DEFAULTS.warningSeconds),
      retentionDays: z.number().int().min(1).max(3650).default(DEFAULTS.retentionDays),
      leadForm: z
        .object({
          fields: z
            .array(z.object({ name: z.enum(leadFieldNames), label: z.string().min(1).max(80), required: z.boolean() }))
            .min(1)
            .max(leadFieldNames.length)
            .optional(),
          consent: z.object({ version: z.string().min(1).max(40), text: z.string().min(1).max(4000) }).optional(),
          askRating: z.boolean().optional(),
        })
        .default({}),
    })
    .refine((s) => s.warningSeconds < s.idleSeconds, {
      path: ['warningSeconds'],
      message: 'the warning must start before the idle reset',
    }),
  DEFAULTS,
);

/** The trade-show kiosk: configuration, anonymous visitor sessions and lead capture. */
export function createKiosk(ctx: {
  db: WriteDb;
  read: ReadDb;
  clock: Clock;
  log: Log;
  keys: KeyProvider;
  profileKind: ProfileKind;
  visibility(): Visibility;
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
      return captureLead({ db: ctx.db, clock: ctx.clock, keys: ctx.keys }, submission, form());
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
        leadForm: form(),
      };
    },
    updateSettings(change: KioskSettingsChange): KioskSettings {
      const current = settings();
      const next: StoredKioskSettings = {
        idleSeconds: change.idleSeconds ?? current.idleSeconds,
        warningSeconds: change.warningSeconds ?? current.warningSeconds,
        retentionDays: change.retentionDays ?? current.retentionDays,
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
  };
}
export type Kiosk = ReturnType<typeof createKiosk>;
