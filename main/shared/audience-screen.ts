/**
 * What the audience screen of a presentation may know: which page is up, whether the screen is
 * black, the ink on that page and whether its video plays. Nothing else crosses over — no notes, no titles, no running
 * order, no hidden pages — so the audience cannot be shown what it is not meant to see even by a
 * bug in the audience view. State flows one way: the rep's presenter publishes, audiences follow.
 */
import { z } from 'zod';

/** Bounds that keep one state well under the browser host's 1 MiB request limit. */
export const audienceLimits = {
  strokes: 400,
  /** Points over all strokes of the page. */
  points: 20_000,
} as const;

const id = z.string().min(1).max(64);
const unit = z.number().min(0).max(1);

export const audienceStroke = z
  .object({
    points: z
      .array(z.object({ x: unit, y: unit }).strict())
      .min(1)
      .max(audienceLimits.points),
  })
  .strict();

export const audienceSlide = z
  .object({
    itemId: z.string().min(1).max(128),
    /** A PDF's page; null for an image, a video or a microsite. */
    page: z.number().int().positive().nullable(),
  })
  .strict();

/** A video's state on the rep's screen: the audience plays, pauses and seeks with it. */
export const audienceMedia = z
  .object({
    playing: z.boolean(),
    /** Seconds into the video when the rep played, paused or sought. */
    at: z.number().min(0).max(86_400),
  })
  .strict();

export const audienceState = z
  .object({
    /** One presentation: audiences follow this id and ignore every other. */
    sessionId: id,
    /** Increases with every state of a session; an audience never goes back to an older one. */
    seq: z.number().int().nonnegative(),
    status: z.enum(['presenting', 'ended']),
    slide: audienceSlide.nullable(),
    black: z.boolean(),
    /**
     * Width / height of the box the rep draws in: the audience lays the page out in a box of
     * the same shape, so ink lands where it was drawn whatever the projector's shape.
     */
    aspect: z.number().min(0.1).max(10),
    /** Strokes on the current page, in coordinates relative to that box (0..1). */
    ink: z.array(audienceStroke).max(audienceLimits.strokes),
    /** A video slide's play state; absent or null: the audience's copy stays where it is. */
    media: audienceMedia.nullable().optional(),
  })
  .strict()
  .refine((state) => state.ink.reduce((sum, stroke) => sum + stroke.points.length, 0) <= audienceLimits.points, {
    message: `at most ${audienceLimits.points} ink points per page`,
    path: ['ink'],
  });

export type AudienceStroke = z.infer<typeof audienceStroke>;
export type AudienceSlide = z.infer<typeof audienceSlide>;
export type AudienceMedia = z.infer<typeof audienceMedia>;
export type AudienceState = z.infer<typeof audienceState>;

/**
 * Where the audience is, as the shell that opened its window says (Electron, second display):
 * the rep's screen switches to the presenter view while an audience window shows.
 */
export interface AudienceScreenStatus {
  sessionId: string;
  audienceWindow: boolean;
}
