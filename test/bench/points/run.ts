import { parseArgs } from 'node:util';
import type { StudioContext } from '#studio/context';
import { openDatabase } from '#studio/database/connection';
import { awardPoints, leaderboard, standingOf } from '#studio/points/points';
import { tempDir } from '../../support/release.ts';

/**
 * npm run bench:points [-- --reps N --awards N --calls N]
 * What one device's sync costs Studio for its standing (both leaderboards, the rep's own figures)
 * and what the overall leaderboard costs, in CPU milliseconds (process.cpuUsage, so the figures
 * hold on a shared machine), on SQLite with reps spread over 20 teams and their points over the
 * last 60 days. The last line is one JSON object.
 */
const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '2000' },
    awards: { type: 'string', default: '40' },
    calls: { type: 'string', default: '50' },
  },
});
const reps = Number(values.reps);
const perRep = Number(values.awards);
const calls = Number(values.calls);
const log = (line: string) => process.stdout.write(`${line}\n`);
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};
const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;

const data = tempDir('bench-points-');
const { db } = await openDatabase({ dataDir: data.dir });
const now = new Date('2026-11-30T12:00:00Z');
const ctx = { db, dataDir: data.dir, now: () => now } as unknown as StudioContext;
try {
  let seed = 7;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const seedStart = process.cpuUsage();
  await db.transaction().execute(async (trx) => {
    for (let r = 0; r < reps; r++) {
      const team = `Team ${r % 20}`;
      for (let a = 0; a < perRep; a++) {
        const at = new Date(now.getTime() - Math.floor(random() * 60 * 86_400_000)).toISOString();
        await awardPoints(trx, {
          rep: `rep${r}@example.com`,
          team,
          reason: a % 3 === 0 ? 'quiz-passed' : 'new-content-presented',
          subject: `s${a}`,
          label: 'bench',
          at,
        });
      }
    }
  });
  log(`seeded ${reps * perRep} awards for ${reps} reps in ${Math.round(cpuMs(seedStart))} ms CPU`);

  // Cold: a point was just awarded (as an ingested pass does), so both boards are computed again.
  // Warm: another device syncs before anything changed, and reads the boards computed for the first.
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < calls; i++) {
    await awardPoints(db, {
      rep: `rep${i % reps}@example.com`,
      team: `Team ${i % 20}`,
      reason: 'quiz-passed',
      subject: `bench-${i}`,
      label: 'bench',
      at: now.toISOString(),
    });
    let start = process.cpuUsage();
    await standingOf(ctx, `rep${i % reps}@example.com`, `Team ${i % 20}`);
    cold.push(cpuMs(start));
    start = process.cpuUsage();
    await standingOf(ctx, `rep${(i + 1) % reps}@example.com`, `Team ${i % 20}`);
    warm.push(cpuMs(start));
  }
  const start = process.cpuUsage();
  await leaderboard(ctx, null);
  const result = {
    reps,
    awards: reps * perRep,
    standingAfterAnAwardCpuMs: Number(median(cold).toFixed(1)),
    standingUnchangedCpuMs: Number(median(warm).toFixed(1)),
    leaderboardCachedCpuMs: Number(cpuMs(start).toFixed(1)),
  };
  log(`a device's standing right after an award (both boards computed): ${result.standingAfterAnAwardCpuMs} ms CPU`);
  log(`a device's standing when nothing changed (boards reused): ${result.standingUnchangedCpuMs} ms CPU`);
  log(JSON.stringify(result));
} finally {
  await db.destroy();
  data.cleanup();
}
