/**
 * Who may call what: the one place a reviewer reads to know what a kiosk visitor, the staff
 * behind the PIN, and an audience window may do. Enforced once, where calls enter the core
 * (main/core/access.ts), and by the desktop app for its audience window. A method without an
 * entry fails to compile (the Record) and fails test/unit/access.test.ts.
 */
import type { ApiMethod, EventName } from './contract.ts';

export type Access =
  /** Anyone: the rep, a kiosk visitor, and the audience window (it only reads what it shows). */
  | 'audience-readable'
  /** The rep, and a visitor at a kiosk; never the audience window. */
  | 'open'
  /** The rep; on a kiosk only while the staff screen is unlocked with the PIN. */
  | 'staff-on-kiosk'
  /** Only while the staff screen is unlocked, on any profile: visitors' personal data. */
  | 'staff'
  /** The rep's own profile only: refused on a kiosk even behind the PIN, and in the audience window. */
  | 'rep';

export const apiAccess: Record<ApiMethod, Access> = {
  // What an item is and where it opens: the audience window shows items too.
  getAppInfo: 'open',
  getLibrary: 'open',
  // Pages of the same library; a kiosk's device shelves are empty (visitors leave no history).
  getLibraryHome: 'open',
  listItems: 'open',
  getShelfFacets: 'open',
  getItem: 'audience-readable',
  search: 'open',
  getRecentSearches: 'open',
  // The rep's own favourites and history; a kiosk visitor leaves no trace of what they opened.
  getItemUse: 'staff-on-kiosk',
  setFavourite: 'staff-on-kiosk',
  recordItemOpened: 'staff-on-kiosk',

  // Where content comes from is the booth's, not a visitor's; the status only reads.
  getChannelSettings: 'open',
  updateChannelSettings: 'staff-on-kiosk',
  checkForContent: 'staff-on-kiosk',
  applyContent: 'staff-on-kiosk',
  getSyncStatus: 'open',
  markLibrarySeen: 'open',

  getAppUpdateStatus: 'open',
  restartToUpdate: 'staff-on-kiosk',

  // A visitor's own session and lead.
  getKioskConfig: 'open',
  startVisitorSession: 'open',
  recordVisitorView: 'open',
  endVisitorSession: 'open',
  captureLead: 'open',
  // Counts only, no person: the staff screen shows them, and the lead form's thank-you needs none.
  getLeadStats: 'open',
  // The pad: a wrong PIN is counted by the one PIN verifier (kiosk/pin.ts), however it comes.
  unlockKiosk: 'open',
  lockKiosk: 'open',
  // Changing the PIN takes the current one too (the verifier). A kiosk without a PIN cannot be
  // unlocked, so its own screen can never set the first one: staff do, on the way in
  // (setProfileKind) or with `pitchcase kiosk pin`.
  setKioskPin: 'staff-on-kiosk',
  exportLeadsCsv: 'staff',
  exportLeadsToFile: 'staff',
  // The staff screen's lead list, qualification and export: visitors' personal data, and where
  // a file may be written on the machine. Staff only on every profile.
  listBoothLeads: 'staff',
  qualifyLead: 'staff',
  listExportFolders: 'staff',
  exportLeadsToFolder: 'staff',
  // Entering the kiosk is the rep's; leaving it is for staff.
  setProfileKind: 'staff-on-kiosk',
  getKioskSettings: 'open',
  updateKioskSettings: 'staff-on-kiosk',

  // Where records go, and what went wrong (an endpoint's error may echo a visitor's e-mail).
  getDeliverySettings: 'staff-on-kiosk',
  updateDeliverySettings: 'staff-on-kiosk',
  testDeliveryConnection: 'staff-on-kiosk',
  deliverNow: 'staff-on-kiosk',
  getDeliveryStatus: 'staff-on-kiosk',

  // The rep's pitches, meetings and usage: none of a visitor's business.
  listPitches: 'staff-on-kiosk',
  getPitch: 'staff-on-kiosk',
  savePitch: 'staff-on-kiosk',
  duplicatePitch: 'staff-on-kiosk',
  deletePitch: 'staff-on-kiosk',
  // A kiosk records its visitors' views in their session (recordVisitorView), never as a rep's.
  recordActivity: 'staff-on-kiosk',
  saveMeeting: 'staff-on-kiosk',
  getUsageReport: 'staff-on-kiosk',
  listMeetings: 'staff-on-kiosk',
  getMeeting: 'staff-on-kiosk',
  deleteMeeting: 'staff-on-kiosk',
  saveMeetingInk: 'staff-on-kiosk',
  getMeetingInk: 'staff-on-kiosk',
  queueFollowUp: 'staff-on-kiosk',
  addToPitch: 'staff-on-kiosk',
  shareItem: 'staff-on-kiosk',

  searchCrm: 'staff-on-kiosk',
  getCrmCache: 'staff-on-kiosk',
  refreshCrmCache: 'staff-on-kiosk',

  // The presenter publishes; the audience window only follows.
  showToAudience: 'open',
  getAudienceState: 'audience-readable',

  // The fleet: which company the device reports to, and what it records. A kiosk is enrolled as a
  // booth by staff behind the PIN; a visitor can neither enrol it nor read what it records.
  getFleetStatus: 'staff-on-kiosk',
  enrolDevice: 'staff-on-kiosk',
  skipFleetConnect: 'staff-on-kiosk',
  // A visitor must not cut the booth off from Studio: staff behind the PIN, or the rep.
  disconnectFromStudio: 'staff-on-kiosk',
  syncFleetNow: 'staff-on-kiosk',
  getRecordsAboutMe: 'staff-on-kiosk',
  // Rehearsing is the rep's: a booth has no rep, and its staff's PIN does not make one.
  listPracticePrompts: 'rep',
  listRehearsalTakes: 'rep',
  saveRehearsalTake: 'rep',
  getRehearsalTakeAudio: 'rep',
  markBestTake: 'rep',
  deleteRehearsalTake: 'rep',
  getPracticeConsent: 'rep',
  sendTakeForReview: 'rep',
  cancelTakeReview: 'rep',
  listPracticeExamples: 'rep',
  getPracticeExampleAudio: 'rep',
  // Quizzes and points are the rep's own too: a booth's visitors and staff take none.
  listQuizzes: 'rep',
  takeQuiz: 'rep',
  submitQuiz: 'rep',
  getStanding: 'rep',
};

/**
 * Who hears which event, by the same rule as the method that reads the same thing: an event
 * stream is one more way to read, and a locked kiosk's page must hear nothing its calls would be
 * refused. Filtered per listener where events leave the core (Core.subscribe), at the moment each
 * event is sent, so staff locking the kiosk stops the staff-only events at once.
 */
export const eventAccess: Record<EventName, Access> = {
  // getLibrary, getSyncStatus, getAppUpdateStatus: a kiosk's own screens follow them.
  'library.changed': 'open',
  'sync.status': 'open',
  'update.ready': 'open',
  'update.status': 'open',
  // The kiosk's screen says it is leaving kiosk mode; the reason is a fixed sentence.
  'app.restartRequired': 'open',
  // getCrmCache is the rep's (and staff's on a kiosk).
  'crm.changed': 'staff-on-kiosk',
  // getAudienceState: what the audience window itself shows.
  'presenter.audience': 'audience-readable',
  'presenter.screens': 'open',
  // getDeliveryStatus: pending counts and the last (scrubbed) endpoint error.
  'delivery.status': 'staff-on-kiosk',
  // getFleetStatus: the booth's enrolment is staff's.
  'fleet.changed': 'staff-on-kiosk',
  // Enrolling from a link is the rep's; a kiosk's staff connect it behind the PIN, never from a link.
  'fleet.enrolLink': 'rep',
  // listRehearsalTakes is the rep's.
  'rehearse.changed': 'rep',
};

/** Where a call comes from, as far as the access table cares. */
export interface Caller {
  profileKind: 'standard' | 'kiosk';
  /** The staff screen is unlocked with the PIN now. */
  staffUnlocked: boolean;
  /** The call comes from an audience window (the desktop app's second screen). */
  audience?: boolean;
}

function refusedBy(access: Access, caller: Caller, what: string): string | null {
  if (caller.audience && access !== 'audience-readable') return `This window may not ${what}`;
  if (access === 'rep' && caller.profileKind === 'kiosk')
    return "Rehearsing and quizzes are for the rep's profile, not a kiosk";
  if (access === 'staff' && !caller.staffUnlocked) return 'Staff only: unlock with the PIN first';
  if (access === 'staff-on-kiosk' && caller.profileKind === 'kiosk' && !caller.staffUnlocked)
    return 'Staff only: unlock with the PIN first';
  return null;
}

/** Why a call is refused, or null when the table lets it through. */
export function refusal(method: ApiMethod, caller: Caller): string | null {
  return refusedBy(apiAccess[method], caller, `call ${method}`);
}

/** Whether this listener may hear the event now (eventAccess). */
export function mayHear(event: EventName, caller: Caller): boolean {
  return refusedBy(eventAccess[event], caller, `hear ${event}`) === null;
}
