/**
 * Points, streaks and leaderboards. Studio computes them all from one ledger (points_awards) in
 * which a (rep, reason, subject) scores once: a quiz revision passed, a practice reviewed, a new
 * item presented on a day. Quiz passes are awarded as their records arrive, presenting new
 * content is caught up before anyone reads a leaderboard, and reviewed practice is awarded by
 * whoever reviews it, through awardPoints.
 */
import { sql, type Kysely } from 'kysely';
import { LEADERBOARD_DAYS, POINTS, type LeaderboardRow, type PointReason, type Standing } from '#shared/standing';
import { cutText } from '#shared/contract/text';
import type { StudioContext } from '../context.ts';
import type { StudioTables } from '../database/schema.ts';
import { kindLiteral } from '../fleet/records.ts';
import { diffSnapshots, type Snapshot } from '../releases/snapshot.ts';

const DAY_MS = 86_400_000;

/**
 * Bumped by every award in this process, so a leaderboard computed before it is not served
 * after it. Another Studio behind the same load balancer (or, on PostgreSQL, a board computed
 * while an award was committing) catches up within LEADERBOARD_TTL_MS.
 */
let awardsGeneration = 0;
const LEADERBOARD_TTL_MS = 60_000;

/** Points were taken away (a rep's data erased): no leaderboard computed before may be served. */
export function pointsChanged(): void {
  awardsGeneration++;
}
const WEEK_MS = 7 * DAY_MS;

export interface PointsAward {
  /** The rep as Studio enrolled their device (their e-mail). */
  rep: string;
  team: string | null;
  reason: PointReason;
  /** What scores once for this rep and reason, e.g. "<quiz>@<revision>" or a recording's id. */
  subject: string;
  /** One line the rep reads in their recent points ("Passed “Glossary basics”"). */
  label: string;
  /** When it was earned (ISO 8601); it places the points in a leaderboard's window and a streak's week. */
  at: string;
  /** Defaults to POINTS[reason]. */
  points?: number;
}

/**
 * Gives points once: a second award of the same (rep, reason, subject) changes nothing and
 * answers false. Takes Studio's database or a transaction, so a caller can award in the same
 * transaction as the act (a review saved, a record ingested).
 */
export async function awardPoints(db: Kysely<StudioTables>, award: PointsAward): Promise<boolean> {
  awardsGeneration++;
  const points = award.points ?? POINTS[award.reason];
  if (!Number.isInteger(points) || points < 0) throw new Error(`points must be a whole number ≥ 0, not ${points}`);
  const inserted = await db
    .insertInto('points_awards')
    .values({
      rep: award.rep,
      reason: award.reason,
      subject: cutText(award.subject, 300),
      team: award.team,
      points,
      label: cutText(award.label, 300),
      at: new Date(award.at).toISOString(),
    })
    .onConflict((oc) => oc.columns(['rep', 'reason', 'subject']).doNothing())
    .returning('rep')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Monday 00:00 UTC of the week holding `at`. */
export function weekStart(at: Date): number {
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  return day - ((at.getUTCDay() + 6) % 7) * DAY_MS;
}

/**
 * Consecutive weeks with points, ending this week — or last week, while this week has none yet:
 * a streak is not broken before the week is over. Weeks, not days: reps travel, sit in day-long
 * meetings and take weekends; a daily streak would punish the field for working.
 */
export function streakWeeks(activity: readonly string[], now: Date): number {
  const weeks = new Set(activity.map((at) => weekStart(new Date(at))));
  let week = weekStart(now);
  if (!weeks.has(week)) week -= WEEK_MS;
  let streak = 0;
  while (weeks.has(week)) {
    streak++;
    week -= WEEK_MS;
  }
  return streak;
}

type FreshItems = Map<string, { version: number; title: string }>;
const freshCache = new WeakMap<StudioContext, { key: string; items: FreshItems }>();

/**
 * Items new or changed in releases published within the leaderboard's window, with the release
 * version that brought the change: showing one in a logged meeting is presenting new content.
 * Only those releases and the one before each are read, and the answer is kept until a release
 * is published or the window moves: every device's sync asks for it.
 */
async function newContent(ctx: StudioContext, since: string): Promise<FreshItems> {
  const recent = await ctx.db
    .selectFrom('releases')
    .select(['id', 'channel', 'version', 'published_at'])
    .where('state', '=', 'published')
    .where('published_at', '>=', since)
    .orderBy('channel')
    .orderBy('version')
    .execute();
  const key = `${since.slice(0, 10)}|${recent.map((r) => r.id).join(',')}`;
  const cached = freshCache.get(ctx);
  if (cached?.key === key) return cached.items;
  const fresh: FreshItems = new Map();
  for (const row of recent) {
    if (row.version === null) continue;
    const [current, previous] = await Promise.all([
      ctx.db.selectFrom('releases').select('snapshot').where('id', '=', row.id).executeTakeFirstOrThrow(),
      ctx.db
        .selectFrom('releases')
        .select('snapshot')
        .where('channel', '=', row.channel)
        .where('state', '=', 'published')
        .where('version', '<', row.version)
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirst(),
    ]);
    const diff = diffSnapshots(
      previous ? (JSON.parse(previous.snapshot) as Snapshot) : null,
      null,
      JSON.parse(current.snapshot) as Snapshot,
    );
    for (const item of [...diff.added, ...diff.changed])
      fresh.set(item.id, { version: row.version, title: item.title });
  }
  freshCache.set(ctx, { key, items: fresh });
  return fresh;
}

/**
 * Points for presenting new content: an item new or changed in a recent release, shown (with
 * that release or a later one on the device) in a meeting the rep logged. Once per item and day,
 * so logging ten meetings in a corridor scores like one.
 */
export async function awardNewContentPresented(ctx: StudioContext): Promise<number> {
  const since = new Date(ctx.now().getTime() - LEADERBOARD_DAYS * DAY_MS).toISOString();
  const fresh = await newContent(ctx, since);
  if (fresh.size === 0) return 0;
  const shown = await ctx.db
    .selectFrom('fleet_records as e')
    .innerJoin('fleet_records as m', (join) =>
      join
        .onRef('m.meeting_id', '=', 'e.meeting_id')
        .onRef('m.device_id', '=', 'e.device_id')
        .on('m.kind', '=', kindLiteral('meeting')),
    )
    .select(['e.rep', 'e.team', 'e.item_id', 'e.day', (eb) => eb.fn.min('e.release_version').as('release_version')])
    .select((eb) => eb.fn.min('e.at').as('at'))
    .where('e.meeting_id', 'is not', null)
    .where('e.kind', '=', 'event')
    .where('e.rep', 'is not', null)
    .where('e.at', '>=', since)
    .where('e.item_id', 'in', [...fresh.keys()])
    .groupBy(['e.rep', 'e.team', 'e.item_id', 'e.day'])
    .execute();
  let awarded = 0;
  for (const row of shown) {
    const item = fresh.get(row.item_id!);
    if (!item || row.release_version === null || Number(row.release_version) < item.version) continue;
    const done = await awardPoints(ctx.db, {
      rep: row.rep!,
      team: row.team,
      reason: 'new-content-presented',
      subject: `${row.item_id}@${item.version}:${row.day}`,
      label: `Presented “${item.title}” (new in release ${item.version})`,
      at: String(row.at),
    });
    if (done) awarded++;
  }
  return awarded;
}

interface RepTotals {
  rep: string;
  team: string | null;
  points: number;
}

/** Display names of reps, from their devices' enrolment (the latest one wins). */
async function repNames(ctx: StudioContext): Promise<Map<string, string>> {
  const rows = await ctx.db
    .selectFrom('fleet_devices')
    .select(['rep_email', 'rep_name', 'enrolled_at'])
    .where('rep_email', 'is not', null)
    .orderBy('enrolled_at')
    .execute();
  return new Map(rows.map((r) => [r.rep_email!, r.rep_name || r.rep_email!]));
}

/** Competition ranking: equal points share a rank, the next rank skips (1, 2, 2, 4). */
function ranked(totals: readonly RepTotals[]): (RepTotals & { rank: number })[] {
  const sorted = [...totals].sort((a, b) => b.points - a.points || a.rep.localeCompare(b.rep));
  return sorted.map((row, i) => ({
    ...row,
    rank: i > 0 && sorted[i - 1]!.points === row.points ? sorted.findIndex((r) => r.points === row.points) + 1 : i + 1,
  }));
}

export interface Leaderboards {
  generatedAt: string;
  days: number;
  /** Every rep with points in the window, ranked, each with their team and streak. */
  rows: LeaderboardRow[];
}

/**
 * The leaderboard of the last LEADERBOARD_DAYS days: overall, or one team's (ranked within it).
 * New-content points are caught up first, so what managers and reps see is minutes old at most.
 */
export async function leaderboard(ctx: StudioContext, team: string | null): Promise<Leaderboards> {
  // Every device's sync asks for both boards: computed once per change (or minute), not per device.
  let boards = leaderboardCache.get(ctx);
  if (!boards) leaderboardCache.set(ctx, (boards = new Map()));
  const key = team ?? '';
  const cached = boards.get(key);
  const now = ctx.now().toISOString();
  if (
    cached &&
    cached.generation === awardsGeneration &&
    cached.now === now.slice(0, 10) &&
    performance.now() - cached.computedAt < LEADERBOARD_TTL_MS
  )
    return { ...cached.value, generatedAt: now };
  const generation = awardsGeneration;
  const computedAt = performance.now();
  const value = await computeLeaderboard(ctx, team);
  // Catching up new-content points may itself award: then the board is already newer than `generation`.
  boards.set(key, {
    generation: awardsGeneration === generation ? generation : awardsGeneration,
    computedAt,
    now: now.slice(0, 10),
    value,
  });
  return value;
}

const leaderboardCache = new WeakMap<
  StudioContext,
  Map<string, { generation: number; computedAt: number; now: string; value: Leaderboards }>
>();

async function computeLeaderboard(ctx: StudioContext, team: string | null): Promise<Leaderboards> {
  await awardNewContentPresented(ctx);
  const now = ctx.now();
  const since = new Date(now.getTime() - LEADERBOARD_DAYS * DAY_MS).toISOString();
  let query = ctx.db
    .selectFrom('points_awards')
    .select(['rep', (eb) => eb.fn.max('team').as('team'), (eb) => eb.fn.sum<number>('points').as('points')])
    .where('at', '>=', since)
    .groupBy('rep');
  if (team !== null) query = query.where('team', '=', team);
  const totals = (await query.execute()).map((r) => ({ rep: r.rep, team: r.team, points: Number(r.points) }));
  const streakSince = new Date(weekStart(now) - 104 * WEEK_MS).toISOString();
  const activity = await ctx.db
    .selectFrom('points_awards')
    .select(['rep', 'at'])
    .where('at', '>=', streakSince)
    .where('rep', 'in', totals.map((t) => t.rep).concat(['']))
    .execute();
  const byRep = new Map<string, string[]>();
  for (const a of activity) {
    const list = byRep.get(a.rep);
    if (list) list.push(a.at);
    else byRep.set(a.rep, [a.at]);
  }
  const names = await repNames(ctx);
  return {
    generatedAt: now.toISOString(),
    days: LEADERBOARD_DAYS,
    rows: ranked(totals).map((r) => ({
      rank: r.rank,
      rep: r.rep,
      name: names.get(r.rep) ?? r.rep,
      team: r.team,
      points: r.points,
      streakWeeks: streakWeeks(byRep.get(r.rep) ?? [], now),
    })),
  };
}

const TOP = 10;

/** The top of a board, plus the rep's own row when they are below it. */
function topWith(rows: readonly LeaderboardRow[], rep: string): LeaderboardRow[] {
  const top = rows.slice(0, TOP);
  const mine = rows.find((r) => r.rep === rep);
  return mine && !top.includes(mine) ? [...top, mine] : top;
}

/** One rep's standing, for their device: their points, ranks, streak, recent points and both boards. */
export async function standingOf(ctx: StudioContext, rep: string, team: string | null): Promise<Standing> {
  const overall = await leaderboard(ctx, null);
  const teamBoard = team !== null ? await leaderboard(ctx, team) : null;
  const now = ctx.now();
  const [total, recent, passed, activity] = await Promise.all([
    ctx.db
      .selectFrom('points_awards')
      .select((eb) => eb.fn.sum<number>('points').as('points'))
      .where('rep', '=', rep)
      .executeTakeFirst(),
    ctx.db
      .selectFrom('points_awards')
      .select(['reason', 'label', 'points', 'at'])
      .where('rep', '=', rep)
      .orderBy('at', 'desc')
      .limit(10)
      .execute(),
    ctx.db
      .selectFrom('quiz_attempts')
      .select(sql<number>`count(distinct quiz_id)`.as('n'))
      .where('rep', '=', rep)
      .where('passed', '=', 1)
      .executeTakeFirst(),
    ctx.db
      .selectFrom('points_awards')
      .select('at')
      .where('rep', '=', rep)
      .where('at', '>=', new Date(weekStart(now) - 104 * WEEK_MS).toISOString())
      .execute(),
  ]);
  const mineOverall = overall.rows.find((r) => r.rep === rep) ?? null;
  const mineTeam = teamBoard?.rows.find((r) => r.rep === rep) ?? null;
  const names = await repNames(ctx);
  return {
    generatedAt: now.toISOString(),
    days: LEADERBOARD_DAYS,
    me: {
      rep,
      name: names.get(rep) ?? rep,
      team,
      points: mineOverall?.points ?? 0,
      totalPoints: Number(total?.points ?? 0),
      streakWeeks: streakWeeks(
        activity.map((a) => a.at),
        now,
      ),
      quizzesPassed: Number(passed?.n ?? 0),
      teamRank: mineTeam?.rank ?? null,
      teamSize: teamBoard?.rows.length ?? 0,
      overallRank: mineOverall?.rank ?? null,
      overallSize: overall.rows.length,
      recent: recent.map((r) => ({
        reason: r.reason as PointReason,
        label: r.label,
        points: r.points,
        at: r.at,
      })),
    },
    team: teamBoard ? topWith(teamBoard.rows, rep) : [],
    overall: topWith(overall.rows, rep),
  };
}
