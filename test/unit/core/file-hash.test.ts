import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileHasher, hashFileHere } from '#core/storage/file-hash';
import { seededRandom } from '../../support/random.ts';
import { tempDir } from '../../support/release.ts';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('FileHasher', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });
  const setup = (size?: number) => {
    const dir = tempDir('pitchcase-hash-');
    const hasher = new FileHasher(size);
    cleanups.push(() => hasher.close(), () => dir.cleanup());
    return { dir: dir.dir, hasher };
  };

  it('gives the sha256 of files of every size, many at once, across its workers', async () => {
    const { dir, hasher } = setup(2);
    const random = seededRandom(7);
    const sizes = [0, 1, 65_535, 65_536, 1024 * 1024 + 3, 3 * 1024 * 1024];
    const files = sizes.map((size, i) => {
      const bytes = new Uint8Array(size).map(() => Math.floor(random() * 256));
      const file = path.join(dir, `f${i}`);
      writeFileSync(file, bytes);
      return { file, expected: sha(bytes) };
    });
    const got = await Promise.all(files.map((f) => hasher.hash(f.file)));
    expect(got).toEqual(files.map((f) => f.expected));
    // The same answers on the main thread (the fallback path).
    expect(await Promise.all(files.map((f) => hashFileHere(f.file)))).toEqual(got);
  });

  it('hashes a file as it is written, chunk by chunk, after the bytes already on disk', async () => {
    const { dir, hasher } = setup(1);
    const random = seededRandom(11);
    const whole = new Uint8Array(3 * 1024 * 1024 + 17).map(() => Math.floor(random() * 256));
    const file = path.join(dir, 'part');
    // 1 MiB already there (a resumed download), the rest arrives in socket-sized chunks.
    writeFileSync(file, whole.subarray(0, 1024 * 1024));
    const hash = hasher.stream(file, 1024 * 1024);
    for (let at = 1024 * 1024; at < whole.length; at += 65_536) {
      // A chunk that owns its memory is handed over (and emptied here); a view is copied.
      const piece = whole.subarray(at, Math.min(at + 65_536, whole.length));
      // Buffer.alloc: memory of its own at any size (Buffer.from shares a pool below 4 KiB).
      const owned = Buffer.alloc(piece.length);
      owned.set(piece);
      const handOver = at % (2 * 65_536) === 0;
      hash.update(owned, handOver);
      expect(owned.byteLength === 0).toBe(handOver);
    }
    expect(await hash.digest()).toBe(sha(whole));
    // A view into a larger buffer is never taken, even when offered.
    const view = Buffer.from(whole).subarray(10, 20);
    const second = hasher.stream(path.join(dir, 'view'));
    second.update(view, true);
    expect(view.byteLength).toBe(10);
    expect(await second.digest()).toBe(sha(whole.subarray(10, 20)));
  });

  it('answers from the file on disk when its worker is gone mid-stream', async () => {
    const { dir, hasher } = setup(1);
    const bytes = new Uint8Array(2 * 1024 * 1024).fill(3);
    const file = path.join(dir, 'f');
    writeFileSync(file, bytes);
    const hash = hasher.stream(file);
    hash.update(Buffer.from(bytes.subarray(0, 1024)), true);
    await hasher.close();
    // The rest never reached a worker; the file is complete, so the answer is still right.
    expect(await hash.digest()).toBe(sha(bytes));
  });

  it('fails a missing file with its code, and keeps working after', async () => {
    const { dir, hasher } = setup(1);
    await expect(hasher.hash(path.join(dir, 'nope'))).rejects.toMatchObject({ code: 'ENOENT' });
    const file = path.join(dir, 'yes');
    writeFileSync(file, 'pitch');
    expect(await hasher.hash(file)).toBe(sha(Buffer.from('pitch')));
  });

  it('still answers when its workers are ended under a job, and starts new ones after', async () => {
    const { dir, hasher } = setup(1);
    const file = path.join(dir, 'big');
    const bytes = new Uint8Array(8 * 1024 * 1024).fill(9);
    writeFileSync(file, bytes);
    const pending = hasher.hash(file);
    await hasher.close();
    expect(await pending).toBe(sha(bytes));
    expect(await hasher.hash(file)).toBe(sha(bytes));
  });
});
