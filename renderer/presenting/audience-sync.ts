/**
 * Keeping an audience screen in step with the rep's presenter, pure: what the audience is sent
 * (built from the slide, never from the step's notes or title), a publisher that sends states
 * in order without flooding the channel, and the rule an audience follows (its presentation only,
 * never an older state).
 */
import { audienceLimits, type AudienceMedia, type AudienceState, type AudienceStroke } from '#shared/audience-screen';
import type { Stroke } from './annotations';
import type { DeckSlide } from './deck';

export type AudienceFrame = Omit<AudienceState, 'seq'>;

/** 1/10 000 of the page is finer than any screen: it keeps a page of ink small on the wire. */
const round = (value: number) => Math.round(Math.min(1, Math.max(0, value)) * 10_000) / 10_000;

/**
 * The ink as the audience gets it: coordinates clamped and rounded, and — should a rep ever fill
 * a page with more than the limits allow — the newest strokes kept.
 */
export function inkForAudience(strokes: readonly Stroke[]): AudienceStroke[] {
  const out: AudienceStroke[] = [];
  let points = 0;
  for (let i = strokes.length - 1; i >= 0 && out.length < audienceLimits.strokes; i--) {
    const stroke = strokes[i]!;
    if (stroke.points.length === 0) continue;
    if (points + stroke.points.length > audienceLimits.points) break;
    points += stroke.points.length;
    out.push({ points: stroke.points.map((p) => ({ x: round(p.x), y: round(p.y) })) });
  }
  return out.reverse();
}

export interface FrameInput {
  sessionId: string;
  status: AudienceState['status'];
  slide: Pick<DeckSlide, 'itemId' | 'page'> | null;
  black: boolean;
  /** Width / height of the box the rep draws in. */
  aspect: number;
  ink: readonly Stroke[];
  /** The rep's video, when the slide is one and it was played, paused or sought. */
  media?: AudienceMedia | null;
}

/** Only what the audience may see: the item and page, black, the shape of the box, the ink and the video's play state. */
export function audienceFrame(input: FrameInput): AudienceFrame {
  const aspect = Number.isFinite(input.aspect) && input.aspect > 0 ? Math.min(10, Math.max(0.1, input.aspect)) : 16 / 9;
  return {
    sessionId: input.sessionId,
    status: input.status,
    slide: input.slide && input.status === 'presenting' ? { itemId: input.slide.itemId, page: input.slide.page } : null,
    black: input.status === 'presenting' && input.black,
    aspect: Math.round(aspect * 10_000) / 10_000,
    ink: input.status === 'presenting' ? inkForAudience(input.ink) : [],
    ...(input.status === 'presenting' && input.slide && input.media
      ? {
          media: {
            playing: input.media.playing,
            at: Math.round(Math.min(86_400, Math.max(0, input.media.at)) * 100) / 100,
          },
        }
      : {}),
  };
}

export interface AudiencePublisher {
  /** Sends the frame (numbered); a frame equal to the last one is not sent again. */
  publish(frame: AudienceFrame): void;
  /** Resolves when nothing is in flight or waiting (tests, and finishing). */
  settled(): Promise<void>;
}

/**
 * One send at a time: a frame that comes while one is in flight waits, and a newer one replaces
 * it, so a burst of page turns ends with the last page and never floods the channel. A failed
 * send is not retried by itself; the next frame carries the whole state anyway.
 */
export function createAudiencePublisher(send: (state: AudienceState) => Promise<unknown>): AudiencePublisher {
  let seq = 0;
  let last: string | null = null;
  let waiting: AudienceFrame | null = null;
  let inFlight: Promise<void> | null = null;

  const pump = (): Promise<void> => {
    const frame = waiting;
    waiting = null;
    if (!frame) {
      inFlight = null;
      return Promise.resolve();
    }
    seq += 1;
    const flight = send({ ...frame, seq }).then(
      () => undefined,
      () => undefined,
    );
    inFlight = flight.then(pump);
    return inFlight;
  };

  return {
    publish(frame) {
      const text = JSON.stringify(frame);
      if (text === last) return;
      last = text;
      waiting = frame;
      if (!inFlight) void pump();
    },
    async settled() {
      while (inFlight) await inFlight;
    },
  };
}

/**
 * The state an audience shows after `incoming` arrives: the audience follows its own
 * presentation only, and a state older than (or the same as) the one it shows changes nothing —
 * the fetch of the latest state and the live events may arrive in either order.
 */
export function followAudience(
  current: AudienceState | null,
  incoming: AudienceState | null,
  sessionId: string,
): AudienceState | null {
  if (!incoming || incoming.sessionId !== sessionId) return current;
  if (current && incoming.seq <= current.seq) return current;
  return incoming;
}

/** The largest box of this shape that fits the screen: the shape the rep drew the ink in. */
export function fitBox(
  screen: { width: number; height: number },
  aspect: number,
): { left: number; top: number; width: number; height: number } {
  if (screen.width <= 0 || screen.height <= 0) return { left: 0, top: 0, width: 0, height: 0 };
  const width = Math.min(screen.width, screen.height * aspect);
  const height = width / aspect;
  return {
    left: Math.round((screen.width - width) / 2),
    top: Math.round((screen.height - height) / 2),
    width: Math.round(width),
    height: Math.round(height),
  };
}

/** What a browser audience window tells the rep's window (its opener) when it is closed. */
export const AUDIENCE_CLOSED_MESSAGE = 'pitchcase-audience-closed';
