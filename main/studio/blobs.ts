import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StudioError } from './errors.ts';

export interface ReceivedFile {
  /** Where the bytes wait until they are accepted (or thrown away). */
  tempPath: string;
  sha256: string;
  size: number;
  /** The first bytes, for recognising the type by content. */
  head: Buffer;
}

/**
 * Content-addressed storage in DATA/blobs/<sha256>, the release format's own naming, so a
 * published channel can hard-link files instead of copying them.
 */
export class BlobStore {
  readonly dir: string;
  private readonly tempDir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'blobs');
    this.tempDir = path.join(dataDir, 'tmp');
  }

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await mkdir(this.tempDir, { recursive: true });
  }

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new StudioError('bad-request', 'not a sha256');
    return path.join(this.dir, sha256);
  }

  /** A fresh path under DATA/tmp (same file system as the blobs, so rename and link work). */
  tempPath(label: string): string {
    return path.join(this.tempDir, `${label}-${randomBytes(8).toString('hex')}`);
  }

  /**
   * Streams a body to a temporary file, hashing as it goes; refuses (and deletes) anything
   * longer than maxBytes without reading the rest into memory.
   */
  async receive(body: Readable, maxBytes: number): Promise<ReceivedFile> {
    const tempPath = this.tempPath('upload');
    const hash = createHash('sha256');
    let size = 0;
    const headChunks: Buffer[] = [];
    let headBytes = 0;
    const out = createWriteStream(tempPath, { flags: 'wx' });
    try {
      await pipeline(
        body,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            size += chunk.length;
            if (size > maxBytes)
              throw new StudioError('too-large', `The file is larger than the upload limit of ${maxBytes} bytes.`);
            hash.update(chunk);
            if (headBytes < 4096) {
              headChunks.push(chunk);
              headBytes += chunk.length;
            }
            yield chunk;
          }
        },
        out,
      );
    } catch (error) {
      await rm(tempPath, { force: true });
      throw error;
    }
    return { tempPath, sha256: hash.digest('hex'), size, head: Buffer.concat(headChunks).subarray(0, 4096) };
  }

  /** Moves an accepted upload into place; an identical blob already there is kept. */
  async commit(file: ReceivedFile): Promise<void> {
    const target = this.pathOf(file.sha256);
    const existing = await stat(target).catch(() => null);
    if (existing?.size === file.size) {
      await rm(file.tempPath, { force: true });
      return;
    }
    // fsync before the rename: the database will point at this name.
    const handle = await open(file.tempPath, 'r+');
    await handle.sync();
    await handle.close();
    await rename(file.tempPath, target);
  }

  read(sha256: string): Readable {
    return createReadStream(this.pathOf(sha256));
  }
}
