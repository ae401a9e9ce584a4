import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { keyFileProvider, seal, unseal } from '#core/crypto/index';

/**
 * Studio's lead key: DATA/keys/lead.key (0600), made on first use. Leads arrive from booths and
 * are stored sealed with it, so the database alone never holds a visitor's e-mail.
 */
export function leadBox(dataDir: string) {
  const dir = path.join(dataDir, 'keys');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const provider = keyFileProvider(dir);
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
