import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { keyFileProvider, seal, unseal, type KeyProvider } from '#core/crypto/index';

const providers = new Map<string, KeyProvider>();

/**
 * Studio's lead key: DATA/keys/lead.key (0600), made on first use. Leads arrive from booths and
 * are stored sealed with it, so the database alone never holds a visitor's e-mail; the CRM
 * credentials Studio forwards with are sealed with a key derived from it.
 */
export function studioKeys(dataDir: string): KeyProvider {
  let provider = providers.get(dataDir);
  if (!provider) {
    const dir = path.join(dataDir, 'keys');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    providers.set(dataDir, (provider = keyFileProvider(dir)));
  }
  return provider;
}

export function leadBox(dataDir: string) {
  const provider = studioKeys(dataDir);
  return {
    seal: (value: unknown) => seal(provider.leadKey(), value).toString('base64'),
    open: <T>(sealed: string) => unseal<T>(provider.leadKey(), Buffer.from(sealed, 'base64')),
  };
}

const boxes = new Map<string, ReturnType<typeof leadBox>>();
export function leadBoxOf(dataDir: string): ReturnType<typeof leadBox> {
  let box = boxes.get(dataDir);
  if (!box) boxes.set(dataDir, (box = leadBox(dataDir)));
  return box;
}
