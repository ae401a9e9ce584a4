/** What Studio's "How reps say it" view reads: the server's answers, the UI's types. */

/** A prompt with transcripts, for picking one. */
export interface TranscribedPrompt {
  id: string;
  title: string;
  transcripts: number;
  /** When its latest transcribed take was recorded. */
  latest: string | null;
}

export interface RepPhrase {
  phrase: string;
  /** Times said across the prompt's transcripts. */
  count: number;
  /** Different reps who said it (a rep's repeated takes count once). */
  reps: number;
}

/** One prompt's transcripts side by side, and the phrases reps use that the official message does not. */
export interface HowRepsSayIt {
  prompt: { id: string; title: string; keyMessages: string[] };
  transcripts: {
    recordingId: string;
    rep: string | null;
    team: string | null;
    recordedAt: string;
    text: string;
    keyMessages: { message: string; said: boolean; heard?: string }[];
  }[];
  /** Most reps first, then most said. */
  phrases: RepPhrase[];
}

/** The view as Studio answers it, stamped with when it was read. */
export interface HowRepsSayItAnswer extends HowRepsSayIt {
  generatedAt: string;
}
