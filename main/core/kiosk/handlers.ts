/**
 * The kiosk capability's slice of the contract: visitors and leads, the staff PIN and screen,
 * and switching a profile between the rep's app and the kiosk. Who may call which method is
 * not decided here but in the access table (main/shared/access.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KioskApi } from '#shared/contract';
import type { ProfileKind } from '#shared/library';
import { PitchcaseError } from '#shared/result';
import type { EventBus } from '../events.ts';
import { rememberProfileKind } from '../profile/index.ts';
import type { Clock } from '../types.ts';
import type { Kiosk } from './index.ts';

export function kioskHandlers(ctx: {
  kiosk: Kiosk;
  profileKind: ProfileKind;
  profileDir: string;
  /** Where staff exports are written; the profile's exports/ folder when not given. */
  exportDir?: string | undefined;
  clock: Clock;
  events: EventBus;
  /** A lead was committed: the outbox may try to send it at once. */
  onLeadCaptured(): void;
}): KioskApi {
  const { kiosk } = ctx;
  return {
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
      if ('leadId' in result) ctx.onLeadCaptured();
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
    async exportLeadsToFile() {
      const { csv, count } = kiosk.exportCsv();
      const dir = ctx.exportDir ?? path.join(ctx.profileDir, 'exports');
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const file = path.join(
        dir,
        `pitchcase-leads-${ctx.clock.now().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.csv`,
      );
      writeFileSync(file, csv, { mode: 0o600 });
      return { path: file, count };
    },
    async listBoothLeads(filter) {
      return kiosk.listLeads(filter);
    },
    async qualifyLead(q) {
      return kiosk.qualify(q);
    },
    async listExportFolders() {
      return kiosk.exportFolders();
    },
    async exportLeadsToFolder({ folder, filter }) {
      return kiosk.exportToFolder(folder, filter ?? {});
    },
    async setProfileKind({ kind, pin }) {
      if (kind === ctx.profileKind) return { kind, restartRequired: false };
      // A kiosk is never started without staff able to leave it: the PIN comes first.
      if (kind === 'kiosk' && !kiosk.hasPin()) {
        if (!pin) throw new PitchcaseError('bad-request', 'Set a staff PIN first: staff need it to leave kiosk mode');
        kiosk.setFirstPin(pin);
      }
      rememberProfileKind(ctx.profileDir, kind);
      ctx.events.emit('app.restartRequired', {
        reason: kind === 'kiosk' ? 'Entering kiosk mode' : 'Leaving kiosk mode',
      });
      return { kind, restartRequired: true };
    },
    async getKioskSettings() {
      return kiosk.settings();
    },
    async updateKioskSettings(change) {
      return kiosk.updateSettings(change);
    },
  };
}
