import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashFile, hashFileInto } from '#core/storage/file-hash';
import { seededRandom } from '../../support/random.ts';
import { tempDir } from '../../support/release.ts';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('file hashing', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });
  const dir = () => {
    const d = tempDir('pitchcase-hash-');
    cleanups.push(() => d.cleanup());
    return d.dir;
  };
  const random = seededRandom(7);
  const bytesOf = (size: number) => new Uint8Array(size).map(() => Math.floor(random() * 256));

  it('gives the sha256 of files of every size, across its read buffer boundaries', async () => {
    const at = dir();
    for (const [i, size] of [0, 1, 65_535, 1024 * 1024, 1024 * 1024 + 3, 3 * 1024 * 1024].entries()) {
      const bytes = bytesOf(size);
      const file = path.join(at, `f${i}`);
      writeFileSync(file, bytes);
      expect(await hashFile(file), `size ${size}`).toBe(sha(bytes));
    }
  });

  it('feeds the first bytes of a partial file, then the rest as it arrives, into one hash', async () => {
    const file = path.join(dir(), 'partial');
    const whole = bytesOf(2 * 1024 * 1024 + 17);
    for (const have of [0, 1, 1024 * 1024, 1024 * 1024 + 1, whole.length]) {
      // On disk: more than `have` bytes (the hash must stop at `have`).
      writeFileSync(file, whole.subarray(0, Math.min(whole.length, have + 4096)));
      const hash = createHash('sha256');
      await hashFileInto(hash, file, have);
      hash.update(whole.subarray(have));
      expect(hash.digest('hex'), `resumed at ${have}`).toBe(sha(whole));
    }
  });

  it('fails a missing file with its code', async () => {
    await expect(hashFile(path.join(dir(), 'nope'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
