import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { EmbeddedRelease } from '#core/index';

/** Where this checkout keeps what `npm run build` produced. */
export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
export const rendererDir = path.join(repoRoot, 'build', 'renderer');
export const demoReleaseDir = path.join(repoRoot, 'build', 'demo-release');

export function embeddedDemoRelease(): EmbeddedRelease | null {
  const publicKey = path.join(demoReleaseDir, 'public.pem');
  if (!existsSync(publicKey)) return null;
  return { dir: demoReleaseDir, publicKeyPem: readFileSync(publicKey, 'utf8') };
}

export function assertBuilt(): void {
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`The UI is not built (${rendererDir} is missing). Run \`npm run build\` first.`);
  }
}
