import { copyFile, link, mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { catalogue as catalogueSchema, PublishError } from '#publish/catalogue';
import { publishRelease, type KnownFile, type PublishOptions, type PublishResult } from '#publish/publish';
import type { StudioContext } from '../context.ts';
import { StudioError } from '../errors.ts';
import { readMicrositeZip } from '../library/microsite-zip.ts';
import { readPrivateKey } from './channel-keys.ts';
import type { Snapshot } from './snapshot.ts';

export const channelDir = (dataDir: string, channel: string) => path.join(dataDir, 'channels', channel);

/**
 * A hard link where the file system allows it (same volume, no copy), else a copy; false when
 * `from` is missing (and `to` was not there already).
 */
async function linkInto(from: string, to: string): Promise<boolean> {
  if (await stat(to).catch(() => null)) return true;
  try {
    await link(from, to).catch(async (error: NodeJS.ErrnoException) => {
      // Another publish linked the same bytes a moment ago.
      if (error.code === 'EEXIST') return;
      await copyFile(from, to);
    });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

const titleCase = (id: string) => id.replace(/[-_.]+/g, ' ').replace(/^./, (c) => c.toUpperCase());

/**
 * Publishes a frozen snapshot through the same pipeline as `pitchcase publish`: the items'
 * files are handed over by their place in the blob store (microsites unpacked in a staging
 * folder), the catalogue as an object, and the publisher writes DATA/channels/<id>/ — blobs
 * first, signed channel.json last — with the next version. The staging folder is removed
 * whatever happens.
 */
export async function publishSnapshot(
  ctx: StudioContext,
  channel: string,
  snapshot: Snapshot,
  /** Elsewhere than the channel, signed with another key: a preview of the draft. */
  target?: { outDir: string; privateKeyPem: string; expires: string },
  /** The publisher's progress, plus 'stage' while the items' files are laid out. */
  onProgress?: PublishOptions['onProgress'],
): Promise<PublishResult> {
  const stage = ctx.blobs.tempPath('stage');
  const outDir = target?.outDir ?? channelDir(ctx.dataDir, channel);
  try {
    await mkdir(stage, { recursive: true });
    await mkdir(path.join(outDir, 'blobs'), { recursive: true });
    const items = [];
    const primaries: { sha256: string; fileName: string }[] = [];
    // Studio stored every file under its sha256: the publisher reads it from the blob store when it
    // must, and need not read an unchanged one at all. Nothing is laid out per item, so a library
    // of 20,000 costs no 20,000 links made and removed on every publish.
    const knownFiles = new Map<string, KnownFile>();
    for (const item of snapshot.items) {
      const blob = ctx.blobs.pathOf(item.fileSha256);
      const fields = {
        id: item.id,
        ...(item.title ? { title: item.title } : {}),
        description: item.description,
        ...(item.category ? { category: item.category } : {}),
        tags: item.tags,
        products: item.products,
        audiences: item.audiences,
        collections: item.collections,
        ...(item.validFrom ? { validFrom: item.validFrom } : {}),
        ...(item.validUntil ? { validUntil: item.validUntil } : {}),
        kiosk: item.kiosk,
        ...(item.shareUrl ? { shareUrl: item.shareUrl } : {}),
      };
      if (item.kind === 'microsite') {
        const siteDir = path.join(stage, 'sites', item.id);
        const { root } = await readMicrositeZip(blob, ctx.config.zipLimits, siteDir);
        items.push({ ...fields, site: path.posix.join('sites', item.id, root), entry: 'index.html' });
      } else {
        // The publisher tells kinds by extension; the upload's type was checked by content.
        const rel = `files/${item.id}${path.extname(item.fileName).toLowerCase()}`;
        primaries.push({ sha256: item.fileSha256, fileName: item.fileName });
        knownFiles.set(rel, { sha256: item.fileSha256, size: item.fileSize, path: blob });
        items.push({ ...fields, file: rel });
      }
    }
    // Marketing's collections in their order, then any an item names that nobody described yet.
    const described = snapshot.collections ?? [];
    const named = [...new Set(snapshot.items.flatMap((i) => i.collections))]
      .filter((id) => !described.some((c) => c.id === id))
      .sort();
    const collections = [...described, ...named.map((id) => ({ id, title: titleCase(id), description: '' }))];
    const parsed = catalogueSchema.safeParse({
      channel,
      collections,
      items,
      glossary: snapshot.glossary ?? [],
      ...(snapshot.attract ? { attract: snapshot.attract } : {}),
      ...(snapshot.quizzes?.length ? { quizzes: snapshot.quizzes } : {}),
      ...(snapshot.practice?.length ? { practice: snapshot.practice } : {}),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new StudioError(
        'bad-request',
        `The release cannot be built: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
      );
    }
    // The same bytes under their hash in the channel, once the catalogue is known to be good:
    // the publisher finds them there and writes nothing. A few at a time: one by one, 20,000
    // look-ups would each wait their turn on the file system.
    let linked = 0;
    const link = async ({ sha256, fileName }: (typeof primaries)[number]) => {
      onProgress?.({ step: 'stage', done: linked++, total: primaries.length });
      if (await linkInto(ctx.blobs.pathOf(sha256), path.join(outDir, 'blobs', sha256))) return;
      throw new StudioError('internal', `${fileName}: its stored file ${sha256} is missing from the blob store`);
    };
    for (let i = 0; i < primaries.length; i += 32) await Promise.all(primaries.slice(i, i + 32).map(link));
    return await publishRelease({
      sourceDir: stage,
      outDir,
      privateKeyPem: target?.privateKeyPem ?? (await readPrivateKey(ctx.dataDir, channel)),
      channel,
      catalogue: parsed.data,
      knownFiles,
      expires: target?.expires ?? ctx.config.releaseExpires,
      format: ctx.config.releaseFormat,
      now: ctx.now(),
      ...(onProgress ? { onProgress } : {}),
    });
  } catch (error) {
    if (error instanceof PublishError) throw new StudioError('bad-request', error.message);
    throw error;
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}
