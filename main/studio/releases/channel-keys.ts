import { createPublicKey } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateSigningKeys } from '#publish/keys';

/**
 * Each channel's signing key lives in DATA/keys/<channel>.private.pem, readable by Studio's
 * user only (0600). It is read when publishing and never leaves the server; the public half is
 * what devices pin.
 */
export function keyPaths(dataDir: string, channel: string) {
  const dir = path.join(dataDir, 'keys');
  return {
    dir,
    privateFile: path.join(dir, `${channel}.private.pem`),
    publicFile: path.join(dir, `${channel}.public.pem`),
  };
}

export async function ensureChannelKey(dataDir: string, channel: string): Promise<string> {
  const paths = keyPaths(dataDir, channel);
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  const existing = await readFile(paths.privateFile, 'utf8').catch(() => null);
  if (existing !== null) {
    await chmod(paths.privateFile, 0o600);
    const publicPem = createPublicKey(existing).export({ type: 'spki', format: 'pem' }).toString();
    return publicPem;
  }
  const keys = generateSigningKeys();
  // 'wx': two Studio processes starting at once must not each write a different key.
  await writeFile(paths.privateFile, keys.privatePem, { mode: 0o600, flag: 'wx' });
  await writeFile(paths.publicFile, keys.publicPem);
  return keys.publicPem;
}

export async function readPrivateKey(dataDir: string, channel: string): Promise<string> {
  return readFile(keyPaths(dataDir, channel).privateFile, 'utf8');
}

export async function readPublicKey(dataDir: string, channel: string): Promise<string> {
  return readFile(keyPaths(dataDir, channel).publicFile, 'utf8');
}
