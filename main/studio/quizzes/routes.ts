import { z } from 'zod';
import { catalogueQuiz } from '#shared/quiz';
import { starterQuizFromGlossary } from '#shared/starter-quiz';
import type { StudioQuiz } from '#shared/studio-quiz';
import { recordAudit } from '../audit.ts';
import { route, type Routes, type StudioContext } from '../context.ts';
import { StudioError } from '../errors.ts';
import { loadGlossary } from '../library/channel-content.ts';
import { channelId, requireChannel } from '../library/routes.ts';
import { loadQuizRows, parseQuiz, quizProblems, saveQuizRow, toStudioQuiz } from './quizzes.ts';

const quizId = z.string().min(1).max(128);

/** The draft's item and term ids: what a quiz may refer to. */
async function draftSubjects(ctx: StudioContext, channel: string) {
  const [items, glossary] = await Promise.all([
    ctx.db.selectFrom('items').select('id').where('channel', '=', channel).execute(),
    loadGlossary(ctx.db, channel),
  ]);
  return { itemIds: new Set(items.map((i) => i.id)), termIds: new Set(glossary.map((t) => t.id)) };
}

async function listQuizzes(ctx: StudioContext, channel: string): Promise<StudioQuiz[]> {
  const [rows, subjects] = await Promise.all([loadQuizRows(ctx.db, channel), draftSubjects(ctx, channel)]);
  return rows.map((row) => toStudioQuiz(row, subjects.itemIds, subjects.termIds));
}

export const quizRoutes: Routes = {
  'quizzes.list': route({
    method: 'GET',
    path: '/api/channels/:channel/quizzes',
    args: z.object({ channel: channelId }).strict(),
    async run(ctx, _caller, args) {
      await requireChannel(ctx, args.channel);
      return listQuizzes(ctx, args.channel);
    },
  }),
  'quizzes.save': route({
    method: 'PUT',
    path: '/api/channels/:channel/quizzes/:id',
    // The quiz itself is checked by parseQuiz, so its errors name the question and choice.
    args: z.object({ channel: channelId, id: quizId, quiz: z.unknown(), active: z.boolean() }).strict(),
    async run(ctx, caller, args) {
      await requireChannel(ctx, args.channel);
      const parsed = parseQuiz(args.quiz);
      if (!parsed.ok) throw new StudioError('bad-request', parsed.message);
      const quiz = parsed.quiz;
      if (quiz.id !== args.id) throw new StudioError('bad-request', `The quiz's id "${quiz.id}" is not "${args.id}".`);
      const subjects = await draftSubjects(ctx, args.channel);
      const problems = quizProblems(quiz, subjects.itemIds, subjects.termIds);
      if (problems.length > 0) throw new StudioError('bad-request', `${problems.join('; ')}.`);
      const existing = await loadQuizRows(ctx.db, args.channel);
      const position = existing.find((r) => r.id === quiz.id)?.position ?? existing.length;
      await ctx.db.transaction().execute(async (trx) => {
        await saveQuizRow(trx, {
          channel: args.channel,
          id: quiz.id,
          title: quiz.title,
          kind: quiz.kind,
          item: quiz.item ?? null,
          term: quiz.term ?? null,
          pass_percent: quiz.passPercent,
          active: args.active ? 1 : 0,
          questions: JSON.stringify(quiz.questions),
          position,
          updated_at: ctx.now().toISOString(),
          updated_by: caller.user!.email,
        });
        await recordAudit(trx, {
          at: ctx.now(),
          userId: caller.user!.id,
          action: 'quiz-edited',
          subject: `${args.channel}/quizzes/${quiz.id}`,
          detail: { questions: quiz.questions.length, active: args.active },
        });
      });
      return (await listQuizzes(ctx, args.channel)).find((q) => q.id === quiz.id)!;
    },
  }),
  'quizzes.remove': route({
    method: 'DELETE',
    path: '/api/channels/:channel/quizzes/:id',
    args: z.object({ channel: channelId, id: quizId }).strict(),
    async run(ctx, caller, args) {
      await requireChannel(ctx, args.channel);
      await ctx.db.transaction().execute(async (trx) => {
        const removed = await trx
          .deleteFrom('quizzes')
          .where('channel', '=', args.channel)
          .where('id', '=', args.id)
          .executeTakeFirst();
        if (Number(removed.numDeletedRows) === 0) throw new StudioError('not-found', `No quiz "${args.id}".`);
        await recordAudit(trx, {
          at: ctx.now(),
          userId: caller.user!.id,
          action: 'quiz-removed',
          subject: `${args.channel}/quizzes/${args.id}`,
        });
      });
      return {};
    },
  }),
  'quizzes.starter': route({
    method: 'POST',
    path: '/api/channels/:channel/quizzes/starter',
    args: z.object({ channel: channelId }).strict(),
    async run(ctx, _caller, args) {
      await requireChannel(ctx, args.channel);
      const glossary = await loadGlossary(ctx.db, args.channel);
      const taken = new Set((await loadQuizRows(ctx.db, args.channel)).map((r) => r.id));
      let id = 'glossary-starter';
      for (let n = 2; taken.has(id); n++) id = `glossary-starter-${n}`;
      const quiz = starterQuizFromGlossary(glossary, { id });
      if (!quiz)
        throw new StudioError(
          'bad-request',
          'A starter quiz needs at least two glossary terms with different definitions; add terms first.',
        );
      // Not saved: marketing edits it and saves it like any quiz.
      return catalogueQuiz.parse(quiz);
    },
  }),
};
