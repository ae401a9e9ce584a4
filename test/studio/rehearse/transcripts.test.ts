import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createUser, startStudio, type RunningStudio } from '#studio/index';
import {
  enqueueTranscription,
  startTranscriptionQueue,
  stopTranscriptionQueue,
  transcriptFor,
  TranscriptionUnavailableError,
  type Transcript,
  type TranscriptionJob,
} from '#studio/rehearse/transcription/index';
import { tempDir } from '../../support/release.ts';
import { StudioClient } from '../client.ts';
import { postgresUnavailable, startPostgres, type TestPostgres } from '../postgres.ts';

/**
 * Studio's transcription queue and the "how reps say it" route, on SQLite and PostgreSQL, with
 * a stand-in recogniser (the real one has its own test, transcribe-speech.test.ts): jobs run in
 * the background one at a time, survive a restart, are retried once, and are marked "not
 * transcribed" with the reason; the route shows each role what it may see.
 */
const pgMissing = postgresUnavailable();
const password = 'correct horse battery';
const keyMessages = ['Twin-train redundancy', 'Saves 60% of the water', 'Installs in one day'];

/** A recogniser that "hears" the text written in the job's file name, and can be held or made to fail. */
class StandInRecogniser {
  calls: string[] = [];
  running = 0;
  mostAtOnce = 0;
  failures = new Map<string, number>();
  unavailable = false;
  private gate: Promise<void> = Promise.resolve();
  private open: () => void = () => {};

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }
  release(): void {
    this.open();
  }

  transcribe = async (file: string, _mime: string, options: { signal?: AbortSignal } = {}): Promise<Transcript> => {
    this.calls.push(file);
    this.running += 1;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.running);
    try {
      await Promise.race([
        this.gate,
        new Promise((_, reject) =>
          options.signal?.addEventListener('abort', () => reject(new Error('cancelled')), { once: true }),
        ),
      ]);
      if (this.unavailable)
        throw new TranscriptionUnavailableError('Transcription needs pocketsphinx, which is not installed');
      const left = this.failures.get(file) ?? 0;
      if (left > 0) {
        this.failures.set(file, left - 1);
        throw new Error(`ffmpeg failed (exit 1): ${file}: Invalid data found when processing input`);
      }
      const text = file
        .replace(/^.*\//, '')
        .replace(/\.webm$/, '')
        .replace(/-/g, ' ');
      return {
        text,
        words: text.split(' ').map((word, i) => ({ word, startMs: i * 300, endMs: i * 300 + 250 })),
        engine: 'stand-in',
        durationMs: 4000,
        focusedText: null,
      };
    } finally {
      this.running -= 1;
    }
  };
}

describe.each(['sqlite', 'postgres'] as const)('rehearsal transcripts on %s', (backend) => {
  const skip = backend === 'postgres' && pgMissing !== null;
  let pg: TestPostgres | null = null;
  let data: ReturnType<typeof tempDir>;
  let studio: RunningStudio;
  let recogniser: StandInRecogniser;
  const clock = { now: new Date('2026-03-02T09:00:00Z') };
  const people = {} as Record<'admin' | 'editor' | 'approver' | 'manager' | 'viewer', StudioClient>;
  let anonymous: StudioClient;

  const job = (recordingId: string, said: string, extra: Partial<TranscriptionJob> = {}): TranscriptionJob => ({
    recordingId,
    promptId: 'aquacore-pitch',
    promptTitle: "The AquaCore 500's twin-train redundancy in 60 seconds",
    keyMessages,
    file: `/recordings/${said.replace(/ /g, '-')}.webm`,
    mime: 'audio/webm',
    deviceId: 'dev-1',
    rep: 'Ana',
    team: 'North',
    recordedAt: '2026-03-01T10:00:00Z',
    ...extra,
  });

  const useRecogniser = async () => {
    await stopTranscriptionQueue(studio.context.db);
    recogniser = new StandInRecogniser();
    return startTranscriptionQueue(studio.context.db, {
      transcribe: recogniser.transcribe,
      now: () => clock.now,
      toolsAvailable: () => !recogniser.unavailable,
    });
  };

  beforeAll(async () => {
    if (skip) return;
    if (backend === 'postgres') pg = await startPostgres();
    data = tempDir('studio-rehearse-');
    studio = await startStudio({
      dataDir: data.dir,
      port: 0,
      database: pg?.url,
      config: { scryptCost: 2 ** 10 },
      now: () => clock.now,
      log: () => {},
    });
    for (const role of ['admin', 'editor', 'approver', 'manager', 'viewer'] as const) {
      await createUser(studio.context, { email: `${role}@example.com`, name: role, role, password }, null);
      people[role] = new StudioClient(studio.url);
      expect((await people[role].signIn(`${role}@example.com`, password)).status).toBe(200);
    }
    anonymous = new StudioClient(studio.url);
    const managers = await people.admin.call<{ id: string; email: string }[]>('GET', '/api/fleet/managers');
    const manager = managers.value.find((m) => m.email === 'manager@example.com')!;
    expect((await people.admin.call('PUT', `/api/fleet/managers/${manager.id}`, { team: 'North' })).status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await studio?.close();
    pg?.stop();
    data?.cleanup();
  });

  afterEach(() => recogniser?.release());

  it.skipIf(skip)('transcribes in the background and checks the key messages', async () => {
    const queue = await useRecogniser();
    recogniser.hold();
    await enqueueTranscription(
      studio.context.db,
      job('rec-1', 'so twin train redundancy and sixty percent of the water saved'),
    );
    // Queueing returned while the recogniser is still held: the request never waits for it.
    expect((await transcriptFor(studio.context.db, 'rec-1'))?.status).toMatch(/^(pending|running)$/);
    recogniser.release();
    await queue.idle();
    const done = await transcriptFor(studio.context.db, 'rec-1');
    expect(done).toMatchObject({
      recordingId: 'rec-1',
      promptId: 'aquacore-pitch',
      status: 'done',
      text: 'so twin train redundancy and sixty percent of the water saved',
      engine: 'stand-in',
      durationMs: 4000,
      error: null,
    });
    expect(done!.words[1]).toEqual({ word: 'twin', startMs: 300, endMs: 550 });
    expect(done!.keyMessages.map((k) => [k.message, k.said])).toEqual([
      ['Twin-train redundancy', true],
      ['Saves 60% of the water', true],
      ['Installs in one day', false],
    ]);
    expect(await transcriptFor(studio.context.db, 'never-queued')).toBeNull();
  });

  it.skipIf(skip)('runs one job at a time, oldest first, and queues a recording only once', async () => {
    const queue = await useRecogniser();
    recogniser.hold();
    await enqueueTranscription(
      studio.context.db,
      job('rec-2', 'one train keeps running', { rep: 'Ben', team: 'South' }),
    );
    await enqueueTranscription(studio.context.db, job('rec-3', 'it never stops one train keeps running'));
    await enqueueTranscription(studio.context.db, job('rec-3', 'something else entirely'));
    recogniser.release();
    await queue.idle();
    expect(recogniser.mostAtOnce).toBe(1);
    expect(recogniser.calls).toEqual([
      '/recordings/one-train-keeps-running.webm',
      '/recordings/it-never-stops-one-train-keeps-running.webm',
    ]);
    expect((await transcriptFor(studio.context.db, 'rec-3'))?.text).toBe('it never stops one train keeps running');
  });

  it.skipIf(skip)('tries a failed recording once more, then marks it not transcribed with the reason', async () => {
    const queue = await useRecogniser();
    const flaky = job('rec-4', 'installs in one day');
    const broken = job('rec-5', 'broken file');
    recogniser.failures.set(flaky.file, 1);
    recogniser.failures.set(broken.file, 5);
    await enqueueTranscription(studio.context.db, flaky);
    await enqueueTranscription(studio.context.db, broken);
    await queue.idle();
    expect(await transcriptFor(studio.context.db, 'rec-4')).toMatchObject({ status: 'done', error: null });
    expect((await transcriptFor(studio.context.db, 'rec-4'))!.keyMessages[2]).toMatchObject({ said: true });
    expect(await transcriptFor(studio.context.db, 'rec-5')).toMatchObject({
      status: 'not-transcribed',
      error: expect.stringMatching(/ffmpeg failed.*Invalid data/),
      text: null,
    });
    expect(recogniser.calls.filter((c) => c === broken.file)).toHaveLength(2);
    expect(recogniser.calls.filter((c) => c === flaky.file)).toHaveLength(2);
  });

  it.skipIf(skip)(
    'marks recordings not transcribed while the tools are missing, and takes them up once installed',
    async () => {
      let queue = await useRecogniser();
      recogniser.unavailable = true;
      await enqueueTranscription(studio.context.db, job('rec-6', 'twin train redundancy', { recordingId: 'rec-6' }));
      await queue.idle();
      expect(await transcriptFor(studio.context.db, 'rec-6')).toMatchObject({
        status: 'not-transcribed',
        error: expect.stringContaining('pocketsphinx, which is not installed'),
      });
      // Studio restarts with the tools installed: the recording is transcribed after all.
      await stopTranscriptionQueue(studio.context.db);
      const tools = recogniser;
      tools.unavailable = false;
      queue = await startTranscriptionQueue(studio.context.db, {
        transcribe: tools.transcribe,
        now: () => clock.now,
        toolsAvailable: () => true,
      });
      await queue.idle();
      expect(await transcriptFor(studio.context.db, 'rec-6')).toMatchObject({ status: 'done', error: null });
    },
  );

  it.skipIf(skip)('picks up after a restart what was waiting, and a job whose worker died', async () => {
    await stopTranscriptionQueue(studio.context.db);
    // Queued while no worker runs (Studio stopped right after the upload completed).
    await enqueueTranscription(
      studio.context.db,
      job('rec-7', 'a spare train on standby', { rep: 'Ben', team: 'South' }),
    );
    // A worker that died mid-job: its row says running, with its last heartbeat long ago.
    await enqueueTranscription(studio.context.db, job('rec-8', 'a spare train on standby'));
    await studio.context.db
      .updateTable('practice_transcripts')
      .set({ status: 'running', attempts: 1, updated_at: '2026-03-02T08:00:00.000Z' })
      .where('recording_id', '=', 'rec-8')
      .execute();
    const queue = await useRecogniser();
    await queue.idle();
    expect((await transcriptFor(studio.context.db, 'rec-7'))?.status).toBe('done');
    expect((await transcriptFor(studio.context.db, 'rec-8'))?.status).toBe('done');
  });

  it.skipIf(skip)('puts a job under way back in the queue when Studio closes, without counting it', async () => {
    const queue = await useRecogniser();
    recogniser.hold();
    await enqueueTranscription(studio.context.db, job('rec-9', 'never stops', { team: 'South', rep: 'Cy' }));
    await expect.poll(() => recogniser.running).toBe(1);
    await queue.close();
    const row = await studio.context.db
      .selectFrom('practice_transcripts')
      .select(['status', 'attempts'])
      .where('recording_id', '=', 'rec-9')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'pending', attempts: 0 });
    const next = await useRecogniser();
    await next.idle();
    expect((await transcriptFor(studio.context.db, 'rec-9'))?.status).toBe('done');
  });

  it.skipIf(skip)('refuses a job that is not a recording', async () => {
    await expect(enqueueTranscription(studio.context.db, { ...job('rec-x', 'x'), recordingId: '' })).rejects.toThrow();
    await expect(
      enqueueTranscription(studio.context.db, { ...job('rec-x', 'x'), keyMessages: 'say it' as never }),
    ).rejects.toThrow();
    expect(await transcriptFor(studio.context.db, 'rec-x')).toBeNull();
  });

  it.skipIf(skip)('exports a rep’s transcripts with their data, and erases them with it', async () => {
    const queue = await useRecogniser();
    await enqueueTranscription(
      studio.context.db,
      job('rec-gus', 'my own words about the twin train redundancy', { rep: 'Gus', repEmail: 'Gus@Example.com' }),
    );
    await queue.idle();
    const exported = await people.admin.call<{ transcripts: { recordingId: string; text: string }[] }>(
      'GET',
      '/api/fleet/privacy/export?rep=gus@example.com',
    );
    expect(exported.value.transcripts).toEqual([
      expect.objectContaining({ recordingId: 'rec-gus', text: 'my own words about the twin train redundancy' }),
    ]);
    const erased = await people.admin.call<{ transcripts: number }>('POST', '/api/fleet/privacy/erase', {
      rep: 'gus@example.com',
    });
    expect(erased.value.transcripts).toBe(1);
    expect(await transcriptFor(studio.context.db, 'rec-gus')).toBeNull();
    expect(await transcriptFor(studio.context.db, 'rec-1')).not.toBeNull();
  });

  describe('how reps say it', () => {
    const path = '/api/rehearse/prompts/aquacore-pitch/how-reps-say-it';
    interface View {
      prompt: { id: string; title: string; keyMessages: string[] };
      transcripts: {
        recordingId: string;
        rep: string;
        team: string;
        keyMessages: { message: string; said: boolean }[];
      }[];
      phrases: { phrase: string; count: number; reps: number }[];
    }

    it.skipIf(skip)('shows marketing and reviewers every team’s transcripts and the reps’ own phrases', async () => {
      for (const role of ['admin', 'editor', 'approver'] as const) {
        const answer = await people[role].call<View>('GET', path);
        expect(answer.status).toBe(200);
        expect(answer.value.prompt.keyMessages).toEqual(keyMessages);
        expect(new Set(answer.value.transcripts.map((t) => t.team))).toEqual(new Set(['North', 'South']));
        expect(answer.value.transcripts.find((t) => t.recordingId === 'rec-1')!.keyMessages.map((k) => k.said)).toEqual(
          [true, true, false],
        );
        expect(answer.value.phrases).toContainEqual({ phrase: 'one train keeps running', count: 2, reps: 2 });
        expect(answer.value.phrases).toContainEqual({ phrase: 'spare train on standby', count: 2, reps: 2 });
        // Not-transcribed recordings are not shown as empty transcripts.
        expect(answer.value.transcripts.map((t) => t.recordingId)).not.toContain('rec-5');
      }
    });

    it.skipIf(skip)('shows a manager their own team only', async () => {
      const answer = await people.manager.call<View>('GET', path);
      expect(answer.status).toBe(200);
      expect(answer.value.transcripts.length).toBeGreaterThan(0);
      expect(answer.value.transcripts.every((t) => t.team === 'North')).toBe(true);
      // Ben (South) said "spare train on standby" too; within North only Ana did.
      expect(answer.value.phrases.find((p) => p.phrase === 'spare train on standby')).toBeUndefined();
      const prompts = await people.manager.call<{ id: string; transcripts: number }[]>('GET', '/api/rehearse/prompts');
      expect(prompts.value).toEqual([
        expect.objectContaining({ id: 'aquacore-pitch', transcripts: answer.value.transcripts.length }),
      ]);
    });

    it.skipIf(skip)('exports the phrases and the transcripts as CSV, within the caller’s scope', async () => {
      const csv = async (who: StudioClient, table: string) => {
        const response = await fetch(`${studio.url}${path}?format=csv&table=${table}`, {
          headers: { cookie: who.cookie! },
        });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
        return (await response.text())
          .replace(/^\ufeff/, '')
          .trim()
          .split(/\r?\n/);
      };
      const phrases = await csv(people.editor, 'phrases');
      expect(phrases[0]).toBe('Phrase,Times said,Reps');
      expect(phrases).toContain('one train keeps running,2,2');
      const transcripts = await csv(people.manager, 'transcripts');
      expect(transcripts[0]).toBe(
        'Recorded,Rep,Team,Transcript,Twin-train redundancy,Saves 60% of the water,Installs in one day',
      );
      expect(transcripts.slice(1).every((line) => line.split(',')[2] === 'North')).toBe(true);
      expect(transcripts).toContain(
        '2026-03-01T10:00:00.000Z,Ana,North,so twin train redundancy and sixty percent of the water saved,said,said,missed',
      );
    });

    it.skipIf(skip)('gives one recording’s transcript to the roles that may see it', async () => {
      const north = '/api/rehearse/recordings/rec-1/transcript';
      const south = '/api/rehearse/recordings/rec-2/transcript';
      for (const role of ['admin', 'editor', 'approver'] as const) {
        const answer = await people[role].call<{ status: string; keyMessages: { said: boolean }[] }>('GET', south);
        expect(answer.status).toBe(200);
        expect(answer.value.status).toBe('done');
      }
      const own = await people.manager.call<{ text: string; keyMessages: { said: boolean }[] }>('GET', north);
      expect(own.value.keyMessages.map((k) => k.said)).toEqual([true, true, false]);
      expect((await people.manager.call('GET', south)).status).toBe(404);
      expect((await people.viewer.call('GET', north)).status).toBe(403);
      expect((await anonymous.call('GET', north)).status).toBe(401);
      expect((await people.admin.call('GET', '/api/rehearse/recordings/nope/transcript')).status).toBe(404);
    });

    it.skipIf(skip)('refuses viewers and strangers, and names a prompt with nothing to show', async () => {
      expect((await people.viewer.call('GET', path)).status).toBe(403);
      expect((await people.viewer.call('GET', '/api/rehearse/prompts')).status).toBe(403);
      expect((await anonymous.call('GET', path)).status).toBe(401);
      const missing = await people.admin.call('GET', '/api/rehearse/prompts/no-such-prompt/how-reps-say-it');
      expect(missing.status).toBe(404);
      expect(missing.error?.message).toContain('no-such-prompt');
      expect((await people.admin.call('GET', `${path}?minCount=0`)).status).toBe(400);
    });
  });
});
