import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { safeStorageKeyProvider, type SafeStorageLike } from '../../../main/electron/keys.ts';
import { tempDir } from '../../support/release.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };

function keystore(available = true): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (plain) => Buffer.from(`sealed:${Buffer.from(plain).toString('hex')}`),
    decryptString: (sealed) => Buffer.from(sealed.toString().replace(/^sealed:/, ''), 'hex').toString(),
  };
}

describe('lead key in the OS keystore', () => {
  it('creates the key once, stores it only sealed by the keystore, and reads the same key back', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const key = safeStorageKeyProvider(keystore(), t.dir, log).leadKey();
    expect(key).toHaveLength(32);
    const stored = readFileSync(path.join(t.dir, 'lead.key.sealed'));
    expect(stored.toString()).toMatch(/^sealed:/);
    expect(stored.includes(key.toString('base64'))).toBe(false);
    expect(existsSync(path.join(t.dir, 'lead.key'))).toBe(false);
    expect(safeStorageKeyProvider(keystore(), t.dir, log).leadKey().equals(key)).toBe(true);
  });

  it('falls back to a key file, with a warning, where no keystore is available', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const key = safeStorageKeyProvider(keystore(false), t.dir, log).leadKey();
    expect(key).toHaveLength(32);
    expect(existsSync(path.join(t.dir, 'lead.key'))).toBe(true);
    expect(log.warn).toHaveBeenCalledWith(expect.stringMatching(/keystore unavailable/));
  });
});
