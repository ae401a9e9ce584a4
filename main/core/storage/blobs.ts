import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { sha256Pattern } from '#shared/manifest';
import { PitchcaseError } from '#shared/result';
import { fsyncDir, fsyncFile } from './durable.ts';
import { FileHasher, type StreamHash } from './file-hash.ts';

/**
 * Writes buffer for a blob file: with the default 16 KiB every 64 KiB socket read paused the
 * download until the disk had it; 1 MiB lets the network and the disk run side by side.
 */
const WRITE_BUFFER = 1024 * 1024;

/** fsync + rename of verified blobs running at once when deferred (see putResumable). */
const COMMITS_AT_ONCE = 2;

/**
 * Streams `source` into `file` (opened with `flags`), counting every chunk: a chunk that would
 * take the blob past `size` destroys the source at once and fails with a refusal, so an endless
 * body costs at most what was already buffered. Returns the bytes the blob has after it. Each
 * chunk, once written, goes to `hash` (a worker's, see FileHasher: not hashed on this thread).
 */
function streamInto(source: Readable, file: string, flags: string, sha256: string, size: number, already: number, hash: StreamHash, handOver: boolean, onBytes: (n: number) => void): Promise<number> {
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
      // Handed to the hash once on disk (the hash takes the chunk's memory with it).
      const accepted = out.write(chunk, (error) => {
        if (!error) hash.update(chunk, handOver);
      });
      if (!accepted) source.pause();
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

/**
 * Content files, addressed by their sha256: `blobs/<sha256>`. A blob only appears under its
 * final name after its bytes were counted, hashed and fsynced, so a file there is always whole
 * (and its name durable once `flush()` fsynced the folder).
 */
export class BlobStore {
  readonly dir: string;
  private readonly partialDir: string;
  /** Verified blobs waiting for their fsync and rename (putResumable with `durableLater`). */
  private readonly commitQueue: { sha256: string; partPath: string }[] = [];
  private readonly committers = new Set<Promise<void>>();
  private readonly uncommitted = new Set<string>();
  private commitError: Error | null = null;
  private renamedSinceFlush = false;
  private readonly hasher = new FileHasher();

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
   * declared, shorter than declared, or hashes to anything but `sha256`. With `durableLater`,
   * the fsync and rename happen in the background as for putResumable, and flush() awaits them.
   */
  async put(sha256: string, size: number, source: Readable, options: { durableLater?: boolean } = {}): Promise<void> {
    this.pathOf(sha256);
    const tmpPath = path.join(this.partialDir, `${sha256}.${randomUUID()}`);
    const hash = this.hasher.stream(tmpPath);
    try {
      const received = await streamInto(source, tmpPath, 'wx', sha256, size, 0, hash, false, () => {});
      if (received !== size) throw new PitchcaseError('refused', `Blob ${sha256} has ${received} bytes, ${size} declared`);
      checkDigest(sha256, await hash.digest());
    } catch (error) {
      hash.drop();
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
   * The blob is verified when this resolves. It is fsynced and renamed to its final name before
   * this resolves too, unless `durableLater`: then that happens in the background (at most
   * COMMITS_AT_ONCE at a time, so fsyncs neither hold the download back nor take every libuv
   * thread from the writes) and `flush()` waits for it; until then the blob is not under its
   * final name, so has() says false and a release switch refuses to go ahead without it.
   */
  async putResumable(
    sha256: string,
    size: number,
    fetchFrom: (offset: number) => Promise<{ stream: Readable; offset: number; ownsChunks?: boolean }>,
    onBytes: (n: number) => void = () => {},
    options: { durableLater?: boolean } = {},
  ): Promise<void> {
    this.pathOf(sha256);
    const partPath = path.join(this.partialDir, `${sha256}.part`);
    // Still being committed by an earlier call (a sync that failed before its flush).
    while (this.uncommitted.has(sha256)) await Promise.race(this.committers);
    let have = (await stat(partPath).catch(() => null))?.size ?? 0;
    if (have > size || (have === size && size > 0 && (await this.hasher.hash(partPath)) !== sha256)) {
      // Longer than the blob, or its whole length but wrong bytes: start over rather than
      // refuse a blob that was never fetched whole.
      await rm(partPath, { force: true });
      have = 0;
    }
    if (have < size || size === 0) {
      const { stream, offset, ownsChunks = false } = await fetchFrom(have);
      // A source that started over (no Range support) means we start over too.
      const resumed = offset === have;
      // The bytes already there are hashed by the worker, from the file, before the new ones.
      const hash = this.hasher.stream(partPath, resumed ? have : 0);
      try {
        const received = await streamInto(stream, partPath, resumed ? 'a' : 'w', sha256, size, offset, hash, ownsChunks, onBytes);
        if (received !== size) throw new Error(`Blob ${sha256}: connection ended at ${received} of ${size} bytes`);
        checkDigest(sha256, await hash.digest());
      } catch (error) {
        hash.drop();
        // Keep a partial file for the next attempt unless the blob itself was refused.
        if (error instanceof PitchcaseError) await rm(partPath, { force: true });
        throw error;
      }
    }
    await this.commit(sha256, partPath, options.durableLater === true);
  }

  /** fsync + rename of a verified file now, or queued for the background (see flush()). */
  private async commit(sha256: string, file: string, later: boolean): Promise<void> {
    if (!later) {
      await fsyncFile(file);
      await rename(file, this.pathOf(sha256));
      return;
    }
    this.uncommitted.add(sha256);
    this.commitQueue.push({ sha256, partPath: file });
    if (this.committers.size < COMMITS_AT_ONCE) {
      const committer = this.runCommits().finally(() => this.committers.delete(committer));
      this.committers.add(committer);
    }
  }

  /** Ends the hashing workers (they end by themselves when idle too). */
  async close(): Promise<void> {
    await this.hasher.close();
  }

  /** fsync, then rename, queued blobs until there are none; failures are kept for flush(). */
  private async runCommits(): Promise<void> {
    for (let job = this.commitQueue.shift(); job; job = this.commitQueue.shift()) {
      try {
        await fsyncFile(job.partPath);
        await rename(job.partPath, this.pathOf(job.sha256));
        this.renamedSinceFlush = true;
      } catch (error) {
        this.commitError ??= error as Error;
        // Bytes whose fsync failed are not trusted: the blob is fetched again next time.
        await rm(job.partPath, { force: true }).catch(() => {});
      } finally {
        this.uncommitted.delete(job.sha256);
      }
    }
  }

  /**
   * Waits until every blob verified by putResumable(…, { durableLater: true }) is fsynced and
   * under its final name, then fsyncs the blobs folder so the renames are durable too. Throws
   * the first failure since the last flush. Call it before a release that needs them switches.
   */
  async flush(): Promise<void> {
    while (this.committers.size > 0) await Promise.all([...this.committers]);
    const error = this.commitError;
    this.commitError = null;
    if (error) throw error;
    if (this.renamedSinceFlush) {
      this.renamedSinceFlush = false;
      await fsyncDir(this.dir);
    }
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
