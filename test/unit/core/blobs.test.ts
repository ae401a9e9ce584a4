import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { BlobStore } from '#core/storage/blobs';
import { tempDir } from '../../support/release.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function store(): BlobStore {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return new BlobStore(t.dir);
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('BlobStore', () => {
  const data = Buffer.from('the AquaCore 500 brochure');

  it('stores a blob under its hash once its bytes are verified', async () => {
    const s = store();
    await s.put(sha(data), data.length, Readable.from([data.subarray(0, 5), data.subarray(5)]));
    expect(readFileSync(s.pathOf(sha(data)))).toEqual(data);
    expect(s.has(sha(data), data.length)).toBe(true);
  });

  it.each([
    ['longer than declared', data.length - 1, Buffer.concat([data])],
    ['shorter than declared', data.length + 10, data],
  ])('refuses a blob %s and keeps nothing', async (_name, declared, body) => {
    const s = store();
    await expect(s.put(sha(data), declared, Readable.from([body]))).rejects.toThrow(/bytes/);
    expect(existsSync(s.pathOf(sha(data)))).toBe(false);
    expect(readdirSync(path.join(s.dir, '.partial'))).toEqual([]);
  });

  it('refuses a blob whose bytes do not hash to its name', async () => {
    const s = store();
    const other = Buffer.from('the AquaCore 500 brochurE');
    await expect(s.put(sha(data), other.length, Readable.from([other]))).rejects.toThrow(/does not match its hash/);
    expect(existsSync(s.pathOf(sha(data)))).toBe(false);
  });

  it('stops reading an endless stream at the declared size', async () => {
    const s = store();
    let produced = 0;
    const endless = new Readable({
      read() {
        produced += 1024;
        this.push(Buffer.alloc(1024, 1));
      },
    });
    await expect(s.put(sha(data), 4096, endless)).rejects.toThrow(/larger than/);
    expect(produced).toBeLessThan(64 * 1024);
  });

  it.each(['../etc/passwd', 'A'.repeat(64), 'abc', `${'a'.repeat(63)}/`, ''])('refuses %j as a blob name', (name) => {
    expect(() => store().pathOf(name)).toThrow(/Not a sha256/);
  });

  it('collects blobs that are not kept', async () => {
    const s = store();
    const other = Buffer.from('old price sheet');
    await s.put(sha(data), data.length, Readable.from([data]));
    await s.put(sha(other), other.length, Readable.from([other]));
    expect(s.collect(new Set([sha(data)]))).toBe(1);
    expect(s.has(sha(data), data.length)).toBe(true);
    expect(s.has(sha(other), other.length)).toBe(false);
  });
});
