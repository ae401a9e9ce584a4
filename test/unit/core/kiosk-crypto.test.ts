import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keyFileProvider, seal, unseal } from '#core/crypto/index';
import { hashPin, pinLockSeconds, verifyPin } from '#core/kiosk/pin';
import { tempDir } from '../../support/release.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('lead sealing', () => {
  it('round-trips and never contains the plain text', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const key = keyFileProvider(t.dir).leadKey();
    const sealed = seal(key, { email: 'ana.lima@example.com', name: 'Ana Lima' });
    expect(sealed.toString('latin1')).not.toContain('ana.lima');
    expect(unseal(key, sealed)).toEqual({ email: 'ana.lima@example.com', name: 'Ana Lima' });
  });

  it('refuses a tampered or foreign seal', () => {
    const a = tempDir();
    const b = tempDir();
    cleanups.push(a.cleanup, b.cleanup);
    const key = keyFileProvider(a.dir).leadKey();
    const sealed = seal(key, { email: 'x@example.com' });
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => unseal(key, tampered)).toThrow(/cannot be opened/);
    expect(() => unseal(keyFileProvider(b.dir).leadKey(), sealed)).toThrow(/cannot be opened/);
  });

  it('keeps one key per profile, in a file only its owner can read', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const first = keyFileProvider(t.dir).leadKey();
    expect(keyFileProvider(t.dir).leadKey().equals(first)).toBe(true);
    const file = path.join(t.dir, 'lead.key');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain('\0');
  });
});

describe('staff PIN', () => {
  it('verifies the right PIN only, from a salted slow hash', () => {
    const stored = hashPin('4821');
    expect(stored.hash).not.toContain('4821');
    expect(verifyPin('4821', stored)).toBe(true);
    expect(verifyPin('4822', stored)).toBe(false);
    expect(hashPin('4821').salt).not.toBe(stored.salt);
  });

  it.each([
    [0, 0],
    [2, 0],
    [3, 30],
    [4, 60],
    [6, 240],
    [20, 3600],
  ])('after %i failures the PIN is locked for %i s', (failures, seconds) => {
    expect(pinLockSeconds(failures)).toBe(seconds);
  });
});
