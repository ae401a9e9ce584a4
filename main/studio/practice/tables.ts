/**
 * Practice recordings sent by reps' devices for review, in Studio's portable style: text ids and
 * ISO timestamps, integers for booleans, JSON as text, sizes as bigint.
 */
export interface PracticeUploadTable {
  id: string;
  device_id: string;
  take_id: string;
  /** The start request as the device sent it (checked), JSON: the recording's row is made from it. */
  meta: string;
  size: number | string | bigint;
  sha256: string;
  created_at: string;
}

export interface PracticeRecordingTable {
  id: string;
  device_id: string;
  take_id: string;
  /** Who the device is enrolled for (Studio's word at the time, not the device's). */
  rep: string | null;
  rep_name: string | null;
  team: string | null;
  prompt_id: string;
  prompt_title: string;
  /** The prompt's key messages as the device's release had them (JSON list): the rubric. */
  key_messages: string;
  release_version: number | null;
  mime: string;
  duration_ms: number;
  bytes: number | string | bigint;
  sha256: string;
  recorded_at: string;
  consent_version: number;
  share_as_example: number;
  received_at: string;
  /** Bumped on every change the device should hear of: the feed's cursor. */
  changed_at: string;
  /** The review as JSON (overall, rubric, reviewer, reviewedAt); null until reviewed. */
  review: string | null;
  /** Filled by transcription (by whoever handles a received recording); null until then. */
  transcript: string | null;
  /** JSON `{ message, said, heard? }[]` from checking the transcript against the key messages. */
  key_message_checks: string | null;
  example: number;
}

export interface PracticeCommentTable {
  id: string;
  recording_id: string;
  at_ms: number;
  text: string;
  user_id: string;
  user_name: string;
  created_at: string;
}

export interface PracticeTables {
  practice_uploads: PracticeUploadTable;
  practice_recordings: PracticeRecordingTable;
  practice_comments: PracticeCommentTable;
}
