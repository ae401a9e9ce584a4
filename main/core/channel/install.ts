import { createHash, type KeyObject } from 'node:crypto';
import { manifest as manifestSchema, MANIFEST_FORMAT, type Manifest } from '#shared/manifest';
import { PitchcaseError } from '#shared/result';
import type { BlobStore } from '../storage/blobs.ts';
import type { WriteDb } from '../storage/database.ts';
import { verifyManifestSignature } from './signature.ts';
import type { ReleaseSource } from './source.ts';
import { currentVersionFor, forgetBlobsExcept, knownBlobs, recordBlob, referencedBlobs, stageAndSwitch } from './store.ts';

export interface InstallContext {
  db: WriteDb;
  blobs: BlobStore;
  now: () => Date;
}

export type InstallOutcome =
  | { status: 'installed'; channel: string; version: number; previousVersion: number | null; blobsFetched: number; bytesFetched: number }
  | { status: 'up-to-date'; channel: string; version: number };

/**
 * Verifies and parses a manifest. Order matters (after The Update Framework): the signature is
 * checked over the raw bytes before a single byte is parsed as JSON.
 */
export function readVerifiedManifest(bytes: Uint8Array, signature: string, keys: readonly KeyObject[]): Manifest {
  verifyManifestSignature(bytes, signature, keys);
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new PitchcaseError('refused', `Release refused: channel.json is not valid JSON (${(error as Error).message})`);
  }
  if (typeof json === 'object' && json !== null && 'format' in json && json.format !== MANIFEST_FORMAT) {
    throw new PitchcaseError('refused', `Release refused: unknown format version ${String(json.format)} (this Pitchcase reads ${MANIFEST_FORMAT})`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.length ? ` at ${first.path.join('.')}` : '';
    throw new PitchcaseError('refused', `Release refused: channel.json is malformed${where}: ${first?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** A digest of everything that makes an item what it is, to tell "updated" from "unchanged". */
export function itemContentHash(item: Manifest['items'][number]): string {
  return createHash('sha256').update(JSON.stringify(item)).digest('hex');
}

export async function installRelease(ctx: InstallContext, source: ReleaseSource, keys: readonly KeyObject[]): Promise<InstallOutcome> {
  const { bytes, signature } = await source.readManifest();
  const manifest = readVerifiedManifest(bytes, signature, keys);
  const now = ctx.now();
  if (new Date(manifest.expiresAt).getTime() <= now.getTime()) {
    throw new PitchcaseError('refused', `Release refused: version ${manifest.version} expired on ${manifest.expiresAt}`);
  }
  const current = currentVersionFor(ctx.db);
  if (current && current.channel === manifest.channel) {
    if (manifest.version < current.version) {
      throw new PitchcaseError('refused', `Release refused: version ${manifest.version} is older than the installed ${current.version}`);
    }
    if (manifest.version === current.version) return { status: 'up-to-date', channel: manifest.channel, version: current.version };
  }

  // Fetch only what is missing; every blob is bounded by its declared size and verified.
  const wanted = new Map<string, number>();
  for (const item of manifest.items) for (const file of item.files) wanted.set(file.sha256, file.size);
  const known = knownBlobs(ctx.db);
  let blobsFetched = 0;
  let bytesFetched = 0;
  for (const [sha256, size] of wanted) {
    if (known.get(sha256) === size && ctx.blobs.has(sha256, size)) continue;
    if (!ctx.blobs.has(sha256, size)) {
      await ctx.blobs.put(sha256, size, await source.openBlob(sha256));
      blobsFetched++;
      bytesFetched += size;
    }
    recordBlob(ctx.db, sha256, size, now.toISOString());
  }

  const hashes = new Map(manifest.items.map((item) => [item.id, itemContentHash(item)]));
  const manifestSha256 = createHash('sha256').update(bytes).digest('hex');
  stageAndSwitch(ctx.db, manifest, manifestSha256, hashes, now.toISOString());

  // Only after the switch is committed may the previous release's files go.
  const keep = referencedBlobs(ctx.db);
  forgetBlobsExcept(ctx.db, keep);
  ctx.blobs.collect(keep);

  return {
    status: 'installed',
    channel: manifest.channel,
    version: manifest.version,
    previousVersion: current?.version ?? null,
    blobsFetched,
    bytesFetched,
  };
}
