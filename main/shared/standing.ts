/**
 * Points, streaks and leaderboards, computed by Studio from what devices send and sent to each
 * rep's device as their standing (`GET /api/fleet/standing` with the device credential), kept in
 * the profile and shown offline with its age.
 */
import { z } from 'zod';

/** Why points were given. New reasons are added, never renamed (they are keys in Studio's ledger). */
export const POINT_REASONS = ['quiz-passed', 'practice-reviewed', 'new-content-presented'] as const;
export type PointReason = (typeof POINT_REASONS)[number];

/** Points per act: a pass is worth more than one showing, and a reviewed practice most (it took a reviewer). */
export const POINTS: Record<PointReason, number> = {
  'quiz-passed': 20,
  'practice-reviewed': 30,
  'new-content-presented': 10,
};

/** The leaderboard ranks the last 30 days, so a new rep can catch up with one who started a year ago. */
export const LEADERBOARD_DAYS = 30;

export const leaderboardRow = z
  .object({
    rank: z.number().int().positive(),
    rep: z.string().max(320),
    name: z.string().max(200),
    team: z.string().max(200).nullable(),
    points: z.number().int().nonnegative(),
    streakWeeks: z.number().int().nonnegative(),
  })
  .strict();
export type LeaderboardRow = z.infer<typeof leaderboardRow>;

export const standing = z
  .object({
    generatedAt: z.string().max(40),
    days: z.number().int().positive(),
    me: z
      .object({
        rep: z.string().max(320),
        name: z.string().max(200),
        team: z.string().max(200).nullable(),
        points: z.number().int().nonnegative(),
        totalPoints: z.number().int().nonnegative(),
        streakWeeks: z.number().int().nonnegative(),
        quizzesPassed: z.number().int().nonnegative(),
        teamRank: z.number().int().positive().nullable(),
        teamSize: z.number().int().nonnegative(),
        overallRank: z.number().int().positive().nullable(),
        overallSize: z.number().int().nonnegative(),
        recent: z
          .array(
            z
              .object({
                reason: z.enum(POINT_REASONS),
                label: z.string().max(300),
                points: z.number().int(),
                at: z.string(),
              })
              .strict(),
          )
          .max(20),
      })
      .strict()
      .nullable(),
    team: z.array(leaderboardRow).max(50),
    overall: z.array(leaderboardRow).max(50),
  })
  .strict();
export type Standing = z.infer<typeof standing>;
