import { call } from '../api.ts';

/** Rehearsal transcripts as Studio's UI reads them (main/studio/rehearse/transcription/routes.ts). */
export interface TranscribedPrompt {
  id: string;
  title: string;
  transcripts: number;
  latest: string | null;
}

export interface HowRepsSayIt {
  generatedAt: string;
  prompt: { id: string; title: string; keyMessages: string[] };
  transcripts: {
    recordingId: string;
    rep: string | null;
    team: string | null;
    recordedAt: string;
    text: string;
    keyMessages: { message: string; said: boolean; heard?: string }[];
  }[];
  phrases: { phrase: string; count: number; reps: number }[];
}

export const rehearseApi = {
  prompts: () => call<TranscribedPrompt[]>('GET', '/api/rehearse/prompts'),
  howRepsSayIt: (prompt: string) =>
    call<HowRepsSayIt>('GET', `/api/rehearse/prompts/${encodeURIComponent(prompt)}/how-reps-say-it`),
};

/** Where one of the view's tables downloads as CSV. */
export const howRepsSayItCsv = (prompt: string, table: 'phrases' | 'transcripts') =>
  `/api/rehearse/prompts/${encodeURIComponent(prompt)}/how-reps-say-it?format=csv&table=${table}`;
