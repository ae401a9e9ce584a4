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
