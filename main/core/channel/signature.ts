import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { PitchcaseError } from '#shared/result';

/** Parses a pinned ed25519 public key (PEM); a key of any other type is a configuration error. */
export function parsePublicKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw new PitchcaseError('bad-request', `Not a public key: ${(error as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new PitchcaseError('bad-request', `Pinned keys must be ed25519, got ${key.asymmetricKeyType ?? 'unknown'}`);
  }
  return key;
}

/**
 * Checks `channel.json.sig` (base64 of a raw 64-byte ed25519 signature) over the exact bytes of
 * `channel.json` against every pinned key. Called before the manifest is parsed at all.
 */
export function verifyManifestSignature(manifestBytes: Uint8Array, signatureText: string, pinnedKeys: readonly KeyObject[]): void {
  const trimmed = signatureText.trim();
  if (!/^[A-Za-z0-9+/]{86}==$/.test(trimmed)) {
    throw new PitchcaseError('refused', 'Release refused: channel.json.sig is not a base64 ed25519 signature');
  }
  const signature = Buffer.from(trimmed, 'base64');
  if (pinnedKeys.length === 0) throw new PitchcaseError('refused', 'Release refused: no public key is pinned for this channel');
  const valid = pinnedKeys.some((key) => verify(null, manifestBytes, key, signature));
  if (!valid) {
    throw new PitchcaseError('refused', 'Release refused: the signature of channel.json does not match any pinned key');
  }
}
