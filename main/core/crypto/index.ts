import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PitchcaseError } from '#shared/result';

/**
 * Sealing at rest, shared by the capabilities that keep secrets: leads (kiosk) and the
 * outbox's endpoint secrets. Personal data of leads is sealed with AES-256-GCM before it reaches SQLite, so neither the
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
    return JSON.parse(
      Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8'),
    ) as T;
  } catch {
    throw new PitchcaseError('storage', "Sealed data cannot be opened with this profile's key");
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
