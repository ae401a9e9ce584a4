import { randomUUID } from 'node:crypto';
import type { ReleaseState, ReleaseView } from '#shared/studio';
import { z } from 'zod';
import { recordAudit } from '../audit.ts';
import { route, type Routes, type StudioContext } from '../context.ts';
import type { ReleaseTable } from '../database/schema.ts';
import { StudioError } from '../errors.ts';
import { loadAttract, loadCollections, loadGlossary } from '../library/channel-content.ts';
import { loadItems } from '../library/items.ts';
import { channelId, requireChannel } from '../library/routes.ts';
import { twoPersonRule } from '../people/routes.ts';
import { publishSnapshot } from './publish.ts';
import { releaseQuizProblems, shippingQuizzes } from '../quizzes/quizzes.ts';
import { withPublishLock } from './publish-lock.ts';
import { diffSnapshots, snapshotOf, type Snapshot } from './snapshot.ts';

export type { ReleaseState, ReleaseView } from '#shared/studio';

function toView(row: ReleaseTable): ReleaseView {
  return {
    id: row.id,
    channel: row.channel,
    state: row.state as ReleaseState,
    version: row.version,
    note: row.note,
    items: (JSON.parse(row.snapshot) as Snapshot).items.length,
    submittedBy: row.submitted_by,
    submittedAt: row.submitted_at,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    publishedBy: row.published_by,
    publishedAt: row.published_at,
    rollbackOf: row.rollback_of,
  };
}

/** The draft as it stands: items, collections, glossary, attract loop and the quizzes that ship. */
export async function draftOf(ctx: StudioContext, channel: string): Promise<Snapshot> {
  const [items, collections, glossary, attract, quizzes] = await Promise.all([
    loadItems(ctx.db, channel),
    loadCollections(ctx.db, channel),
    loadGlossary(ctx.db, channel),
    loadAttract(ctx.db, channel),
    shippingQuizzes(ctx.db, channel),
  ]);
  return snapshotOf(items, { collections, glossary, attract, quizzes });
}

async function latestPublished(
  ctx: StudioContext,
  channel: string,
): Promise<{ version: number; snapshot: Snapshot } | null> {
  const row = await ctx.db
    .selectFrom('releases')
    .select(['version', 'snapshot'])
    .where('channel', '=', channel)
    .where('state', '=', 'published')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && row.version !== null ? { version: row.version, snapshot: JSON.parse(row.snapshot) as Snapshot } : null;
}

async function releaseById(ctx: StudioContext, id: string): Promise<ReleaseTable> {
  const row = await ctx.db.selectFrom('releases').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new StudioError('not-found', 'No such release.');
  return row;
}

/**
 * Moves a release from one state to the next only if it is still in the state the caller saw:
 * two approvers clicking at once, or a publish racing a reject, cannot both win.
 */
async function transition(
  ctx: StudioContext,
  id: string,
  from: ReleaseState,
  set: Partial<ReleaseTable>,
): Promise<void> {
  const result = await ctx.db
    .updateTable('releases')
    .set(set)
    .where('id', '=', id)
    .where('state', '=', from)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1)
    throw new StudioError('conflict', `The release is no longer ${from}; reload.`);
}

/** Publishes under the channel's lock and records the version the publisher gave it. */
async function publishRow(
  ctx: StudioContext,
  row: ReleaseTable,
  userId: string,
  from: ReleaseState | null,
): Promise<ReleaseView> {
  return ctx.serialise(`publish:${row.channel}`, () =>
    withPublishLock(ctx, row.channel, async () => {
      const result = await publishSnapshot(ctx, row.channel, JSON.parse(row.snapshot) as Snapshot);
      const now = ctx.now().toISOString();
      await ctx.db.transaction().execute(async (trx) => {
        const set = { state: 'published', version: result.version, published_by: userId, published_at: now };
        if (from === null) {
          await trx
            .insertInto('releases')
            .values({ ...row, ...set })
            .execute();
        } else {
          const updated = await trx
            .updateTable('releases')
            .set(set)
            .where('id', '=', row.id)
            .where('state', '=', from)
            .executeTakeFirst();
          if (Number(updated.numUpdatedRows) !== 1)
            throw new StudioError('conflict', 'The release changed state while it was being published; reload.');
        }
        await recordAudit(trx, {
          at: ctx.now(),
          userId,
          action: row.rollback_of !== null ? 'release-rolled-back' : 'release-published',
          subject: `${row.channel}/${result.version}`,
          detail: {
            release: row.id,
            items: result.items,
            blobsWritten: result.blobsWritten,
            bytesWritten: result.bytesWritten,
            ...(row.rollback_of !== null ? { contentOf: row.rollback_of } : {}),
          },
        });
      });
      return toView(await releaseById(ctx, row.id));
    }),
  );
}

export const releaseRoutes: Routes = {
  'draft.diff': route({
    method: 'GET',
    path: '/api/channels/:channel/draft',
    args: z.object({ channel: channelId }).strict(),
    async run(ctx, _caller, args) {
      await requireChannel(ctx, args.channel);
      const published = await latestPublished(ctx, args.channel);
      return diffSnapshots(published?.snapshot ?? null, published?.version ?? null, await draftOf(ctx, args.channel));
    },
  }),
  'releases.list': route({
    method: 'GET',
    path: '/api/channels/:channel/releases',
    args: z.object({ channel: channelId }).strict(),
    async run(ctx, _caller, args) {
      const rows = await ctx.db
        .selectFrom('releases')
        .selectAll()
        .where('channel', '=', args.channel)
        .orderBy('submitted_at', 'desc')
        .limit(200)
        .execute();
      return rows.map(toView);
    },
  }),
  'releases.submit': route({
    method: 'POST',
    path: '/api/channels/:channel/releases',
    args: z.object({ channel: channelId, note: z.string().max(2000).default('') }).strict(),
    async run(ctx, caller, args) {
      await requireChannel(ctx, args.channel);
      const snapshot = await draftOf(ctx, args.channel);
      if (snapshot.items.length === 0)
        throw new StudioError('bad-request', 'The draft has no items; upload something first.');
      const missing = (snapshot.attract?.items ?? []).filter((id) => !snapshot.items.some((i) => i.id === id));
      if (missing.length > 0)
        throw new StudioError(
          'bad-request',
          `The attract loop names items no longer in the draft: ${missing.join(', ')}.`,
        );
      const published = await latestPublished(ctx, args.channel);
      const diff = diffSnapshots(published?.snapshot ?? null, published?.version ?? null, snapshot);
      const quizProblems = releaseQuizProblems(snapshot, diff);
      if (quizProblems.length > 0)
        throw new StudioError('bad-request', `The quizzes cannot ship as they are: ${quizProblems.join('; ')}.`);
      if (
        published &&
        diff.added.length + diff.changed.length + diff.removed.length === 0 &&
        !diff.collectionsChanged &&
        !diff.glossaryChanged &&
        !diff.attractChanged &&
        !diff.quizzesChanged
      )
        throw new StudioError('conflict', 'The draft is the same as the published release.');
      const row: ReleaseTable = {
        id: randomUUID(),
        channel: args.channel,
        state: 'submitted',
        version: null,
        snapshot: JSON.stringify(snapshot),
        note: args.note,
        submitted_by: caller.user!.id,
        submitted_at: ctx.now().toISOString(),
        approved_by: null,
        approved_at: null,
        published_by: null,
        published_at: null,
        rollback_of: null,
      };
      await ctx.db.transaction().execute(async (trx) => {
        const pending = await trx
          .selectFrom('releases')
          .select('id')
          .where('channel', '=', args.channel)
          .where('state', 'in', ['submitted', 'approved'])
          .executeTakeFirst();
        if (pending)
          throw new StudioError('conflict', 'A release of this channel is already waiting for review or publishing.');
        await trx.insertInto('releases').values(row).execute();
        await recordAudit(trx, {
          at: ctx.now(),
          userId: caller.user!.id,
          action: 'release-submitted',
          subject: `${args.channel}/${row.id}`,
          detail: { added: diff.added.length, changed: diff.changed.length, removed: diff.removed.length },
        });
      });
      return { release: toView(row), diff };
    },
  }),
  'releases.approve': route({
    method: 'POST',
    path: '/api/releases/:id/approve',
    args: z.object({ id: z.uuid() }).strict(),
    async run(ctx, caller, args) {
      const row = await releaseById(ctx, args.id);
      if (row.state !== 'submitted')
        throw new StudioError('conflict', `The release is ${row.state}, not waiting for approval.`);
      if (row.submitted_by === caller.user!.id && (await twoPersonRule(ctx))) {
        throw new StudioError(
          'forbidden',
          'The two-person rule is on: someone other than the submitter must approve this release.',
        );
      }
      await transition(ctx, row.id, 'submitted', {
        state: 'approved',
        approved_by: caller.user!.id,
        approved_at: ctx.now().toISOString(),
      });
      await recordAudit(ctx.db, {
        at: ctx.now(),
        userId: caller.user!.id,
        action: 'release-approved',
        subject: `${row.channel}/${row.id}`,
      });
      return toView(await releaseById(ctx, row.id));
    },
  }),
  'releases.reject': route({
    method: 'POST',
    path: '/api/releases/:id/reject',
    args: z.object({ id: z.uuid(), reason: z.string().max(2000).default('') }).strict(),
    async run(ctx, caller, args) {
      const row = await releaseById(ctx, args.id);
      await transition(ctx, row.id, row.state === 'approved' ? 'approved' : 'submitted', { state: 'rejected' });
      await recordAudit(ctx.db, {
        at: ctx.now(),
        userId: caller.user!.id,
        action: 'release-rejected',
        subject: `${row.channel}/${row.id}`,
        detail: { reason: args.reason },
      });
      return toView(await releaseById(ctx, row.id));
    },
  }),
  'releases.publish': route({
    method: 'POST',
    path: '/api/releases/:id/publish',
    args: z.object({ id: z.uuid() }).strict(),
    async run(ctx, caller, args) {
      const row = await releaseById(ctx, args.id);
      if (row.state !== 'approved')
        throw new StudioError('conflict', `Only an approved release is published; this one is ${row.state}.`);
      return publishRow(ctx, row, caller.user!.id, 'approved');
    },
  }),
  'releases.rollback': route({
    method: 'POST',
    path: '/api/releases/:id/rollback',
    args: z.object({ id: z.uuid() }).strict(),
    async run(ctx, caller, args) {
      const earlier = await releaseById(ctx, args.id);
      if (earlier.state !== 'published' || earlier.version === null)
        throw new StudioError('conflict', 'Only a published release can be rolled back to.');
      // Devices never move to a lower version: the earlier content goes out as the next one.
      const row: ReleaseTable = {
        ...earlier,
        id: randomUUID(),
        state: 'approved',
        version: null,
        note: `Roll back to version ${earlier.version}`,
        submitted_by: caller.user!.id,
        submitted_at: ctx.now().toISOString(),
        approved_by: caller.user!.id,
        approved_at: ctx.now().toISOString(),
        published_by: null,
        published_at: null,
        rollback_of: earlier.version,
      };
      return publishRow(ctx, row, caller.user!.id, null);
    },
  }),
};
