/**
 * Sending a practice recording to Studio for review, and the feedback that comes back: the wire
 * between an enrolled device and Studio (both sides import these schemas), plus what the
 * Rehearse screen shows of a sent take. Paths are relative to Studio's base URL and every call
 * carries the device credential (`Authorization: Device <id>.<secret>`).
 *
 * - `POST /api/device/practice/uploads` opens (or finds again) the upload of one take: Studio
 *   answers with the offset it holds. Asking again is how a device resumes after a cut
 *   connection, a Studio restart or its own restart.
 * - `PUT /api/device/practice/uploads/:id?offset=N` appends one chunk at N (409 with Studio's
 *   offset when N is not it). The last chunk makes Studio check the whole file's sha256 and
 *   hand the recording on for review.
 * - `GET /api/device/practice-feed?after=<cursor>` what reviewers said, per take, and the
 *   recordings marked as examples; `GET /api/device/practice/examples/:id` an example's audio.
 */
import { z } from 'zod';

export const PRACTICE_PATHS = {
  uploads: '/api/device/practice/uploads',
  feed: '/api/device/practice-feed',
  /** `…/examples/<recordingId>`: an example's audio, for every enrolled rep's device. */
  examples: '/api/device/practice/examples',
} as const;

/** One request's worth: small enough that a dropped hotel Wi-Fi loses little, large enough to be few requests. */
export const PRACTICE_CHUNK_BYTES = 1024 * 1024;

/**
 * The largest recording Studio accepts: five minutes of 720p WebM video at 5 Mbit/s is about
 * 190 MB, so 256 MiB fits it with room; anything larger is refused before a byte is stored.
 */
export const PRACTICE_UPLOAD_MAX_BYTES = 256 * 1024 * 1024;

/**
 * The consent the rep gives before a first send. Its words are part of the version: changing
 * what is sent or who sees it means a new version, and the rep is asked again.
 */
export const PRACTICE_CONSENT = {
  version: 1,
  sent: ['This recording', 'The prompt it answers', 'Your name and team'],
  seenBy: ['Marketing', 'Your manager'],
  example: 'Marketing may share it with all reps as an example of how to say it',
} as const;

/** What a recording may be: audio from MediaRecorder (and video, when the device records it). */
export const practiceMimePattern = /^(audio|video)\/(webm|ogg|mp4)(;\s*codecs=[a-z0-9.,-]+)?$/i;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 is 64 lower-case hex digits');

export const practiceConsent = z.object({ version: z.number().int().min(1), shareAsExample: z.boolean() }).strict();
export type PracticeConsent = z.infer<typeof practiceConsent>;

/** The body of `POST /api/device/practice/uploads`. */
export const practiceUploadStart = z
  .object({
    takeId: z.string().min(1).max(64),
    promptId: z.string().min(1).max(128),
    promptTitle: z.string().max(200),
    keyMessages: z.array(z.string().max(500)).max(20),
    releaseVersion: z.number().int().nullable(),
    recordedAt: z.string().max(40),
    mime: z.string().max(100).regex(practiceMimePattern, 'a recording is WebM, Ogg or MP4 audio or video'),
    durationMs: z.number().int().nonnegative().max(3_600_000),
    size: z.number().int().min(1),
    sha256,
    consent: practiceConsent,
  })
  .strict();
export type PracticeUploadStart = z.infer<typeof practiceUploadStart>;

/** Studio's answer to a start and to every chunk: where it stands. */
export const practiceUploadState = z
  .object({
    uploadId: z.string().min(1).max(64),
    offset: z.number().int().nonnegative(),
    size: z.number().int().positive(),
    /** Set once the whole file arrived and matched its checksum. */
    recordingId: z.string().nullable(),
  })
  .strict();
export type PracticeUploadState = z.infer<typeof practiceUploadState>;

export const RUBRIC_RATINGS = ['said', 'partly', 'missed'] as const;
export type RubricRating = (typeof RUBRIC_RATINGS)[number];

export const practiceComment = z
  .object({
    atMs: z.number().int().nonnegative(),
    text: z.string().min(1).max(2000),
    by: z.string().max(200),
    at: z.string().max(40),
  })
  .strict();
export type PracticeComment = z.infer<typeof practiceComment>;

export const practiceReview = z
  .object({
    overall: z.number().int().min(1).max(5),
    rubric: z.array(z.object({ message: z.string().max(500), rating: z.enum(RUBRIC_RATINGS) }).strict()).max(20),
    comments: z.array(practiceComment).max(500),
    reviewer: z.string().max(200),
    reviewedAt: z.string().max(40),
  })
  .strict();
export type PracticeReview = z.infer<typeof practiceReview>;

/** One entry of the per-device feed: what Studio knows of one sent take. */
export const practiceFeedEntry = z
  .object({
    recordingId: z.string().min(1).max(64),
    takeId: z.string().min(1).max(64),
    promptId: z.string().max(128),
    status: z.enum(['received', 'reviewed']),
    transcript: z.string().max(100_000).optional(),
    keyMessages: z
      .array(
        z.object({ message: z.string().max(500), said: z.boolean(), heard: z.string().max(2000).optional() }).strict(),
      )
      .max(20)
      .optional(),
    review: practiceReview.optional(),
    example: z.boolean(),
  })
  .strict();
export type PracticeFeedEntry = z.infer<typeof practiceFeedEntry>;

/**
 * A recording a reviewer marked as an example (its rep allowed it), offered to every rep for its
 * prompt. No rep's name: the consent was to share the recording, not to name who made it.
 */
export const practiceExample = z
  .object({
    recordingId: z.string().min(1).max(64),
    promptId: z.string().max(128),
    promptTitle: z.string().max(200),
    team: z.string().max(200).nullable(),
    durationMs: z.number().int().nonnegative(),
    mime: z.string().max(100).regex(practiceMimePattern),
    size: z.number().int().positive().max(PRACTICE_UPLOAD_MAX_BYTES),
    sha256,
  })
  .strict();
export type PracticeExampleEntry = z.infer<typeof practiceExample>;

/** What the Rehearse screen lists of an example: `available` once its audio is on the device. */
export interface PracticeExample {
  recordingId: string;
  promptId: string;
  team: string | null;
  durationMs: number;
  available: boolean;
}

/**
 * `GET /api/device/practice-feed`: this device's entries changed at or after `after`, the cursor
 * to ask with next, and every current example (the whole list each time; it is short).
 */
export const practiceFeed = z
  .object({
    entries: z.array(practiceFeedEntry).max(1000),
    cursor: z.string().max(100).nullable(),
    examples: z.array(practiceExample).max(500),
  })
  .strict();
export type PracticeFeed = z.infer<typeof practiceFeed>;

/** Where a take stands on its way to review, as the Rehearse screen shows it. */
export type TakeReviewState = 'queued' | 'uploading' | 'sent' | 'reviewed' | 'cancelled' | 'refused';

export interface TakeReview {
  state: TakeReviewState;
  /** Bytes Studio acknowledged, of `size`. */
  sentBytes: number;
  size: number;
  consentVersion: number;
  shareAsExample: boolean;
  queuedAt: string;
  /** Why it was refused, or the last failure while it waits to be retried. */
  error: string | null;
  feedback: PracticeFeedEntry | null;
}

/** A recording as Studio lists it for reviewers. */
export interface PracticeRecordingView {
  id: string;
  rep: string | null;
  repName: string | null;
  team: string | null;
  promptId: string;
  promptTitle: string;
  releaseVersion: number | null;
  mime: string;
  durationMs: number;
  bytes: number;
  recordedAt: string;
  receivedAt: string;
  consentVersion: number;
  shareAsExample: boolean;
  example: boolean;
  status: 'received' | 'reviewed';
  overall: number | null;
}

export interface PracticeRecordingDetail extends PracticeRecordingView {
  keyMessages: string[];
  review: Omit<PracticeReview, 'comments'> | null;
  comments: (PracticeComment & { id: string })[];
  transcript: string | null;
  keyMessageChecks: { message: string; said: boolean; heard?: string }[] | null;
}

/** One page of Studio's list, with what can be filtered by in the caller's scope. */
export interface PracticeRecordingPage {
  rows: PracticeRecordingView[];
  total: number;
  page: number;
  pageSize: number;
  /** A manager's team; null for marketing, who see everyone. */
  scope: string | null;
  filters: {
    prompts: { id: string; title: string }[];
    teams: string[];
    reps: { email: string; name: string }[];
  };
}
