import { constants as fsConstants, type ReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { MANIFEST_MAX_BYTES, sha256Pattern } from '#shared/manifest';
import { PitchcaseError } from '#shared/result';
import { TransientError } from './http-source.ts';

/**
 * Where a release comes from. A folder (the embedded demo, a USB stick, a network share) today;
 * an HTTP(S) static host implements the same interface.
 */
export interface ReleaseSource {
  readonly description: string;
  /** The raw bytes of channel.json (bounded) and the text of channel.json.sig. */
  readManifest(): Promise<{ bytes: Uint8Array; signature: string }>;
  /** A stream of blobs/<sha256>; the caller bounds and verifies it. */
  openBlob(sha256: string): Promise<Readable>;
}

export interface DirectorySourceOptions {
  /** A read that brings nothing for this long fails (a network share that went away). */
  idleTimeoutMs?: number;
}

/**
 * Opening never blocks, so a FIFO cannot hang the open (it would hold one of libuv's threads
 * for ever); Windows has no such flag and no FIFOs on a share.
 */
const OPEN_FLAGS = fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0);

/** Fails `task` with a TransientError once `ms` pass, calling `onTimeout` to let go of what it holds. */
function withTimeout<T>(task: Promise<T>, ms: number, what: string, onTimeout: () => void = () => {}): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new TransientError(`${what}: no answer from the folder for ${Math.round(ms / 1000)} s`));
    }, ms);
  });
  return Promise.race([task, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Opens a file of the release and checks, on the opened descriptor, that it is a regular file:
 * a FIFO, a device (or a link to one, such as /dev/zero) would defeat every size bound.
 */
async function openRegular(file: string, what: string, idle: number, missing: string): Promise<FileHandle> {
  const opening = open(file, OPEN_FLAGS);
  let handle: FileHandle;
  try {
    handle = await withTimeout(opening, idle, what, () => void opening.then((h) => h.close()).catch(() => {}));
  } catch (error) {
    if (error instanceof TransientError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new PitchcaseError(
      'refused',
      code === 'ENOENT' || code === 'ENOTDIR'
        ? missing
        : `Release refused: ${what} cannot be read (${code ?? (error as Error).message}: ${file})`,
    );
  }
  try {
    const stats = await withTimeout(handle.stat(), idle, what);
    if (!stats.isFile())
      throw new PitchcaseError('refused', `Release refused: ${what} is not a regular file (${file})`);
    return handle;
  } catch (error) {
    await handle.close().catch(() => {});
    throw error;
  }
}

/** Reads at most `max` bytes, as the HTTP source does: the bound holds whatever stat said. */
async function readBounded(file: string, max: number, what: string, idle: number): Promise<Buffer> {
  const handle = await openRegular(file, what, idle, `Release refused: ${what} is missing (${file})`);
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, max + 1 - size));
      const { bytesRead } = await withTimeout(handle.read(chunk, 0, chunk.length, null), idle, what);
      if (bytesRead === 0) break;
      size += bytesRead;
      if (size > max)
        throw new PitchcaseError('refused', `Release refused: ${what} is more than the ${max} bytes allowed`);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks);
  } finally {
    await handle.close().catch(() => {});
  }
}

/**
 * Ends a blob stream that brings nothing for `idle` (a share gone away mid-read). It looks at
 * the bytes read rather than listening for data, which would start the stream before its reader
 * does; time the reader spends not reading (paused, its buffer full) does not count.
 */
function watchIdle(stream: ReadStream, idle: number, what: string): ReadStream {
  let seen = -1;
  const timer = setInterval(() => {
    const waitingOnReader = stream.readableFlowing !== true || stream.readableLength >= stream.readableHighWaterMark;
    if (stream.bytesRead !== seen || waitingOnReader) {
      seen = stream.bytesRead;
      return;
    }
    stream.destroy(new TransientError(`${what}: no data from the folder for ${Math.round(idle / 1000)} s`));
  }, idle);
  timer.unref();
  stream.once('close', () => clearInterval(timer));
  return stream;
}

/** A folder source can resume too: it simply reads from the offset. */
export function directorySource(
  dir: string,
  options: DirectorySourceOptions = {},
): ReleaseSource & { openBlobFrom(sha256: string, offset: number): Promise<{ stream: Readable; offset: number }> } {
  const root = path.resolve(dir);
  const idle = options.idleTimeoutMs ?? 30_000;
  const openBlobFrom = async (sha256: string, offset: number): Promise<{ stream: Readable; offset: number }> => {
    if (!sha256Pattern.test(sha256))
      throw new PitchcaseError('refused', `Release refused: bad blob name ${sha256.slice(0, 80)}`);
    const file = path.join(root, 'blobs', sha256);
    const handle = await openRegular(
      file,
      `blob ${sha256}`,
      idle,
      `Release refused: blob ${sha256} is missing from ${root}`,
    );
    // The stream reads the descriptor that was checked, never the path again.
    return { stream: watchIdle(handle.createReadStream({ start: offset }), idle, `blob ${sha256}`), offset };
  };
  return {
    description: root,
    async readManifest() {
      const bytes = await readBounded(path.join(root, 'channel.json'), MANIFEST_MAX_BYTES, 'channel.json', idle);
      const signature = (
        await readBounded(path.join(root, 'channel.json.sig'), 4096, 'channel.json.sig', idle)
      ).toString('utf8');
      return { bytes, signature };
    },
    async openBlob(sha256) {
      return (await openBlobFrom(sha256, 0)).stream;
    },
    openBlobFrom,
  };
}
