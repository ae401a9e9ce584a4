import type { StudioContext } from '../context.ts';

/**
 * The one place a complete recording is handed on (transcription and key-message checking plug
 * in here): every recording that arrived whole and matched its checksum is announced once, after
 * its row is committed. A handler fills `transcript` and `key_message_checks` of the row (and
 * bumps `changed_at`, see `recordTranscript`), and the device's feed carries them.
 */
export interface ReceivedRecording {
  id: string;
  deviceId: string;
  takeId: string;
  promptId: string;
  keyMessages: string[];
  mime: string;
  /** The file, in Studio's blob store. */
  path: string;
}

type Listener = (ctx: StudioContext, recording: ReceivedRecording) => Promise<void> | void;
const listeners = new Set<Listener>();

/** Subscribes to completed recordings; returns the unsubscribe. */
export function onRecordingReceived(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A listener's failure is its own: the recording is stored either way, and Studio's log says what failed. */
export async function announceReceived(
  ctx: StudioContext,
  recording: ReceivedRecording,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<void> {
  for (const listener of listeners) {
    try {
      await listener(ctx, recording);
    } catch (error) {
      log(`studio: practice recording ${recording.id}: ${(error as Error).stack ?? String(error)}`);
    }
  }
}

/** What transcription found, stored so the device's next feed carries it. */
export async function recordTranscript(
  ctx: StudioContext,
  recordingId: string,
  result: { transcript: string; keyMessages: { message: string; said: boolean; heard?: string }[] },
): Promise<void> {
  await ctx.db
    .updateTable('practice_recordings')
    .set({
      transcript: result.transcript,
      key_message_checks: JSON.stringify(result.keyMessages),
      changed_at: ctx.now().toISOString(),
    })
    .where('id', '=', recordingId)
    .execute();
}
