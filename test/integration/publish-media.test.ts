import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifest as manifestSchema, type ManifestItem } from '#shared/manifest';
import { findFfmpeg, generateMedia } from '../support/ffmpeg.ts';
import { makeChannel, tempDir, type TestChannel } from '../support/release.ts';

/**
 * Video and audio in the containers marketing has (QuickTime, MP3, WAV) become WebM (VP9/Opus)
 * that every Chromium plays, with a poster frame and the duration; the original travels too.
 */
const tools = findFfmpeg();
const reason = 'reason' in tools ? tools.reason : '';
if (reason) console.warn(`Media conversion tests skipped: ${reason}`);

let channel: TestChannel;
const work = tempDir('pitchcase-media-src-');

function item(id: string): ManifestItem {
  return manifestSchema
    .parse(JSON.parse(readFileSync(path.join(channel.releaseDir, 'channel.json'), 'utf8')))
    .items.find((i) => i.id === id)!;
}

function codecs(ffprobe: string, file: string): string[] {
  const out = spawnSync(ffprobe, ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', file], {
    encoding: 'utf8',
  });
  return out.stdout
    .trim()
    .split('\n')
    .map((l) => l.trim());
}

describe.skipIf(reason !== '')('video and audio through publish', () => {
  beforeAll(async () => {
    const { ffmpeg } = tools as { ffmpeg: string };
    const mov = path.join(work.dir, 'demo.mov');
    generateMedia(ffmpeg, mov, [
      '-f',
      'lavfi',
      '-i',
      'testsrc=duration=3:size=320x240:rate=15',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:duration=3',
      '-c:v',
      'mpeg4',
      '-c:a',
      'aac',
      '-shortest',
    ]);
    const wav = path.join(work.dir, 'tone.wav');
    generateMedia(ffmpeg, wav, ['-f', 'lavfi', '-i', 'sine=frequency=660:duration=2']);
    const mp3 = path.join(work.dir, 'pitch.mp3');
    generateMedia(ffmpeg, mp3, ['-f', 'lavfi', '-i', 'sine=frequency=330:duration=2', '-c:a', 'libmp3lame']);
    channel = await makeChannel({
      items: [
        { id: 'demo', file: 'media/demo.mov' },
        { id: 'tone', file: 'media/tone.wav' },
        { id: 'pitch-audio', file: 'media/pitch.mp3', title: 'Elevator pitch' },
      ],
      extraFiles: {
        'media/demo.mov': readFileSync(mov),
        'media/tone.wav': readFileSync(wav),
        'media/pitch.mp3': readFileSync(mp3),
      },
    });
    await channel.publish();
  }, 180_000);

  afterAll(() => {
    channel?.cleanup();
    work.cleanup();
  });

  it('converts a QuickTime video to VP9/Opus WebM with a poster frame and its duration', () => {
    const demo = item('demo');
    expect(demo.kind).toBe('video');
    expect(demo.durationSeconds).toBeCloseTo(3, 0);
    const primary = demo.files.find((f) => f.role === 'primary')!;
    expect(primary.mime).toBe('video/webm');
    expect(
      codecs((tools as { ffprobe: string }).ffprobe, path.join(channel.releaseDir, 'blobs', primary.sha256)).sort(),
    ).toEqual(['opus', 'vp9']);
    const poster = demo.files.find((f) => f.role === 'poster')!;
    expect(poster.mime).toBe('image/png');
    expect(
      readFileSync(path.join(channel.releaseDir, 'blobs', poster.sha256))
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    expect(demo.files.find((f) => f.role === 'thumbnail')?.sha256).toBe(poster.sha256);
    expect(demo.files.find((f) => f.role === 'original')?.mime).toBe('video/quicktime');
  });

  it('makes audio items Opus WebM with their duration', () => {
    for (const id of ['tone', 'pitch-audio']) {
      const audio = item(id);
      expect(audio.kind).toBe('audio');
      expect(audio.durationSeconds).toBeCloseTo(2, 0);
      const primary = audio.files.find((f) => f.role === 'primary')!;
      expect(primary.mime).toBe('audio/webm');
      expect(
        codecs((tools as { ffprobe: string }).ffprobe, path.join(channel.releaseDir, 'blobs', primary.sha256)),
      ).toEqual(['opus']);
    }
    expect(item('pitch-audio').title).toBe('Elevator pitch');
  });

  it('names a damaged video and writes nothing', async () => {
    const bad = await makeChannel({
      items: [{ id: 'clip', file: 'clip.mov' }],
      extraFiles: { 'clip.mov': 'not a movie at all' },
    });
    try {
      await expect(bad.publish()).rejects.toThrow(/clip\.mov: ffprobe could not read it/);
      expect(existsSync(bad.releaseDir)).toBe(false);
    } finally {
      bad.cleanup();
    }
  });
});

describe('media without ffmpeg', () => {
  it('says how to install ffmpeg and writes nothing', async () => {
    const bad = await makeChannel({ items: [{ id: 'tone', file: 'tone.wav' }], extraFiles: { 'tone.wav': 'RIFF' } });
    const saved = { path: process.env.PATH, ffmpeg: process.env.PITCHCASE_FFMPEG };
    process.env.PATH = path.join(bad.sourceDir, 'nothing-here');
    delete process.env.PITCHCASE_FFMPEG;
    try {
      await expect(bad.publish()).rejects.toThrow(
        /tone\.wav: converting it needs ffmpeg and ffprobe, which are not installed: install ffmpeg \(Debian\/Ubuntu: apt-get install ffmpeg/,
      );
      expect(existsSync(bad.releaseDir)).toBe(false);
    } finally {
      process.env.PATH = saved.path;
      if (saved.ffmpeg !== undefined) process.env.PITCHCASE_FFMPEG = saved.ffmpeg;
      bad.cleanup();
    }
  });
});
