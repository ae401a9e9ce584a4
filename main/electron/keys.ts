import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KeyProvider, Log } from '#core/index';
import { keyFileProvider } from '#core/kiosk/index';
import { PitchcaseError } from '#shared/result';

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
 * to a key file in the profile, and says so in the log. A profile that already has a key file
 * (it ran under the browser host, or without a keystore before) keeps that key: it is sealed
 * into the keystore and the plain file removed, so its leads stay readable.
 *
 * `create: false` (the headless export) never makes a key: a profile without one fails.
 */
export function safeStorageKeyProvider(
  safeStorage: SafeStorageLike,
  profileDir: string,
  log: Log,
  options: { create?: boolean } = {},
): KeyProvider {
  const sealedFile = path.join(profileDir, 'lead.key.sealed');
  const plainFile = path.join(profileDir, 'lead.key');
  let key: Buffer | null = null;
  const open = (): Buffer => {
    if (!safeStorage.isEncryptionAvailable()) {
      if (options.create === false && !existsSync(plainFile)) {
        throw new PitchcaseError(
          'refused',
          existsSync(sealedFile)
            ? 'The OS keystore is not available to this user: the leads cannot be opened'
            : 'This profile has no lead key',
        );
      }
      log.warn('OS keystore unavailable: lead key kept in a file of the profile');
      return keyFileProvider(profileDir).leadKey();
    }
    if (existsSync(sealedFile)) {
      let plain: string;
      try {
        plain = safeStorage.decryptString(readFileSync(sealedFile));
      } catch (error) {
        throw new PitchcaseError(
          'refused',
          `The OS keystore cannot open this profile's lead key (another user or machine?): ${(error as Error).message}`,
        );
      }
      const opened = Buffer.from(plain, 'base64');
      if (opened.length !== 32) throw new PitchcaseError('storage', `${sealedFile} does not hold a 32-byte key`);
      // A plain copy left by an adoption cut short (below) is the same key: not needed in clear.
      if (existsSync(plainFile) && keyFileProvider(profileDir).leadKey().equals(opened)) rmSync(plainFile);
      return opened;
    }
    if (existsSync(plainFile)) {
      const adopted = keyFileProvider(profileDir).leadKey();
      writeFileSync(sealedFile, safeStorage.encryptString(adopted.toString('base64')), { mode: 0o600, flag: 'wx' });
      rmSync(plainFile);
      log.info('lead key moved into the OS keystore');
      return adopted;
    }
    if (options.create === false) throw new PitchcaseError('refused', 'This profile has no lead key');
    const made = randomBytes(32);
    writeFileSync(sealedFile, safeStorage.encryptString(made.toString('base64')), { mode: 0o600, flag: 'wx' });
    return made;
  };
  return {
    leadKey() {
      key ??= open();
      return key;
    },
  };
}
