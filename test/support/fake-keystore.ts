import type { SafeStorageLike } from '../../main/electron/keys.ts';

/**
 * A reversible stand-in for DPAPI/Keychain bound to one "user": what it sealed, another user's
 * keystore refuses to open (as safeStorage.decryptString throws). Not secure; distinguishable.
 */
export function fakeKeystore(user = 'rep', available = true): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (plain) => Buffer.from(`${user}:${Buffer.from(plain).toString('hex')}`),
    decryptString: (sealed) => {
      const [owner, hex] = sealed.toString().split(':');
      if (owner !== user)
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(hex!, 'hex').toString();
    },
  };
}
