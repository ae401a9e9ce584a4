import { randomUUID } from 'node:crypto';
import { defaultLeadForm, type CaptureLeadResult, type KioskConfig, type LeadFormConfig, type LeadStats, type LeadSubmission } from '#shared/kiosk';
import type { ProfileKind } from '#shared/library';
import { attractLoop, currentRelease, libraryView, type Visibility } from '../library/index.ts';
import type { ReadDb, WriteDb } from '../storage/database.ts';
import { readSetting, writeSetting } from '../storage/settings.ts';
import { PitchcaseError } from '#shared/result';
import type { KioskSettings, KioskSettingsChange, KioskUnlock } from '#shared/kiosk';
import { hashPin, pinLockSeconds, verifyPin, type PinHash } from './crypto.ts';
import { leadsCsv, openLeads } from './leads.ts';
import type { Clock } from '../types.ts';
import type { KeyProvider } from './crypto.ts';
import { captureLead, leadStats, purgeDelivered } from './leads.ts';
import { endSession, insertSession, insertView } from './store.ts';

export { keyFileProvider, type KeyProvider } from './crypto.ts';
export { leadForDelivery, leadsCsv, markLeadsDelivered, openLeads, purgeDelivered } from './leads.ts';
export { exportProfileLeads, leadKeyKind, LEAD_KEY_FILE, SEALED_LEAD_KEY_FILE, type LeadKeyKind } from './export.ts';

interface StoredKioskSettings {
  idleSeconds: number;
  warningSeconds: number;
  retentionDays: number;
  leadForm: Partial<Omit<LeadFormConfig, 'interests'>>;
}

const STAFF_SESSION_MS = 5 * 60_000;

const DEFAULTS: StoredKioskSettings = { idleSeconds: 60, warningSeconds: 15, retentionDays: 30, leadForm: {} };

/** The trade-show kiosk: configuration, anonymous visitor sessions and lead capture. */
export function createKiosk(ctx: { db: WriteDb; read: ReadDb; clock: Clock; keys: KeyProvider; profileKind: ProfileKind; visibility(): Visibility }) {
  const settings = (): StoredKioskSettings => ({ ...DEFAULTS, ...readSetting<Partial<StoredKioskSettings>>(ctx.read, 'kiosk.settings', {}) });
  const form = (): Omit<LeadFormConfig, 'interests'> => ({ ...defaultLeadForm, ...settings().leadForm });
  /** A staff session lasts a few minutes after the PIN, then the kiosk locks itself. */
  let staffUntil = 0;

  return {
    config(): KioskConfig {
      const s = settings();
      const library = libraryView(ctx.read, ctx.visibility());
      const visible = new Set(library.items.map((i) => i.id));
      const release = currentRelease(ctx.read);
      const loop = release ? attractLoop(ctx.read, release.id) : { itemIds: [], secondsPerItem: 8 };
      const interests = [...new Set(library.items.flatMap((i) => i.products))].sort((a, b) => a.localeCompare(b));
      return {
        active: ctx.profileKind === 'kiosk',
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
    setPin(pin: string, currentPin?: string): void {
      const stored = readSetting<PinHash | null>(ctx.read, 'kiosk.pin', null);
      if (stored && !(currentPin !== undefined && verifyPin(currentPin, stored))) {
        throw new PitchcaseError('refused', 'The current PIN is needed to change it');
      }
      writeSetting(ctx.db, 'kiosk.pin', hashPin(pin));
      writeSetting(ctx.db, 'kiosk.pinFailures', { failures: 0, lastAt: null });
    },
    unlock(pin: string): KioskUnlock {
      const stored = readSetting<PinHash | null>(ctx.read, 'kiosk.pin', null);
      if (!stored) return { unlocked: false, reason: 'no-pin', retryInSeconds: 0 };
      const now = ctx.clock.now().getTime();
      const record = readSetting<{ failures: number; lastAt: number | null }>(ctx.read, 'kiosk.pinFailures', { failures: 0, lastAt: null });
      const lockedUntil = (record.lastAt ?? 0) + pinLockSeconds(record.failures) * 1000;
      if (now < lockedUntil) return { unlocked: false, reason: 'locked', retryInSeconds: Math.ceil((lockedUntil - now) / 1000) };
      if (!verifyPin(pin, stored)) {
        const failures = record.failures + 1;
        writeSetting(ctx.db, 'kiosk.pinFailures', { failures, lastAt: now });
        return { unlocked: false, reason: 'wrong-pin', retryInSeconds: pinLockSeconds(failures) };
      }
      writeSetting(ctx.db, 'kiosk.pinFailures', { failures: 0, lastAt: null });
      staffUntil = now + STAFF_SESSION_MS;
      return { unlocked: true, staffUntil: new Date(staffUntil).toISOString() };
    },
    lock(): void {
      staffUntil = 0;
    },
    isUnlocked(): boolean {
      return ctx.clock.now().getTime() < staffUntil;
    },
    hasPin(): boolean {
      return readSetting<PinHash | null>(ctx.read, 'kiosk.pin', null) !== null;
    },
    settings(): KioskSettings {
      const s = settings();
      return { idleSeconds: s.idleSeconds, warningSeconds: s.warningSeconds, retentionDays: s.retentionDays, leadForm: form() };
    },
    updateSettings(change: KioskSettingsChange): KioskSettings {
      if (ctx.profileKind === 'kiosk' && ctx.clock.now().getTime() >= staffUntil) throw new PitchcaseError('refused', 'Staff only: unlock with the PIN first');
      const current = settings();
      const next: StoredKioskSettings = {
        idleSeconds: change.idleSeconds ?? current.idleSeconds,
        warningSeconds: change.warningSeconds ?? current.warningSeconds,
        retentionDays: change.retentionDays ?? current.retentionDays,
        leadForm: { ...current.leadForm, ...change.leadForm },
      };
      if (next.warningSeconds >= next.idleSeconds) throw new PitchcaseError('bad-request', 'The warning must start before the idle reset');
      writeSetting(ctx.db, 'kiosk.settings', next);
      return this.settings();
    },
    exportCsv(): { csv: string; count: number } {
      if (ctx.clock.now().getTime() >= staffUntil) throw new PitchcaseError('refused', 'Staff only: unlock with the PIN first');
      const leads = openLeads({ db: ctx.db, keys: ctx.keys });
      return { csv: leadsCsv(leads), count: leads.length };
    },
  };
}
