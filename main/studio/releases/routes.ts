import { randomUUID } from 'node:crypto';
import type { PublishJobView, ReleaseState, ReleaseView } from '#shared/studio';
import { z } from 'zod';
import { recordAudit } from '../audit.ts';
import { route, type AcceptedResponse, type Routes, type StudioContext } from '../context.ts';
import type { ReleaseTable } from '../database/schema.ts';
import { StudioError } from '../errors.ts';
import { loadAttract, loadCollections, loadGlossary } from '../library/channel-content.ts';
import { loadItems } from '../library/items.ts';
import { loadPracticePrompts, promptItems, promptProblems } from '../library/practice-prompts.ts';
import { channelId, requireChannel } from '../library/routes.ts';
import { twoPersonRule } from '../people/routes.ts';
import {
  longestWaitMs,
  rollbackRelease,
  settleStoppedJobs,
  startPublishJob,
  toJobView,
  waitForJob,
} from './publish-jobs.ts';
import { releaseQuizProblems, shippingQuizzes } from '../quizzes/quizzes.ts';
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

/** The draft as it stands: items, collections, glossary, attract loop, the quizzes that ship and practice prompts. */
export async function draftOf(ctx: StudioContext, channel: string): Promise<Snapshot> {
  const [items, collections, glossary, attract, quizzes, practice] = await Promise.all([
    loadItems(ctx.db, channel),
    loadCollections(ctx.db, channel),
    loadGlossary(ctx.db, channel),
    loadAttract(ctx.db, channel),
    shippingQuizzes(ctx.db, channel),
    loadPracticePrompts(ctx.db, channel),
  ]);
  return snapshotOf(items, { collections, glossary, attract, quizzes, practice });
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

/** The answer to a publish or roll back: the job, and where to follow it. */
function accepted(job: PublishJobView): AcceptedResponse<PublishJobView> {
  return { accepted: job, location: `/api/publish-jobs/${job.id}` };
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
      // Like the attract loop: a prompt whose item or term left the draft stops the release, named.
      // A replaced PDF may have fewer pages than a prompt names: counted here, not at publish.
      const practice = snapshot.practice ?? [];
      const named = new Set(practice.map((p) => p.item));
      const orphaned = promptProblems(practice, {
        items: await promptItems(
          ctx,
          snapshot.items.filter((i) => named.has(i.id)),
          practice,
        ),
        terms: new Set((snapshot.glossary ?? []).map((t) => t.id)),
      });
      if (orphaned.length > 0)
        throw new StudioError('bad-request', `The practice prompts cannot ship as they are: ${orphaned.join('; ')}.`);
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
        !diff.quizzesChanged &&
        !diff.practiceChanged
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
      return accepted(
        await startPublishJob(ctx, { kind: 'publish', row, sourceReleaseId: null, userId: caller.user!.id }),
      );
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
      const row = rollbackRelease(earlier, randomUUID(), caller.user!.id, ctx.now().toISOString());
      return accepted(
        await startPublishJob(ctx, { kind: 'rollback', row, sourceReleaseId: earlier.id, userId: caller.user!.id }),
      );
    },
  }),
  'publishJobs.list': route({
    method: 'GET',
    path: '/api/channels/:channel/publish-jobs',
    args: z.object({ channel: channelId }).strict(),
    async run(ctx, _caller, args) {
      await settleStoppedJobs(ctx);
      const rows = await ctx.db
        .selectFrom('publish_jobs')
        .selectAll()
        .where('channel', '=', args.channel)
        .orderBy('started_at', 'desc')
        .limit(20)
        .execute();
      return rows.map(toJobView);
    },
  }),
  'publishJobs.get': route({
    method: 'GET',
    path: '/api/publish-jobs/:id',
    args: z
      .object({
        id: z.uuid(),
        /** Wait for a revision after this one (the last one seen)... */
        after: z.coerce.number().int().min(0).default(0),
        /** ...for at most this long: a long poll instead of asking again and again. */
        waitMs: z.coerce.number().int().min(0).max(longestWaitMs).default(0),
      })
      .strict(),
    async run(ctx, _caller, args) {
      return waitForJob(ctx, args.id, args.after, args.waitMs);
    },
  }),
};
