import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { StudioContext } from '../context.ts';
import type { StudioDb } from '../database/connection.ts';

/**
 * A rep's practice recordings in a subject access request and an erasure: their voice is
 * personal data like their records. An export lists each recording with its review and
 * comments (the audio stays in Studio, named by its sha256); an erasure deletes the rows in the
 * caller's transaction and, once it has committed, the audio nobody else's row names.
 */
export async function practiceOfRep(ctx: StudioContext, rep: string) {
  const rows = await ctx.db
    .selectFrom('practice_recordings')
    .selectAll()
    .where('rep', '=', rep)
    .orderBy('received_at')
    .execute();
  const comments =
    rows.length === 0
      ? []
      : await ctx.db
          .selectFrom('practice_comments')
          .selectAll()
          .where(
            'recording_id',
            'in',
            rows.map((r) => r.id),
          )
          .execute();
  return rows.map((r) => ({
    id: r.id,
    deviceId: r.device_id,
    promptId: r.prompt_id,
    promptTitle: r.prompt_title,
    recordedAt: r.recorded_at,
    receivedAt: r.received_at,
    durationMs: r.duration_ms,
    mime: r.mime,
    sha256: r.sha256,
    consentVersion: r.consent_version,
    shareAsExample: r.share_as_example === 1,
    example: r.example === 1,
    review: r.review ? (JSON.parse(r.review) as unknown) : null,
    transcript: r.transcript,
    comments: comments
      .filter((c) => c.recording_id === r.id)
      .map((c) => ({ atMs: c.at_ms, text: c.text, by: c.user_name, at: c.created_at })),
  }));
}

/** Deletes a rep's recordings and open uploads in `trx`; returns what to remove from disk after commit. */
export async function erasePracticeOfRep(
  trx: Pick<StudioDb, 'selectFrom' | 'deleteFrom'>,
  rep: string,
): Promise<{ recordings: number; files: string[]; uploads: string[] }> {
  const rows = await trx.selectFrom('practice_recordings').select(['id', 'sha256']).where('rep', '=', rep).execute();
  const devices = await trx.selectFrom('fleet_devices').select('id').where('rep_email', '=', rep).execute();
  const uploads =
    devices.length === 0
      ? []
      : await trx
          .selectFrom('practice_uploads')
          .select('id')
          .where(
            'device_id',
            'in',
            devices.map((d) => d.id),
          )
          .execute();
  if (rows.length > 0)
    await trx
      .deleteFrom('practice_recordings')
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
  if (uploads.length > 0)
    await trx
      .deleteFrom('practice_uploads')
      .where(
        'id',
        'in',
        uploads.map((u) => u.id),
      )
      .execute();
  return { recordings: rows.length, files: rows.map((r) => r.sha256), uploads: uploads.map((u) => u.id) };
}

/** After the erasure committed: the audio no remaining recording names, and the half-uploaded parts. */
export async function removeErasedPracticeFiles(
  ctx: StudioContext,
  erased: { files: string[]; uploads: string[] },
): Promise<void> {
  for (const sha256 of new Set(erased.files)) {
    const still = await ctx.db
      .selectFrom('practice_recordings')
      .select('id')
      .where('sha256', '=', sha256)
      .executeTakeFirst();
    if (!still) await rm(ctx.blobs.pathOf(sha256), { force: true });
  }
  for (const id of erased.uploads) await rm(path.join(ctx.dataDir, 'tmp', `practice-${id}`), { force: true });
}
