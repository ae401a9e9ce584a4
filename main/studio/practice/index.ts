/** Practice recordings: devices send them for review; marketing and managers review them in Studio. */
export { practiceRoutes } from './routes.ts';
export { onRecordingReceived, recordTranscript, type ReceivedRecording } from './received.ts';
export { clearAbandonedPracticeUploads } from './uploads.ts';
