import { sql } from 'kysely';
import { z } from 'zod';
import { LEADERBOARD_DAYS } from '#shared/standing';
import type { RepProgress, StudioLeaderboard, TeamProgress } from '#shared/studio-quiz';
import type { Caller, StudioContext } from '../context.ts';
import { route, type Routes } from '../context.ts';
import { StudioError } from '../errors.ts';
import { fleetScope } from '../fleet/scope.ts';
import type { Snapshot } from '../releases/snapshot.ts';
import { leaderboard } from './points.ts';

const teamArg = z.object({ team: z.string().min(1).max(200).optional() }).strict();

/** A manager sees their own team whatever they ask for; marketing and admins any team, or all. */
async function teamFor(ctx: StudioContext, caller: Caller, asked: string | undefined): Promise<string | null> {
  const scope = await fleetScope(ctx, caller);
  if (scope.team !== null) {
    if (asked !== undefined && asked !== scope.team) throw new StudioError('forbidden', 'You see your own team only.');
    return scope.team;
  }
  return asked ?? null;
}

/** The quizzes of each channel's latest published release: what "completed" is counted against. */
async function publishedQuizIds(ctx: StudioContext): Promise<Set<string>> {
  const rows = await ctx.db
    .selectFrom('releases')
    .select(['channel', 'version', 'snapshot'])
    .where('state', '=', 'published')
    .orderBy('version', 'desc')
    .execute();
  const ids = new Set<string>();
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.channel)) continue;
    seen.add(row.channel);
    for (const q of (JSON.parse(row.snapshot) as Snapshot).quizzes ?? []) ids.add(q.id);
  }
  return ids;
}

async function teamProgress(ctx: StudioContext, team: string | null): Promise<TeamProgress> {
  const board = await leaderboard(ctx, team);
  const since = new Date(ctx.now().getTime() - LEADERBOARD_DAYS * 86_400_000).toISOString();
  let devices = ctx.db
    .selectFrom('fleet_devices')
    .select(['rep_email', 'rep_name', 'team', 'enrolled_at'])
    .where('rep_email', 'is not', null)
    .orderBy('enrolled_at');
  if (team !== null) devices = devices.where('team', '=', team);
  let attempts = ctx.db
    .selectFrom('quiz_attempts')
    .select([
      'rep',
      'quiz_id',
      (eb) => eb.fn.max('percent').as('best'),
      (eb) => eb.fn.max('passed').as('passed'),
      (eb) => eb.fn.countAll<number>().as('attempts'),
      (eb) => eb.fn.max('at').as('last'),
    ])
    .where('rep', 'is not', null)
    .groupBy(['rep', 'quiz_id']);
  if (team !== null) attempts = attempts.where('team', '=', team);
  let reviewed = ctx.db
    .selectFrom('points_awards')
    .select(['rep', sql<number>`count(*)`.as('n'), (eb) => eb.fn.max('at').as('last')])
    .where('reason', '=', 'practice-reviewed')
    .where('at', '>=', since)
    .groupBy('rep');
  if (team !== null) reviewed = reviewed.where('team', '=', team);
  let lastActive = ctx.db
    .selectFrom('points_awards')
    .select(['rep', (eb) => eb.fn.max('at').as('last')])
    .groupBy('rep');
  if (team !== null) lastActive = lastActive.where('team', '=', team);
  const [deviceRows, attemptRows, reviewedRows, activeRows, quizIds] = await Promise.all([
    devices.execute(),
    attempts.execute(),
    reviewed.execute(),
    lastActive.execute(),
    publishedQuizIds(ctx),
  ]);
  const reps = new Map<string, RepProgress>();
  const repOf = (rep: string, name: string, repTeam: string | null): RepProgress => {
    let row = reps.get(rep);
    if (!row) {
      row = {
        rep,
        name,
        team: repTeam,
        points: 0,
        streakWeeks: 0,
        quizzesPassed: 0,
        quizzesTotal: quizIds.size,
        attempts: 0,
        averagePercent: null,
        lastQuizAt: null,
        practicesReviewed: 0,
        lastActiveAt: null,
      };
      reps.set(rep, row);
    }
    return row;
  };
  for (const d of deviceRows) repOf(d.rep_email!, d.rep_name || d.rep_email!, d.team).name = d.rep_name || d.rep_email!;
  for (const b of board.rows)
    Object.assign(repOf(b.rep, b.name, b.team), { points: b.points, streakWeeks: b.streakWeeks });
  const bests = new Map<string, number[]>();
  for (const a of attemptRows) {
    const row = repOf(a.rep!, a.rep!, team);
    row.attempts += Number(a.attempts);
    if (Number(a.passed) === 1 && quizIds.has(a.quiz_id)) row.quizzesPassed++;
    if (!row.lastQuizAt || String(a.last) > row.lastQuizAt) row.lastQuizAt = String(a.last);
    bests.set(a.rep!, [...(bests.get(a.rep!) ?? []), Number(a.best)]);
  }
  for (const [rep, list] of bests)
    reps.get(rep)!.averagePercent = Math.round(list.reduce((x, y) => x + y, 0) / list.length);
  for (const r of reviewedRows) repOf(r.rep, r.rep, team).practicesReviewed = Number(r.n);
  for (const r of activeRows) repOf(r.rep, r.rep, team).lastActiveAt = String(r.last);
  return {
    generatedAt: board.generatedAt,
    days: board.days,
    team,
    reps: [...reps.values()].sort((a, b) => b.points - a.points || a.name.localeCompare(b.name)),
  };
}

export const pointsRoutes: Routes = {
  'points.leaderboard': route({
    method: 'GET',
    path: '/api/points/leaderboard',
    args: teamArg,
    async run(ctx, caller, args): Promise<StudioLeaderboard> {
      const team = await teamFor(ctx, caller, args.team);
      return { ...(await leaderboard(ctx, team)), team };
    },
  }),
  'points.team': route({
    method: 'GET',
    path: '/api/points/team',
    args: teamArg,
    async run(ctx, caller, args): Promise<TeamProgress> {
      return teamProgress(ctx, await teamFor(ctx, caller, args.team));
    },
  }),
};
