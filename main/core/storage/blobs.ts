import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { sha256Pattern } from '#shared/manifest';
import { PitchcaseError } from '#shared/result';

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
      const handle = await open(tmpPath, 'r+');
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

  /** Removes blob files that are not in `keep`, plus leftovers of interrupted writes. */
  collect(keep: ReadonlySet<string>): number {
    let removed = 0;
    for (const name of readdirSync(this.dir)) {
      if (name === '.partial') continue;
      if (!keep.has(name)) {
        rmSync(path.join(this.dir, name), { force: true, recursive: true });
        removed++;
      }
    }
    if (existsSync(this.partialDir)) {
      for (const name of readdirSync(this.partialDir)) rmSync(path.join(this.partialDir, name), { force: true });
    }
    return removed;
  }
}
