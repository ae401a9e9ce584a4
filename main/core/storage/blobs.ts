import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { sha256Pattern } from '#shared/manifest';
import { PitchcaseError } from '#shared/result';

/** Opened for fsync before a rename makes a blob visible. */
const open_ = (file: string) => open(file, 'r+');

/**
 * Content files, addressed by their sha256: `blobs/<sha256>`. A blob only appears under its
 * final name after its bytes were counted, hashed and fsynced, so a file there is always whole.
 */
export class BlobStore {
  readonly dir: string;
  private readonly partialDir: string;

  constructor(profileDir: string) {
    this.dir = path.join(profileDir, 'blobs');
    this.partialDir = path.join(this.dir, '.partial');
    mkdirSync(this.partialDir, { recursive: true });
  }

  /** The path of a blob; the hash is validated so no caller can turn it into a traversal. */
  pathOf(sha256: string): string {
    if (!sha256Pattern.test(sha256)) throw new PitchcaseError('bad-request', `Not a sha256: ${JSON.stringify(sha256).slice(0, 80)}`);
    return path.join(this.dir, sha256);
  }

  has(sha256: string, size: number): boolean {
    try {
      const stat = statSync(this.pathOf(sha256));
      return stat.isFile() && stat.size === size;
    } catch {
      return false;
    }
  }

  /**
   * Writes a blob from a stream, refusing it (and keeping nothing) if it is longer than
   * declared, shorter than declared, or hashes to anything but `sha256`.
   */
  async put(sha256: string, size: number, source: Readable): Promise<void> {
    const finalPath = this.pathOf(sha256);
    const tmpPath = path.join(this.partialDir, `${sha256}.${randomUUID()}`);
    const hash = createHash('sha256');
    let received = 0;
    try {
      await new Promise<void>((resolve, reject) => {
        const out = createWriteStream(tmpPath, { flags: 'wx' });
        const fail = (error: Error) => {
          source.destroy();
          out.destroy();
          reject(error);
        };
        source.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > size) {
            fail(new PitchcaseError('refused', `Blob ${sha256} is larger than its declared ${size} bytes`));
            return;
          }
          hash.update(chunk);
          if (!out.write(chunk)) source.pause();
        });
        out.on('drain', () => source.resume());
        source.on('error', fail);
        out.on('error', fail);
        source.on('end', () => out.end());
        out.on('finish', resolve);
      });
      if (received !== size) throw new PitchcaseError('refused', `Blob ${sha256} has ${received} bytes, ${size} declared`);
      const actual = hash.digest('hex');
      if (actual !== sha256) throw new PitchcaseError('refused', `Blob ${sha256} does not match its hash (got ${actual})`);
      const handle = await open_(tmpPath);
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmpPath, finalPath);
    } catch (error) {
      await rm(tmpPath, { force: true });
      throw error;
    }
  }

  /**
   * Downloads a blob that may already be partly on disk from an interrupted sync: hashes what
   * is there, asks `fetchFrom` for the rest from that offset (HTTP Range), and verifies the whole.
   * A source that cannot resume answers from offset 0 and the partial file starts over. A
   * refused blob (too long, wrong hash) leaves nothing behind.
   */
  async putResumable(
    sha256: string,
    size: number,
    fetchFrom: (offset: number) => Promise<{ stream: Readable; offset: number }>,
    onBytes: (n: number) => void = () => {},
  ): Promise<void> {
    const finalPath = this.pathOf(sha256);
    const partPath = path.join(this.partialDir, `${sha256}.part`);
    let have = (await stat(partPath).catch(() => null))?.size ?? 0;
    if (have > size) {
      await rm(partPath, { force: true });
      have = 0;
    }
    const hash = createHash('sha256');
    if (have > 0) {
      for await (const chunk of createReadStream(partPath, { end: have - 1 }) as AsyncIterable<Buffer>) hash.update(chunk);
    }
    const { stream, offset } = await fetchFrom(have);
    let received = offset;
    // A source that started over (no Range support) means we start over too.
    const resumed = offset === have;
    const digest = resumed ? hash : createHash('sha256');
    try {
      await new Promise<void>((resolve, reject) => {
        const out = createWriteStream(partPath, { flags: resumed ? 'a' : 'w' });
        const fail = (error: Error) => {
          stream.destroy();
          out.destroy();
          reject(error);
        };
        stream.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > size) {
            fail(new PitchcaseError('refused', `Blob ${sha256} is larger than its declared ${size} bytes`));
            return;
          }
          digest.update(chunk);
          onBytes(chunk.length);
          if (!out.write(chunk)) stream.pause();
        });
        out.on('drain', () => stream.resume());
        stream.on('error', fail);
        out.on('error', fail);
        stream.on('end', () => out.end());
        out.on('finish', resolve);
      });
    } catch (error) {
      // Keep a partial file for the next attempt unless the blob itself was refused.
      if (error instanceof PitchcaseError) await rm(partPath, { force: true });
      throw error;
    }
    if (received !== size) throw new Error(`Blob ${sha256}: connection ended at ${received} of ${size} bytes`);
    const actual = digest.digest('hex');
    if (actual !== sha256) {
      await rm(partPath, { force: true });
      throw new PitchcaseError('refused', `Blob ${sha256} does not match its hash (got ${actual})`);
    }
    const handle = await open_(partPath);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(partPath, finalPath);
  }

  /** Bytes of partial downloads on disk, by blob. */
  partialBytes(sha256: string): number {
    try {
      return statSync(path.join(this.partialDir, `${sha256}.part`)).size;
    } catch {
      return 0;
    }
  }

  /**
   * Removes blob files that are not in `keep`, leftovers of interrupted writes, and partial
   * downloads not in `resumable` (those are kept so a later sync can resume them).
   */
  collect(keep: ReadonlySet<string>, resumable: ReadonlySet<string> | 'all' = new Set()): number {
    let removed = 0;
    for (const name of readdirSync(this.dir)) {
      if (name === '.partial') continue;
      if (!keep.has(name)) {
        rmSync(path.join(this.dir, name), { force: true, recursive: true });
        removed++;
      }
    }
    if (existsSync(this.partialDir)) {
      for (const name of readdirSync(this.partialDir)) {
        const match = /^([0-9a-f]{64})\.part$/.exec(name);
        if (match && (resumable === 'all' || resumable.has(match[1]!))) continue;
        rmSync(path.join(this.partialDir, name), { force: true });
      }
    }
    return removed;
  }
}
