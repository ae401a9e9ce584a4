import type { Kysely } from 'kysely';
import type { StudioTables } from '../../database/schema.ts';

/**
 * A rep's rehearsal transcripts are their words: a subject access request exports them and an
 * erasure deletes them, with the rest of the rep's fleet data (main/studio/fleet/privacy.ts).
 */
export async function transcriptsOfRep(db: Kysely<StudioTables>, email: string) {
  const rows = await db
    .selectFrom('practice_transcripts')
    .select(['recording_id', 'prompt_id', 'recorded_at', 'status', 'text', 'key_message_results'])
    .where('rep_email', '=', email)
    .orderBy('recorded_at')
    .execute();
  return rows.map((r) => ({
    recordingId: r.recording_id,
    promptId: r.prompt_id,
    recordedAt: r.recorded_at,
    status: r.status,
    text: r.text,
    keyMessages: r.key_message_results ? (JSON.parse(r.key_message_results) as unknown) : [],
  }));
}

export async function eraseTranscriptsOfRep(db: Kysely<StudioTables>, email: string): Promise<number> {
  const deleted = await db.deleteFrom('practice_transcripts').where('rep_email', '=', email).executeTakeFirst();
  return Number(deleted.numDeletedRows);
}
