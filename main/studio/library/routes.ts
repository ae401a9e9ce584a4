import { rm } from 'node:fs/promises';
import { z } from 'zod';
import { idPattern } from '#shared/manifest';
import { recordAudit } from '../audit.ts';
import { route, type Routes, type StudioContext } from '../context.ts';
import { StudioError } from '../errors.ts';
import type { ReceivedFile } from '../blobs.ts';
import { ensureChannelKey, readPublicKey } from '../releases/channel-keys.ts';
import { recogniseUpload } from './file-type.ts';
import { columnsOf, itemFields, pageOfItems, toItem, type ItemFields, type StudioItem } from './items.ts';
import { readMicrositeZip } from './microsite-zip.ts';
import { channelId, fileName, itemId } from './ids.ts';
import { withThumbnails } from './thumbnails.ts';

export { channelId, fileName, itemId } from './ids.ts';

export async function requireChannel(ctx: StudioContext, channel: string): Promise<void> {
  const row = await ctx.db.selectFrom('channels').select('id').where('id', '=', channel).executeTakeFirst();
  if (!row) throw new StudioError('not-found', `No channel "${channel}".`);
}

export async function createChannel(
  ctx: StudioContext,
  id: string,
  title: string,
  actorId: string | null,
): Promise<void> {
  await ensureChannelKey(ctx.dataDir, id);
  const existing = await ctx.db.selectFrom('channels').select('id').where('id', '=', id).executeTakeFirst();
  if (existing) return;
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('channels').values({ id, title, created_at: ctx.now().toISOString() }).execute();
    await recordAudit(trx, { at: ctx.now(), userId: actorId, action: 'channel-created', subject: id });
  });
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/\.[^.]+$/, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 100) || 'item'
  );
}

function applyFields(item: StudioItem, fields: ItemFields): StudioItem {
  const next = { ...item };
  for (const [key, value] of Object.entries(fields) as [keyof ItemFields, unknown][]) {
    if (value !== undefined) (next as Record<string, unknown>)[key] = value;
  }
  return next;
}

export const libraryRoutes: Routes = {
  'channels.list': route({
    method: 'GET',
    path: '/api/channels',
    args: z.object({}).strict(),
    async run(ctx) {
      const rows = await ctx.db.selectFrom('channels').selectAll().orderBy('id').execute();
      return Promise.all(
        rows.map(async (r) => ({
          id: r.id,
          title: r.title,
          publicKeyPem: await readPublicKey(ctx.dataDir, r.id),
          url: `/channels/${r.id}/`,
        })),
      );
    },
  }),
  'channels.create': route({
    method: 'POST',
    path: '/api/channels',
    args: z.object({ id: channelId, title: z.string().trim().min(1).max(200) }).strict(),
    async run(ctx, caller, args) {
      await createChannel(ctx, args.id, args.title, caller.user!.id);
      return { id: args.id, title: args.title, publicKeyPem: await readPublicKey(ctx.dataDir, args.id) };
    },
  }),
  'items.list': route({
    method: 'GET',
    path: '/api/channels/:channel/items',
    args: z
      .object({
        channel: channelId,
        q: z.string().max(200).default(''),
        offset: z.coerce.number().int().min(0).default(0),
        limit: z.coerce.number().int().min(1).max(200).default(50),
        kind: z.enum(['pdf', 'image', 'video', 'microsite']).optional(),
      })
      .strict(),
    async run(ctx, _caller, args) {
      await requireChannel(ctx, args.channel);
      const page = await pageOfItems(ctx.db, args.channel, {
        query: args.q,
        offset: args.offset,
        limit: args.limit,
        kind: args.kind,
      });
      return { total: page.total, items: await withThumbnails(ctx, args.channel, page.items) };
    },
  }),
  'items.expiring': route({
    method: 'GET',
    path: '/api/channels/:channel/expiring',
    args: z.object({ channel: channelId, days: z.coerce.number().int().min(1).max(366).default(30) }).strict(),
    async run(ctx, _caller, args) {
      await requireChannel(ctx, args.channel);
      const now = ctx.now();
      const until = new Date(now.getTime() + args.days * 86_400_000).toISOString();
      const rows = await ctx.db
        .selectFrom('items')
        .selectAll()
        .where('channel', '=', args.channel)
        .where('valid_until', 'is not', null)
        .where('valid_until', '<=', until)
        .orderBy('valid_until')
        .limit(500)
        .execute();
      // Already expired ones are listed too: they are gone from devices and still in the draft.
      return rows.map(toItem);
    },
  }),
  'items.history': route({
    method: 'GET',
    path: '/api/channels/:channel/items/:id/history',
    args: z.object({ channel: channelId, id: itemId }).strict(),
    async run(ctx, _caller, args) {
      const rows = await ctx.db
        .selectFrom('audit')
        .leftJoin('users', 'users.id', 'audit.user_id')
        .select(['audit.at', 'audit.action', 'audit.detail', 'users.name as userName'])
        .where('audit.subject', '=', `${args.channel}/${args.id}`)
        .orderBy('audit.at', 'desc')
        .orderBy('audit.id', 'desc')
        .limit(200)
        .execute();
      return rows.map((r) => ({
        at: r.at,
        action: r.action,
        by: r.userName,
        detail: JSON.parse(r.detail) as Record<string, unknown>,
      }));
    },
  }),
  'items.upload': route({
    method: 'POST',
    path: '/api/channels/:channel/uploads',
    body: 'stream',
    args: z.object({ channel: channelId, name: fileName, item: itemId.optional() }).strict(),
    async run(ctx, caller, args, request) {
      await requireChannel(ctx, args.channel);
      const declared = Number(request.headers['content-length'] ?? NaN);
      if (Number.isFinite(declared) && declared > ctx.config.maxUploadBytes) {
        request.resume();
        throw new StudioError(
          'too-large',
          `${args.name} is ${declared} bytes; the upload limit is ${ctx.config.maxUploadBytes}.`,
        );
      }
      const file = await ctx.blobs.receive(request, ctx.config.maxUploadBytes);
      return acceptUpload(ctx, caller.user!.id, args.channel, args.name, file, args.item);
    },
  }),
  'items.update': route({
    method: 'PATCH',
    path: '/api/channels/:channel/items/:id',
    args: z.object({ channel: channelId, id: itemId, revision: z.number().int().min(1), fields: itemFields }).strict(),
    async run(ctx, caller, args) {
      const [item] = await editItems(
        ctx,
        caller.user!.id,
        args.channel,
        [args.id],
        () => args.fields,
        new Map([[args.id, args.revision]]),
      );
      return item;
    },
  }),
  'items.updateMany': route({
    method: 'PATCH',
    path: '/api/channels/:channel/items',
    args: z
      .object({
        channel: channelId,
        ids: z.array(itemId).min(1).max(1000),
        fields: itemFields.default({}),
        addTags: z.array(z.string().trim().min(1).max(64)).max(50).default([]),
        removeTags: z.array(z.string().trim().min(1).max(64)).max(50).default([]),
        addCollections: z.array(z.string().regex(idPattern)).max(50).default([]),
      })
      .strict(),
    async run(ctx, caller, args) {
      const items = await editItems(ctx, caller.user!.id, args.channel, args.ids, (item) => ({
        ...args.fields,
        tags: [...new Set([...(args.fields.tags ?? item.tags), ...args.addTags])].filter(
          (t) => !args.removeTags.includes(t),
        ),
        collections: [...new Set([...(args.fields.collections ?? item.collections), ...args.addCollections])],
      }));
      return { updated: items.length };
    },
  }),
  'items.remove': route({
    method: 'DELETE',
    path: '/api/channels/:channel/items/:id',
    args: z.object({ channel: channelId, id: itemId }).strict(),
    async run(ctx, caller, args) {
      await ctx.db.transaction().execute(async (trx) => {
        const gone = await trx
          .deleteFrom('items')
          .where('channel', '=', args.channel)
          .where('id', '=', args.id)
          .executeTakeFirst();
        if (Number(gone.numDeletedRows) === 0) throw new StudioError('not-found', `No item "${args.id}".`);
        await recordAudit(trx, {
          at: ctx.now(),
          userId: caller.user!.id,
          action: 'item-removed',
          subject: `${args.channel}/${args.id}`,
        });
      });
      return { removed: args.id };
    },
  }),
};

/**
 * Makes an item of a received file: its type recognised by content, a zip walked for
 * traversal, links and bombs, the bytes moved into the blob store, then the item created (or
 * its file replaced) in one transaction. A refused file is deleted and changes nothing.
 */
export async function acceptUpload(
  ctx: StudioContext,
  userId: string,
  channel: string,
  name: string,
  file: ReceivedFile,
  replace?: string,
): Promise<StudioItem> {
  let kind: StudioItem['kind'];
  let mime: string;
  try {
    ({ kind, mime } = recogniseUpload(name, file.head));
    if (kind === 'microsite') await readMicrositeZip(file.tempPath, ctx.config.zipLimits);
    await ctx.blobs.commit(file);
  } catch (error) {
    await rm(file.tempPath, { force: true });
    throw error;
  }
  const now = ctx.now();
  const item = await ctx.db.transaction().execute(async (trx) => {
    const blob = await trx.selectFrom('blobs').select('sha256').where('sha256', '=', file.sha256).executeTakeFirst();
    if (!blob)
      await trx
        .insertInto('blobs')
        .values({ sha256: file.sha256, size: file.size, mime, created_at: now.toISOString() })
        .execute();
    let existing: StudioItem | null = null;
    let id = replace;
    if (id) {
      const row = await trx
        .selectFrom('items')
        .selectAll()
        .where('channel', '=', channel)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) throw new StudioError('not-found', `No item "${id}" to replace the file of.`);
      existing = toItem(row);
    } else {
      const base = slug(name);
      const taken = new Set(
        (
          await trx
            .selectFrom('items')
            .select('id')
            .where('channel', '=', channel)
            .where('id', 'like', `${base}%`)
            .execute()
        ).map((r) => r.id),
      );
      id = base;
      for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    }
    const next: StudioItem = {
      ...(existing ?? {
        title: null,
        description: '',
        category: null,
        tags: [],
        products: [],
        audiences: [],
        collections: [],
        validFrom: null,
        validUntil: null,
        kiosk: false,
        shareUrl: null,
        revision: 0,
      }),
      id,
      kind,
      fileName: name,
      fileSha256: file.sha256,
      fileSize: file.size,
      revision: (existing?.revision ?? 0) + 1,
      updatedAt: now.toISOString(),
    };
    if (existing)
      await trx
        .updateTable('items')
        .set({ ...columnsOf(next), updated_by: userId })
        .where('channel', '=', channel)
        .where('id', '=', id)
        .execute();
    else
      await trx
        .insertInto('items')
        .values({ channel: channel, id, ...columnsOf(next), updated_by: userId })
        .execute();
    await recordAudit(trx, {
      at: now,
      userId: userId,
      action: 'upload',
      subject: `${channel}/${id}`,
      detail: { file: name, sha256: file.sha256, size: file.size, kind },
    });
    return next;
  });
  return item;
}

/**
 * Applies an edit to items in one transaction: all of them or none. With expected revisions, an
 * item someone else changed meanwhile is refused instead of silently overwritten.
 */
async function editItems(
  ctx: StudioContext,
  userId: string,
  channel: string,
  ids: string[],
  change: (item: StudioItem) => ItemFields,
  expected?: Map<string, number>,
): Promise<StudioItem[]> {
  const now = ctx.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('items')
      .selectAll()
      .where('channel', '=', channel)
      .where('id', 'in', ids)
      .execute();
    const found = new Map(rows.map((r) => [r.id, toItem(r)]));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) throw new StudioError('not-found', `No item ${missing.map((m) => `"${m}"`).join(', ')}.`);
    const out: StudioItem[] = [];
    for (const id of new Set(ids)) {
      const item = found.get(id)!;
      const want = expected?.get(id);
      if (want !== undefined && want !== item.revision)
        throw new StudioError('conflict', `"${id}" was changed by someone else meanwhile; reload it and edit again.`);
      const fields = itemFields.parse(change(item));
      const next = { ...applyFields(item, fields), revision: item.revision + 1, updatedAt: now };
      await trx
        .updateTable('items')
        .set({ ...columnsOf(next), updated_by: userId })
        .where('channel', '=', channel)
        .where('id', '=', id)
        .execute();
      await recordAudit(trx, {
        at: ctx.now(),
        userId,
        action: 'item-edited',
        subject: `${channel}/${id}`,
        detail: { fields: Object.keys(fields) },
      });
      out.push(next);
    }
    return out;
  });
}
