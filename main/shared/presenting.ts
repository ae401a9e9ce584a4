/** Pitches, what was shown, meetings and the marketing report, as the UI and the CLI see them. */
import { z } from 'zod';
import { storableText } from './contract/text.ts';
import { crmId } from './crm.ts';

export interface PitchStepInput {
  itemId: string;
  /** One page of a document, or null for the whole item. */
  page: number | null;
  note: string;
}

/** `slide-removed`: the step named a slide (by identity) that the deck's new version no longer has. */
export type StepProblem = 'expired' | 'removed' | 'page-removed' | 'slide-removed' | 'missing-file';

export interface PitchStep extends PitchStepInput {
  title: string | null;
  kind: string | null;
  /** Why this step cannot be shown from this device now, if it cannot. */
  problem: StepProblem | null;
}

export interface Pitch {
  id: string;
  name: string;
  steps: PitchStep[];
  updatedAt: string;
  /** Every step's content is on the device and current: the pitch works offline. */
  ready: boolean;
}

export interface PitchSummary {
  id: string;
  name: string;
  stepCount: number;
  updatedAt: string;
  ready: boolean;
}

export const activityTypes = ['item.opened', 'page.viewed', 'pitch.presented', 'followup.shared'] as const;
export type ActivityType = (typeof activityTypes)[number];

/** A page counts as viewed from this many milliseconds on screen. */
export const MIN_PAGE_DWELL_MS = 2000;

export const activityEvent = z
  .object({
    /** Client-generated id: the same event sent twice is recorded once. */
    id: z.string().min(8).max(64),
    type: z.enum(activityTypes),
    at: z.iso.datetime({ offset: true }),
    itemId: z.string().max(128).optional(),
    page: z.number().int().positive().max(100_000).optional(),
    dwellMs: z
      .number()
      .int()
      .nonnegative()
      .max(24 * 3_600_000)
      .optional(),
    pitchId: z.string().max(64).optional(),
    meetingId: z.string().max(64).optional(),
  })
  .strict();
export type ActivityEvent = z.infer<typeof activityEvent>;

export interface ShownPage {
  itemId: string;
  page: number | null;
  dwellMs: number;
}

export const meetingInput = z
  .object({
    id: z.string().min(8).max(64),
    pitchId: z.string().max(64).nullable().default(null),
    startedAt: z.iso.datetime({ offset: true }),
    endedAt: z.iso.datetime({ offset: true }),
    /** "Save for later" keeps it on the device; "logged" sends it to CRM. */
    status: z.enum(['later', 'logged']),
    account: storableText(200).default(''),
    contact: storableText(200).default(''),
    opportunity: storableText(200).default(''),
    outcome: storableText(200).default(''),
    notes: storableText(10_000).default(''),
    shown: z
      .array(
        z
          .object({
            itemId: z.string().max(128),
            page: z.number().int().positive().nullable(),
            dwellMs: z.number().int().nonnegative(),
          })
          .strict(),
      )
      .max(2000)
      .default([]),
    /** CRM ids of records picked from the cache; null when the rep typed free text. */
    accountId: crmId.nullable().default(null),
    contactId: crmId.nullable().default(null),
    opportunityId: crmId.nullable().default(null),
  })
  .strict();
export type MeetingInput = z.input<typeof meetingInput>;
export type Meeting = z.output<typeof meetingInput>;

export interface ShownTitle extends ShownPage {
  /** The item's title in the current library, or its id when it is no longer there. */
  title: string;
  shareUrl: string | null;
}

/** A meeting as stored on the device, with what the screens show of it. */
export interface SavedMeeting extends Omit<Meeting, 'shown'> {
  pitchName: string | null;
  shown: ShownTitle[];
  updatedAt: string;
}

/** One row of the "saved for later" list: when, which pitch, what was shown. */
export interface MeetingSummary {
  id: string;
  status: Meeting['status'];
  pitchId: string | null;
  pitchName: string | null;
  startedAt: string;
  endedAt: string;
  account: string;
  contact: string;
  /** Titles of the items shown, in order, each once. */
  shownTitles: string[];
  shownPages: number;
  updatedAt: string;
}

/** The follow-up e-mail queued to the CRM connector instead of opened in the mail client. */
export const followUpInput = z
  .object({
    /** Client-generated: the same follow-up queued twice is queued once. */
    id: z.string().min(8).max(64),
    meetingId: z.string().min(8).max(64),
    pitchId: z.string().max(64).nullable().default(null),
    to: storableText(254, { trim: true }).default(''),
    subject: storableText(255, { trim: true }).min(1),
    body: storableText(32_000).min(1),
    accountId: crmId.nullable().default(null),
    contactId: crmId.nullable().default(null),
    opportunityId: crmId.nullable().default(null),
  })
  .strict();
export type FollowUpInput = z.input<typeof followUpInput>;
export type FollowUpOutput = z.output<typeof followUpInput>;

/** A plausible e-mail address: something@somewhere.tld (the CRM checks the rest). */
export const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

/**
 * An item (or one page of it) shared from the viewer, outside any meeting: the core writes the
 * e-mail from the library (title, page, share link) and queues it like a meeting's follow-up.
 */
export const shareItemInput = z
  .object({
    /** Client-generated: the same share sent twice is queued once. */
    id: z.string().min(8).max(64),
    itemId: z.string().min(1).max(128),
    /** One page of a document, or null for the whole item. */
    page: z.number().int().positive().max(100_000).nullable().default(null),
    to: storableText(254, { trim: true }).refine((to) => EMAIL_ADDRESS.test(to), {
      message: 'is not an e-mail address like name@company.com',
    }),
    note: storableText(4000).default(''),
  })
  .strict();
export type ShareItemInput = z.input<typeof shareItemInput>;

/** One page (or a whole item) added to a pitch from the viewer: to a pitch kept, or a new one. */
export const addToPitchInput = z
  .object({
    /** The pitch to add to; absent: a new pitch named `name`. */
    pitchId: z.string().min(1).max(64).optional(),
    name: storableText(200, { trim: true }).optional(),
    itemId: z.string().min(1).max(128),
    page: z.number().int().positive().max(100_000).nullable(),
    note: storableText(4000).default(''),
  })
  .strict()
  .refine((input) => (input.pitchId === undefined) !== (input.name === undefined), {
    message: 'give either the pitch to add to (pitchId) or the name of a new one (name), not both',
    path: ['pitchId'],
  });
export type AddToPitchInput = z.input<typeof addToPitchInput>;

export interface ItemUsage {
  itemId: string;
  title: string;
  opens: number;
  pageViews: number;
  dwellMs: number;
}

export interface PageUsage {
  page: number;
  views: number;
  averageDwellMs: number;
  /** Share of the document's openings that never reached this page. */
  dropOff: number;
}

export interface UsageReport {
  from: string | null;
  to: string | null;
  mostUsed: ItemUsage[];
  leastUsed: ItemUsage[];
  pages: { itemId: string; title: string; pages: PageUsage[] }[];
  /** `scope`: a rep's search in the app, or a visitor's at the kiosk. */
  zeroResultSearches: { query: string; count: number; lastAt: string; scope: 'rep' | 'kiosk' }[];
  neverOpened: { itemId: string; title: string; since: string }[];
}

/**
 * Bounds of the pen's ink kept with a meeting. A page holds what the audience screen can show;
 * one save stays well under the browser host's 1 MiB request limit (the UI saves a large meeting's
 * ink in several calls); a meeting's whole ink is bounded too.
 */
export const inkLimits = {
  strokesPerPage: 400,
  pointsPerStroke: 10_000,
  pointsPerPage: 20_000,
  pagesPerSave: 200,
  /** Characters of the strokes' JSON over all pages of one save. */
  bytesPerSave: 768 * 1024,
  pagesPerMeeting: 1000,
  /** Characters of the strokes' JSON over all pages of one meeting. */
  bytesPerMeeting: 8 * 1024 * 1024,
} as const;

const inkUnit = z
  .number()
  .min(0, 'ink must lie within the page (0 to 1)')
  .max(1, 'ink must lie within the page (0 to 1)');

export const inkStroke = z
  .object({
    points: z
      .array(z.object({ x: inkUnit, y: inkUnit }).strict())
      .min(1, 'a stroke has at least one point')
      .max(inkLimits.pointsPerStroke, `a stroke has at most ${inkLimits.pointsPerStroke} points`),
  })
  .strict();
export type InkStroke = z.infer<typeof inkStroke>;

export const inkPageInput = z
  .object({
    itemId: z.string().min(1).max(128),
    /** A PDF's page; null for an image, a video or a microsite. */
    page: z.number().int().positive().max(100_000).nullable(),
    /** Width / height of the box the ink was drawn in; its points are relative (0..1) to that box. */
    aspect: z
      .number()
      .min(0.1)
      .max(10)
      .default(16 / 9),
    /** The page's whole ink; none clears the page. */
    strokes: z.array(inkStroke).max(inkLimits.strokesPerPage, `a page has at most ${inkLimits.strokesPerPage} strokes`),
  })
  .strict()
  .refine((p) => p.strokes.reduce((sum, s) => sum + s.points.length, 0) <= inkLimits.pointsPerPage, {
    message: `a page has at most ${inkLimits.pointsPerPage} points of ink`,
    path: ['strokes'],
  });

/** Replaces a meeting's ink on the pages given (and only those). */
export const meetingInkInput = z
  .object({
    meetingId: z.string().min(8).max(64),
    pages: z
      .array(inkPageInput)
      .min(1, 'no pages given')
      .max(inkLimits.pagesPerSave, `at most ${inkLimits.pagesPerSave} pages in one save`),
  })
  .strict()
  .superRefine((input, ctx) => {
    const seen = new Set<string>();
    let bytes = 0;
    input.pages.forEach((p, index) => {
      const key = `${p.itemId}#${p.page ?? ''}`;
      if (seen.has(key))
        ctx.addIssue({
          code: 'custom',
          path: ['pages', index],
          message: `page ${p.page ?? '(whole item)'} of ${p.itemId} is given twice`,
        });
      seen.add(key);
      bytes += JSON.stringify(p.strokes).length;
    });
    if (bytes > inkLimits.bytesPerSave)
      ctx.addIssue({
        code: 'custom',
        path: ['pages'],
        message: `ink of one save is at most ${inkLimits.bytesPerSave} bytes (this is ${bytes}): save it in parts`,
      });
  });
export type MeetingInkInput = z.input<typeof meetingInkInput>;
export type InkPageInput = z.input<typeof inkPageInput>;

/** One page's ink as kept with a meeting. */
export interface InkPage {
  itemId: string;
  page: number | null;
  aspect: number;
  strokes: InkStroke[];
  updatedAt: string;
}

/** What a meeting keeps of ink after a save: pages with ink and the size of their strokes' JSON. */
export interface MeetingInkTotals {
  meetingId: string;
  pages: number;
  bytes: number;
}

/** A meeting's ink, by item and page. */
export interface MeetingInk {
  meetingId: string;
  pages: InkPage[];
}
