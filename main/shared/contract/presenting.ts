/** Pitches, what was shown (activity), meetings with their ink and follow-ups, the usage report. */
import { z } from 'zod';
import {
  addToPitchInput,
  followUpInput,
  shareItemInput,
  meetingInkInput,
  meetingInput,
  type activityEvent,
  type ActivityEvent,
  type AddToPitchInput,
  type FollowUpInput,
  type Meeting,
  type MeetingInk,
  type MeetingInkInput,
  type MeetingInkTotals,
  type MeetingInput,
  type MeetingSummary,
  type Pitch,
  type PitchStepInput,
  type PitchSummary,
  type SavedMeeting,
  type ShareItemInput,
  type UsageReport,
} from '../presenting.ts';
import { itemId, noArg, recordId, type ArgSchemas, type NoArg } from './schema.ts';
import { storableText } from './text.ts';

export interface PresentingApi {
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
  /**
   * Appends one page (or a whole item) to a pitch, or to a new pitch; a slide keeps its identity
   * (the step follows the slide across versions of the deck). An expired item or a page the item
   * does not have is refused and nothing changes.
   */
  addToPitch(arg: AddToPitchInput): Promise<Pitch>;
  /**
   * Shares an item (or one page) outside any meeting: the e-mail (title, page, share link, the
   * rep's note) is queued to the CRM connector with a "shared follow-up" event, both or neither.
   */
  shareItem(arg: ShareItemInput): Promise<{ queued: boolean }>;
}

/** The longest pitch name stored (a copy's " (copy)" counts too). */
export const PITCH_NAME_MAX = 200;
/** The most steps a pitch keeps. */
export const PITCH_STEPS_MAX = 500;

const byId = z.object({ id: recordId }).strict();

export const presentingArgs = {
  listPitches: noArg,
  getPitch: byId,
  savePitch: z
    .object({
      id: recordId.optional(),
      name: storableText(PITCH_NAME_MAX),
      steps: z
        .array(z.object({ itemId, page: z.number().int().positive().nullable(), note: storableText(4000) }).strict())
        .max(PITCH_STEPS_MAX),
    })
    .strict(),
  duplicatePitch: byId,
  deletePitch: byId,
  // Events are checked one by one in the core: one malformed event must not sink the batch.
  recordActivity: z.object({ events: z.array(z.unknown()).max(1000) }).strict() as unknown as z.ZodType<{
    events: z.infer<typeof activityEvent>[];
  }>,
  saveMeeting: meetingInput,
  getUsageReport: z
    .object({ from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional() })
    .strict(),
  listMeetings: z.object({ status: z.enum(['later', 'logged']) }).strict(),
  getMeeting: byId,
  deleteMeeting: byId,
  saveMeetingInk: meetingInkInput,
  getMeetingInk: z.object({ meetingId: recordId }).strict(),
  queueFollowUp: followUpInput,
  addToPitch: addToPitchInput,
  shareItem: shareItemInput,
} satisfies ArgSchemas<PresentingApi>;
