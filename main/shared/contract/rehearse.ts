/** Rehearse: the release's practice prompts and the rep's recorded takes, on the device. */
import { z } from 'zod';
import {
  saveTakeInput,
  type PracticePrompt,
  type RehearsalTake,
  type RehearsalTakeAudio,
  type SaveTakeInput,
} from '../rehearse.ts';
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
} satisfies ArgSchemas<RehearseApi>;
