/**
 * The one contract between the UI and the core. The preload, the IPC registration and the
 * browser host all loop over `apiMethods`/`eventNames`; nobody hand-writes a channel.
 * Every method takes one serialisable argument and returns a Promise.
 */
import type { AppInfo, ItemDetail, ItemUse, LibraryView, ProfileKind } from './library.ts';
import type { SearchRequest, SearchResponse } from './search.ts';
import type { AppUpdateStatus, ChannelSettings, ConnectionTestResult, DeliveryKind, DeliverySettings, DeliverySettingsView, DeliveryStatus, EndpointSettings, SyncStatus } from './sync.ts';
import type { ActivityEvent, FollowUpInput, Meeting, MeetingInk, MeetingInkInput, MeetingInkTotals, MeetingInput, MeetingSummary, Pitch, PitchStepInput, PitchSummary, SavedMeeting, UsageReport } from './presenting.ts';
import type { CrmCacheStatus, CrmSearchRequest, CrmSearchResult } from './crm.ts';
import type { AudienceScreenStatus, AudienceState } from './audience-screen.ts';
import type { CaptureLeadResult, KioskConfig, KioskSettings, KioskSettingsChange, KioskUnlock, LeadStats, LeadSubmission } from './kiosk.ts';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an explicit "no argument" shape
export type NoArg = {};

export interface PitchcaseApi {
  getAppInfo(arg: NoArg): Promise<AppInfo>;
  getLibrary(arg: NoArg): Promise<LibraryView>;
  getItem(arg: { id: string }): Promise<ItemDetail>;
  /** Items (grouped, with their best pages and snippets) and glossary entries for a query. */
  search(arg: SearchRequest): Promise<SearchResponse>;
  /** The rep's recent searches that found something, newest first. */
  getRecentSearches(arg: { limit?: number }): Promise<string[]>;
  /** Favourites, recently opened and open counts on this device (they survive new releases). */
  getItemUse(arg: NoArg): Promise<ItemUse>;
  setFavourite(arg: { itemId: string; favourite: boolean }): Promise<ItemUse>;
  /** The rep opened an item: counts for "Most used" and puts it first in "Recently opened". */
  recordItemOpened(arg: { itemId: string }): Promise<ItemUse>;

  getChannelSettings(arg: NoArg): Promise<ChannelSettings>;
  /** Changes some settings; a bad URL or key is refused and nothing changes. */
  updateChannelSettings(arg: Partial<ChannelSettings>): Promise<ChannelSettings>;
  /** Looks for a newer release now ("Check now", network back). Resolves once checked. */
  checkForContent(arg: NoArg): Promise<SyncStatus>;
  /** Downloads (if needed) and applies the release the last check found. */
  applyContent(arg: NoArg): Promise<SyncStatus>;
  getSyncStatus(arg: NoArg): Promise<SyncStatus>;
  /** The rep has seen what is new: clears the "new" badge. */
  markLibrarySeen(arg: NoArg): Promise<SyncStatus>;

  getAppUpdateStatus(arg: NoArg): Promise<AppUpdateStatus>;
  /** Quits and installs a downloaded app update. */
  restartToUpdate(arg: NoArg): Promise<AppUpdateStatus>;

  getKioskConfig(arg: NoArg): Promise<KioskConfig>;
  /** A visitor touched the kiosk: their anonymous session starts. */
  startVisitorSession(arg: NoArg): Promise<{ sessionId: string }>;
  recordVisitorView(arg: { sessionId: string; itemId: string }): Promise<NoArg>;
  /** Idle timeout or "Done": the session ends (the UI wipes every trace of the visitor). */
  endVisitorSession(arg: { sessionId: string; reason: 'idle' | 'done' }): Promise<NoArg>;
  /** Resolves only once the lead is committed; field errors come back as data, not thrown. */
  captureLead(arg: LeadSubmission): Promise<CaptureLeadResult>;
  getLeadStats(arg: NoArg): Promise<LeadStats>;
  /** Sets the staff PIN (4–12 digits); changing it needs the current one. */
  setKioskPin(arg: { pin: string; currentPin?: string }): Promise<{ pinSet: true }>;
  /**
   * Staff enter the PIN to reach the staff screen. Attempts are rate-limited: after three
   * failures each further one locks the PIN for longer.
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
   * Switches this profile between the rep's app and the kiosk, from the next start (the shell
   * restarts itself where it can). Entering the kiosk needs a staff PIN (set here if there is
   * none); leaving it needs the staff screen unlocked.
   */
  setProfileKind(arg: { kind: ProfileKind; pin?: string }): Promise<{ kind: ProfileKind; restartRequired: boolean }>;
  getKioskSettings(arg: NoArg): Promise<KioskSettings>;
  /** Idle timings, retention and the lead form; on a running kiosk, staff only. */
  updateKioskSettings(arg: KioskSettingsChange): Promise<KioskSettings>;

  /** Where each kind of record goes, without secrets (`hasAccessToken` and the like). On a kiosk, staff only. */
  getDeliverySettings(arg: NoArg): Promise<DeliverySettingsView>;
  /**
   * Where leads, meetings and activity go; a bad URL is refused and nothing changes. Secrets
   * are sealed with the profile's key; an absent secret keeps the stored one. On a kiosk, staff only.
   */
  updateDeliverySettings(arg: DeliverySettings): Promise<DeliverySettingsView>;
  /**
   * A harmless request to a kind's endpoint (the stored one, or `endpoint` before it is saved,
   * with the stored secrets): a webhook gets an empty batch marked `Pitchcase-Test: 1`,
   * Salesforce a describe of Lead or Task. Never throws for a refusal: the result says it.
   */
  testDeliveryConnection(arg: { kind: DeliveryKind; endpoint?: EndpointSettings }): Promise<ConnectionTestResult>;
  /** Uploads what is due now (also runs by itself when a network is there). */
  deliverNow(arg: NoArg): Promise<DeliveryStatus>;
  getDeliveryStatus(arg: NoArg): Promise<DeliveryStatus>;

  listPitches(arg: NoArg): Promise<PitchSummary[]>;
  /** A pitch with each step resolved against the current library (and why a step cannot show). */
  getPitch(arg: { id: string }): Promise<Pitch>;
  /** Creates (no id) or replaces a pitch: name and ordered steps. */
  savePitch(arg: { id?: string; name: string; steps: PitchStepInput[] }): Promise<Pitch>;
  duplicatePitch(arg: { id: string }): Promise<Pitch>;
  deletePitch(arg: { id: string }): Promise<NoArg>;
  /** What was shown; page views under two seconds are dropped, repeated ids ignored. */
  recordActivity(arg: { events: ActivityEvent[] }): Promise<{ recorded: number; rejected: number }>;
  /** Saves a meeting for later, or logs it (then it goes to CRM, once). */
  saveMeeting(arg: MeetingInput): Promise<Meeting>;
  getUsageReport(arg: { from?: string; to?: string }): Promise<UsageReport>;
  /** Meetings saved for later (to complete and log) or logged, the latest first. */
  listMeetings(arg: { status: 'later' | 'logged' }): Promise<MeetingSummary[]>;
  /** A stored meeting with what was shown (titles and share links from the current library). */
  getMeeting(arg: { id: string }): Promise<SavedMeeting>;
  /** Deletes a meeting saved for later; a logged one is refused. */
  deleteMeeting(arg: { id: string }): Promise<NoArg>;
  /**
   * Keeps the pen's ink of a draft meeting on the device, replacing its ink on the pages given
   * (a page without strokes is cleared). Bounded (strokes, points, bytes); beyond the bounds, or
   * for a logged meeting, it is refused and nothing changes. Never sent to CRM.
   */
  saveMeetingInk(arg: MeetingInkInput): Promise<MeetingInkTotals>;
  /** A meeting's ink, per page (a logged meeting's too: it is kept, read-only). */
  getMeetingInk(arg: { meetingId: string }): Promise<MeetingInk>;
  /** Queues the follow-up e-mail to the CRM connector and records "shared follow-up" with it. */
  queueFollowUp(arg: FollowUpInput): Promise<{ queued: boolean }>;
  /** Typeahead over the CRM cache on the device: works offline. */
  searchCrm(arg: CrmSearchRequest): Promise<CrmSearchResult>;
  /** What the CRM cache holds and when it was filled. */
  getCrmCache(arg: NoArg): Promise<CrmCacheStatus>;
  /** Refreshes the CRM cache from Salesforce now (it also refreshes by itself when due). */
  refreshCrmCache(arg: NoArg): Promise<CrmCacheStatus>;
  /** The rep's presenter publishes what the audience sees; announced as 'presenter.audience'. */
  showToAudience(arg: AudienceState): Promise<NoArg>;
  /** The latest state of a presentation, for an audience screen that opens after it started. */
  getAudienceState(arg: { sessionId: string }): Promise<AudienceState | null>;
}

export type ApiMethod = keyof PitchcaseApi;
export type ApiArg<M extends ApiMethod> = Parameters<PitchcaseApi[M]>[0];
export type ApiReturn<M extends ApiMethod> = Awaited<ReturnType<PitchcaseApi[M]>>;

export interface PitchcaseEvents {
  /** A new release became current; screens reload what they show. */
  'library.changed': { version: number };
  /** Content sync state changed (checking, progress, available, applied, failed). */
  'sync.status': SyncStatus;
  /** The user has been idle this long (kiosk attract loop, session reset). */
  idle: { idleSeconds: number };
  /** An app update has been downloaded and installs on restart. */
  'update.ready': { version: string };
  /** App update state changed. */
  'update.status': AppUpdateStatus;
  /** The profile kind changed: the app must start again to apply it. */
  'app.restartRequired': { reason: string };
  /** The CRM cache was filled (from Salesforce or a file): pickers update "cached <when>". */
  'crm.changed': CrmCacheStatus;
  /** What the audience screen of a presentation shows now (rep -> audience, never back). */
  'presenter.audience': AudienceState;
  /** The desktop app opened or closed an audience window on a second display. */
  'presenter.screens': AudienceScreenStatus;
  /** An outbox upload run ended (sent, refused or offline): the sync-health panel refreshes. */
  'delivery.status': DeliveryStatus;
}

export type EventName = keyof PitchcaseEvents;

/** True only when A and B are the same union; used to pin runtime lists to the interfaces. */
export type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export const apiMethods = [
  'getAppInfo',
  'getLibrary',
  'getItem',
  'search',
  'getRecentSearches',
  'getItemUse',
  'setFavourite',
  'recordItemOpened',
  'getChannelSettings',
  'updateChannelSettings',
  'checkForContent',
  'applyContent',
  'getSyncStatus',
  'markLibrarySeen',
  'getAppUpdateStatus',
  'restartToUpdate',
  'getKioskConfig',
  'startVisitorSession',
  'recordVisitorView',
  'endVisitorSession',
  'captureLead',
  'getLeadStats',
  'setKioskPin',
  'unlockKiosk',
  'lockKiosk',
  'exportLeadsCsv',
  'exportLeadsToFile',
  'setProfileKind',
  'getKioskSettings',
  'updateKioskSettings',
  'getDeliverySettings',
  'updateDeliverySettings',
  'testDeliveryConnection',
  'deliverNow',
  'getDeliveryStatus',
  'listPitches',
  'getPitch',
  'savePitch',
  'duplicatePitch',
  'deletePitch',
  'recordActivity',
  'saveMeeting',
  'getUsageReport',
  'listMeetings',
  'getMeeting',
  'deleteMeeting',
  'saveMeetingInk',
  'getMeetingInk',
  'queueFollowUp',
  'searchCrm',
  'getCrmCache',
  'refreshCrmCache',
  'showToAudience',
  'getAudienceState',
] as const satisfies readonly ApiMethod[];
export const eventNames = [
  'library.changed',
  'sync.status',
  'idle',
  'update.ready',
  'update.status',
  'app.restartRequired',
  'crm.changed',
  'presenter.audience',
  'presenter.screens',
  'delivery.status',
] as const satisfies readonly EventName[];

// Compile-time guards: adding a method to the interface without listing it (or the reverse)
// fails `tsc`, long before an IPC channel silently goes missing.
const methodsComplete: SameKeys<(typeof apiMethods)[number], ApiMethod> = true;
const eventsComplete: SameKeys<(typeof eventNames)[number], EventName> = true;
void methodsComplete;
void eventsComplete;

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && (apiMethods as readonly string[]).includes(name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (eventNames as readonly string[]).includes(name);
}

/** The IPC channel names, derived, so main and preload cannot disagree. */
export const ipcChannels = {
  invoke: 'pitchcase:invoke',
  event: 'pitchcase:event',
} as const;
