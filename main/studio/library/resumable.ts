import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rm, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { route, type Routes, type StudioContext } from '../context.ts';
import { StudioError } from '../errors.ts';
import { acceptUpload, channelId, fileName, itemId, requireChannel } from './routes.ts';

/**
 * Resumable uploads for large files (videos of several hundred MB): a session is opened with
 * the file's name and size, parts are appended at the offset the server holds, and a cut
 * connection resumes from there. When the last byte arrives the file goes through the same
 * checks as any upload and becomes an item.
 */
const partPath = (ctx: StudioContext, id: string) => path.join(ctx.dataDir, 'tmp', `upload-${id}`);

async function sessionOf(ctx: StudioContext, id: string, userId: string) {
  const row = await ctx.db.selectFrom('upload_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  // Someone else's session is as good as absent: its id is not a capability to write into.
  if (!row || row.user_id !== userId) throw new StudioError('not-found', 'No such upload; start it again.');
  return { ...row, size: Number(row.size) };
}

async function received(ctx: StudioContext, id: string): Promise<number> {
  return (await stat(partPath(ctx, id)).catch(() => null))?.size ?? 0;
}

async function finish(
  ctx: StudioContext,
  userId: string,
  session: { id: string; channel: string; name: string; size: number; item: string | null },
) {
  const tempPath = partPath(ctx, session.id);
  const hash = createHash('sha256');
  await pipeline(createReadStream(tempPath), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) hash.update(chunk);
  });
  const handle = await open(tempPath, 'r');
  const head = Buffer.alloc(Math.min(4096, session.size));
  await handle.read(head, 0, head.length, 0);
  await handle.close();
  try {
    return await acceptUpload(
      ctx,
      userId,
      session.channel,
      session.name,
      { tempPath, sha256: hash.digest('hex'), size: session.size, head },
      session.item ?? undefined,
    );
  } finally {
    await ctx.db.deleteFrom('upload_sessions').where('id', '=', session.id).execute();
  }
}

/** Uploads left unfinished for a day are given up: their rows and their bytes go. */
export async function clearAbandonedUploads(ctx: StudioContext, olderThanMs = 86_400_000): Promise<number> {
  const before = new Date(ctx.now().getTime() - olderThanMs).toISOString();
  const stale = await ctx.db.selectFrom('upload_sessions').select('id').where('created_at', '<', before).execute();
  for (const { id } of stale) {
    await rm(partPath(ctx, id), { force: true });
    await ctx.db.deleteFrom('upload_sessions').where('id', '=', id).execute();
  }
  return stale.length;
}

export const resumableRoutes: Routes = {
  'uploads.start': route({
    method: 'POST',
    path: '/api/channels/:channel/upload-sessions',
    args: z
      .object({ channel: channelId, name: fileName, size: z.number().int().min(1), item: itemId.optional() })
      .strict(),
    async run(ctx, caller, args) {
      await requireChannel(ctx, args.channel);
      await clearAbandonedUploads(ctx);
      if (args.size > ctx.config.maxUploadBytes)
        throw new StudioError(
          'too-large',
          `${args.name} is ${args.size} bytes; the upload limit is ${ctx.config.maxUploadBytes}.`,
        );
      const id = randomUUID();
      await writeFile(partPath(ctx, id), new Uint8Array(0), { flag: 'wx' });
      await ctx.db
        .insertInto('upload_sessions')
        .values({
          id,
          channel: args.channel,
          user_id: caller.user!.id,
          name: args.name,
          size: args.size,
          item: args.item ?? null,
          created_at: ctx.now().toISOString(),
        })
        .execute();
      return { id, offset: 0, size: args.size };
    },
  }),
  'uploads.status': route({
    method: 'GET',
    path: '/api/upload-sessions/:id',
    args: z.object({ id: z.uuid() }).strict(),
    async run(ctx, caller, args) {
      const session = await sessionOf(ctx, args.id, caller.user!.id);
      return { id: session.id, offset: await received(ctx, session.id), size: session.size };
    },
  }),
  'uploads.append': route({
    method: 'PUT',
    path: '/api/upload-sessions/:id',
    body: 'stream',
    args: z.object({ id: z.uuid(), offset: z.coerce.number().int().min(0) }).strict(),
    async run(ctx, caller, args, request) {
      const session = await sessionOf(ctx, args.id, caller.user!.id);
      return ctx.serialise(`upload:${session.id}`, async () => {
        const offset = await received(ctx, session.id);
        if (args.offset !== offset) {
          request.resume();
          throw new StudioError('conflict', `The server has ${offset} bytes of this upload; send from there.`);
        }
        let count = 0;
        try {
          await pipeline(
            request,
            async function* (source: AsyncIterable<Buffer>) {
              for await (const chunk of source) {
                count += chunk.length;
                if (offset + count > session.size)
                  throw new StudioError('too-large', `More bytes than the ${session.size} announced.`);
                yield chunk;
              }
            },
            createWriteStream(partPath(ctx, session.id), { flags: 'a' }),
          );
        } catch (error) {
          // A cut connection keeps what arrived (it resumes from there); too many bytes keep nothing of this part.
          if (error instanceof StudioError) {
            await truncate(partPath(ctx, session.id), offset);
            throw error;
          }
          return { id: session.id, offset: await received(ctx, session.id), size: session.size, item: null };
        }
        const now = await received(ctx, session.id);
        if (now < session.size) return { id: session.id, offset: now, size: session.size, item: null };
        return { id: session.id, offset: now, size: session.size, item: await finish(ctx, caller.user!.id, session) };
      });
    },
  }),
};
