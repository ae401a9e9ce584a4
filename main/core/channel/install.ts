import { createHash, type KeyObject } from 'node:crypto';
import {
  appVersionAtLeast,
  appVersionPattern,
  manifest as manifestSchema,
  MANIFEST_FORMATS_READ,
  type Manifest,
} from '#shared/manifest';
import { PitchcaseError } from '#shared/result';
import type { BlobStore } from '../storage/blobs.ts';
import type { WriteDb } from '../storage/database.ts';
import { TransientError } from './http-source.ts';
import { manifestSignatureMatches, SIGNATURE_MISMATCH, verifyManifestSignature } from './signature.ts';
import type { ReleaseSource } from './source.ts';
import {
  currentVersionFor,
  forgetBlobsExcept,
  highestVersionSeen,
  knownBlobs,
  markSettled,
  recordBlob,
  referencedBlobs,
  stageAndSwitch,
} from './store.ts';

export interface InstallContext {
  db: WriteDb;
  blobs: BlobStore;
  now: () => Date;
  /** This app's version, checked against a release's `minAppVersion`. */
  appVersion: string;
}

export type InstallOutcome =
  | {
      status: 'installed';
      channel: string;
      version: number;
      previousVersion: number | null;
      blobsFetched: number;
      bytesFetched: number;
    }
  | { status: 'up-to-date'; channel: string; version: number };

/**
 * Verifies and parses a manifest. Order matters (after The Update Framework): the signature is
 * checked over the raw bytes before a single byte is parsed as JSON. A release this app is too
 * old for (a format it does not read, or a `minAppVersion` above `appVersion`) is refused before
 * the strict parse, with what to do about it rather than the first field it does not know.
 */
export function readVerifiedManifest(
  bytes: Uint8Array,
  signature: string,
  keys: readonly KeyObject[],
  appVersion: string,
): Manifest {
  verifyManifestSignature(bytes, signature, keys);
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new PitchcaseError(
      'refused',
      `Release refused: channel.json is not valid JSON (${(error as Error).message})`,
    );
  }
  refuseIfTooNew(json, appVersion);
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.length ? ` at ${first.path.join('.')}` : '';
    throw new PitchcaseError(
      'refused',
      `Release refused: channel.json is malformed${where}: ${first?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

/** Starts every "this app is too old" refusal, so the sync screen and IT's scripts can tell it apart. */
export const APP_TOO_OLD = 'Release refused: this release needs a newer Pitchcase';

/**
 * Reads only `format`, `version` and `minAppVersion` of a verified manifest, leniently: a newer
 * publisher may have changed anything else, and the rep needs to hear "update the app", not a
 * parse error. The installed library is untouched either way.
 */
function refuseIfTooNew(json: unknown, appVersion: string): void {
  if (typeof json !== 'object' || json === null) return;
  const { format, version, minAppVersion } = json as Record<string, unknown>;
  const wanted = typeof minAppVersion === 'string' && appVersionPattern.test(minAppVersion) ? minAppVersion : null;
  const readable = (MANIFEST_FORMATS_READ as readonly unknown[]).includes(format);
  const tooOld = wanted !== null && !appVersionAtLeast(appVersion, wanted);
  if (format !== undefined && readable && !tooOld) return;
  if (format === undefined) return; // the strict parse says what is missing
  const which = typeof version === 'number' ? `version ${version}` : 'it';
  const reason = readable
    ? `it is for Pitchcase ${wanted} or later, this is ${appVersion}`
    : `it is in release format ${String(format)}, this Pitchcase (${appVersion}) reads formats ${MANIFEST_FORMATS_READ.join(' and ')}`;
  throw new PitchcaseError(
    'refused',
    `${APP_TOO_OLD} (${reason}). Update the app${wanted ? ` to ${wanted} or later` : ''} to install ${which}; the library on this device stays as it is.`,
  );
}

/** A digest of everything that makes an item what it is, to tell "updated" from "unchanged". */
export function itemContentHash(item: Manifest['items'][number]): string {
  return createHash('sha256').update(JSON.stringify(item)).digest('hex');
}

/** A manifest that passed every check, ready to plan and apply. */
export interface VerifiedRelease {
  manifest: Manifest;
  bytes: Uint8Array;
}

/**
 * Reads channel.json and its signature so that they belong together. They are two requests: a
 * host publishing between them hands out one release's manifest and the next one's signature.
 * A mismatch is read once more before it counts as a bad signature; when the manifest bytes
 * differ between the reads, the release changed under us (worth another try later, not an attack).
 */
async function readSignedManifest(
  source: ReleaseSource,
  keys: readonly KeyObject[],
): Promise<{ bytes: Uint8Array; signature: string }> {
  const first = await source.readManifest();
  if (manifestSignatureMatches(first.bytes, first.signature, keys)) return first;
  const second = await source.readManifest();
  if (manifestSignatureMatches(second.bytes, second.signature, keys)) return second;
  if (!Buffer.from(first.bytes).equals(Buffer.from(second.bytes))) {
    throw new TransientError(
      `the release changed while it was being read (${source.description}); try again once publishing has finished`,
    );
  }
  throw new PitchcaseError('refused', SIGNATURE_MISMATCH);
}

export async function fetchVerifiedRelease(
  source: ReleaseSource,
  keys: readonly KeyObject[],
  now: Date,
  appVersion: string,
): Promise<VerifiedRelease> {
  const { bytes, signature } = await readSignedManifest(source, keys);
  const manifest = readVerifiedManifest(bytes, signature, keys, appVersion);
  if (new Date(manifest.expiresAt).getTime() <= now.getTime()) {
    throw new PitchcaseError(
      'refused',
      `Release refused: version ${manifest.version} expired on ${manifest.expiresAt}`,
    );
  }
  return { manifest, bytes };
}

/**
 * Whether a verified release is news for this device: a version lower than the highest this
 * device has seen of that channel is refused, even after it ran another channel in between (a
 * host switching channels must not roll a device back); the installed version is nothing to do.
 * Another channel (say, moving from the demo library to the company's) is news.
 */
export function compareWithInstalled(db: WriteDb, manifest: Manifest): 'newer' | 'same' {
  const current = currentVersionFor(db);
  if (current && current.channel === manifest.channel) {
    if (manifest.version < current.version) {
      throw new PitchcaseError(
        'refused',
        `Release refused: version ${manifest.version} is older than the installed ${current.version}`,
      );
    }
    if (manifest.version === current.version) return 'same';
  }
  const highest = highestVersionSeen(db, manifest.channel);
  if (highest !== null && manifest.version < highest) {
    throw new PitchcaseError(
      'refused',
      `Release refused: version ${manifest.version} of channel "${manifest.channel}" is older than version ${highest}, already seen on this device`,
    );
  }
  return 'newer';
}

export interface MissingBlob {
  sha256: string;
  size: number;
}

/** Every file the release needs that is not already on the device, verified. */
export function missingBlobs(ctx: InstallContext, manifest: Manifest): MissingBlob[] {
  const wanted = new Map<string, number>();
  for (const item of manifest.items) for (const file of item.files) wanted.set(file.sha256, file.size);
  const known = knownBlobs(ctx.db);
  const missing: MissingBlob[] = [];
  for (const [sha256, size] of wanted) {
    if (known.get(sha256) === size && ctx.blobs.has(sha256, size)) continue;
    if (ctx.blobs.has(sha256, size)) {
      // On disk but not indexed: fetched and verified by an earlier sync of this run that did
      // not switch (a start collects such files). Maybe not fsynced yet: unsettled.
      recordBlob(ctx.db, sha256, size, ctx.now().toISOString(), false);
      continue;
    }
    missing.push({ sha256, size });
  }
  return missing;
}

/**
 * Makes the release current in one transaction (its files indexed in the same one), then
 * forgets files nothing references. A kill before the commit leaves the old release; after it,
 * the new one (stale files are collected on the next switch or start). With `settleLater`, the
 * files fetched for it may not be on disk yet: they are indexed unsettled and the replaced
 * release is kept until settle() (see settle.ts); without, every file must already be durable.
 */
export function switchRelease(ctx: InstallContext, release: VerifiedRelease, settleLater = false): void {
  for (const item of release.manifest.items) {
    for (const file of item.files) {
      if (!ctx.blobs.has(file.sha256, file.size)) {
        throw new PitchcaseError('refused', `Release not applied: file ${file.sha256} of "${item.id}" is missing`);
      }
    }
  }
  const at = ctx.now().toISOString();
  const hashes = new Map(release.manifest.items.map((item) => [item.id, itemContentHash(item)]));
  const manifestSha256 = createHash('sha256').update(release.bytes).digest('hex');
  ctx.db.transaction(() => {
    for (const item of release.manifest.items)
      for (const file of item.files) recordBlob(ctx.db, file.sha256, file.size, at, !settleLater);
    stageAndSwitch(ctx.db, release.manifest, manifestSha256, hashes, at, settleLater);
  })();
  collectUnreferenced(ctx);
}

/**
 * Removes files and index rows of blobs the current release does not reference. At start-up,
 * partial downloads are kept (`keepPartials`) so an interrupted sync resumes where it stopped.
 */
export function collectUnreferenced(ctx: InstallContext, keepPartials = false): number {
  const keep = referencedBlobs(ctx.db);
  forgetBlobsExcept(ctx.db, keep);
  return ctx.blobs.collect(keep, keepPartials ? 'all' : new Set());
}

/** Check, fetch what is missing and switch, in one go: the embedded demo, a folder, the CLI. */
export async function installRelease(
  ctx: InstallContext,
  source: ReleaseSource,
  keys: readonly KeyObject[],
): Promise<InstallOutcome> {
  const release = await fetchVerifiedRelease(source, keys, ctx.now(), ctx.appVersion);
  const { manifest } = release;
  const previous = currentVersionFor(ctx.db);
  if (compareWithInstalled(ctx.db, manifest) === 'same')
    return { status: 'up-to-date', channel: manifest.channel, version: manifest.version };
  let bytesFetched = 0;
  const missing = missingBlobs(ctx, manifest);
  try {
    for (const blob of missing) {
      // Verified here and renamed at once; flush() below fsyncs them all.
      await ctx.blobs.put(blob.sha256, blob.size, await source.openBlob(blob.sha256), { durableLater: true });
      bytesFetched += blob.size;
    }
  } catch (error) {
    // Make the files already verified durable (a retry will not fetch them again); the
    // refusal is what the caller needs to hear, not a late fsync problem.
    await ctx.blobs.flush().catch(() => {});
    throw error;
  }
  // Every file durable (and the folder fsynced) before the switch: nothing left to settle.
  await ctx.blobs.flush();
  switchRelease(ctx, release);
  markSettled(ctx.db);
  return {
    status: 'installed',
    channel: manifest.channel,
    version: manifest.version,
    previousVersion: previous?.version ?? null,
    blobsFetched: missing.length,
    bytesFetched,
  };
}
