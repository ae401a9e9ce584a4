/**
 * Practice prompts (what marketing asks reps to pitch in their own words, shipped in the release)
 * and the rep's recorded takes of them, kept on the device.
 */
import { z } from 'zod';
import type { TakeReview } from './practice-review.ts';

/** The longest time limit a prompt may set: ten minutes is already a full pitch. */
export const PROMPT_TIME_LIMIT_MAX_SECONDS = 600;
export const PROMPT_TIME_LIMIT_MIN_SECONDS = 10;
export const PROMPT_KEY_MESSAGES_MAX = 20;
/**
 * The largest take kept: ten minutes of Opus at 96 kbit/s is about 7 MB. Bounded so a runaway
 * recorder cannot fill the tablet.
 */
export const TAKE_MAX_BYTES = 8 * 1024 * 1024;
/** Takes kept per prompt: the rep deletes old ones before recording more. */
export const TAKES_PER_PROMPT_MAX = 50;
/** Audio types a take may have: what MediaRecorder produces in Chromium (and Safari's MP4). */
export const takeMimePattern = /^audio\/(webm|ogg|mp4)(;\s*codecs=[a-z0-9.,-]+)?$/i;

/** What a prompt is about: an item, one page of an item, or a glossary term. */
export type PracticeAttachment =
  | { kind: 'item'; itemId: string; title: string | null }
  | { kind: 'page'; itemId: string; page: number; title: string | null }
  | { kind: 'term'; termId: string; title: string | null };

export interface PracticePrompt {
  id: string;
  title: string;
  /** `title` is the item's or term's in the current library; null when it is not (or no longer) there. */
  attachedTo: PracticeAttachment;
  keyMessages: string[];
  timeLimitSeconds: number;
  takes: number;
  bestTakeId: string | null;
}

export interface RehearsalTake {
  id: string;
  promptId: string;
  /** The prompt's title when it was recorded: a take outlives the release that asked for it. */
  promptTitle: string;
  recordedAt: string;
  durationMs: number;
  mime: string;
  size: number;
  best: boolean;
  /** Its way to review in Studio; null when it was never sent. */
  review: TakeReview | null;
}

export interface RehearsalTakeAudio {
  id: string;
  mime: string;
  /** The recording, base64: the contract carries JSON only. */
  audioBase64: string;
}

/** Base64 without whitespace, at most the size that decodes to TAKE_MAX_BYTES. */
export const takeAudioBase64 = z
  .string()
  .min(4, 'the recording is empty')
  .max(Math.ceil(TAKE_MAX_BYTES / 3) * 4, `a take may be at most ${TAKE_MAX_BYTES / (1024 * 1024)} MB`)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'the recording is not base64');

export const saveTakeInput = z
  .object({
    promptId: z.string().min(1).max(128),
    mime: z.string().max(100).regex(takeMimePattern, 'a take is WebM, Ogg or MP4 audio'),
    durationMs: z
      .number()
      .int()
      .nonnegative()
      .max((PROMPT_TIME_LIMIT_MAX_SECONDS + 60) * 1000),
    audioBase64: takeAudioBase64,
  })
  .strict();

export type SaveTakeInput = z.infer<typeof saveTakeInput>;
