/** Rehearse: the release's practice prompts and the rep's recorded takes, on the device. */
import { z } from 'zod';
import {
  saveTakeInput,
  type PracticePrompt,
  type RehearsalTake,
  type RehearsalTakeAudio,
  type SaveTakeInput,
} from '../rehearse.ts';
import { practiceConsent, type PracticeConsent, type PracticeExample } from '../practice-review.ts';
import { noArg, recordId, type ArgSchemas, type NoArg } from './schema.ts';

export interface RehearseApi {
  /** The current release's practice prompts, with what each is about and how many takes it has. */
  listPracticePrompts(arg: NoArg): Promise<PracticePrompt[]>;
  /** One prompt's takes, newest first (a prompt no longer in the release keeps its takes). */
  listRehearsalTakes(arg: { promptId: string }): Promise<RehearsalTake[]>;
  /** Keeps a recording in the profile; bounded in size and in takes per prompt. */
  saveRehearsalTake(arg: SaveTakeInput): Promise<RehearsalTake>;
  getRehearsalTakeAudio(arg: { id: string }): Promise<RehearsalTakeAudio>;
  /** Marks one take as the best of its prompt (the previous best is unmarked); `best: false` unmarks it. */
  markBestTake(arg: { id: string; best: boolean }): Promise<RehearsalTake>;
  deleteRehearsalTake(arg: { id: string }): Promise<NoArg>;
  /** The consent the rep gave for sending takes for review (null: not yet, or for an older wording). */
  getPracticeConsent(arg: NoArg): Promise<{ version: number; shareAsExample: boolean; at: string } | null>;
  /**
   * Queues a take for review in Studio. `consent` is required before the first send (and after
   * the wording changes); refused with a clear message when the device is not connected to Studio.
   */
  sendTakeForReview(arg: { id: string; consent?: PracticeConsent }): Promise<RehearsalTake>;
  /** Stops a send that has not reached Studio yet. */
  cancelTakeReview(arg: { id: string }): Promise<RehearsalTake>;
  /** Other reps' recordings of a prompt that marketing marked as examples (with their reps' leave). */
  listPracticeExamples(arg: { promptId: string }): Promise<PracticeExample[]>;
  /** An example's recording, from the device (fetched at sync, readable offline). */
  getPracticeExampleAudio(arg: { recordingId: string }): Promise<RehearsalTakeAudio>;
}

const promptId = z.string().min(1).max(128);
const byId = z.object({ id: recordId }).strict();

export const rehearseArgs = {
  listPracticePrompts: noArg,
  listRehearsalTakes: z.object({ promptId }).strict(),
  saveRehearsalTake: saveTakeInput,
  getRehearsalTakeAudio: byId,
  markBestTake: z.object({ id: recordId, best: z.boolean() }).strict(),
  deleteRehearsalTake: byId,
  getPracticeConsent: noArg,
  sendTakeForReview: z.object({ id: recordId, consent: practiceConsent.optional() }).strict(),
  cancelTakeReview: byId,
  listPracticeExamples: z.object({ promptId }).strict(),
  getPracticeExampleAudio: z.object({ recordingId: z.string().min(1).max(64) }).strict(),
} satisfies ArgSchemas<RehearseApi>;
