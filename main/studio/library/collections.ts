import { z } from 'zod';
import { idPattern } from '#shared/manifest';
import { recordAudit } from '../audit.ts';
import { route, type Routes } from '../context.ts';
import type { StudioDb } from '../database/connection.ts';
import { StudioError } from '../errors.ts';
import type { SnapshotCollection } from '../releases/snapshot.ts';
import { channelId, requireChannel } from './routes.ts';

/** A channel's collections, in the order reps see them. */
export async function loadCollections(db: StudioDb, channel: string): Promise<SnapshotCollection[]> {
  const rows = await db
    .selectFrom('collections')
    .select(['id', 'title', 'description'])
    .where('channel', '=', channel)
    .orderBy('position')
    .execute();
  return rows;
}

const collection = z
  .object({
    id: z.string().regex(idPattern, 'collection ids are lower-case letters, digits, ".", "_" and "-"'),
    title: z.string().trim().min(1).max(200),
    description: z.string().max(2000).default(''),
  })
  .strict();

export const collectionRoutes: Routes = {
  'collections.list': route({
    method: 'GET',
    path: '/api/channels/:channel/collections',
    args: z.object({ channel: channelId }).strict(),
    async run(ctx, _caller, args) {
      await requireChannel(ctx, args.channel);
      return loadCollections(ctx.db, args.channel);
    },
  }),
  'collections.save': route({
    method: 'PUT',
    path: '/api/channels/:channel/collections',
    // The whole ordered list at once: reordering, renaming, adding and removing are one edit.
    args: z.object({ channel: channelId, collections: z.array(collection).max(500) }).strict(),
    async run(ctx, caller, args) {
      await requireChannel(ctx, args.channel);
      const ids = args.collections.map((c) => c.id);
      if (new Set(ids).size !== ids.length) throw new StudioError('bad-request', 'Two collections have the same id.');
      await ctx.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('collections').where('channel', '=', args.channel).execute();
        if (args.collections.length > 0) {
          await trx
            .insertInto('collections')
            .values(
              args.collections.map((c, position) => ({
                channel: args.channel,
                id: c.id,
                title: c.title,
                description: c.description,
                position,
              })),
            )
            .execute();
        }
        await recordAudit(trx, {
          at: ctx.now(),
          userId: caller.user!.id,
          action: 'collections-edited',
          subject: `${args.channel}/collections`,
          detail: { collections: ids },
        });
      });
      return loadCollections(ctx.db, args.channel);
    },
  }),
};
