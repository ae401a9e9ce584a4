import { createHash, randomUUID, type Hash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { sha256Pattern } from '#shared/manifest';
import { PitchcaseError } from '#shared/result';
import { fsyncDir, fsyncFile } from './durable.ts';
import { hashFile, hashFileInto } from './file-hash.ts';

/**
 * Writes buffer for a blob file: with the default 16 KiB every 64 KiB socket read paused the
 * download until the disk had it; 1 MiB lets the network and the disk run side by side.
 */
const WRITE_BUFFER = 1024 * 1024;

/**
 * fsyncs running at once in flush(): as many as libuv has threads, so the file system can
 * commit them together (one journal commit for several files).
 */
const FSYNCS_AT_ONCE = 4;

/**
 * Streams `source` into `file` (opened with `flags`), counting every chunk: a chunk that would
 * take the blob past `size` destroys the source at once and fails with a refusal, so an endless
 * body costs at most what was already buffered. Returns the bytes the blob has after it. Each
 * chunk goes into `hash` as it arrives (see file-hash.ts for why here and not in a worker).
 */
function streamInto(
  source: Readable,
  file: string,
  flags: string,
  sha256: string,
  size: number,
  already: number,
  hash: Hash,
  onBytes: (n: number) => void,
): Promise<number> {
  let received = already;
  return new Promise<number>((resolve, reject) => {
    const out = createWriteStream(file, { flags, highWaterMark: WRITE_BUFFER });
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      source.destroy();
      if (error instanceof PitchcaseError) {
        // Refused: nothing of it is kept, no need to write what is still buffered.
        out.destroy();
        reject(error);
        return;
      }
      // A cut connection: what arrived is good, and up to WRITE_BUFFER of it may still be
      // buffered. Write it out, so the next attempt resumes from there.
      if (out.closed) {
        reject(error);
        return;
      }
      out.once('close', () => reject(error));
      if (out.errored) out.destroy();
      else if (!out.writableEnded) out.end();
    };
    source.on('data', (chunk: Buffer) => {
      if (failed) return;
      received += chunk.length;
      if (received > size) {
        fail(new PitchcaseError('refused', `Blob ${sha256} is larger than its declared ${size} bytes`));
        return;
      }
      onBytes(chunk.length);
      hash.update(chunk);
      if (!out.write(chunk)) source.pause();
    });
    out.on('drain', () => source.resume());
    source.on('error', fail);
    out.on('error', fail);
    source.on('end', () => out.end());
    out.on('finish', () => {
      if (!failed) resolve(received);
    });
  });
}

/** Refuses bytes whose sha256 is not the one they were declared with. */
function checkDigest(sha256: string, actual: string): void {
  if (actual !== sha256) throw new PitchcaseError('refused', `Blob ${sha256} does not match its hash (got ${actual})`);
}

/** How bytes reach the disk: fsync of a file, of a folder (tests stand in a slow or failing disk). */
export interface Durability {
  fsyncFile(file: string): Promise<void>;
  fsyncDir(dir: string): Promise<void>;
}

/**
 * Content files, addressed by their sha256: `blobs/<sha256>`. A blob only appears under its
 * final name after its bytes were counted and hashed, so a file there is whole as far as this
 * process knows. Whether it would survive a power cut is another matter: put() without
 * `durableLater` fsyncs before the rename; with it, the file is renamed at once and fsynced by
 * flush(), which says when every such file (and the folder) is on disk. Callers
 * index a blob as settled only after that (see channel/settle.ts).
 */
export class BlobStore {
  readonly dir: string;
  private readonly partialDir: string;
  /** Blobs under their final name waiting for their fsync in flush() (put* with `durableLater`). */
  private readonly fsyncQueue: string[] = [];
  private readonly committers = new Set<Promise<void>>();
  private commitError: Error | null = null;
  private renamedSinceFlush = false;

  constructor(
    profileDir: string,
    private readonly durability: Durability = { fsyncFile, fsyncDir },
  ) {
    this.dir = path.join(profileDir, 'blobs');
    this.partialDir = path.join(this.dir, '.partial');
    mkdirSync(this.partialDir, { recursive: true });
  }

  /** The path of a blob; the hash is validated so no caller can turn it into a traversal. */
  pathOf(sha256: string): string {
    if (!sha256Pattern.test(sha256))
      throw new PitchcaseError('bad-request', `Not a sha256: ${JSON.stringify(sha256).slice(0, 80)}`);
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
   * declared, shorter than declared, or hashes to anything but `sha256`. With `durableLater`,
   * it is renamed at once and fsynced by flush(), as for putResumable.
   */
  async put(sha256: string, size: number, source: Readable, options: { durableLater?: boolean } = {}): Promise<void> {
    this.pathOf(sha256);
    const tmpPath = path.join(this.partialDir, `${sha256}.${randomUUID()}`);
    try {
      const hash = createHash('sha256');
      const received = await streamInto(source, tmpPath, 'wx', sha256, size, 0, hash, () => {});
      if (received !== size)
        throw new PitchcaseError('refused', `Blob ${sha256} has ${received} bytes, ${size} declared`);
      checkDigest(sha256, hash.digest('hex'));
    } catch (error) {
      await rm(tmpPath, { force: true });
      throw error;
    }
    await this.commit(sha256, tmpPath, options.durableLater === true);
  }

  /**
   * Downloads a blob that may already be partly on disk from an interrupted sync: asks
   * `fetchFrom` for the rest from where the partial file ends (HTTP Range), then verifies the
   * whole file. A source that cannot resume answers from offset 0 and the partial file starts
   * over. A refused blob (too long, wrong hash) leaves nothing behind. A partial file that is
   * already whole and right (a sync killed before its rename) is committed without asking the
   * source; one that is whole but wrong is fetched again.
   *
   * The blob is verified and under its final name when this resolves. It is fsynced first,
   * unless `durableLater`: then `flush()` fsyncs it.
   */
  async putResumable(
    sha256: string,
    size: number,
    fetchFrom: (offset: number) => Promise<{ stream: Readable; offset: number }>,
    onBytes: (n: number) => void = () => {},
    options: { durableLater?: boolean } = {},
  ): Promise<void> {
    this.pathOf(sha256);
    const partPath = path.join(this.partialDir, `${sha256}.part`);
    let have = (await stat(partPath).catch(() => null))?.size ?? 0;
    if (have > size || (have === size && size > 0 && (await hashFile(partPath)) !== sha256)) {
      // Longer than the blob, or its whole length but wrong bytes: start over rather than
      // refuse a blob that was never fetched whole.
      await rm(partPath, { force: true });
      have = 0;
    }
    if (have < size || size === 0) {
      try {
        // The bytes already there go into the hash first, read back from the file.
        let hash = createHash('sha256');
        await hashFileInto(hash, partPath, have);
        const { stream, offset } = await fetchFrom(have);
        // A source that started over (no Range support) means we start over too.
        const resumed = offset === have;
        if (!resumed) hash = createHash('sha256');
        const received = await streamInto(stream, partPath, resumed ? 'a' : 'w', sha256, size, offset, hash, onBytes);
        if (received !== size) throw new Error(`Blob ${sha256}: connection ended at ${received} of ${size} bytes`);
        checkDigest(sha256, hash.digest('hex'));
      } catch (error) {
        // Keep a partial file for the next attempt unless the blob itself was refused.
        if (error instanceof PitchcaseError) await rm(partPath, { force: true });
        throw error;
      }
    }
    await this.commit(sha256, partPath, options.durableLater === true);
  }

  /**
   * fsync + rename of a verified file now, or rename now and leave the fsync to flush(): while a
   * download runs, fsyncs would take libuv's threads from its writes and the disk from its
   * data; once it is done, they run together and the file system commits them in batches.
   */
  private async commit(sha256: string, file: string, later: boolean): Promise<void> {
    const final = this.pathOf(sha256);
    if (!later) {
      await this.durability.fsyncFile(file);
      await rename(file, final);
      return;
    }
    await rename(file, final);
    this.renamedSinceFlush = true;
    this.fsyncQueue.push(final);
  }

  private startFsyncs(): void {
    while (this.committers.size < FSYNCS_AT_ONCE && this.committers.size < this.fsyncQueue.length) {
      const committer = this.runFsyncs().finally(() => this.committers.delete(committer));
      this.committers.add(committer);
    }
  }

  /** fsyncs queued blobs until there are none; failures are kept for flush(). */
  private async runFsyncs(): Promise<void> {
    for (let file = this.fsyncQueue.shift(); file; file = this.fsyncQueue.shift()) {
      try {
        await this.durability.fsyncFile(file);
      } catch (error) {
        this.commitError ??= error as Error;
        // Bytes whose fsync failed are not trusted: the blob is fetched again next time.
        await rm(file, { force: true }).catch(() => {});
      }
    }
  }

  /**
   * fsyncs every blob stored with `durableLater` since the last flush, then the blobs folder so
   * their names are durable too. Throws the first failure since the last flush (that blob is
   * removed: it is fetched again).
   */
  async flush(): Promise<void> {
    this.startFsyncs();
    while (this.committers.size > 0) await Promise.all([...this.committers]);
    const error = this.commitError;
    this.commitError = null;
    if (error) throw error;
    if (this.renamedSinceFlush) {
      this.renamedSinceFlush = false;
      await this.durability.fsyncDir(this.dir);
    }
  }

  /** fsyncs blobs already under their final name, then the folder (files a crash left unsettled). */
  async makeDurable(sha256s: readonly string[]): Promise<void> {
    for (const sha256 of sha256s) await this.durability.fsyncFile(this.pathOf(sha256));
    await this.durability.fsyncDir(this.dir);
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
