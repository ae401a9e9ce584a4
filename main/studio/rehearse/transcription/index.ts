/** Rehearsal transcripts in Studio: the queue, the key-message check, and "how reps say it". */
export { checkKeyMessages, wordsNeeded, type KeyMessageResult } from './key-messages.ts';
export { howRepsSayIt, repPhrases, type HowRepsSayIt, type RepPhrase, type TranscriptRow } from './phrases.ts';
export {
  enqueueTranscription,
  startTranscriptionQueue,
  stopTranscriptionQueue,
  transcriptFor,
  type TranscriptionJob,
  type TranscriptView,
} from './queue.ts';
export { transcriptionRoutes, transcriptRows } from './routes.ts';
export {
  findSpeechTools,
  transcribeRecording,
  TranscriptionUnavailableError,
  type Transcript,
  type TranscribeOptions,
} from './transcriber.ts';
