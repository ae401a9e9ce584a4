import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Manifest } from '#shared/manifest';
import { route, type RawResponse, type Routes, type StudioContext } from '../context.ts';
import { StudioError } from '../errors.ts';
import { channelDir } from '../releases/publish.ts';
import type { StudioItem } from './items.ts';
import { channelId, itemId } from './ids.ts';

/**
 * Thumbnails come from the publisher (it renders them while publishing), so the library shows
 * the one of the published release for an item whose file has not changed since.
 */
const cache = new Map<string, { mtimeMs: number; manifest: Manifest }>();

async function publishedManifest(ctx: StudioContext, channel: string): Promise<Manifest | null> {
  const file = path.join(channelDir(ctx.dataDir, channel), 'channel.json');
  const info = await stat(file).catch(() => null);
  if (!info) return null;
  const cached = cache.get(file);
  if (cached?.mtimeMs === info.mtimeMs) return cached.manifest;
  const manifest = JSON.parse(await readFile(file, 'utf8')) as Manifest;
  cache.set(file, { mtimeMs: info.mtimeMs, manifest });
  return manifest;
}

function thumbnailOf(manifest: Manifest | null, item: Pick<StudioItem, 'id' | 'fileSha256' | 'kind'>, page?: number) {
  const published = manifest?.items.find((i) => i.id === item.id);
  if (!published) return null;
  // A page of the published release is shown even when the draft's file differs: that is the "before" of a page diff.
  if (page !== undefined) return published.files.find((f) => f.role === 'page-thumbnail' && f.page === page) ?? null;
  const primary = published.files.find((f) => f.role === 'primary' || f.role === 'site');
  if (item.kind !== 'microsite' && primary?.sha256 !== item.fileSha256) return null;
  return published.files.find((f) => f.role === 'thumbnail') ?? null;
}

export async function withThumbnails<T extends StudioItem>(
  ctx: StudioContext,
  channel: string,
  items: T[],
): Promise<(T & { thumbnail: boolean })[]> {
  const manifest = await publishedManifest(ctx, channel);
  return items.map((item) => ({ ...item, thumbnail: thumbnailOf(manifest, item) !== null }));
}

export const thumbnailRoutes: Routes = {
  'items.thumbnail': route({
    method: 'GET',
    path: '/api/channels/:channel/items/:id/thumbnail',
    args: z
      .object({ channel: channelId, id: itemId, page: z.coerce.number().int().min(1).max(100_000).optional() })
      .strict(),
    async run(ctx, _caller, args): Promise<RawResponse> {
      const row = await ctx.db
        .selectFrom('items')
        .select(['id', 'file_sha256', 'kind'])
        .where('channel', '=', args.channel)
        .where('id', '=', args.id)
        .executeTakeFirst();
      if (!row) throw new StudioError('not-found', `No item "${args.id}".`);
      const file = thumbnailOf(
        await publishedManifest(ctx, args.channel),
        { id: row.id, fileSha256: row.file_sha256, kind: row.kind as StudioItem['kind'] },
        args.page,
      );
      // Only raster thumbnails: an SVG is a document that can carry script.
      if (!file || !/^image\/(png|jpeg|webp|gif)$/.test(file.mime))
        throw new StudioError('not-found', 'No thumbnail yet: it is made when the item is published.');
      return {
        raw: true,
        status: 200,
        headers: {
          'Content-Type': file.mime,
          'Content-Length': String(file.size),
          'Cache-Control': 'private, max-age=300',
        },
        body: createReadStream(path.join(channelDir(ctx.dataDir, args.channel), 'blobs', file.sha256)),
      };
    },
  }),
};
