/**
 * Transcripts of rehearsal recordings, one row per recording (keyed by the recording's id),
 * with who recorded it copied in at enqueue time so the "how reps say it" view reads this table
 * alone. JSON columns are text, as everywhere in Studio's schema.
 */
export interface PracticeTranscriptTable {
  recording_id: string;
  prompt_id: string;
  /** The prompt's title and key messages (JSON list) when the recording was made. */
  prompt_title: string;
  key_messages: string;
  device_id: string | null;
  /** The rep's name as shown, and their e-mail: whose words these are, for export and erasure. */
  rep: string | null;
  rep_email: string | null;
  team: string | null;
  recorded_at: string;
  /** The recording on disk and its type, read when the job runs. */
  file: string;
  mime: string;
  /** 'pending' (queued or retrying), 'running', 'done', or 'not-transcribed' (see error). */
  status: string;
  attempts: number;
  text: string | null;
  /** [{ word, startMs, endMs }] */
  words: string | null;
  /** [{ message, said, heard?, score }] */
  key_message_results: string | null;
  engine: string | null;
  duration_ms: number | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

export interface RehearseTables {
  practice_transcripts: PracticeTranscriptTable;
}
