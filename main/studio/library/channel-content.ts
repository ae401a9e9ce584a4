import { z } from 'zod';
import { idPattern } from '#shared/manifest';
import { recordAudit } from '../audit.ts';
import { route, type Routes } from '../context.ts';
import type { StudioDb } from '../database/connection.ts';
import { StudioError } from '../errors.ts';
import { channelId, requireChannel } from './routes.ts';

/**
 * What a channel has beside its items: the glossary (terms reps and visitors can look up) and
 * the kiosk's attract loop. Kept as one JSON value per channel in `settings`; frozen with a
 * release like the items.
 */
const id = z.string().regex(idPattern, 'ids are lower-case letters, digits, ".", "_" and "-"');
export const glossaryTerm = z
  .object({
    id,
    term: z.string().trim().min(1).max(200),
    definition: z.string().trim().min(1).max(4000),
    aliases: z.array(z.string().trim().min(1).max(200)).max(20).default([]),
  })
  .strict();
export const attractLoop = z
  .object({ items: z.array(id).max(200), secondsPerItem: z.number().int().min(2).max(600).default(8) })
  .strict();

export type GlossaryTerm = z.infer<typeof glossaryTerm>;
export type AttractLoop = z.infer<typeof attractLoop>;

export async function loadGlossary(db: StudioDb, channel: string): Promise<GlossaryTerm[]> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', `glossary:${channel}`)
    .executeTakeFirst();
  return row ? (JSON.parse(row.value) as GlossaryTerm[]) : [];
}

export async function loadAttract(db: StudioDb, channel: string): Promise<AttractLoop | null> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', `attract:${channel}`)
    .executeTakeFirst();
  return row ? (JSON.parse(row.value) as AttractLoop) : null;
}

async function put(db: StudioDb, key: string, value: unknown): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('settings').where('key', '=', key).execute();
    if (value !== null)
      await trx
        .insertInto('settings')
        .values({ key, value: JSON.stringify(value) })
        .execute();
  });
}

export const channelContentRoutes: Routes = {
  'glossary.get': route({
    method: 'GET',
    path: '/api/channels/:channel/glossary',
    args: z.object({ channel: channelId }).strict(),
    async run(ctx, _caller, args) {
      await requireChannel(ctx, args.channel);
      return loadGlossary(ctx.db, args.channel);
    },
  }),
  'glossary.save': route({
    method: 'PUT',
    path: '/api/channels/:channel/glossary',
    args: z.object({ channel: channelId, terms: z.array(glossaryTerm).max(5000) }).strict(),
    async run(ctx, caller, args) {
      await requireChannel(ctx, args.channel);
      if (new Set(args.terms.map((t) => t.id)).size !== args.terms.length)
        throw new StudioError('bad-request', 'Two glossary terms have the same id.');
      await put(ctx.db, `glossary:${args.channel}`, args.terms);
      await recordAudit(ctx.db, {
        at: ctx.now(),
        userId: caller.user!.id,
        action: 'glossary-edited',
        subject: `${args.channel}/glossary`,
        detail: { terms: args.terms.length },
      });
      return args.terms;
    },
  }),
  'attract.get': route({
    method: 'GET',
    path: '/api/channels/:channel/attract',
    args: z.object({ channel: channelId }).strict(),
    async run(ctx, _caller, args) {
      await requireChannel(ctx, args.channel);
      return { attract: await loadAttract(ctx.db, args.channel) };
    },
  }),
  'attract.save': route({
    method: 'PUT',
    path: '/api/channels/:channel/attract',
    args: z.object({ channel: channelId, attract: attractLoop.nullable() }).strict(),
    async run(ctx, caller, args) {
      await requireChannel(ctx, args.channel);
      if (args.attract) {
        const known = new Set(
          (
            await ctx.db
              .selectFrom('items')
              .select('id')
              .where('channel', '=', args.channel)
              .where('id', 'in', args.attract.items.length ? args.attract.items : [''])
              .execute()
          ).map((r) => r.id),
        );
        const unknown = args.attract.items.filter((i) => !known.has(i));
        if (unknown.length > 0)
          throw new StudioError(
            'bad-request',
            `The attract loop names items the library does not have: ${unknown.join(', ')}.`,
          );
      }
      await put(ctx.db, `attract:${args.channel}`, args.attract);
      await recordAudit(ctx.db, {
        at: ctx.now(),
        userId: caller.user!.id,
        action: 'attract-edited',
        subject: `${args.channel}/attract`,
        detail: { items: args.attract?.items.length ?? 0 },
      });
      return { attract: args.attract };
    },
  }),
};
