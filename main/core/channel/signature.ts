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
 * Whether `channel.json.sig` (base64 of a raw 64-byte ed25519 signature) over the exact bytes
 * of `channel.json` matches a pinned key. A signature that is not one at all, or no pinned key,
 * is refused here; a well-formed signature that matches no key answers false (the caller tells
 * a release switched between two reads from a forged one).
 */
export function manifestSignatureMatches(
  manifestBytes: Uint8Array,
  signatureText: string,
  pinnedKeys: readonly KeyObject[],
): boolean {
  const trimmed = signatureText.trim();
  if (!/^[A-Za-z0-9+/]{86}==$/.test(trimmed)) {
    throw new PitchcaseError('refused', 'Release refused: channel.json.sig is not a base64 ed25519 signature');
  }
  const signature = Buffer.from(trimmed, 'base64');
  if (pinnedKeys.length === 0)
    throw new PitchcaseError('refused', 'Release refused: no public key is pinned for this channel');
  return pinnedKeys.some((key) => verify(null, manifestBytes, key, signature));
}

export const SIGNATURE_MISMATCH = 'Release refused: the signature of channel.json does not match any pinned key';

/** Checks the signature before the manifest is parsed at all; see manifestSignatureMatches. */
export function verifyManifestSignature(
  manifestBytes: Uint8Array,
  signatureText: string,
  pinnedKeys: readonly KeyObject[],
): void {
  if (!manifestSignatureMatches(manifestBytes, signatureText, pinnedKeys))
    throw new PitchcaseError('refused', SIGNATURE_MISMATCH);
}
