/** The trade-show kiosk: visitors, leads, the staff PIN and screen, and switching profile kind. */
import { z } from 'zod';
import type { ProfileKind } from '../library.ts';
import {
  exportLeadsToFolderArg,
  kioskSettingsChange,
  leadListFilter,
  leadQualification,
  leadSubmission,
  type BoothLead,
  type BoothLeadList,
  type ExportFolders,
  type ExportLeadsToFolderArg,
  type LeadListFilter,
  type LeadQualification,
  type CaptureLeadResult,
  type KioskConfig,
  type KioskSettings,
  type KioskSettingsChange,
  type KioskUnlock,
  type LeadStats,
  type LeadSubmission,
} from '../kiosk.ts';
import { itemId, noArg, type ArgSchemas, type NoArg } from './schema.ts';

export interface KioskApi {
  getKioskConfig(arg: NoArg): Promise<KioskConfig>;
  /** A visitor touched the kiosk: their anonymous session starts. */
  startVisitorSession(arg: NoArg): Promise<{ sessionId: string }>;
  recordVisitorView(arg: { sessionId: string; itemId: string }): Promise<NoArg>;
  /** Idle timeout or "Done": the session ends (the UI wipes every trace of the visitor). */
  endVisitorSession(arg: { sessionId: string; reason: 'idle' | 'done' }): Promise<NoArg>;
  /** Resolves only once the lead is committed; field errors come back as data, not thrown. */
  captureLead(arg: LeadSubmission): Promise<CaptureLeadResult>;
  getLeadStats(arg: NoArg): Promise<LeadStats>;
  /**
   * Sets the staff PIN (4–12 digits); changing it needs the current one, checked like every
   * PIN (rate-limited). A kiosk without a PIN cannot get one from its own screen: staff set it
   * on the way in (setProfileKind) or with `pitchcase kiosk pin`.
   */
  setKioskPin(arg: { pin: string; currentPin?: string }): Promise<{ pinSet: true }>;
  /**
   * Staff enter the PIN to reach the staff screen. Attempts are rate-limited: after three
   * failures each further one locks the PIN for longer, across restarts.
   */
  unlockKiosk(arg: { pin: string }): Promise<KioskUnlock>;
  /** Ends the staff session (the kiosk is locked again). */
  lockKiosk(arg: NoArg): Promise<NoArg>;
  /** Every lead as CSV for Salesforce/HubSpot import; staff only. */
  exportLeadsCsv(arg: NoArg): Promise<{ csv: string; count: number }>;
  /**
   * The same CSV written to the export folder (Documents in the desktop app; the profile's
   * exports/ folder in the browser host): a kiosk refuses downloads. Staff only.
   */
  exportLeadsToFile(arg: NoArg): Promise<{ path: string; count: number }>;
  /**
   * This booth's leads for the staff screen (default: today and this event), opened from their
   * seal for the unlocked staff session only, with delivery status and qualification.
   */
  listBoothLeads(arg: LeadListFilter): Promise<BoothLeadList>;
  /**
   * Staff rate a lead hot/warm/cold and note why. Stored with the lead (the note sealed); a lead
   * already sent gets the qualification queued to its destination as an update.
   */
  qualifyLead(arg: LeadQualification): Promise<BoothLead>;
  /** Removable drives and mounted volumes a CSV can go to, and the folder used last. */
  listExportFolders(arg: NoArg): Promise<ExportFolders>;
  /**
   * The leads of a filter as CSV in a folder staff chose (a USB drive on a locked kiosk), under a
   * name that never replaces an earlier file; all or nothing. The folder is remembered.
   */
  exportLeadsToFolder(arg: ExportLeadsToFolderArg): Promise<{ path: string; count: number }>;
  /**
   * Switches this profile between the rep's app and the kiosk, from the next start (the shell
   * restarts itself where it can). Entering the kiosk needs a staff PIN (set here if there is
   * none); leaving it needs the staff screen unlocked.
   */
  setProfileKind(arg: { kind: ProfileKind; pin?: string }): Promise<{ kind: ProfileKind; restartRequired: boolean }>;
  getKioskSettings(arg: NoArg): Promise<KioskSettings>;
  /** Idle timings, retention and the lead form; on a running kiosk, staff only. */
  updateKioskSettings(arg: KioskSettingsChange): Promise<KioskSettings>;
}

const sessionId = z.string().min(1).max(64);
const newPin = z.string().regex(/^\d{4,12}$/, 'a PIN is 4 to 12 digits');

export const kioskArgs = {
  getKioskConfig: noArg,
  startVisitorSession: noArg,
  recordVisitorView: z.object({ sessionId, itemId }).strict(),
  endVisitorSession: z.object({ sessionId, reason: z.enum(['idle', 'done']) }).strict(),
  captureLead: leadSubmission,
  getLeadStats: noArg,
  setKioskPin: z.object({ pin: newPin, currentPin: z.string().max(12).optional() }).strict(),
  unlockKiosk: z.object({ pin: z.string().max(12) }).strict(),
  lockKiosk: noArg,
  exportLeadsCsv: noArg,
  exportLeadsToFile: noArg,
  listBoothLeads: leadListFilter,
  qualifyLead: leadQualification,
  listExportFolders: noArg,
  exportLeadsToFolder: exportLeadsToFolderArg,
  setProfileKind: z.object({ kind: z.enum(['standard', 'kiosk']), pin: newPin.optional() }).strict(),
  getKioskSettings: noArg,
  updateKioskSettings: kioskSettingsChange,
} satisfies ArgSchemas<KioskApi>;
