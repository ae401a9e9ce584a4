import { z } from 'zod';
import type {
  AttractLoop as SharedAttractLoop,
  Collection,
  GlossaryTerm as SharedGlossaryTerm,
  SameShape,
} from '#shared/studio';
import { idPattern } from '#shared/manifest';
import { recordAudit, type AuditAction } from '../audit.ts';
import { route, type Caller, type Routes, type StudioContext } from '../context.ts';
import type { StudioDb } from '../database/connection.ts';
import { StudioError } from '../errors.ts';
import { channelId, requireChannel } from './routes.ts';

/**
 * What a channel has beside its items, edited as whole lists and frozen with a release like the
 * items: the collections (in the order reps see them), the glossary (terms reps and visitors can
 * look up) and the kiosk's attract loop. Collections have their own table; the glossary and the
 * attract loop are one JSON value per channel in `settings`.
 */
const id = z.string().regex(idPattern, 'ids are lower-case letters, digits, ".", "_" and "-"');

const collection = z
  .object({
    id: z.string().regex(idPattern, 'collection ids are lower-case letters, digits, ".", "_" and "-"'),
    title: z.string().trim().min(1).max(200),
    description: z.string().max(2000).default(''),
  })
  .strict();
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
// The schemas and the shared API types are one shape; a drift fails to compile here.
const pinned: SameShape<GlossaryTerm, SharedGlossaryTerm> &
  SameShape<AttractLoop, SharedAttractLoop> &
  SameShape<z.infer<typeof collection>, Collection> = true;
void pinned;

type SettingsWriter = Pick<StudioDb, 'insertInto' | 'deleteFrom'>;

export async function loadCollections(db: StudioDb, channel: string): Promise<Collection[]> {
  return db
    .selectFrom('collections')
    .select(['id', 'title', 'description'])
    .where('channel', '=', channel)
    .orderBy('position')
    .execute();
}

async function loadSetting<T>(db: StudioDb, key: string): Promise<T | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row ? (JSON.parse(row.value) as T) : null;
}

export async function loadGlossary(db: StudioDb, channel: string): Promise<GlossaryTerm[]> {
  return (await loadSetting<GlossaryTerm[]>(db, `glossary:${channel}`)) ?? [];
}

export async function loadAttract(db: StudioDb, channel: string): Promise<AttractLoop | null> {
  return loadSetting<AttractLoop>(db, `attract:${channel}`);
}

async function putSetting(trx: SettingsWriter, key: string, value: unknown): Promise<void> {
  await trx.deleteFrom('settings').where('key', '=', key).execute();
  if (value !== null)
    await trx
      .insertInto('settings')
      .values({ key, value: JSON.stringify(value) })
      .execute();
}

function requireDistinctIds(list: readonly { id: string }[], what: string): void {
  if (new Set(list.map((x) => x.id)).size !== list.length)
    throw new StudioError('bad-request', `Two ${what} have the same id.`);
}

/** Every save of a channel list: the change and its audit entry in one transaction. */
async function saveWithAudit(
  ctx: StudioContext,
  caller: Caller,
  entry: { action: AuditAction; subject: string; detail: Record<string, unknown> },
  write: (trx: SettingsWriter) => Promise<void>,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await write(trx);
    await recordAudit(trx, { at: ctx.now(), userId: caller.user!.id, ...entry });
  });
}

export const channelContentRoutes: Routes = {
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
      requireDistinctIds(args.collections, 'collections');
      const detail = { collections: args.collections.map((c) => c.id) };
      await saveWithAudit(
        ctx,
        caller,
        { action: 'collections-edited', subject: `${args.channel}/collections`, detail },
        async (trx) => {
          await trx.deleteFrom('collections').where('channel', '=', args.channel).execute();
          if (args.collections.length > 0)
            await trx
              .insertInto('collections')
              .values(args.collections.map((c, position) => ({ channel: args.channel, ...c, position })))
              .execute();
        },
      );
      return loadCollections(ctx.db, args.channel);
    },
  }),
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
      requireDistinctIds(args.terms, 'glossary terms');
      await saveWithAudit(
        ctx,
        caller,
        { action: 'glossary-edited', subject: `${args.channel}/glossary`, detail: { terms: args.terms.length } },
        (trx) => putSetting(trx, `glossary:${args.channel}`, args.terms),
      );
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
      await saveWithAudit(
        ctx,
        caller,
        {
          action: 'attract-edited',
          subject: `${args.channel}/attract`,
          detail: { items: args.attract?.items.length ?? 0 },
        },
        (trx) => putSetting(trx, `attract:${args.channel}`, args.attract),
      );
      return { attract: args.attract };
    },
  }),
};
