import { createPublicKey, randomUUID, verify } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { PublishJobState, PublishJobView } from '#shared/studio';
import { recordAudit } from '../audit.ts';
import type { StudioContext } from '../context.ts';
import type { PublishJobTable, ReleaseTable } from '../database/schema.ts';
import { StudioError } from '../errors.ts';
import { readPublicKey } from './channel-keys.ts';
import { channelDir, publishSnapshot } from './publish.ts';
import { freePublishLock, takePublishLock, type PublishLock } from './publish-lock.ts';
import type { Snapshot } from './snapshot.ts';

/**
 * Publishing as a background job: the request that asks for a publish takes the channel's lock,
 * records a job and returns; the publish runs on, writing its progress into `publish_jobs`, so
 * the page that started it, a reloaded one or another Studio behind the load balancer can follow
 * it. The release's state, the job's outcome and the audit entry are written in one transaction
 * once the signed channel.json is in place. A job whose Studio stopped is found by its stale
 * heartbeat and marked interrupted (or, when its channel.json had already been written, recorded).
 */

/** How often a running job proves its Studio is alive (and renews the channel's lock). */
const heartbeatMs = 2_000;
/** A running job not heard of for this long belongs to a Studio that stopped (room for a busy machine). */
const staleMs = 15_000;
/** Progress is written at most this often: a 20,000-item publish would otherwise write 20,000 times. */
const progressEveryMs = 250;
/** The longest a reader may wait for news of a job in one request. */
export const longestWaitMs = 25_000;

interface JobsOfStudio {
  events: EventEmitter;
  running: Set<Promise<void>>;
  /** Ids of the jobs this Studio runs: never settled as stopped here, however late their heartbeat. */
  ids: Set<string>;
  sweeper: NodeJS.Timeout | null;
}

const studios = new WeakMap<StudioContext, JobsOfStudio>();

function jobsOf(ctx: StudioContext): JobsOfStudio {
  let jobs = studios.get(ctx);
  if (!jobs) {
    jobs = { events: new EventEmitter(), running: new Set(), ids: new Set(), sweeper: null };
    jobs.events.setMaxListeners(0);
    studios.set(ctx, jobs);
  }
  return jobs;
}

export function toJobView(row: PublishJobTable): PublishJobView {
  return {
    id: row.id,
    channel: row.channel,
    kind: row.kind === 'rollback' ? 'rollback' : 'publish',
    release: row.release_id,
    state: row.state as PublishJobState,
    stage: row.stage,
    itemsDone: row.items_done,
    itemsTotal: row.items_total,
    bytesDone: Number(row.bytes_done),
    bytesTotal: Number(row.bytes_total),
    version: row.version,
    error: row.error,
    startedBy: row.started_by,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    revision: row.revision,
  };
}

/**
 * The version of the signed release in the channel folder now; 0 before the first. The
 * publisher writes it near the top, so a 20 MB channel.json is not read whole for it.
 */
async function channelVersion(ctx: StudioContext, channel: string): Promise<number> {
  const file = path.join(channelDir(ctx.dataDir, channel), 'channel.json');
  try {
    const handle = await open(file, 'r');
    let head: string;
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
      head = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
    const found = /^\{\s*"format":[^,]*,\s*"channel":\s*"[^"]*",\s*"version":\s*(\d+)/.exec(head);
    if (found) return Number(found[1]);
    const manifest = JSON.parse(await readFile(file, 'utf8')) as { version?: unknown };
    return typeof manifest.version === 'number' ? manifest.version : 0;
  } catch {
    return 0;
  }
}

/** A roll back's new release: the earlier one's content, approved by who asked for it. */
export function rollbackRelease(earlier: ReleaseTable, id: string, userId: string, at: string): ReleaseTable {
  return {
    ...earlier,
    id,
    state: 'approved',
    version: null,
    note: `Roll back to version ${earlier.version}`,
    submitted_by: userId,
    submitted_at: at,
    approved_by: userId,
    approved_at: at,
    published_by: null,
    published_at: null,
    rollback_of: earlier.version,
  };
}

/**
 * Records a release as published at `version`, with its audit entry and the job's success, in one
 * transaction: the history never shows a publish whose job says otherwise.
 */
async function recordPublished(
  ctx: StudioContext,
  job: PublishJobTable,
  row: ReleaseTable,
  version: number,
  detail: Record<string, unknown>,
): Promise<void> {
  const now = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const set = { state: 'published', version, published_by: job.started_by, published_at: now };
    if (job.kind === 'rollback') {
      await trx
        .insertInto('releases')
        .values({ ...row, ...set })
        .execute();
    } else {
      const updated = await trx
        .updateTable('releases')
        .set(set)
        .where('id', '=', row.id)
        .where('state', '=', 'approved')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1)
        throw new StudioError('conflict', 'The release changed state while it was being published; reload.');
    }
    await recordAudit(trx, {
      at: ctx.now(),
      userId: job.started_by,
      action: job.kind === 'rollback' ? 'release-rolled-back' : 'release-published',
      subject: `${row.channel}/${version}`,
      detail: {
        release: row.id,
        job: job.id,
        ...detail,
        ...(row.rollback_of !== null ? { contentOf: row.rollback_of } : {}),
      },
    });
    await trx
      .updateTable('publish_jobs')
      .set({ state: 'succeeded', stage: 'done', version, finished_at: now, revision: job.revision + 1 })
      .where('id', '=', job.id)
      .execute();
  });
}

async function jobRow(ctx: StudioContext, id: string): Promise<PublishJobTable | undefined> {
  return ctx.db.selectFrom('publish_jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Starts publishing `row` (an approved release, or a roll back's new release) in the background.
 * Refused at once, with nothing changed, when another publish of the channel holds its lock.
 */
export async function startPublishJob(
  ctx: StudioContext,
  options: { kind: 'publish' | 'rollback'; row: ReleaseTable; sourceReleaseId: string | null; userId: string },
): Promise<PublishJobView> {
  const { row } = options;
  const id = randomUUID();
  const lock = await takePublishLock(ctx, row.channel, id);
  let job: PublishJobTable;
  let snapshot: Snapshot;
  try {
    // Read under the lock, not before it: a publish of this release asked for at the same moment
    // may have run and let go of the lock since the caller read the row, and must not publish
    // it twice.
    if (options.kind === 'publish') {
      const current = await ctx.db.selectFrom('releases').select('state').where('id', '=', row.id).executeTakeFirst();
      if (current?.state !== 'approved')
        throw new StudioError(
          'conflict',
          `Only an approved release is published; this one is ${current?.state ?? 'gone'}.`,
        );
    }
    snapshot = JSON.parse(row.snapshot) as Snapshot;
    const now = ctx.now().toISOString();
    job = {
      id,
      channel: row.channel,
      kind: options.kind,
      release_id: row.id,
      source_release_id: options.sourceReleaseId,
      state: 'running',
      stage: 'waiting',
      items_done: 0,
      items_total: snapshot.items.length,
      bytes_done: 0,
      bytes_total: 0,
      base_version: await channelVersion(ctx, row.channel),
      version: null,
      error: null,
      started_by: options.userId,
      started_at: now,
      heartbeat_at: now,
      finished_at: null,
      revision: 1,
    };
    await ctx.db.insertInto('publish_jobs').values(job).execute();
  } catch (error) {
    await lock.release();
    throw error;
  }
  const jobs = jobsOf(ctx);
  jobs.ids.add(id);
  const running = runJob(ctx, job, row, snapshot, lock).finally(() => {
    jobs.running.delete(running);
    jobs.ids.delete(id);
  });
  jobs.running.add(running);
  return toJobView(job);
}

async function runJob(
  ctx: StudioContext,
  job: PublishJobTable,
  row: ReleaseTable,
  snapshot: Snapshot,
  lock: PublishLock,
): Promise<void> {
  const { events } = jobsOf(ctx);
  const progress = {
    stage: job.stage,
    items_done: 0,
    items_total: job.items_total,
    bytes_done: 0,
    bytes_total: 0,
  };
  let revision = job.revision;
  let finished = false;
  let flushTimer: NodeJS.Timeout | null = null;
  let writes: Promise<void> = Promise.resolve();
  const write = (set: Partial<PublishJobTable>) => {
    writes = writes
      .then(async () => {
        await ctx.db.updateTable('publish_jobs').set(set).where('id', '=', job.id).execute();
        events.emit(job.id);
      })
      .catch((error: unknown) => ctx.log?.(`studio: publish job ${job.id}: ${(error as Error).message}`));
    return writes;
  };
  const flush = () => {
    flushTimer = null;
    if (!finished) void write({ ...progress, revision: ++revision });
  };
  const report = (set: Partial<typeof progress>, now = false) => {
    Object.assign(progress, set);
    if (now) {
      if (flushTimer) clearTimeout(flushTimer);
      flush();
    } else flushTimer ??= setTimeout(flush, progressEveryMs);
  };
  const heartbeat = setInterval(() => {
    void (async () => {
      if (!(await lock.renew().catch(() => true)))
        ctx.log?.(`studio: publish job ${job.id} lost the lock of channel ${job.channel}`);
      await write({ heartbeat_at: ctx.now().toISOString() });
    })();
  }, heartbeatMs);
  heartbeat.unref();
  try {
    report({ stage: 'staging' }, true);
    const result = await publishSnapshot(ctx, job.channel, snapshot, undefined, (event) => {
      if (event.step === 'stage') report({ stage: 'staging', items_done: event.done, items_total: event.total });
      else if (event.step === 'convert') report({ stage: 'converting' });
      else if (event.step === 'analyse') report({ stage: 'reading', items_done: event.done, items_total: event.total });
      else if (event.step === 'write')
        report({ stage: 'writing', bytes_done: event.bytes ?? 0, bytes_total: event.totalBytes ?? 0 });
    });
    report({ stage: 'recording', bytes_done: result.bytesWritten, bytes_total: result.bytesWritten }, true);
    finished = true;
    await writes;
    await recordPublished(ctx, { ...job, ...progress, revision: ++revision }, row, result.version, {
      items: result.items,
      blobsWritten: result.blobsWritten,
      bytesWritten: result.bytesWritten,
    });
  } catch (error) {
    finished = true;
    const known = error instanceof StudioError;
    if (!known) ctx.log?.(`studio: publish job ${job.id}: ${(error as Error).stack ?? String(error)}`);
    await writes;
    const message = known
      ? (error as StudioError).message
      : `The publish failed: ${(error as Error).message}. The channel was not changed.`;
    await ctx.db
      .updateTable('publish_jobs')
      .set({ state: 'failed', error: message, finished_at: ctx.now().toISOString(), revision: ++revision })
      .where('id', '=', job.id)
      .execute()
      .catch(() => {});
    await recordAudit(ctx.db, {
      at: ctx.now(),
      userId: job.started_by,
      action: 'release-publish-failed',
      subject: `${job.channel}/${job.release_id}`,
      detail: { job: job.id, error: message },
    }).catch(() => {});
  } finally {
    finished = true;
    if (flushTimer) clearTimeout(flushTimer);
    clearInterval(heartbeat);
    await lock.release().catch(() => {});
    events.emit(job.id);
  }
}

/**
 * Jobs whose Studio stopped (no heartbeat for a while): when the channel already holds a higher
 * version than when the job started, the release was written (channel.json is the last file
 * written) and is recorded as published; otherwise the channel is as it was and the job is
 * marked interrupted. Either way the channel's lock is freed.
 */
export async function settleStoppedJobs(ctx: StudioContext): Promise<void> {
  const stale = new Date(ctx.now().getTime() - staleMs).toISOString();
  const rows = await ctx.db
    .selectFrom('publish_jobs')
    .selectAll()
    .where('state', '=', 'running')
    .where('heartbeat_at', '<', stale)
    .execute();
  const own = jobsOf(ctx).ids;
  for (const job of rows) {
    // A heartbeat of ours can be late when this process was busy; it is not stopped.
    if (own.has(job.id)) continue;
    // Claim the job first, so two Studios settling at once do not both act on it.
    const claimed = await ctx.db
      .updateTable('publish_jobs')
      .set({ heartbeat_at: ctx.now().toISOString(), revision: job.revision + 1 })
      .where('id', '=', job.id)
      .where('state', '=', 'running')
      .where('heartbeat_at', '=', job.heartbeat_at)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    const claimedJob = { ...job, revision: job.revision + 1 };
    await finishChannelWrite(ctx, job.channel).catch((error: unknown) =>
      ctx.log?.(`studio: channel ${job.channel}: ${(error as Error).message}`),
    );
    const version = await channelVersion(ctx, job.channel);
    const row = await releaseOfJob(ctx, claimedJob);
    if (version > job.base_version && row) {
      await recordPublished(ctx, claimedJob, row, version, { recoveredAfterStop: true }).catch(
        async (error: unknown) => {
          ctx.log?.(`studio: publish job ${job.id}: ${(error as Error).message}`);
          await ctx.db
            .updateTable('publish_jobs')
            .set({
              state: 'failed',
              error: `The channel holds version ${version}, but it could not be recorded: ${(error as Error).message}`,
              finished_at: ctx.now().toISOString(),
              revision: claimedJob.revision + 1,
            })
            .where('id', '=', job.id)
            .execute();
        },
      );
    } else {
      const where = job.items_total > 0 ? ` (${job.stage}, ${job.items_done} of ${job.items_total} items)` : '';
      await ctx.db
        .updateTable('publish_jobs')
        .set({
          state: 'interrupted',
          error: `Studio stopped while this release was being published${where}. The channel was not changed; publish it again.`,
          finished_at: ctx.now().toISOString(),
          revision: claimedJob.revision + 1,
        })
        .where('id', '=', job.id)
        .execute();
    }
    await freePublishLock(ctx, job.channel, job.id);
    jobsOf(ctx).events.emit(job.id);
  }
}

/**
 * The publisher puts the signature in place, then channel.json, each by a rename: a Studio
 * killed between the two leaves the new signature beside the old channel.json, the new one
 * still in channel.json.tmp. When that signature is the pending file's, the publish is finished
 * (its release was complete); otherwise the leftover is removed.
 */
async function finishChannelWrite(ctx: StudioContext, channel: string): Promise<void> {
  const dir = channelDir(ctx.dataDir, channel);
  const pending = await readFile(path.join(dir, 'channel.json.tmp')).catch(() => null);
  if (!pending) return;
  const signature = await readFile(path.join(dir, 'channel.json.sig'), 'utf8').catch(() => '');
  const key = createPublicKey(await readPublicKey(ctx.dataDir, channel));
  if (verify(null, pending, key, Buffer.from(signature.trim(), 'base64')))
    await rename(path.join(dir, 'channel.json.tmp'), path.join(dir, 'channel.json'));
  else await rm(path.join(dir, 'channel.json.tmp'), { force: true });
}

async function releaseOfJob(ctx: StudioContext, job: PublishJobTable): Promise<ReleaseTable | null> {
  if (job.kind !== 'rollback') {
    return (
      (await ctx.db.selectFrom('releases').selectAll().where('id', '=', job.release_id).executeTakeFirst()) ?? null
    );
  }
  const earlier = await ctx.db
    .selectFrom('releases')
    .selectAll()
    .where('id', '=', job.source_release_id ?? '')
    .executeTakeFirst();
  return earlier ? rollbackRelease(earlier, job.release_id, job.started_by, job.started_at) : null;
}

/**
 * The job, once it has moved past revision `after` or finished, or after `waitMs`: a reader
 * long-polls instead of asking over and over. Jobs of this Studio wake it at once; a job run by
 * another Studio is looked at again every second.
 */
export async function waitForJob(
  ctx: StudioContext,
  id: string,
  after: number,
  waitMs: number,
): Promise<PublishJobView> {
  const { events } = jobsOf(ctx);
  const deadline = Date.now() + Math.min(waitMs, longestWaitMs);
  for (;;) {
    let row = await jobRow(ctx, id);
    if (!row) throw new StudioError('not-found', 'No such publish job.');
    if (row.state === 'running' && row.heartbeat_at < new Date(ctx.now().getTime() - staleMs).toISOString()) {
      await settleStoppedJobs(ctx);
      row = (await jobRow(ctx, id))!;
    }
    const left = deadline - Date.now();
    if (row.state !== 'running' || row.revision > after || left <= 0) return toJobView(row);
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        events.off(id, done);
        resolve();
      };
      const timer = setTimeout(done, Math.min(left, 1_000));
      events.on(id, done);
    });
  }
}

/** Looks for jobs of stopped Studios now and then; started with the server. */
export async function openPublishJobs(ctx: StudioContext): Promise<void> {
  const jobs = jobsOf(ctx);
  await settleStoppedJobs(ctx);
  jobs.sweeper = setInterval(() => void settleStoppedJobs(ctx).catch(() => {}), staleMs);
  jobs.sweeper.unref();
}

/** Lets the publishes under way finish (their release is then complete and recorded). */
export async function closePublishJobs(ctx: StudioContext): Promise<void> {
  const jobs = jobsOf(ctx);
  if (jobs.sweeper) clearInterval(jobs.sweeper);
  jobs.sweeper = null;
  await Promise.allSettled([...jobs.running]);
}

/** Resolves when every publish this Studio runs now has finished: for tests and the benchmark. */
export async function publishesSettled(ctx: StudioContext): Promise<void> {
  await Promise.allSettled([...jobsOf(ctx).running]);
}
