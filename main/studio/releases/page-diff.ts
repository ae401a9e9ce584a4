import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Manifest } from '#shared/manifest';
import { analysePdf } from '#publish/pdf';
import { route, type Routes } from '../context.ts';
import { StudioError } from '../errors.ts';
import { channelId, itemId } from '../library/ids.ts';
import { channelDir } from './publish.ts';

export interface PageChange {
  page: number;
  status: 'same' | 'changed' | 'added' | 'removed';
  /** The published page's thumbnail (a Studio URL), when there was one. */
  before: string | null;
  /** The draft page's thumbnail as a data: URL, when there is one. */
  after: string | null;
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Which pages of a changed PDF changed: the draft file is analysed as the publisher will
 * (text and a thumbnail per page) and compared page by page with the published release.
 */
export const pageDiffRoutes: Routes = {
  'draft.pages': route({
    method: 'GET',
    path: '/api/channels/:channel/draft/items/:id/pages',
    args: z.object({ channel: channelId, id: itemId }).strict(),
    async run(ctx, _caller, args) {
      const row = await ctx.db
        .selectFrom('items')
        .select(['kind', 'file_sha256'])
        .where('channel', '=', args.channel)
        .where('id', '=', args.id)
        .executeTakeFirst();
      if (!row) throw new StudioError('not-found', `No item "${args.id}".`);
      if (row.kind !== 'pdf') throw new StudioError('bad-request', 'Pages are compared for PDFs only.');
      const dir = channelDir(ctx.dataDir, args.channel);
      const manifest = await readFile(path.join(dir, 'channel.json'), 'utf8').then(
        (t) => JSON.parse(t) as Manifest,
        () => null,
      );
      const published = manifest?.items.find((i) => i.id === args.id) ?? null;
      const textFile = published?.files.find((f) => f.role === 'text');
      const beforeTexts = textFile
        ? ((JSON.parse(await readFile(path.join(dir, 'blobs', textFile.sha256), 'utf8')) as { pages: string[] })
            .pages ?? [])
        : [];
      const beforeThumbs = new Map(
        (published?.files ?? []).filter((f) => f.role === 'page-thumbnail' && f.page).map((f) => [f.page!, f.sha256]),
      );
      const draft = await analysePdf(new Uint8Array(await readFile(ctx.blobs.pathOf(row.file_sha256))));
      const count = Math.max(beforeTexts.length, draft.pageTexts.length);
      const pages: PageChange[] = [];
      for (let page = 1; page <= count; page++) {
        const had = page <= beforeTexts.length;
        const has = page <= draft.pageTexts.length;
        const afterPng = draft.pageThumbnails[page - 1];
        const same =
          had &&
          has &&
          beforeTexts[page - 1] === draft.pageTexts[page - 1] &&
          (!afterPng || beforeThumbs.get(page) === sha(afterPng));
        pages.push({
          page,
          status: !had ? 'added' : !has ? 'removed' : same ? 'same' : 'changed',
          before:
            had && beforeThumbs.has(page)
              ? `/api/channels/${args.channel}/items/${args.id}/thumbnail?page=${page}`
              : null,
          after: has && afterPng ? `data:image/png;base64,${Buffer.from(afterPng).toString('base64')}` : null,
        });
      }
      return { published: published !== null, pages };
    },
  }),
};
