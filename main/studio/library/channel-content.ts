import { z } from 'zod';
import type {
  AttractLoop as SharedAttractLoop,
  Collection,
  GlossaryTerm as SharedGlossaryTerm,
  SameShape,
} from '#shared/studio';
import { idPattern } from '#shared/manifest';
import { recordAudit, type AuditAction } from '../audit.ts';
import type { RouteId } from '../access.ts';
import { route, type Routes, type StudioContext } from '../context.ts';
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

export type SettingsWriter = Pick<StudioDb, 'insertInto' | 'deleteFrom'>;

export async function loadCollections(db: StudioDb, channel: string): Promise<Collection[]> {
  return db
    .selectFrom('collections')
    .select(['id', 'title', 'description'])
    .where('channel', '=', channel)
    .orderBy('position')
    .execute();
}

export async function loadSetting<T>(db: StudioDb, key: string): Promise<T | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row ? (JSON.parse(row.value) as T) : null;
}

export async function loadGlossary(db: StudioDb, channel: string): Promise<GlossaryTerm[]> {
  return (await loadSetting<GlossaryTerm[]>(db, `glossary:${channel}`)) ?? [];
}

export async function loadAttract(db: StudioDb, channel: string): Promise<AttractLoop | null> {
  return loadSetting<AttractLoop>(db, `attract:${channel}`);
}

export async function putSetting(trx: SettingsWriter, key: string, value: unknown): Promise<void> {
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

/**
 * One part of a channel's content edited whole (collections, glossary, attract loop, practice
 * prompts): GET answers it, PUT checks a new value and replaces the old with its audit entry in one
 * transaction. `field` names the value in the PUT body and, where `wrapped`, in both answers.
 */
export interface ContentPart<V> {
  get: RouteId;
  save: RouteId;
  /** The last segment of `/api/channels/:channel/<segment>`; also the audit subject's. */
  segment: string;
  field: string;
  value: z.ZodType<V>;
  wrapped?: boolean;
  load(db: StudioDb, channel: string): Promise<V>;
  /** Refuses a value (throws a StudioError) the channel cannot take as it is now. */
  check?(ctx: StudioContext, channel: string, value: V): Promise<void> | void;
  write(trx: SettingsWriter, channel: string, value: V): Promise<void>;
  action: AuditAction;
  detail(value: V): Record<string, unknown>;
}

export function contentPartRoutes<V>(part: ContentPart<V>): Routes {
  const path = `/api/channels/:channel/${part.segment}`;
  const answer = (value: V) => (part.wrapped ? { [part.field]: value } : value);
  return {
    [part.get]: route({
      method: 'GET',
      path,
      args: z.object({ channel: channelId }).strict(),
      async run(ctx, _caller, args) {
        await requireChannel(ctx, args.channel);
        return answer(await part.load(ctx.db, args.channel));
      },
    }),
    [part.save]: route({
      method: 'PUT',
      path,
      args: z
        .object({ channel: channelId, [part.field]: part.value })
        .strict()
        // A computed key widens every field's type; the schema above has checked both.
        .transform((args) => ({ channel: args.channel as string, value: args[part.field] as V })),
      async run(ctx, caller, { channel, value }) {
        await requireChannel(ctx, channel);
        await part.check?.(ctx, channel, value);
        await ctx.db.transaction().execute(async (trx) => {
          await part.write(trx, channel, value);
          await recordAudit(trx, {
            at: ctx.now(),
            userId: caller.user!.id,
            action: part.action,
            subject: `${channel}/${part.segment}`,
            detail: part.detail(value),
          });
        });
        return answer(value);
      },
    }),
  };
}

async function requireKnownItems(ctx: StudioContext, channel: string, attract: AttractLoop | null): Promise<void> {
  if (!attract) return;
  const known = new Set(
    (
      await ctx.db
        .selectFrom('items')
        .select('id')
        .where('channel', '=', channel)
        .where('id', 'in', attract.items.length ? attract.items : [''])
        .execute()
    ).map((r) => r.id),
  );
  const unknown = attract.items.filter((i) => !known.has(i));
  if (unknown.length > 0)
    throw new StudioError(
      'bad-request',
      `The attract loop names items the library does not have: ${unknown.join(', ')}.`,
    );
}

export const channelContentRoutes: Routes = {
  ...contentPartRoutes({
    get: 'collections.list',
    save: 'collections.save',
    segment: 'collections',
    // The whole ordered list at once: reordering, renaming, adding and removing are one edit.
    field: 'collections',
    value: z.array(collection).max(500),
    load: loadCollections,
    check: (_ctx, _channel, collections) => requireDistinctIds(collections, 'collections'),
    async write(trx, channel, collections) {
      await trx.deleteFrom('collections').where('channel', '=', channel).execute();
      if (collections.length > 0)
        await trx
          .insertInto('collections')
          .values(collections.map((c, position) => ({ channel, ...c, position })))
          .execute();
    },
    action: 'collections-edited',
    detail: (collections) => ({ collections: collections.map((c) => c.id) }),
  }),
  ...contentPartRoutes({
    get: 'glossary.get',
    save: 'glossary.save',
    segment: 'glossary',
    field: 'terms',
    value: z.array(glossaryTerm).max(5000),
    load: loadGlossary,
    check: (_ctx, _channel, terms) => requireDistinctIds(terms, 'glossary terms'),
    write: (trx, channel, terms) => putSetting(trx, `glossary:${channel}`, terms),
    action: 'glossary-edited',
    detail: (terms) => ({ terms: terms.length }),
  }),
  ...contentPartRoutes({
    get: 'attract.get',
    save: 'attract.save',
    segment: 'attract',
    field: 'attract',
    wrapped: true,
    value: attractLoop.nullable(),
    load: loadAttract,
    check: requireKnownItems,
    write: (trx, channel, attract) => putSetting(trx, `attract:${channel}`, attract),
    action: 'attract-edited',
    detail: (attract) => ({ items: attract?.items.length ?? 0 }),
  }),
};
