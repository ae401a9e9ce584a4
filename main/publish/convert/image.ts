import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { PublishError } from '../catalogue.ts';
import { requireFfmpeg } from './media.ts';

/**
 * Photos in formats browsers do not show — HEIC from iPhones, TIFF from print shops, BMP — become
 * PNG (TIFF, BMP) or JPEG (HEIC photos) with sharp, turned upright by their EXIF orientation.
 * sharp's own libvips (from the npm registry) reads TIFF; it has no HEVC decoder (patents) and no
 * BMP reader, so HEIC is decoded by libheif's `heif-convert` and BMP by ffmpeg, the publisher's
 * video converter, before sharp.
 */
export const convertedImageExtensions = new Set(['.heic', '.heif', '.tif', '.tiff', '.bmp']);

export const HEIF_INSTALL_HINT =
  'install libheif (Debian/Ubuntu: apt-get install libheif-examples; macOS: brew install libheif) or set PITCHCASE_HEIF_CONVERT to the heif-convert program';

/** Longest side of a published image: a 4K screen at most; HEIC and TIFF originals are often larger. */
const MAX_SIDE = 3840;

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter))
    if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  return null;
}

function run(program: string, args: string[], label: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-2000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new PublishError(`${label}: could not start ${path.basename(program)} (${error.message})`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else
        reject(
          new PublishError(
            `${label}: ${path.basename(program)} could not read it (${err.trim().split('\n').slice(-1)[0] || `exit ${code}`})`,
          ),
        );
    });
  });
}

/** Bytes sharp can read: the file itself, or what heif-convert / ffmpeg made of it. */
async function decodable(data: Uint8Array, ext: string, label: string): Promise<Uint8Array> {
  if (ext === '.tif' || ext === '.tiff') return data;
  const dir = await mkdtemp(path.join(tmpdir(), 'pitchcase-image-'));
  try {
    const input = path.join(dir, `in${ext}`);
    const output = path.join(dir, 'out.png');
    await writeFile(input, data);
    if (ext === '.bmp') {
      await run(
        requireFfmpeg(label).ffmpeg,
        ['-v', 'error', '-nostdin', '-y', '-i', input, '-frames:v', '1', output],
        label,
      );
    } else {
      const program = process.env.PITCHCASE_HEIF_CONVERT?.trim() || onPath('heif-convert');
      if (!program || !existsSync(program))
        throw new PublishError(
          `${label}: converting HEIC needs libheif's heif-convert, which is not installed: ${HEIF_INSTALL_HINT}`,
        );
      await run(program, [input, output], label);
    }
    return new Uint8Array(await readFile(output));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function convertImage(
  data: Uint8Array,
  ext: string,
  label: string,
): Promise<{ data: Uint8Array; mime: 'image/png' | 'image/jpeg' }> {
  const source = await decodable(data, ext, label);
  const photo = ext === '.heic' || ext === '.heif';
  try {
    const image = sharp(source, { limitInputPixels: 268_402_689 })
      .rotate()
      .resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside', withoutEnlargement: true });
    const out = photo ? await image.jpeg({ quality: 88, mozjpeg: true }).toBuffer() : await image.png().toBuffer();
    return { data: new Uint8Array(out), mime: photo ? 'image/jpeg' : 'image/png' };
  } catch (error) {
    throw new PublishError(
      `${label}: not a readable ${ext.slice(1).toUpperCase()} image (${(error as Error).message})`,
    );
  }
}
