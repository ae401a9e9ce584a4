import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { PublishError } from './catalogue.ts';

export function generateSigningKeys(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export function parsePrivateKey(pem: string, where: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new PublishError(`${where}: not a private key (${(error as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new PublishError(`${where}: the key must be ed25519, not ${key.asymmetricKeyType}`);
  return key;
}

/** The detached signature format of `channel.json.sig`: base64 of the raw ed25519 signature. */
export function signManifest(bytes: Uint8Array, key: KeyObject): string {
  return `${sign(null, bytes, key).toString('base64')}\n`;
}
