import type { HowRepsSayItAnswer, TranscribedPrompt } from '#shared/studio-rehearse';
import { call } from '../api.ts';

/** Rehearsal transcripts as Studio's UI reads them (main/studio/rehearse/transcription/routes.ts). */
export const rehearseApi = {
  prompts: () => call<TranscribedPrompt[]>('GET', '/api/rehearse/prompts'),
  howRepsSayIt: (prompt: string) =>
    call<HowRepsSayItAnswer>('GET', `/api/rehearse/prompts/${encodeURIComponent(prompt)}/how-reps-say-it`),
};

/** Where one of the view's tables downloads as CSV. */
export const howRepsSayItCsv = (prompt: string, table: 'phrases' | 'transcripts') =>
  `/api/rehearse/prompts/${encodeURIComponent(prompt)}/how-reps-say-it?format=csv&table=${table}`;
