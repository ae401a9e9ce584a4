import { z } from 'zod';
import type { StudioDb } from '../../database/connection.ts';
import { bestOf, checkKeyMessages, type KeyMessageResult } from './key-messages.ts';
import {
  findSpeechTools,
  transcribeRecording,
  TranscriptionUnavailableError,
  type TranscribedWord,
} from './transcriber.ts';

/**
 * Studio's transcription queue: completed recordings are transcribed one at a time in the
 * background, never inside a request. The queue is the practice_transcripts table itself, so a
 * restarted Studio (or another Studio on the same database) picks up what was waiting; a job
 * whose worker stopped sending heartbeats is taken over; a failed job is tried once more.
 */

export const transcriptionJob = z
  .object({
    recordingId: z.string().min(1).max(200),
    promptId: z.string().min(1).max(200),
    promptTitle: z.string().max(200).default(''),
    keyMessages: z.array(z.string().min(1).max(300)).max(50),
    /** The recording on disk, where the job will read it (it must stay there until done). */
    file: z.string().min(1).max(4096),
    mime: z.string().min(1).max(200),
    deviceId: z.string().max(200).nullish(),
    /** The rep's name, as the view shows it. */
    rep: z.string().max(200).nullish(),
    /** The rep's e-mail (as enrolled), by which their words are exported or erased. */
    repEmail: z.string().trim().toLowerCase().pipe(z.email()).nullish(),
    team: z.string().max(200).nullish(),
    /** When the rep recorded it (ISO 8601); default: when it was queued. */
    recordedAt: z.string().datetime({ offset: true }).optional(),
  })
  .strict();

export type TranscriptionJob = z.input<typeof transcriptionJob>;

export type TranscriptStatus = 'pending' | 'running' | 'done' | 'not-transcribed';

export interface TranscriptView {
  recordingId: string;
  promptId: string;
  status: TranscriptStatus;
  text: string | null;
  words: TranscribedWord[];
  keyMessages: KeyMessageResult[];
  engine: string | null;
  durationMs: number | null;
  /** Why it is not transcribed (or why the last try failed, while a retry waits). */
  error: string | null;
  updatedAt: string;
}

/** Tries per recording: the first, and one retry (a busy machine's timeout, a half-written file). */
export const MAX_ATTEMPTS = 2;
/** A running job refreshes its row this often; one silent for three beats is taken over. */
const HEARTBEAT_MS = 60_000;
const STALE_MS = 3 * HEARTBEAT_MS;

const queues = new WeakMap<StudioDb, TranscriptionQueue>();

/**
 * Queues one completed recording for transcription (once: queueing the same recording again
 * changes nothing). Returns at once; the transcript appears in transcriptFor when it is done.
 */
export async function enqueueTranscription(db: StudioDb, job: TranscriptionJob, now = new Date()): Promise<void> {
  const j = transcriptionJob.parse(job);
  const at = now.toISOString();
  await db
    .insertInto('practice_transcripts')
    .values({
      recording_id: j.recordingId,
      prompt_id: j.promptId,
      prompt_title: j.promptTitle,
      key_messages: JSON.stringify(j.keyMessages),
      device_id: j.deviceId ?? null,
      rep: j.rep ?? null,
      rep_email: j.repEmail ?? null,
      team: j.team ?? null,
      recorded_at: j.recordedAt ? new Date(j.recordedAt).toISOString() : at,
      file: j.file,
      mime: j.mime,
      status: 'pending',
      attempts: 0,
      text: null,
      words: null,
      key_message_results: null,
      engine: null,
      duration_ms: null,
      error: null,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.column('recording_id').doNothing())
    .execute();
  queues.get(db)?.kick();
}

const parseJson = <T>(text: string | null, fallback: T): T => (text ? (JSON.parse(text) as T) : fallback);

/** One recording's transcript and key-message results, or where it stands; null if never queued. */
export async function transcriptFor(db: StudioDb, recordingId: string): Promise<TranscriptView | null> {
  const row = await db
    .selectFrom('practice_transcripts')
    .selectAll()
    .where('recording_id', '=', z.string().min(1).max(200).parse(recordingId))
    .executeTakeFirst();
  if (!row) return null;
  return {
    recordingId: row.recording_id,
    promptId: row.prompt_id,
    status: row.status as TranscriptStatus,
    text: row.text,
    words: parseJson(row.words, []),
    keyMessages: parseJson(row.key_message_results, []),
    engine: row.engine,
    durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
    error: row.error,
    updatedAt: row.updated_at,
  };
}

export interface QueueOptions {
  now?: () => Date;
  transcribe?: typeof transcribeRecording;
  /** Whether the speech tools are here: recordings refused for their absence are tried again when they are. */
  toolsAvailable?: () => boolean;
  log?: (line: string) => void;
}

export class TranscriptionQueue {
  private readonly now: () => Date;
  private readonly transcribe: typeof transcribeRecording;
  private readonly log: (line: string) => void;
  private readonly stop = new AbortController();
  private draining: Promise<void> | null = null;
  private again = false;
  private readonly waiters: (() => void)[] = [];

  constructor(
    private readonly db: StudioDb,
    options: QueueOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.transcribe = options.transcribe ?? transcribeRecording;
    this.log = options.log ?? (() => {});
  }

  /** Looks for work now (after an enqueue, at start). */
  kick(): void {
    if (this.stop.signal.aborted) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain()
      .catch((error: unknown) => this.log(`transcription queue: ${(error as Error).message}`))
      .finally(() => {
        this.draining = null;
        if (this.again && !this.stop.signal.aborted) {
          this.again = false;
          this.kick();
        } else this.waiters.splice(0).forEach((w) => w());
      });
  }

  /** Resolves when nothing is waiting or running (tests, and a CLI that wants to finish). */
  idle(): Promise<void> {
    if (!this.draining) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops the job under way (it goes back to waiting, not counted as a try) and takes no more. */
  async close(): Promise<void> {
    this.stop.abort();
    await this.draining;
    this.waiters.splice(0).forEach((w) => w());
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.stop.signal.aborted) return;
      const job = await this.claim();
      if (!job) return;
      await this.run(job);
    }
  }

  /** Takes the oldest waiting job (or one whose worker went silent), so no two workers run one. */
  private async claim() {
    for (let tries = 0; tries < 5; tries++) {
      const now = this.now();
      const stale = new Date(now.getTime() - STALE_MS).toISOString();
      const candidate = await this.db
        .selectFrom('practice_transcripts')
        .selectAll()
        .where((eb) =>
          eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'running'), eb('updated_at', '<', stale)])]),
        )
        .orderBy('created_at')
        .orderBy('recording_id')
        .limit(1)
        .executeTakeFirst();
      if (!candidate) return null;
      const taken = await this.db
        .updateTable('practice_transcripts')
        .set({ status: 'running', attempts: candidate.attempts + 1, updated_at: now.toISOString() })
        .where('recording_id', '=', candidate.recording_id)
        .where('status', '=', candidate.status)
        .where('updated_at', '=', candidate.updated_at)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) === 1) return { ...candidate, attempts: candidate.attempts + 1 };
    }
    return null;
  }

  private async run(job: {
    recording_id: string;
    file: string;
    mime: string;
    prompt_title: string;
    key_messages: string;
    attempts: number;
  }) {
    const keyMessages = parseJson<string[]>(job.key_messages, []);
    const beat = setInterval(() => {
      void this.db
        .updateTable('practice_transcripts')
        .set({ updated_at: this.now().toISOString() })
        .where('recording_id', '=', job.recording_id)
        .where('status', '=', 'running')
        .execute()
        .catch(() => {});
    }, HEARTBEAT_MS);
    beat.unref();
    try {
      const transcript = await this.transcribe(job.file, job.mime, {
        promptText: [job.prompt_title, ...keyMessages].filter((t) => t.trim() !== ''),
        signal: this.stop.signal,
      });
      const checks = [checkKeyMessages(transcript.text, keyMessages)];
      if (transcript.focusedText !== null) checks.push(checkKeyMessages(transcript.focusedText, keyMessages));
      await this.finish(job.recording_id, {
        status: 'done',
        text: transcript.text,
        words: JSON.stringify(transcript.words),
        key_message_results: JSON.stringify(bestOf(checks)),
        engine: transcript.engine,
        duration_ms: transcript.durationMs,
        error: null,
      });
    } catch (error) {
      const message = (error as Error).message;
      if (this.stop.signal.aborted) {
        // Studio is closing: not the recording's fault, so not a try.
        await this.finish(job.recording_id, { status: 'pending', attempts: job.attempts - 1, error: null });
      } else if (error instanceof TranscriptionUnavailableError) {
        // Not a try either: it will be tried when the tools are installed.
        await this.finish(job.recording_id, { status: 'not-transcribed', attempts: job.attempts - 1, error: message });
      } else {
        this.log(`transcription of ${job.recording_id} failed (try ${job.attempts}): ${message}`);
        await this.finish(job.recording_id, {
          status: job.attempts < MAX_ATTEMPTS ? 'pending' : 'not-transcribed',
          error: message,
        });
      }
    } finally {
      clearInterval(beat);
    }
  }

  private async finish(
    recordingId: string,
    values: Partial<{
      status: TranscriptStatus;
      attempts: number;
      text: string;
      words: string;
      key_message_results: string;
      engine: string;
      duration_ms: number;
      error: string | null;
    }>,
  ) {
    await this.db
      .updateTable('practice_transcripts')
      .set({ ...values, updated_at: this.now().toISOString() })
      .where('recording_id', '=', recordingId)
      .execute();
  }
}

/**
 * Starts Studio's transcription worker for this database: recordings refused earlier because
 * the speech tools were missing wait again if the tools are here now, then the queue drains.
 */
export async function startTranscriptionQueue(db: StudioDb, options: QueueOptions = {}): Promise<TranscriptionQueue> {
  const available =
    options.toolsAvailable ??
    (() => {
      try {
        findSpeechTools();
        return true;
      } catch {
        return false;
      }
    });
  if (available()) {
    await db
      .updateTable('practice_transcripts')
      .set({ status: 'pending', error: null })
      .where('status', '=', 'not-transcribed')
      .where('attempts', '=', 0)
      .execute();
  }
  const queue = new TranscriptionQueue(db, options);
  queues.set(db, queue);
  queue.kick();
  return queue;
}

/** Stops the worker of this database, if one runs. */
export async function stopTranscriptionQueue(db: StudioDb): Promise<void> {
  const queue = queues.get(db);
  queues.delete(db);
  await queue?.close();
}

export const queueOf = (db: StudioDb): TranscriptionQueue | undefined => queues.get(db);
