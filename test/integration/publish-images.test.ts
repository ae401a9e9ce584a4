import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifest as manifestSchema, type ManifestItem } from '#shared/manifest';
import { findOrInstall } from '../support/apt-program.ts';
import { findFfmpeg, generateMedia } from '../support/ffmpeg.ts';
import { makeChannel, tempDir, type TestChannel } from '../support/release.ts';

/**
 * TIFF, BMP and HEIC photos become PNG/JPEG every device shows, upright and at most 4K; the
 * original travels beside them. The test makes each file itself (sharp, ffmpeg, heif-enc).
 */
const ffmpeg = findFfmpeg();
const heifEnc = findOrInstall('heif-enc', 'libheif-examples');
const reason = 'reason' in ffmpeg ? ffmpeg.reason : 'reason' in heifEnc ? heifEnc.reason : '';
if (reason) console.warn(`Image conversion tests skipped: ${reason}`);

let channel: TestChannel;
const work = tempDir('pitchcase-images-src-');

function item(id: string): ManifestItem {
  return manifestSchema
    .parse(JSON.parse(readFileSync(path.join(channel.releaseDir, 'channel.json'), 'utf8')))
    .items.find((i) => i.id === id)!;
}
const blob = (sha256: string) => readFileSync(path.join(channel.releaseDir, 'blobs', sha256));

describe.skipIf(reason !== '')('images browsers do not show, through publish', () => {
  beforeAll(async () => {
    // 300x200, orientation 6 (shot rotated): published upright, 200x300.
    const tiff = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#1e88e5' } })
      .withMetadata({ orientation: 6 })
      .tiff()
      .toBuffer();
    const bmp = path.join(work.dir, 'diagram.bmp');
    generateMedia((ffmpeg as { ffmpeg: string }).ffmpeg, bmp, [
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=160x120',
      '-frames:v',
      '1',
    ]);
    const png = path.join(work.dir, 'photo.png');
    writeFileSync(
      png,
      await sharp({ create: { width: 64, height: 48, channels: 3, background: '#43a047' } })
        .png()
        .toBuffer(),
    );
    const heic = path.join(work.dir, 'photo.heic');
    const made = spawnSync((heifEnc as { path: string }).path, ['-q', '80', '-o', heic, png], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`heif-enc could not make a HEIC: ${made.stderr}`);
    channel = await makeChannel({
      items: [
        { id: 'scan', file: 'img/scan.tiff' },
        { id: 'diagram', file: 'img/diagram.bmp' },
        { id: 'photo', file: 'img/photo.heic', title: 'Plant photo' },
      ],
      extraFiles: { 'img/scan.tiff': tiff, 'img/diagram.bmp': readFileSync(bmp), 'img/photo.heic': readFileSync(heic) },
    });
    await channel.publish();
  }, 120_000);

  afterAll(() => {
    channel?.cleanup();
    work.cleanup();
  });

  it('turns a TIFF into an upright PNG and keeps the original', async () => {
    const scan = item('scan');
    expect(scan.kind).toBe('image');
    const primary = scan.files.find((f) => f.role === 'primary')!;
    expect(primary.mime).toBe('image/png');
    expect(await sharp(blob(primary.sha256)).metadata()).toMatchObject({ format: 'png', width: 200, height: 300 });
    expect(scan.files.find((f) => f.role === 'original')?.mime).toBe('image/tiff');
    expect(scan.files.find((f) => f.role === 'thumbnail')?.sha256).toBe(primary.sha256);
  });

  it('turns a BMP into a PNG', async () => {
    const primary = item('diagram').files.find((f) => f.role === 'primary')!;
    expect(await sharp(blob(primary.sha256)).metadata()).toMatchObject({ format: 'png', width: 160, height: 120 });
  });

  it('turns a HEIC photo into a JPEG', async () => {
    const photo = item('photo');
    expect(photo.title).toBe('Plant photo');
    const primary = photo.files.find((f) => f.role === 'primary')!;
    expect(primary.mime).toBe('image/jpeg');
    expect(await sharp(blob(primary.sha256)).metadata()).toMatchObject({ format: 'jpeg', width: 64, height: 48 });
    expect(photo.files.find((f) => f.role === 'original')?.mime).toBe('image/heic');
  });
});

describe('images that cannot be published', () => {
  it('names a damaged TIFF and writes nothing', async () => {
    const bad = await makeChannel({
      items: [{ id: 'scan', file: 'scan.tif' }],
      extraFiles: { 'scan.tif': 'II*\u0000 broken' },
    });
    try {
      await expect(bad.publish()).rejects.toThrow(/scan\.tif: not a readable TIF image/);
      expect(() => readFileSync(path.join(bad.releaseDir, 'channel.json'))).toThrow();
    } finally {
      bad.cleanup();
    }
  });
});
