import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { generateSigningKeys } from '../keys.ts';
import { publishRelease } from '../publish.ts';
import { renderDocumentFile } from './render-document.ts';

/**
 * Builds the embedded demo library: renders our own document specs to PDFs, then publishes
 * the folder with the real publisher into build/demo-release, signed with a key kept in
 * build/demo-key (made once per checkout). Skips the work when nothing it depends on changed.
 */
const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const sourceDir = path.join(repoRoot, 'resources', 'demo', 'source');
const stagingDir = path.join(repoRoot, 'build', 'demo-source');
const releaseDir = path.join(repoRoot, 'build', 'demo-release');
const keyDir = path.join(repoRoot, 'build', 'demo-key');

async function hashTree(dir: string, hash = createHash('sha256'), prefix = ''): Promise<ReturnType<typeof createHash>> {
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = `${prefix}/${entry.name}`;
    if (entry.isDirectory()) await hashTree(path.join(dir, entry.name), hash, rel);
    else {
      hash.update(rel);
      hash.update(await readFile(path.join(dir, entry.name)));
    }
  }
  return hash;
}

export async function buildDemo(options: { force?: boolean } = {}): Promise<{ skipped: boolean; version?: number }> {
  const inputs = await hashTree(sourceDir);
  await hashTree(path.join(repoRoot, 'main', 'publish'), inputs);
  const fingerprint = inputs.digest('hex');
  const stampFile = path.join(releaseDir, '.source-fingerprint');
  if (!options.force && existsSync(stampFile) && (await readFile(stampFile, 'utf8')) === fingerprint)
    return { skipped: true };

  await mkdir(keyDir, { recursive: true });
  const privateKeyFile = path.join(keyDir, 'private.pem');
  if (!existsSync(privateKeyFile)) {
    const keys = generateSigningKeys();
    await writeFile(privateKeyFile, keys.privatePem, { mode: 0o600 });
    await writeFile(path.join(keyDir, 'public.pem'), keys.publicPem);
  }

  await rm(stagingDir, { recursive: true, force: true });
  await cp(sourceDir, stagingDir, { recursive: true });
  const documentsDir = path.join(stagingDir, 'documents');
  for (const name of existsSync(documentsDir) ? await readdir(documentsDir) : []) {
    if (!name.endsWith('.yaml')) continue;
    const spec = path.join(documentsDir, name);
    await writeFile(spec.replace(/\.yaml$/, '.pdf'), await renderDocumentFile(spec));
    await rm(spec);
  }

  const result = await publishRelease({
    sourceDir: stagingDir,
    outDir: releaseDir,
    privateKeyPem: await readFile(privateKeyFile, 'utf8'),
    // The demo ships inside the app and may first run years after it was built.
    expires: '3650d',
    // The publisher's record for the next build stays in build/, out of the shipped release.
    derivedFile: path.join(repoRoot, 'build', 'demo-derived.json'),
  });
  await cp(path.join(keyDir, 'public.pem'), path.join(releaseDir, 'public.pem'));
  await writeFile(stampFile, fingerprint);
  return { skipped: false, version: result.version };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const started = Date.now();
  const outcome = await buildDemo({ force: process.argv.includes('--force') });
  process.stdout.write(
    outcome.skipped
      ? `Demo library unchanged (${path.relative(repoRoot, releaseDir)})\n`
      : `Demo library v${outcome.version} published to ${path.relative(repoRoot, releaseDir)} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}
