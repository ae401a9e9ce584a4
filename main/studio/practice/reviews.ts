import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { z } from 'zod';
import {
  RUBRIC_RATINGS,
  practiceReview,
  type PracticeFeed,
  type PracticeRecordingDetail,
  type PracticeRecordingPage,
  type PracticeRecordingView,
  type PracticeFeedEntry,
  type PracticeReview,
  type RubricRating,
} from '#shared/practice-review';
import { recordAudit } from '../audit.ts';
import type { Caller, RawResponse, StudioContext } from '../context.ts';
import { StudioError } from '../errors.ts';
import { fleetScope, type FleetScope } from '../fleet/scope.ts';
import { awardPoints } from '../points/points.ts';
import { transcriptFor } from '../rehearse/transcription/index.ts';
import type { PracticeRecordingTable } from './tables.ts';

/**
 * Reviewing practice recordings in Studio: marketing (admin, editor, approver) reviews every
 * rep's, a manager only their own team's (the fleet's scope), a viewer none. Every review,
 * comment and example mark is audited and bumps the recording's `changed_at`, which is how the
 * rep's device hears of it in its next feed.
 */
export const PAGE_SIZE_MAX = 100;

export const listQuery = z
  .object({
    prompt: z.string().max(128).optional(),
    team: z.string().max(200).optional(),
    rep: z.string().max(320).optional(),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(PAGE_SIZE_MAX).default(25),
  })
  .strict();

export const reviewInput = z
  .object({
    id: z.string().min(1).max(64),
    overall: z.number().int().min(1).max(5),
    rubric: z.array(z.object({ message: z.string().max(500), rating: z.enum(RUBRIC_RATINGS) }).strict()).max(20),
  })
  .strict();

export const commentInput = z
  .object({
    id: z.string().min(1).max(64),
    atMs: z.number().int().nonnegative(),
    text: z.string().trim().min(1).max(2000),
  })
  .strict();

export type RecordingRow = PracticeRecordingView;
export type RecordingDetail = PracticeRecordingDetail;

type Stored = Omit<PracticeReview, 'comments'>;
const parseReview = (text: string | null): Stored | null => (text ? (JSON.parse(text) as Stored) : null);

function toRow(r: PracticeRecordingTable): RecordingRow {
  const review = parseReview(r.review);
  return {
    id: r.id,
    rep: r.rep,
    repName: r.rep_name,
    team: r.team,
    promptId: r.prompt_id,
    promptTitle: r.prompt_title,
    releaseVersion: r.release_version,
    mime: r.mime,
    durationMs: r.duration_ms,
    bytes: Number(r.bytes),
    recordedAt: r.recorded_at,
    receivedAt: r.received_at,
    consentVersion: r.consent_version,
    shareAsExample: r.share_as_example === 1,
    example: r.example === 1,
    status: review ? 'reviewed' : 'received',
    overall: review?.overall ?? null,
  };
}

/** A recording the caller may hear; one outside a manager's team is as good as absent. */
async function recordingFor(ctx: StudioContext, scope: FleetScope, id: string): Promise<PracticeRecordingTable> {
  const row = await ctx.db.selectFrom('practice_recordings').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || (scope.team !== null && row.team !== scope.team))
    throw new StudioError('not-found', 'No such practice recording.');
  return row;
}

async function commentsOf(ctx: StudioContext, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return ctx.db
    .selectFrom('practice_comments')
    .selectAll()
    .where('recording_id', 'in', ids)
    .orderBy('at_ms')
    .orderBy('created_at')
    .execute();
}

export async function listRecordings(
  ctx: StudioContext,
  caller: Caller,
  args: z.infer<typeof listQuery>,
): Promise<PracticeRecordingPage> {
  const scope = await fleetScope(ctx, caller);
  let base = ctx.db.selectFrom('practice_recordings');
  if (scope.team !== null) base = base.where('team', '=', scope.team);
  const facets = await base.select(['prompt_id', 'prompt_title', 'team', 'rep', 'rep_name']).distinct().execute();
  let query = base;
  if (args.prompt) query = query.where('prompt_id', '=', args.prompt);
  if (args.team) query = query.where('team', '=', args.team);
  if (args.rep) query = query.where('rep', '=', args.rep);
  const total = Number(
    (await query.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirst())?.n ?? 0,
  );
  const rows = await query
    .selectAll()
    .orderBy('received_at', 'desc')
    .orderBy('id')
    .limit(args.pageSize)
    .offset((args.page - 1) * args.pageSize)
    .execute();
  const unique = <T>(values: T[], key: (v: T) => string) => [...new Map(values.map((v) => [key(v), v])).values()];
  return {
    rows: rows.map(toRow),
    total,
    page: args.page,
    pageSize: args.pageSize,
    scope: scope.team,
    filters: {
      prompts: unique(facets, (f) => f.prompt_id)
        .map((f) => ({ id: f.prompt_id, title: f.prompt_title }))
        .sort((a, b) => a.title.localeCompare(b.title)),
      teams: [...new Set(facets.map((f) => f.team).filter((t): t is string => t !== null))].sort(),
      reps: unique(
        facets.filter((f) => f.rep !== null),
        (f) => f.rep!,
      )
        .map((f) => ({ email: f.rep!, name: f.rep_name ?? f.rep! }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    },
  };
}

/** What transcription found for a recording: Studio's queue when it is done, else what a handler stored on the row. */
async function heardIn(
  ctx: StudioContext,
  row: PracticeRecordingTable,
): Promise<{ transcript: string | null; keyMessages: { message: string; said: boolean; heard?: string }[] | null }> {
  const done = await transcriptFor(ctx.db, row.id);
  if (done?.status === 'done')
    return {
      transcript: done.text,
      keyMessages: done.keyMessages.map((k) => ({
        message: k.message,
        said: k.said,
        ...(k.heard !== undefined ? { heard: k.heard.slice(0, 2000) } : {}),
      })),
    };
  return {
    transcript: row.transcript,
    keyMessages: row.key_message_checks
      ? (JSON.parse(row.key_message_checks) as { message: string; said: boolean; heard?: string }[])
      : null,
  };
}

export async function recordingDetail(ctx: StudioContext, caller: Caller, id: string): Promise<RecordingDetail> {
  const row = await recordingFor(ctx, await fleetScope(ctx, caller), id);
  const comments = await commentsOf(ctx, [id]);
  const heard = await heardIn(ctx, row);
  return {
    ...toRow(row),
    keyMessages: JSON.parse(row.key_messages) as string[],
    review: parseReview(row.review),
    comments: comments.map((c) => ({ id: c.id, atMs: c.at_ms, text: c.text, by: c.user_name, at: c.created_at })),
    transcript: heard.transcript,
    keyMessageChecks: heard.keyMessages,
  };
}

/**
 * The recording's bytes, with byte ranges so the player can seek (a comment's time) without
 * fetching the whole file first.
 */
export async function recordingAudio(
  ctx: StudioContext,
  caller: Caller,
  id: string,
  range: string | undefined,
): Promise<RawResponse> {
  const row = await recordingFor(ctx, await fleetScope(ctx, caller), id);
  const size = Number(row.bytes);
  const file = ctx.blobs.pathOf(row.sha256);
  const headers = {
    'Content-Type': row.mime,
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'private, no-store',
  };
  const match = range ? /^bytes=(\d*)-(\d*)$/.exec(range.trim()) : null;
  if (match && (match[1] || match[2])) {
    let start = match[1] ? Number(match[1]) : Math.max(0, size - Number(match[2]));
    let end = match[1] && match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
    if (start >= size || start > end) {
      return { raw: true, status: 416, headers: { ...headers, 'Content-Range': `bytes */${size}` }, body: null };
    }
    start = Math.max(0, start);
    end = Math.max(start, end);
    return {
      raw: true,
      status: 206,
      headers: {
        ...headers,
        'Content-Range': `bytes ${start}-${end}/${size}`,
        'Content-Length': String(end - start + 1),
      },
      body: createReadStream(file, { start, end }),
    };
  }
  return {
    raw: true,
    status: 200,
    headers: { ...headers, 'Content-Length': String(size) },
    body: createReadStream(file),
  };
}

export async function saveReview(ctx: StudioContext, caller: Caller, args: z.infer<typeof reviewInput>) {
  const row = await recordingFor(ctx, await fleetScope(ctx, caller), args.id);
  const keyMessages = JSON.parse(row.key_messages) as string[];
  // The rubric is the prompt's key messages, each rated once: nothing more, nothing left out.
  const rated = new Map<string, RubricRating>(args.rubric.map((r) => [r.message, r.rating]));
  if (rated.size !== args.rubric.length || keyMessages.some((m) => !rated.has(m)) || rated.size !== keyMessages.length)
    throw new StudioError('bad-request', 'Rate each of the prompt’s key messages once: said, partly or missed.');
  const at = ctx.now().toISOString();
  const review: Stored = {
    overall: args.overall,
    rubric: keyMessages.map((message) => ({ message, rating: rated.get(message)! })),
    reviewer: caller.user!.name,
    reviewedAt: at,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('practice_recordings')
      .set({ review: JSON.stringify(review), changed_at: at })
      .where('id', '=', row.id)
      .execute();
    await recordAudit(trx, {
      at: ctx.now(),
      userId: caller.user!.id,
      action: 'practice-reviewed',
      subject: row.id,
      detail: { overall: review.overall, rep: row.rep, prompt: row.prompt_id },
    });
    // The rep's points for reviewed practice: once per recording, however often it is re-scored.
    if (row.rep)
      await awardPoints(trx, {
        rep: row.rep,
        team: row.team,
        reason: 'practice-reviewed',
        subject: row.id,
        label: `Practice reviewed: “${row.prompt_title}”`,
        at,
      });
  });
  return recordingDetail(ctx, caller, row.id);
}

export async function addComment(ctx: StudioContext, caller: Caller, args: z.infer<typeof commentInput>) {
  const row = await recordingFor(ctx, await fleetScope(ctx, caller), args.id);
  if (args.atMs > row.duration_ms + 1000)
    throw new StudioError('bad-request', 'That moment is after the end of the recording.');
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('practice_comments')
      .values({
        id: randomUUID(),
        recording_id: row.id,
        at_ms: Math.min(args.atMs, row.duration_ms),
        text: args.text,
        user_id: caller.user!.id,
        user_name: caller.user!.name,
        created_at: at,
      })
      .execute();
    await trx.updateTable('practice_recordings').set({ changed_at: at }).where('id', '=', row.id).execute();
    await recordAudit(trx, {
      at: ctx.now(),
      userId: caller.user!.id,
      action: 'practice-commented',
      subject: row.id,
      detail: { atMs: args.atMs },
    });
  });
  return recordingDetail(ctx, caller, row.id);
}

/** Only a recording whose rep allowed it may become an example for every rep. */
export async function markExample(ctx: StudioContext, caller: Caller, args: { id: string; example: boolean }) {
  const row = await recordingFor(ctx, await fleetScope(ctx, caller), args.id);
  if (args.example && row.share_as_example !== 1)
    throw new StudioError('forbidden', 'The rep did not allow this recording to be shared as an example.');
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('practice_recordings')
      .set({ example: args.example ? 1 : 0, changed_at: at })
      .where('id', '=', row.id)
      .execute();
    await recordAudit(trx, {
      at: ctx.now(),
      userId: caller.user!.id,
      action: 'practice-example-marked',
      subject: row.id,
      detail: { example: args.example },
    });
  });
  return recordingDetail(ctx, caller, row.id);
}

/**
 * One device's feed: its recordings changed at or after the cursor (a change in the same
 * instant as the cursor comes again; the device keeps one entry per recording, so a repeat
 * changes nothing).
 */
export async function practiceFeedFor(ctx: StudioContext, deviceId: string, after: string | undefined) {
  // A transcript finished since the cursor changes its recording's entry too.
  let transcribed = ctx.db
    .selectFrom('practice_transcripts')
    .select(['recording_id', 'updated_at'])
    .where('device_id', '=', deviceId)
    .where('status', '=', 'done');
  if (after) transcribed = transcribed.where('updated_at', '>=', after);
  const heardSince = await transcribed.orderBy('updated_at').limit(500).execute();
  let query = ctx.db.selectFrom('practice_recordings').selectAll().where('device_id', '=', deviceId);
  if (after)
    query = query.where((eb) =>
      eb.or([
        eb('changed_at', '>=', after),
        ...(heardSince.length > 0
          ? [
              eb(
                'id',
                'in',
                heardSince.map((t) => t.recording_id),
              ),
            ]
          : []),
      ]),
    );
  const rows = await query.orderBy('changed_at').orderBy('id').limit(500).execute();
  const comments = await commentsOf(
    ctx,
    rows.map((r) => r.id),
  );
  const heardOf = new Map(await Promise.all(rows.map(async (r) => [r.id, await heardIn(ctx, r)] as const)));
  const entries: PracticeFeedEntry[] = rows.map((r) => {
    const review = parseReview(r.review);
    const own = comments
      .filter((c) => c.recording_id === r.id)
      .map((c) => ({ atMs: c.at_ms, text: c.text, by: c.user_name, at: c.created_at }));
    const entry: PracticeFeedEntry = {
      recordingId: r.id,
      takeId: r.take_id,
      promptId: r.prompt_id,
      status: review ? 'reviewed' : 'received',
      example: r.example === 1,
    };
    const heard = heardOf.get(r.id)!;
    if (heard.transcript !== null) entry.transcript = heard.transcript.slice(0, 100_000);
    if (heard.keyMessages !== null) entry.keyMessages = heard.keyMessages;
    // Comments travel with the score: a reviewer's notes reach the rep once the review is saved.
    if (review) entry.review = practiceReview.parse({ ...review, comments: own });
    return entry;
  });
  const examples = await ctx.db
    .selectFrom('practice_recordings')
    .select(['id', 'prompt_id', 'prompt_title', 'team', 'duration_ms', 'mime', 'bytes', 'sha256'])
    .where('example', '=', 1)
    .where('share_as_example', '=', 1)
    .orderBy('received_at', 'desc')
    .limit(500)
    .execute();
  const feed: PracticeFeed = {
    entries,
    cursor:
      [after ?? null, rows.at(-1)?.changed_at ?? null, heardSince.at(-1)?.updated_at ?? null]
        .filter((t): t is string => t !== null)
        .sort()
        .at(-1) ?? null,
    examples: examples.map((e) => ({
      recordingId: e.id,
      promptId: e.prompt_id,
      promptTitle: e.prompt_title,
      team: e.team,
      durationMs: e.duration_ms,
      mime: e.mime,
      size: Number(e.bytes),
      sha256: e.sha256,
    })),
  };
  return feed;
}

/** An example's audio for any rep's device: only while it is an example its rep allowed. */
export async function exampleAudio(ctx: StudioContext, id: string): Promise<RawResponse> {
  const row = await ctx.db
    .selectFrom('practice_recordings')
    .select(['mime', 'bytes', 'sha256'])
    .where('id', '=', id)
    .where('example', '=', 1)
    .where('share_as_example', '=', 1)
    .executeTakeFirst();
  if (!row) throw new StudioError('not-found', 'No such example.');
  return {
    raw: true,
    status: 200,
    headers: { 'Content-Type': row.mime, 'Content-Length': String(Number(row.bytes)), 'Cache-Control': 'no-store' },
    body: createReadStream(ctx.blobs.pathOf(row.sha256)),
  };
}
