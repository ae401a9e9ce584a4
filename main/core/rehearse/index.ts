/**
 * Rehearse: the release's practice prompts and the rep's recorded takes. A take's audio is a file
 * in `rehearse/` of the profile, written whole (temporary file, fsync, rename) before its row is
 * added, so a take listed always plays; a file without a row (a crash in between) is removed at
 * start.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PitchcaseError } from '#shared/result';
import {
  TAKE_MAX_BYTES,
  TAKES_PER_PROMPT_MAX,
  type PracticePrompt,
  type RehearsalTake,
  type RehearsalTakeAudio,
  type SaveTakeInput,
} from '#shared/rehearse';
import type { PracticeConsent } from '#shared/practice-review';
import { currentRelease, type Visibility } from '../library/index.ts';
import type { Log } from '../types.ts';
import { createPracticeReview, type StudioLink } from './review.ts';
import type { Durability } from '../storage/blobs.ts';
import { fsyncDir, fsyncFile } from '../storage/durable.ts';
import type { ReadDb, WriteDb } from '../storage/database.ts';
import type { Clock } from '../types.ts';
import {
  countTakes,
  deleteTakeRow,
  getTake,
  insertTake,
  listPrompts,
  listTakes,
  promptTitle,
  setBest,
} from './store.ts';

export { rehearseHandlers } from './handlers.ts';
export { PRACTICE_RECORDING_KIND, type StudioLink } from './review.ts';

export const TAKES_DIR = 'rehearse';

export interface RehearseDeps {
  db: WriteDb;
  read: ReadDb;
  clock: Clock;
  profileDir: string;
  visibility: () => Visibility;
  /** How a written file is made durable before its take is listed (the blob store's, by default). */
  durability?: Durability;
  log: Log;
  /** Whether the device is connected to Studio (sending for review needs it). */
  studio(): StudioLink;
  /** Bytes per upload chunk (the protocol's default unless a test wants many chunks). */
  chunkBytes?: number;
  /** A take's way to review moved (queued, uploaded a chunk, sent, feedback arrived). */
  onReviewChanged?(): void;
}

export function createRehearse(deps: RehearseDeps) {
  const dir = path.join(deps.profileDir, TAKES_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const fileOf = (id: string) => path.join(dir, id);
  const durability = deps.durability ?? { fsyncFile, fsyncDir };

  // Leftovers of a save cut short: temporary files, and files whose row never got written.
  for (const name of readdirSync(dir)) {
    if (name.endsWith('.tmp') || !getTake(deps.read, name)) rmSync(path.join(dir, name), { force: true });
  }

  const review = createPracticeReview({
    db: deps.db,
    read: deps.read,
    clock: deps.clock,
    log: deps.log,
    fileOf,
    examplesDir: path.join(deps.profileDir, 'rehearse-examples'),
    studio: deps.studio,
    promptFacts(promptId) {
      const release = currentRelease(deps.read);
      const prompt = release
        ? listPrompts(deps.read, release.id, deps.visibility()).find((p) => p.id === promptId)
        : null;
      return { keyMessages: prompt?.keyMessages ?? [], releaseVersion: release?.version ?? null };
    },
    ...(deps.chunkBytes ? { chunkBytes: deps.chunkBytes } : {}),
    ...(deps.onReviewChanged ? { onChanged: deps.onReviewChanged } : {}),
  });
  const withReview = (take: RehearsalTake): RehearsalTake => ({ ...take, review: review.reviewOf(take.id) });

  function takeOrThrow(id: string): RehearsalTake {
    const take = getTake(deps.read, id);
    if (!take) throw new PitchcaseError('not-found', 'That take is no longer on this device');
    return withReview(take);
  }

  return {
    review,

    consent() {
      return review.consent();
    },

    async sendForReview(id: string, consent: PracticeConsent | undefined): Promise<RehearsalTake> {
      await review.send(takeOrThrow(id), consent);
      return takeOrThrow(id);
    },

    examples(promptId: string) {
      return review.examples(promptId);
    },

    exampleAudio(recordingId: string) {
      return review.exampleAudio(recordingId);
    },

    cancelReview(id: string): RehearsalTake {
      takeOrThrow(id);
      review.cancel(id);
      return takeOrThrow(id);
    },

    prompts(): PracticePrompt[] {
      const release = currentRelease(deps.read);
      return release ? listPrompts(deps.read, release.id, deps.visibility()) : [];
    },

    takes(promptId: string): RehearsalTake[] {
      return listTakes(deps.read, promptId).map(withReview);
    },

    async save(input: SaveTakeInput): Promise<RehearsalTake> {
      const release = currentRelease(deps.read);
      const title = release ? promptTitle(deps.read, release.id, input.promptId) : null;
      if (title === null) throw new PitchcaseError('not-found', 'That practice prompt is not in the current library');
      if (countTakes(deps.read, input.promptId) >= TAKES_PER_PROMPT_MAX)
        throw new PitchcaseError(
          'refused',
          `This prompt already has ${TAKES_PER_PROMPT_MAX} takes: delete some before recording more`,
        );
      const audio = Buffer.from(input.audioBase64, 'base64');
      if (audio.length === 0) throw new PitchcaseError('bad-request', 'The recording is empty');
      if (audio.length > TAKE_MAX_BYTES)
        throw new PitchcaseError('bad-request', `A take may be at most ${TAKE_MAX_BYTES / (1024 * 1024)} MB`);
      const take: RehearsalTake = {
        id: randomUUID(),
        promptId: input.promptId,
        promptTitle: title,
        recordedAt: deps.clock.now().toISOString(),
        durationMs: input.durationMs,
        mime: input.mime,
        size: audio.length,
        best: false,
        review: null,
      };
      const tmp = `${fileOf(take.id)}.tmp`;
      await writeFile(tmp, audio, { mode: 0o600 });
      await durability.fsyncFile(tmp);
      await rename(tmp, fileOf(take.id));
      await durability.fsyncDir(dir);
      insertTake(deps.db, take);
      return take;
    },

    async audio(id: string): Promise<RehearsalTakeAudio> {
      const take = takeOrThrow(id);
      let bytes: Buffer;
      try {
        bytes = await readFile(fileOf(id));
      } catch {
        throw new PitchcaseError('not-found', 'The recording of that take is missing from this device');
      }
      return { id, mime: take.mime, audioBase64: bytes.toString('base64') };
    },

    markBest(id: string, best: boolean): RehearsalTake {
      const take = takeOrThrow(id);
      setBest(deps.db, take, best);
      return { ...take, best };
    },

    async remove(id: string): Promise<void> {
      takeOrThrow(id);
      review.forget(id);
      // The row goes first: a file without a row is collected at the next start, never the reverse.
      deleteTakeRow(deps.db, id);
      await rm(fileOf(id), { force: true });
    },
  };
}

export type Rehearse = ReturnType<typeof createRehearse>;
