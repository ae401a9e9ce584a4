import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { StudioError } from '../errors.ts';

export interface ZipLimits {
  maxEntries: number;
  maxTotalBytes: number;
  /** Uncompressed / compressed, per entry: beyond it an entry is treated as a bomb. */
  maxRatio: number;
}

export const defaultZipLimits: ZipLimits = { maxEntries: 5000, maxTotalBytes: 1024 ** 3, maxRatio: 200 };

export interface MicrositeEntry {
  /** The path inside the site, with the single top folder (if any) removed. */
  path: string;
  size: number;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function refuse(message: string): never {
  throw new StudioError('bad-request', `Microsite .zip refused: ${message}`);
}

function openZip(file: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    // validateEntrySizes: a stream that inflates to more than its declared size fails.
    yauzl.open(
      file,
      { lazyEntries: true, autoClose: true, validateEntrySizes: true, strictFileNames: true, decodeStrings: true },
      (error, zip) => {
        if (error || !zip) reject(error ?? new Error('unreadable zip'));
        else resolve(zip);
      },
    );
  });
}

function openEntry(zip: ZipFile, entry: Entry): Promise<Readable> {
  return new Promise((resolve, reject) =>
    zip.openReadStream(entry, (error, stream) =>
      error || !stream ? reject(error ?? new Error('unreadable entry')) : resolve(stream),
    ),
  );
}

function checkName(name: string): void {
  if (name.includes('\\') || name.includes('\0')) refuse(`"${name}" has a backslash or NUL in its name`);
  if (name.startsWith('/') || /^[a-z]:/i.test(name)) refuse(`"${name}" is an absolute path`);
  if (name.split('/').includes('..')) refuse(`"${name}" points outside the site (../)`);
}

/**
 * Walks a microsite archive, refusing traversal (`../`, absolute paths), symbolic links,
 * too many entries, and bombs (a high ratio, or more bytes in total than allowed — counted while
 * actually inflating, so a lying header does not help). With `extractTo`, writes the files there.
 */
export async function readMicrositeZip(
  file: string,
  limits: ZipLimits = defaultZipLimits,
  extractTo?: string,
): Promise<{ entries: MicrositeEntry[]; root: string }> {
  let zip: ZipFile;
  try {
    zip = await openZip(file);
  } catch (error) {
    refuse(`not a readable zip (${(error as Error).message})`);
  }
  const raw: { name: string; size: number }[] = [];
  let total = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: Entry) => {
        void (async () => {
          const name = entry.fileName;
          checkName(name);
          if (raw.length >= limits.maxEntries) refuse(`more than ${limits.maxEntries} entries`);
          const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
          if (mode === S_IFLNK) refuse(`"${name}" is a symbolic link`);
          if (name.endsWith('/')) {
            zip.readEntry();
            return;
          }
          if (entry.compressedSize > 0 && entry.uncompressedSize / entry.compressedSize > limits.maxRatio)
            refuse(`"${name}" expands ${Math.round(entry.uncompressedSize / entry.compressedSize)}× (a zip bomb?)`);
          if (total + entry.uncompressedSize > limits.maxTotalBytes)
            refuse(`more than ${limits.maxTotalBytes} bytes uncompressed`);
          const stream = await openEntry(zip, entry);
          let counted = 0;
          const sink = extractTo ? await prepare(extractTo, name) : null;
          await pipeline(
            stream,
            async function* (source: AsyncIterable<Buffer>) {
              for await (const chunk of source) {
                counted += chunk.length;
                total += chunk.length;
                if (total > limits.maxTotalBytes) refuse(`more than ${limits.maxTotalBytes} bytes uncompressed`);
                yield chunk;
              }
            },
            sink ??
              (async (source: AsyncIterable<Buffer>) => {
                for await (const _ of source) {
                  /* counted above */
                }
              }),
          );
          raw.push({ name, size: counted });
          zip.readEntry();
        })().catch(reject);
      });
      zip.readEntry();
    });
  } catch (error) {
    zip.close();
    if (error instanceof StudioError) throw error;
    refuse((error as Error).message);
  }
  // A site zipped as its folder ("site/index.html") is served from inside that folder.
  const tops = new Set(raw.map((e) => e.name.split('/')[0]));
  const prefix = tops.size === 1 && raw.every((e) => e.name.includes('/')) ? `${[...tops][0]}/` : '';
  const entries = raw.map((e) => ({ path: e.name.slice(prefix.length), size: e.size }));
  if (entries.length === 0) refuse('it is empty');
  if (!entries.some((e) => e.path === 'index.html'))
    refuse('no index.html at its top (or inside its single top folder)');
  return { entries, root: prefix };
}

async function prepare(root: string, name: string) {
  const target = path.join(root, name);
  if (!target.startsWith(path.resolve(root) + path.sep)) refuse(`"${name}" points outside the site`);
  await mkdir(path.dirname(target), { recursive: true });
  return createWriteStream(target, { flags: 'wx' });
}
