import { createHash } from 'node:crypto';
import { z } from 'zod';
import { pointsChanged } from '../points/points.ts';
import { recordAudit } from '../audit.ts';
import type { Caller, StudioContext } from '../context.ts';
import { StudioError } from '../errors.ts';
import { erasePracticeOfRep, practiceOfRep, removeErasedPracticeFiles } from '../practice/privacy.ts';
import { eraseTranscriptsOfRep, transcriptsOfRep } from '../rehearse/transcription/privacy.ts';
import { forgetForwards } from '../forwarding/queue.ts';
import { sqliteHandleOf } from '../database/connection.ts';
import { leadBoxOf } from './lead-key.ts';
import { kindLiteral } from './records.ts';
import { foldSeqColumn, forgetPending, LISTED_NAMES, pendingKey, withFoldsHeld } from './folding.ts';
import { checkRollupsFile, countErasure } from './rollups-file.ts';
import { retryDeadlocks } from './pgcommits.ts';
import { forgetRecords, isCounted } from './rollups.ts';

/** Whose data: one rep (by e-mail) or one lead (by its id, or the visitor's e-mail). */
export const privacySubject = z.union([
  z.object({ rep: z.string().trim().toLowerCase().pipe(z.email()) }).strict(),
  z.object({ lead: z.string().trim().min(1).max(128) }).strict(),
  z.object({ visitor: z.string().trim().toLowerCase().pipe(z.email()) }).strict(),
]);
export type PrivacySubject = z.infer<typeof privacySubject>;

interface Found {
  devices: { id: string; name: string; enrolledAt: string; revokedAt: string | null }[];
  records: { deviceId: string; key: string; kind: string; at: string; payload: unknown }[];
  /** A rep's practice recordings (their voice), with reviews and comments. */
  practice: Awaited<ReturnType<typeof practiceOfRep>>;
  /** A rep's rehearsal transcripts (their words); none for a lead. */
  transcripts: Awaited<ReturnType<typeof transcriptsOfRep>>;
}

/** The lead rows whose opened payload matches the subject (a lead's fields are sealed, so they are opened to compare). */
async function leadRows(ctx: StudioContext, subject: { lead?: string; visitor?: string }) {
  const box = leadBoxOf(ctx.dataDir);
  const rows = await ctx.db
    .selectFrom('fleet_records')
    .select(['device_id', 'idempotency_key', 'kind', 'at', 'payload', 'sealed'])
    .where('kind', '=', kindLiteral('lead'))
    .execute();
  return rows
    .map((r) => ({ ...r, opened: r.sealed ? box.open<Record<string, unknown>>(r.payload) : JSON.parse(r.payload) }))
    .filter((r) =>
      subject.lead !== undefined
        ? r.opened.leadId === subject.lead
        : String(r.opened.email ?? '').toLowerCase() === subject.visitor,
    );
}

async function find(ctx: StudioContext, subject: PrivacySubject): Promise<Found> {
  if ('rep' in subject) {
    const devices = await ctx.db
      .selectFrom('fleet_devices')
      .select(['id', 'name', 'enrolled_at', 'revoked_at'])
      .where('rep_email', '=', subject.rep)
      .execute();
    const records = await ctx.db
      .selectFrom('fleet_records')
      .select(['device_id', 'idempotency_key', 'kind', 'at', 'payload', 'sealed'])
      .where('rep', '=', subject.rep)
      .orderBy('at')
      .execute();
    const box = leadBoxOf(ctx.dataDir);
    return {
      devices: devices.map((d) => ({ id: d.id, name: d.name, enrolledAt: d.enrolled_at, revokedAt: d.revoked_at })),
      records: records.map((r) => ({
        deviceId: r.device_id,
        key: r.idempotency_key,
        kind: r.kind,
        at: r.at,
        payload: r.sealed ? box.open(r.payload) : (JSON.parse(r.payload) as unknown),
      })),
      practice: await practiceOfRep(ctx, subject.rep),
      transcripts: await transcriptsOfRep(ctx.db, subject.rep),
    };
  }
  const leads = await leadRows(ctx, subject);
  return {
    devices: [],
    records: leads.map((r) => ({
      deviceId: r.device_id,
      key: r.idempotency_key,
      kind: r.kind,
      at: r.at,
      payload: r.opened,
    })),
    practice: [],
    transcripts: [],
  };
}

/**
 * How the audit log names the person: a hash of their e-mail or lead id, so the log can answer
 * "was this person's data exported?" without keeping what was erased.
 */
const describe = (subject: PrivacySubject) => {
  const [kind, value] = Object.entries(subject)[0]!;
  return `${kind} sha256:${createHash('sha256').update(String(value)).digest('hex').slice(0, 16)}`;
};

/** Everything Studio holds about one person, opened, as one JSON document (a subject access request). */
export async function exportSubject(ctx: StudioContext, caller: Caller, subject: PrivacySubject) {
  const found = await find(ctx, subject);
  await recordAudit(ctx.db, {
    at: ctx.now(),
    userId: caller.user!.id,
    action: 'fleet-data-exported',
    subject: describe(subject),
    detail: { records: found.records.length },
  });
  // A rep's quiz attempts and points are theirs too.
  const rep = 'rep' in subject ? subject.rep : null;
  const [quizAttempts, points] = rep
    ? await Promise.all([
        ctx.db.selectFrom('quiz_attempts').selectAll().where('rep', '=', rep).orderBy('at').execute(),
        ctx.db.selectFrom('points_awards').selectAll().where('rep', '=', rep).orderBy('at').execute(),
      ])
    : [[], []];
  return { subject, exportedAt: ctx.now().toISOString(), ...found, quizAttempts, points };
}

/**
 * Erases one person's data: a rep's records, and their name and e-mail on devices and codes
 * (the devices are revoked, since they would go on sending as that rep); or one lead. The audit
 * log keeps that it happened and how much, not the data.
 */
export async function eraseSubject(ctx: StudioContext, caller: Caller, subject: PrivacySubject) {
  const at = ctx.now().toISOString();
  if ('rep' in subject) {
    // On PostgreSQL a fold may hold some of the rep's listed rows while the erasure takes
    // others: one of the two is then aborted to break the deadlock, and the erasure runs again.
    // On SQLite no fold runs meanwhile: the erasure writes the rollups' file (rollups-file.ts).
    const eraseRecords = () =>
      retryDeadlocks(() =>
        ctx.db.transaction().execute(async (trx) => {
          // Where each record stood with the CRM goes with it (not sent on, nothing left to list).
          await forgetForwards(
            trx,
            trx.selectFrom('fleet_records').select(['device_id', 'idempotency_key']).where('rep', '=', subject.rep),
          );
          // What the rep's records added to the rollups goes with them. The records that go are the
          // ones this delete returns; of those, the ones still listed for a fold added nothing: they
          // come off the list instead of out of the rollups.
          const deleted = await trx
            .deleteFrom('fleet_records')
            .where('rep', '=', subject.rep)
            // Its key and what the rollups count of it: the columns a listed row holds, its kind,
            // and on SQLite its fold number (whether a fold has counted it: folding.ts).
            .returning(['kind', ...LISTED_NAMES, foldSeqColumn(ctx.db)])
            .execute();
          const events = deleted.filter(isCounted);
          const unfolded = await forgetPending(trx, ctx.db, events);
          const counted = events.filter((r) => !unfolded.has(pendingKey(r)));
          await forgetRecords(trx, ctx.db, counted);
          await countErasure(trx, ctx.db);
          // Before the devices lose the rep's e-mail: their open uploads are found by it.
          const practice = await erasePracticeOfRep(trx, subject.rep);
          await trx.deleteFrom('quiz_attempts').where('rep', '=', subject.rep).execute();
          await trx.deleteFrom('points_awards').where('rep', '=', subject.rep).execute();
          const devices = await trx
            .updateTable('fleet_devices')
            .set((eb) => ({
              rep_name: '(erased)',
              rep_email: null,
              revoked_at: eb.fn.coalesce('revoked_at', eb.val(at)),
              revoked_by: eb.fn.coalesce('revoked_by', eb.val(caller.user!.id)),
            }))
            .where('rep_email', '=', subject.rep)
            .executeTakeFirst();
          await trx
            .updateTable('fleet_codes')
            .set({ rep_name: '(erased)', rep_email: null })
            .where('rep_email', '=', subject.rep)
            .execute();
          const erased = {
            records: deleted.length,
            devices: Number(devices.numUpdatedRows),
            transcripts: await eraseTranscriptsOfRep(trx, subject.rep),
            practiceRecordings: practice.recordings,
          };
          await recordAudit(trx, {
            at: ctx.now(),
            userId: caller.user!.id,
            action: 'fleet-data-erased',
            subject: describe(subject),
            detail: erased,
          });
          return { erased, practice };
        }),
      );
    const result = await withFoldsHeld(ctx, () =>
      eraseRecords().catch(async (error: unknown) => {
        // On SQLite a commit that failed after the main file's (a full disk) leaves the rollups
        // counting the erased records: they are counted again from the records now, not at the
        // next start. The erasure itself is reported failed, to be asked again.
        if (sqliteHandleOf(ctx.db) && (await checkRollupsFile(ctx.db).catch(() => null)))
          ctx.log?.('Fleet dashboards: their rollups were counted again after a failed erasure.');
        throw error;
      }),
    );
    await removeErasedPracticeFiles(ctx, result.practice);
    // After the commit: a leaderboard computed in between would otherwise be kept as current.
    pointsChanged();
    return { subject, erasedAt: at, ...result.erased };
  }
  const leads = await leadRows(ctx, subject);
  if (leads.length === 0) throw new StudioError('not-found', `No lead matches ${describe(subject)}.`);
  await ctx.db.transaction().execute(async (trx) => {
    for (const lead of leads) {
      await trx
        .deleteFrom('fleet_forwards')
        .where('device_id', '=', lead.device_id)
        .where('idempotency_key', '=', lead.idempotency_key)
        .execute();
      await trx
        .deleteFrom('fleet_records')
        .where('device_id', '=', lead.device_id)
        .where('idempotency_key', '=', lead.idempotency_key)
        .execute();
    }
    await recordAudit(trx, {
      at: ctx.now(),
      userId: caller.user!.id,
      action: 'fleet-data-erased',
      subject: describe(subject),
      detail: { records: leads.length },
    });
  });
  return { subject, erasedAt: at, records: leads.length, devices: 0 };
}
