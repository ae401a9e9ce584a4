import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { route, type RawResponse, type Routes } from '../../context.ts';
import type { StudioDb } from '../../database/connection.ts';
import { StudioError } from '../../errors.ts';
import { fleetScope, type FleetScope } from '../../fleet/scope.ts';
import type { KeyMessageResult } from './key-messages.ts';
import { transcriptFor } from './queue.ts';
import type { TranscribedPrompt } from '#shared/studio-rehearse';
import { howRepsSayIt, type HowRepsSayIt, type TranscriptRow } from './phrases.ts';

const promptId = z.string().min(1).max(200);

/** The transcribed recordings of one prompt a caller may see (a manager: their team's only). */
export async function transcriptRows(
  db: StudioDb,
  prompt: string,
  scope: FleetScope,
): Promise<{ prompt: { id: string; title: string; keyMessages: string[] } | null; rows: TranscriptRow[] }> {
  let query = db
    .selectFrom('practice_transcripts')
    .select([
      'recording_id',
      'rep',
      'team',
      'recorded_at',
      'text',
      'key_message_results',
      'prompt_title',
      'key_messages',
    ])
    .where('prompt_id', '=', prompt)
    .where('status', '=', 'done')
    .orderBy('recorded_at', 'desc')
    // The view is read by people: a thousand takes is far more than anyone compares.
    .limit(1000);
  if (scope.team !== null) query = query.where('team', '=', scope.team);
  const found = await query.execute();
  const latest = found[0];
  return {
    // The prompt as the newest recording saw it: marketing may have reworded it since.
    prompt: latest
      ? { id: prompt, title: latest.prompt_title, keyMessages: JSON.parse(latest.key_messages) as string[] }
      : null,
    rows: found.map((r) => ({
      recordingId: r.recording_id,
      rep: r.rep,
      team: r.team,
      recordedAt: r.recorded_at,
      text: r.text ?? '',
      keyMessages: r.key_message_results ? (JSON.parse(r.key_message_results) as KeyMessageResult[]) : [],
    })),
  };
}

/** The prompts with transcripts a caller may see, for picking one. */
export async function transcribedPrompts(db: StudioDb, scope: FleetScope): Promise<TranscribedPrompt[]> {
  let query = db
    .selectFrom('practice_transcripts')
    .select((eb) => [
      'prompt_id',
      eb.fn.max('prompt_title').as('title'),
      eb.fn.count<number>('recording_id').as('transcripts'),
      eb.fn.max('recorded_at').as('latest'),
    ])
    .where('status', '=', 'done')
    .groupBy('prompt_id')
    .orderBy('latest', 'desc');
  if (scope.team !== null) query = query.where('team', '=', scope.team);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.prompt_id,
    title: r.title ?? r.prompt_id,
    transcripts: Number(r.transcripts),
    latest: r.latest,
  }));
}

/** One of the view's two tables as CSV, for a spreadsheet or a workshop with the reps' words. */
function asCsv(view: HowRepsSayIt, table: 'phrases' | 'transcripts', day: string): RawResponse {
  const rows =
    table === 'phrases'
      ? [['Phrase', 'Times said', 'Reps'], ...view.phrases.map((p) => [p.phrase, p.count, p.reps])]
      : [
          ['Recorded', 'Rep', 'Team', 'Transcript', ...view.prompt.keyMessages],
          ...view.transcripts.map((t) => [
            t.recordedAt,
            t.rep ?? '',
            t.team ?? '',
            t.text,
            ...view.prompt.keyMessages.map((m) => {
              const found = t.keyMessages.find((k) => k.message === m);
              return found ? (found.said ? 'said' : 'missed') : '';
            }),
          ]),
        ];
  return {
    raw: true,
    status: 200,
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="how-reps-say-it-${view.prompt.id}-${table}-${day}.csv"`,
      'Cache-Control': 'no-store',
    },
    // A byte-order mark so spreadsheet programs read the UTF-8 as UTF-8.
    body: Buffer.from(`\ufeff${stringify(rows)}`, 'utf8'),
  };
}

export const transcriptionRoutes: Routes = {
  'rehearse.prompts': route({
    method: 'GET',
    path: '/api/rehearse/prompts',
    args: z.object({}).strict(),
    run: async (ctx, caller) => transcribedPrompts(ctx.db, await fleetScope(ctx, caller)),
  }),
  // One recording's transcript for the review screen: the same people, the same team scope.
  'rehearse.transcript': route({
    method: 'GET',
    path: '/api/rehearse/recordings/:recording/transcript',
    args: z.object({ recording: z.string().min(1).max(200) }).strict(),
    run: async (ctx, caller, args) => {
      const scope = await fleetScope(ctx, caller);
      const row = await ctx.db
        .selectFrom('practice_transcripts')
        .select('team')
        .where('recording_id', '=', args.recording)
        .executeTakeFirst();
      // Another team's recording is answered as absent, so its existence does not leak.
      if (!row || (scope.team !== null && row.team !== scope.team))
        throw new StudioError('not-found', `No transcript of recording "${args.recording}" that you may see.`);
      return transcriptFor(ctx.db, args.recording);
    },
  }),
  'rehearse.howRepsSayIt': route({
    method: 'GET',
    path: '/api/rehearse/prompts/:prompt/how-reps-say-it',
    args: z
      .object({
        prompt: promptId,
        minCount: z.coerce.number().int().min(1).max(100).default(2),
        format: z.enum(['json', 'csv']).default('json'),
        table: z.enum(['phrases', 'transcripts']).default('phrases'),
      })
      .strict(),
    run: async (ctx, caller, args) => {
      const { prompt, rows } = await transcriptRows(ctx.db, args.prompt, await fleetScope(ctx, caller));
      if (!prompt)
        throw new StudioError('not-found', `No transcribed recordings of prompt "${args.prompt}" that you may see.`);
      const view = howRepsSayIt(prompt, rows, { minCount: args.minCount });
      const generatedAt = ctx.now().toISOString();
      return args.format === 'csv' ? asCsv(view, args.table, generatedAt.slice(0, 10)) : { ...view, generatedAt };
    },
  }),
};
