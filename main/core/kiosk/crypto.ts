import { createCipheriv, createDecipheriv, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PitchcaseError } from '#shared/result';

/**
 * Personal data of leads is sealed with AES-256-GCM before it reaches SQLite, so neither the
 * database nor its WAL ever holds a visitor's e-mail in plain text. The key comes from the OS
 * keystore in Electron (safeStorage) and from a key file in tests and the browser host.
 */
export interface KeyProvider {
  /** The 32-byte key for sealing leads; the same key every time for a profile. */
  leadKey(): Buffer;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

export function seal(key: Buffer, value: unknown): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function unseal<T>(key: Buffer, sealed: Uint8Array): T {
  const bytes = Buffer.from(sealed);
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new PitchcaseError('storage', 'Sealed data is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return JSON.parse(Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8')) as T;
  } catch {
    throw new PitchcaseError('storage', 'Sealed data cannot be opened with this profile\'s key');
  }
}

/** A key kept in a file of the profile (mode 0600): tests, the browser host, the CLI. */
export function keyFileProvider(profileDir: string): KeyProvider {
  const file = path.join(profileDir, 'lead.key');
  let key: Buffer | null = null;
  return {
    leadKey() {
      if (key) return key;
      if (existsSync(file)) {
        key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
        if (key.length !== 32) throw new PitchcaseError('storage', `${file} does not hold a 32-byte key`);
      } else {
        key = randomBytes(32);
        writeFileSync(file, key.toString('base64'), { mode: 0o600, flag: 'wx' });
        chmodSync(file, 0o600);
      }
      return key;
    },
  };
}

/** Slow, salted hashing of the staff PIN (scrypt, N=2^15): guessing offline is expensive. */
export interface PinHash {
  salt: string;
  hash: string;
  N: number;
  r: number;
  p: number;
}

const SCRYPT = { N: 1 << 15, r: 8, p: 1 };

export function hashPin(pin: string): PinHash {
  const salt = randomBytes(16);
  const hash = scryptSync(pin, salt, 32, { ...SCRYPT, maxmem: 64 * 1024 * 1024 });
  return { salt: salt.toString('base64'), hash: hash.toString('base64'), ...SCRYPT };
}

export function verifyPin(pin: string, stored: PinHash): boolean {
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = scryptSync(pin, Buffer.from(stored.salt, 'base64'), expected.length, { N: stored.N, r: stored.r, p: stored.p, maxmem: 64 * 1024 * 1024 });
  return timingSafeEqual(actual, expected);
}

/**
 * Rate limit for PIN attempts: three free tries, then a lock that doubles with every further
 * failure (30 s, 60 s, 120 s … capped at an hour). Pure, so it is table-tested.
 */
export function pinLockSeconds(failures: number): number {
  if (failures < 3) return 0;
  return Math.min(3600, 30 * 2 ** (failures - 3));
}
