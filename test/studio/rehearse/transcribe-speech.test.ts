import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type StudioDb } from '#studio/database/connection';
import {
  enqueueTranscription,
  findSpeechTools,
  startTranscriptionQueue,
  stopTranscriptionQueue,
  transcribeRecording,
  transcriptFor,
  TranscriptionUnavailableError,
} from '#studio/rehearse/transcription/index';
import { findOrInstall, findOrInstallFile } from '../../support/apt-program.ts';
import { findFfmpeg } from '../../support/ffmpeg.ts';
import { tempDir } from '../../support/release.ts';

/**
 * The real recogniser on generated speech: espeak-ng says a pitch containing two of a prompt's
 * three key messages, ffmpeg packs it as WebM/Opus (what MediaRecorder records on the device),
 * and Studio's queue transcribes it with PocketSphinx: the two are found, the third is missed.
 */
const model = '/usr/share/pocketsphinx/model/en-us';
const needs = [
  findFfmpeg(),
  findOrInstall('espeak-ng', 'espeak-ng'),
  findOrInstall('pocketsphinx_continuous', 'pocketsphinx'),
  findOrInstallFile(path.join(model, 'en-us.lm.bin'), 'pocketsphinx-en-us'),
];
const reason = needs.map((n) => ('reason' in n ? n.reason : '')).find((r) => r !== '') ?? '';
if (reason) console.warn(`Speech recognition tests skipped: ${reason}`);

const prompt = {
  id: 'aquacore-pitch',
  title: "The AquaCore 500's twin-train redundancy in 60 seconds",
  keyMessages: ['Twin-train redundancy', 'Saves 60% of the water', 'Installs in one day'],
};

describe.skipIf(reason !== '')('transcribing a rehearsal with PocketSphinx', () => {
  const work = tempDir('pitchcase-speech-');
  let recording: string;
  let db: StudioDb;

  beforeAll(async () => {
    const wav = path.join(work.dir, 'pitch.wav');
    recording = path.join(work.dir, 'pitch.webm');
    execFileSync('espeak-ng', [
      '-v',
      'en-us',
      '-s',
      '140',
      '-w',
      wav,
      'The AquaCore has twin train redundancy, and it saves sixty percent of the water.',
    ]);
    const { ffmpeg } = findFfmpeg() as { ffmpeg: string };
    execFileSync(ffmpeg, ['-v', 'error', '-y', '-i', wav, '-c:a', 'libopus', '-b:a', '32k', recording]);
    ({ db } = await openDatabase({ dataDir: work.dir }));
  });

  afterAll(async () => {
    await stopTranscriptionQueue(db);
    await db?.destroy();
    work.cleanup();
  });

  it('finds the two key messages said and misses the third, through the queue', async () => {
    const queue = await startTranscriptionQueue(db);
    await enqueueTranscription(db, {
      recordingId: 'rec-espeak',
      promptId: prompt.id,
      promptTitle: prompt.title,
      keyMessages: prompt.keyMessages,
      file: recording,
      mime: 'audio/webm;codecs=opus',
      rep: 'Ana',
      team: 'North',
    });
    await queue.idle();
    const transcript = await transcriptFor(db, 'rec-espeak');
    expect(transcript).toMatchObject({ status: 'done', engine: 'pocketsphinx en-us', error: null });
    expect(transcript!.keyMessages.map((k) => [k.message, k.said])).toEqual([
      ['Twin-train redundancy', true],
      ['Saves 60% of the water', true],
      ['Installs in one day', false],
    ]);
    expect(transcript!.keyMessages[0]!.heard).toBe('twin train redundancy');
    // About five seconds of speech, words in time order inside it.
    expect(transcript!.durationMs).toBeGreaterThan(3000);
    expect(transcript!.durationMs).toBeLessThan(9000);
    expect(transcript!.words.length).toBeGreaterThan(3);
    const starts = transcript!.words.map((w) => w.startMs);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(transcript!.words.every((w) => w.endMs > w.startMs && w.endMs <= (transcript!.durationMs ?? 0) + 100)).toBe(
      true,
    );
  }, 60_000);

  it('refuses what is not audio, and says what ffmpeg could not read', async () => {
    await expect(transcribeRecording(recording, 'application/pdf')).rejects.toThrow(/must be audio or video/);
    const garbage = path.join(work.dir, 'garbage.webm');
    writeFileSync(garbage, 'this is not a recording');
    await expect(transcribeRecording(garbage, 'audio/webm')).rejects.toThrow(/ffmpeg failed \(exit \d+\)/);
  }, 30_000);
});

describe('without the speech tools', () => {
  it('says which are missing and how to install them', () => {
    let error: unknown;
    try {
      findSpeechTools({ PATH: '', PITCHCASE_POCKETSPHINX_MODEL: '/nowhere' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TranscriptionUnavailableError);
    expect((error as Error).message).toMatch(
      /needs ffmpeg and pocketsphinx and the English speech model \(\/nowhere\).*apt-get install ffmpeg pocketsphinx pocketsphinx-en-us/,
    );
  });
});
