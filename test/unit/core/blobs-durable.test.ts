import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { BlobStore, type Durability } from '#core/storage/blobs';
import { tempDir } from '../../support/release.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function store(durability?: Durability): BlobStore {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return new BlobStore(t.dir, durability);
}

/** A disk that records each fsync and finishes it only when told (or fails it). */
function slowDisk() {
  const synced: string[] = [];
  const waiting: { file: string; done: (error?: Error) => void }[] = [];
  const durability: Durability = {
    fsyncFile: (file) =>
      new Promise<void>((resolve, reject) =>
        waiting.push({
          file,
          done: (error) => (error ? reject(error) : (synced.push(path.basename(file)), resolve())),
        }),
      ),
    fsyncDir: async (dir) => void synced.push(`dir:${path.basename(dir)}`),
  };
  /** Finishes every fsync asked for so far, and those asked for later until it is done. */
  const finishAll = async (error?: (file: string) => Error | undefined) => {
    for (let i = 0; i < 50 && waiting.length === 0; i++) await new Promise((r) => setImmediate(r));
    while (waiting.length > 0) {
      for (const w of waiting.splice(0)) w.done(error?.(w.file));
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    }
  };
  return { durability, synced, waiting, finishAll };
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const bytes = (n: number, seed = 1) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff));
const from =
  (b: Buffer, chunk = 64 * 1024) =>
  async (offset: number) => {
    const parts: Buffer[] = [];
    for (let i = offset; i < b.length; i += chunk) parts.push(b.subarray(i, i + chunk));
    return { stream: Readable.from(parts), offset };
  };

describe('BlobStore.putResumable with durableLater', () => {
  it('puts a verified blob under its final name at once, and flush() waits for its fsync, then the folder', async () => {
    const disk = slowDisk();
    const s = store(disk.durability);
    const blobs = [bytes(300_000, 1), bytes(5, 2), bytes(1_200_000, 3)];
    for (const b of blobs) await s.putResumable(sha(b), b.length, from(b), () => {}, { durableLater: true });
    for (const b of blobs) {
      expect(s.has(sha(b), b.length)).toBe(true);
      expect(readFileSync(s.pathOf(sha(b))).equals(b)).toBe(true);
      expect(s.partialBytes(sha(b))).toBe(0);
    }
    let flushed = false;
    const flush = s.flush().then(() => (flushed = true));
    await new Promise((r) => setImmediate(r));
    expect(flushed).toBe(false);
    await disk.finishAll();
    await flush;
    // Every file, then the folder that names them, last.
    expect(disk.synced.slice(0, -1).sort()).toEqual(blobs.map(sha).sort());
    expect(disk.synced.at(-1)).toBe('dir:blobs');
    // Nothing pending: flush is a no-op.
    await s.flush();
    expect(disk.synced).toHaveLength(blobs.length + 1);
  });

  it('does not trust a blob whose fsync failed: it is removed and flush() reports the failure once', async () => {
    const disk = slowDisk();
    const s = store(disk.durability);
    const good = bytes(70_000, 4);
    const doomed = bytes(90_000, 5);
    await s.putResumable(sha(good), good.length, from(good), () => {}, { durableLater: true });
    await s.putResumable(sha(doomed), doomed.length, from(doomed), () => {}, { durableLater: true });
    // The expectation holds the flush's promise before any fsync fails, so its rejection is never unhandled.
    const flushFails = expect(s.flush()).rejects.toThrow(/EIO/);
    await disk.finishAll((file) =>
      path.basename(file) === sha(doomed)
        ? Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' })
        : undefined,
    );
    await flushFails;
    expect(s.has(sha(doomed), doomed.length)).toBe(false);
    expect(s.has(sha(good), good.length)).toBe(true);
    await s.flush();
  });

  it('never makes a refused blob visible, even after flush()', async () => {
    const s = store();
    const good = bytes(100_000);
    const bad = bytes(100_000, 9);
    await expect(s.putResumable(sha(good), good.length, from(bad), () => {}, { durableLater: true })).rejects.toThrow(
      /does not match its hash/,
    );
    await s.flush();
    expect(existsSync(s.pathOf(sha(good)))).toBe(false);
    expect(s.partialBytes(sha(good))).toBe(0);
  });

  it('keeps every byte counted before a cut (nothing lost in the write buffer) and resumes from there', async () => {
    const s = store();
    const b = bytes(3_000_000);
    const cutAt = 2_000_000;
    const cut = async (offset: number) => {
      const parts: Buffer[] = [];
      for (let i = offset; i < cutAt; i += 64 * 1024) parts.push(b.subarray(i, Math.min(cutAt, i + 64 * 1024)));
      const stream = new Readable({ read() {} });
      for (const p of parts) stream.push(p);
      setImmediate(() => stream.destroy(new Error('connection reset')));
      return { stream, offset };
    };
    let counted = 0;
    await expect(s.putResumable(sha(b), b.length, cut, (n) => (counted += n))).rejects.toThrow(/connection reset/);
    // Every byte counted (hashed, reported as progress) before the cut is on disk.
    expect(counted).toBeGreaterThan(64 * 1024);
    expect(s.partialBytes(sha(b))).toBe(counted);
    const asked: number[] = [];
    await s.putResumable(sha(b), b.length, (offset) => {
      asked.push(offset);
      return from(b)(offset);
    });
    expect(asked).toEqual([counted]);
    expect(readFileSync(s.pathOf(sha(b))).equals(b)).toBe(true);
  });

  it('commits a partial file that is already whole and right without fetching it again', async () => {
    const s = store();
    const b = bytes(200_000);
    // A first attempt that got every byte, then failed before the rename (as a kill would).
    const whole = async (offset: number) => {
      const stream = new Readable({ read() {} });
      stream.push(b.subarray(offset));
      setImmediate(() => stream.destroy(new Error('reset after the last byte')));
      return { stream, offset };
    };
    await expect(s.putResumable(sha(b), b.length, whole)).rejects.toThrow(/reset/);
    expect(statSync(path.join(s.dir, '.partial', `${sha(b)}.part`)).size).toBe(b.length);
    await s.putResumable(sha(b), b.length, () => Promise.reject(new Error('should not fetch')));
    expect(readFileSync(s.pathOf(sha(b))).equals(b)).toBe(true);
  });
});
