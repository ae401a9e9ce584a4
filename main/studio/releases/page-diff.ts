import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Manifest } from '#shared/manifest';
import { analysePdf, THUMBNAIL_MIME, type PdfAnalysis } from '#publish/pdf';
import { route, type Routes } from '../context.ts';
import { StudioError } from '../errors.ts';
import { channelId, itemId } from '../library/ids.ts';
import { channelDir } from './publish.ts';

export interface PageChange {
  page: number;
  status: 'same' | 'changed' | 'added' | 'removed';
  /** The published page's thumbnail as a data: URL, when there was one. */
  before: string | null;
  /** The draft page's thumbnail as a data: URL, when there is one. */
  after: string | null;
}

const sha = (bytes: Uint8Array | undefined) => (bytes ? createHash('sha256').update(bytes).digest('hex') : null);
const dataUrl = (webp: Uint8Array | undefined) =>
  webp ? `data:${THUMBNAIL_MIME};base64,${Buffer.from(webp).toString('base64')}` : null;

/**
 * Which pages of a changed PDF changed: the published and the draft file are both drawn page by
 * page by the publisher's renderer (a release carries no page thumbnails: devices draw them from
 * the PDF) and compared by text and picture.
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
      const publishedPdf = published?.files.find((f) => f.role === 'primary' && f.mime === 'application/pdf');
      const pagesOf = async (file: string): Promise<PdfAnalysis> =>
        analysePdf(new Uint8Array(await readFile(file)), { thumbnails: false, pageThumbnails: true });
      const none: PdfAnalysis = {
        title: null,
        pageCount: 0,
        pageTexts: [],
        cover: new Uint8Array(),
        pageThumbnails: [],
      };
      const before = publishedPdf
        ? await pagesOf(path.join(dir, 'blobs', publishedPdf.sha256)).catch(() => none)
        : none;
      const draft = await pagesOf(ctx.blobs.pathOf(row.file_sha256));
      const count = Math.max(before.pageCount, draft.pageCount);
      const pages: PageChange[] = [];
      for (let page = 1; page <= count; page++) {
        const had = page <= before.pageCount;
        const has = page <= draft.pageCount;
        const same =
          had &&
          has &&
          before.pageTexts[page - 1] === draft.pageTexts[page - 1] &&
          sha(before.pageThumbnails[page - 1]) === sha(draft.pageThumbnails[page - 1]);
        pages.push({
          page,
          status: !had ? 'added' : !has ? 'removed' : same ? 'same' : 'changed',
          before: had ? dataUrl(before.pageThumbnails[page - 1]) : null,
          after: has ? dataUrl(draft.pageThumbnails[page - 1]) : null,
        });
      }
      return { published: published !== null, pages };
    },
  }),
};
