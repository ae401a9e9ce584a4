import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rm, stat, truncate, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  PRACTICE_CHUNK_BYTES,
  PRACTICE_UPLOAD_MAX_BYTES,
  practiceUploadStart,
  type PracticeUploadStart,
  type PracticeUploadState,
} from '#shared/practice-review';
import type { StudioContext } from '../context.ts';
import { DeviceRefusal, type AuthenticatedDevice } from '../fleet/device-auth.ts';
import { enqueueTranscription } from '../rehearse/transcription/index.ts';
import { announceReceived } from './received.ts';

/**
 * The device's half of a practice recording's journey: a resumable upload, one per (device,
 * take). The bytes so far wait in DATA/tmp/practice-<id>, so a Studio restart keeps them; the
 * offset Studio answers is the size of that file, so a device always continues from what was
 * really written, never from what it believes it sent. The last byte makes Studio check the
 * whole file's sha256 against the one the device declared before the recording is stored.
 */
const partPath = (ctx: StudioContext, id: string) => path.join(ctx.dataDir, 'tmp', `practice-${id}`);

/** A device on the road may take days to get a recording through; a week without a byte gives it up. */
const ABANDONED_AFTER_MS = 7 * 86_400_000;

async function held(ctx: StudioContext, id: string): Promise<number> {
  return (await stat(partPath(ctx, id)).catch(() => null))?.size ?? 0;
}

export async function clearAbandonedPracticeUploads(ctx: StudioContext): Promise<number> {
  const before = new Date(ctx.now().getTime() - ABANDONED_AFTER_MS).toISOString();
  const stale = await ctx.db.selectFrom('practice_uploads').select('id').where('created_at', '<', before).execute();
  for (const { id } of stale) {
    await rm(partPath(ctx, id), { force: true });
    await ctx.db.deleteFrom('practice_uploads').where('id', '=', id).execute();
  }
  return stale.length;
}

/** Opens the upload of a take, or finds it again: the answer says from which byte to go on. */
export async function startPracticeUpload(
  ctx: StudioContext,
  device: AuthenticatedDevice,
  body: unknown,
): Promise<PracticeUploadState> {
  const parsed = practiceUploadStart.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DeviceRefusal(400, 'bad-request', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  const start = parsed.data;
  if (device.booth !== null || device.rep === null)
    throw new DeviceRefusal(400, 'bad-request', 'Only a rep’s device sends practice recordings; a booth has no rep.');
  if (start.size > PRACTICE_UPLOAD_MAX_BYTES)
    throw new DeviceRefusal(
      413,
      'too-large',
      `A practice recording may be at most ${PRACTICE_UPLOAD_MAX_BYTES / (1024 * 1024)} MB; this one is ${start.size} bytes.`,
    );
  return ctx.serialise(`practice:${device.id}:${start.takeId}`, async () => {
    const done = await ctx.db
      .selectFrom('practice_recordings')
      .select(['id', 'bytes'])
      .where('device_id', '=', device.id)
      .where('take_id', '=', start.takeId)
      .executeTakeFirst();
    if (done) return { uploadId: done.id, offset: Number(done.bytes), size: Number(done.bytes), recordingId: done.id };
    const pending = await ctx.db
      .selectFrom('practice_uploads')
      .selectAll()
      .where('device_id', '=', device.id)
      .where('take_id', '=', start.takeId)
      .executeTakeFirst();
    if (pending && pending.sha256 === start.sha256 && Number(pending.size) === start.size) {
      // What is asked now is what the recording's row will say (consent may have been given again).
      await ctx.db
        .updateTable('practice_uploads')
        .set({ meta: JSON.stringify(start) })
        .where('id', '=', pending.id)
        .execute();
      return { uploadId: pending.id, offset: await held(ctx, pending.id), size: start.size, recordingId: null };
    }
    if (pending) {
      // Another file under the same take id: what arrived of the old one is no part of it.
      await rm(partPath(ctx, pending.id), { force: true });
      await ctx.db.deleteFrom('practice_uploads').where('id', '=', pending.id).execute();
    }
    await clearAbandonedPracticeUploads(ctx);
    const id = randomUUID();
    await writeFile(partPath(ctx, id), new Uint8Array(0), { flag: 'wx' });
    await ctx.db
      .insertInto('practice_uploads')
      .values({
        id,
        device_id: device.id,
        take_id: start.takeId,
        meta: JSON.stringify(start),
        size: start.size,
        sha256: start.sha256,
        created_at: ctx.now().toISOString(),
      })
      .execute();
    return { uploadId: id, offset: 0, size: start.size, recordingId: null };
  });
}

/**
 * Appends one chunk at `offset`. A chunk that does not start where Studio stands is refused
 * with Studio's offset (409), so a repeated or stale chunk is never written twice. A connection
 * cut mid-chunk keeps the bytes that arrived; the device asks for the offset and goes on.
 */
export async function appendPracticeUpload(
  ctx: StudioContext,
  device: AuthenticatedDevice,
  uploadId: string,
  offset: number,
  request: IncomingMessage,
  log?: (line: string) => void,
): Promise<PracticeUploadState> {
  const session = await ctx.db
    .selectFrom('practice_uploads')
    .selectAll()
    .where('id', '=', uploadId)
    .where('device_id', '=', device.id)
    .executeTakeFirst();
  if (!session) {
    // A repeat of the last chunk after Studio already stored the recording: the same answer again.
    const done = await ctx.db
      .selectFrom('practice_recordings')
      .select(['id', 'bytes'])
      .where('id', '=', uploadId)
      .where('device_id', '=', device.id)
      .executeTakeFirst();
    if (done) {
      request.resume();
      return { uploadId, offset: Number(done.bytes), size: Number(done.bytes), recordingId: done.id };
    }
    throw new DeviceRefusal(404, 'not-found', 'No such upload on Studio: start it again.');
  }
  const size = Number(session.size);
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > PRACTICE_CHUNK_BYTES * 4)
    throw new DeviceRefusal(413, 'too-large', `A chunk may be at most ${PRACTICE_CHUNK_BYTES * 4} bytes.`);
  return ctx.serialise(`practice-upload:${session.id}`, async () => {
    const current = await held(ctx, session.id);
    if (offset !== current) {
      request.resume();
      throw new DeviceRefusal(409, 'conflict', `Studio holds ${current} bytes of this recording; send from there.`, {
        offset: current,
      });
    }
    let count = 0;
    try {
      await pipeline(
        request,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            count += chunk.length;
            if (current + count > size)
              throw new DeviceRefusal(413, 'too-large', `More bytes than the ${size} announced.`);
            if (count > PRACTICE_CHUNK_BYTES * 4)
              throw new DeviceRefusal(413, 'too-large', `A chunk may be at most ${PRACTICE_CHUNK_BYTES * 4} bytes.`);
            yield chunk;
          }
        },
        createWriteStream(partPath(ctx, session.id), { flags: 'a' }),
      );
    } catch (error) {
      if (error instanceof DeviceRefusal) {
        await truncate(partPath(ctx, session.id), current);
        throw error;
      }
      // Cut mid-chunk: what arrived stays; the device learns the offset when it asks again.
      return { uploadId: session.id, offset: await held(ctx, session.id), size, recordingId: null };
    }
    const now = await held(ctx, session.id);
    if (now < size) return { uploadId: session.id, offset: now, size, recordingId: null };
    return finish(ctx, device, session, log);
  });
}

/** The container by its first bytes, whatever the device declared: WebM (EBML), Ogg, or MP4 (ftyp). */
function looksLikeMedia(head: Buffer): boolean {
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) return true;
  if (head.subarray(0, 4).toString('latin1') === 'OggS') return true;
  return head.length >= 8 && head.subarray(4, 8).toString('latin1') === 'ftyp';
}

async function finish(
  ctx: StudioContext,
  device: AuthenticatedDevice,
  session: { id: string; take_id: string; meta: string; size: number | string | bigint; sha256: string },
  log?: (line: string) => void,
): Promise<PracticeUploadState> {
  const tempPath = partPath(ctx, session.id);
  const size = Number(session.size);
  const hash = createHash('sha256');
  await pipeline(createReadStream(tempPath), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) hash.update(chunk);
  });
  const sha256 = hash.digest('hex');
  if (sha256 !== session.sha256) {
    // Nothing of a file that is not the one declared is kept: the device sends it again whole.
    await rm(tempPath, { force: true });
    await ctx.db.deleteFrom('practice_uploads').where('id', '=', session.id).execute();
    throw new DeviceRefusal(
      400,
      'checksum',
      'The recording Studio received does not match its checksum; nothing of it was kept.',
    );
  }
  const meta = JSON.parse(session.meta) as PracticeUploadStart;
  const handle = await open(tempPath, 'r');
  const head = Buffer.alloc(Math.min(4096, size));
  await handle.read(head, 0, head.length, 0);
  await handle.close();
  if (!looksLikeMedia(head)) {
    await rm(tempPath, { force: true });
    await ctx.db.deleteFrom('practice_uploads').where('id', '=', session.id).execute();
    throw new DeviceRefusal(400, 'bad-request', 'The recording is not WebM, Ogg or MP4; nothing of it was kept.');
  }
  await ctx.blobs.commit({ tempPath, sha256, size, head });
  const person = await ctx.db
    .selectFrom('fleet_devices')
    .select(['rep_name'])
    .where('id', '=', device.id)
    .executeTakeFirst();
  const at = ctx.now().toISOString();
  // The recording takes the upload's id: a repeated last chunk finds it by that id.
  const id = session.id;
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('practice_recordings')
      .values({
        id,
        device_id: device.id,
        take_id: session.take_id,
        rep: device.rep,
        rep_name: person?.rep_name ?? null,
        team: device.team,
        prompt_id: meta.promptId,
        prompt_title: meta.promptTitle,
        key_messages: JSON.stringify(meta.keyMessages),
        release_version: meta.releaseVersion,
        mime: meta.mime,
        duration_ms: meta.durationMs,
        bytes: size,
        sha256,
        recorded_at: meta.recordedAt,
        consent_version: meta.consent.version,
        share_as_example: meta.consent.shareAsExample ? 1 : 0,
        received_at: at,
        changed_at: at,
        review: null,
        transcript: null,
        key_message_checks: null,
        example: 0,
      })
      .execute();
    await trx.deleteFrom('practice_uploads').where('id', '=', session.id).execute();
  });
  // Handed on: transcription first (its own queue, returns at once), then anyone else listening.
  try {
    await enqueueTranscription(
      ctx.db,
      {
        recordingId: id,
        promptId: meta.promptId,
        promptTitle: meta.promptTitle,
        keyMessages: meta.keyMessages.filter((m) => m.trim() !== ''),
        file: ctx.blobs.pathOf(sha256),
        mime: meta.mime,
        deviceId: device.id,
        rep: person?.rep_name ?? device.rep,
        repEmail: device.rep,
        team: device.team,
        recordedAt: meta.recordedAt,
      },
      ctx.now(),
    );
  } catch (error) {
    // The recording is stored and reviewable either way; the log says why it is not transcribed.
    (log ?? ((line: string) => process.stderr.write(`${line}\n`)))(
      `studio: practice recording ${id} not queued for transcription: ${(error as Error).message}`,
    );
  }
  await announceReceived(
    ctx,
    {
      id,
      deviceId: device.id,
      takeId: session.take_id,
      promptId: meta.promptId,
      keyMessages: meta.keyMessages,
      mime: meta.mime,
      path: ctx.blobs.pathOf(sha256),
    },
    log,
  );
  return { uploadId: id, offset: size, size, recordingId: id };
}
