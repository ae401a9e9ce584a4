import { hkdfSync } from 'node:crypto';
import { seal, unseal, type KeyProvider } from '../crypto/index.ts';

/** Opens and seals delivery secrets with the profile's key; the key is asked for only when needed. */
export interface SecretBox {
  seal(value: unknown): string;
  open<T>(sealed: string): T;
}

export function secretBox(keys: KeyProvider): SecretBox {
  let key: Buffer | null = null;
  // A key of its own for delivery secrets, derived from the lead key: one keystore entry, and
  // a sealed token can never be mistaken for (or opened as) a sealed lead.
  const derived = () =>
    (key ??= Buffer.from(hkdfSync('sha256', keys.leadKey(), Buffer.alloc(0), 'pitchcase delivery secrets', 32)));
  return {
    seal: (value) => seal(derived(), value).toString('base64'),
    open: <T>(sealed: string) => unseal<T>(derived(), Buffer.from(sealed, 'base64')),
  };
}
