import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KeyProvider, Log } from '#core/index';
import { keyFileProvider } from '#core/kiosk/index';

/** The part of Electron's safeStorage the key needs (injected, so tests pass a fake). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
}

/**
 * The key that seals leads, itself sealed by the OS keystore (DPAPI on Windows, Keychain on
 * macOS): copying the profile folder to another machine or user does not copy the ability to
 * read its leads. Where no keystore is available (a Linux box without a keyring) it falls back
 * to a key file in the profile, and says so in the log.
 */
export function safeStorageKeyProvider(safeStorage: SafeStorageLike, profileDir: string, log: Log): KeyProvider {
  const file = path.join(profileDir, 'lead.key.sealed');
  let key: Buffer | null = null;
  return {
    leadKey() {
      if (key) return key;
      if (!safeStorage.isEncryptionAvailable()) {
        log.warn('OS keystore unavailable: lead key kept in a file of the profile');
        key = keyFileProvider(profileDir).leadKey();
        return key;
      }
      if (existsSync(file)) {
        key = Buffer.from(safeStorage.decryptString(readFileSync(file)), 'base64');
      } else {
        key = randomBytes(32);
        writeFileSync(file, safeStorage.encryptString(key.toString('base64')), { mode: 0o600, flag: 'wx' });
      }
      return key;
    },
  };
}
