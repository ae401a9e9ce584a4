import { describe, expect, it } from 'vitest';
import { audienceLimits, audienceState, type AudienceState } from '#shared/audience-screen';
import { createAnnotations } from '../../../renderer/presenting/annotations';
import {
  audienceFrame,
  createAudiencePublisher,
  fitBox,
  followAudience,
  inkForAudience,
  type FrameInput,
} from '../../../renderer/presenting/audience-sync';
import type { DeckSlide } from '../../../renderer/presenting/deck';
import { formatAudienceHash, parseAudienceHash } from '../../../renderer/presenting/routes';

const slide: DeckSlide = {
  itemId: 'aquacore-500-brochure',
  page: 4,
  step: 1,
  title: 'Internal: pricing for Marston only',
  kind: 'pdf',
  note: 'Do not mention the discount before they ask',
};
const input = (over: Partial<FrameInput> = {}): FrameInput => ({
  sessionId: 's-1',
  status: 'presenting',
  slide,
  black: false,
  aspect: 1.5,
  ink: [],
  ...over,
});

describe('audienceFrame: only what the audience may see', () => {
  it('carries the item and page, never the step’s notes, title or place in the pitch', () => {
    const frame = audienceFrame(input());
    expect(frame).toEqual({
      sessionId: 's-1',
      status: 'presenting',
      slide: { itemId: 'aquacore-500-brochure', page: 4 },
      black: false,
      aspect: 1.5,
      ink: [],
    });
    const text = JSON.stringify(frame);
    expect(text).not.toContain(slide.note);
    expect(text).not.toContain(slide.title);
    expect(audienceState.safeParse({ ...frame, seq: 1 }).success).toBe(true);
  });

  it('an ended presentation shows nothing: no page, not black, no ink', () => {
    const frame = audienceFrame(input({ status: 'ended', black: true, ink: [{ points: [{ x: 0.5, y: 0.5 }] }] }));
    expect(frame).toMatchObject({ status: 'ended', slide: null, black: false, ink: [] });
  });

  it('carries a video’s play state while presenting, rounded and clamped; never once ended', () => {
    const playing = audienceFrame(input({ media: { playing: true, at: 12.3456 } }));
    expect(playing.media).toEqual({ playing: true, at: 12.35 });
    expect(audienceState.safeParse({ ...playing, seq: 1 }).success).toBe(true);
    expect(audienceFrame(input({ media: { playing: false, at: -3 } })).media).toEqual({ playing: false, at: 0 });
    expect(audienceFrame(input({ media: null }))).not.toHaveProperty('media');
    expect(audienceFrame(input({ status: 'ended', media: { playing: true, at: 5 } }))).not.toHaveProperty('media');
    expect(audienceFrame(input({ slide: null, media: { playing: true, at: 5 } }))).not.toHaveProperty('media');
    // What the contract refuses: a time past a day, a field it does not know.
    expect(audienceState.safeParse({ ...playing, seq: 1, media: { playing: true, at: 90_000 } }).success).toBe(false);
    expect(audienceState.safeParse({ ...playing, seq: 1, media: { playing: true, at: 1, volume: 1 } }).success).toBe(
      false,
    );
  });

  it.each([
    [0, 16 / 9],
    [Number.NaN, 16 / 9],
    [Number.POSITIVE_INFINITY, 16 / 9],
    [100, 10],
    [0.01, 0.1],
    [1366 / 912, 1.4978],
  ])('keeps the aspect %d within what the contract takes (%d)', (aspect, expected) => {
    expect(audienceFrame(input({ aspect })).aspect).toBeCloseTo(expected, 4);
  });
});

describe('inkForAudience', () => {
  it('clamps to the page and rounds to 1/10 000', () => {
    expect(
      inkForAudience([
        {
          points: [
            { x: 0.123456, y: -0.2 },
            { x: 1.7, y: 0.99999 },
          ],
        },
      ]),
    ).toEqual([
      {
        points: [
          { x: 0.1235, y: 0 },
          { x: 1, y: 1 },
        ],
      },
    ]);
  });

  it('drops empty strokes and keeps the newest strokes within the limits', () => {
    const many = Array.from({ length: audienceLimits.strokes + 5 }, (_, i) => ({ points: [{ x: i / 1000, y: 0 }] }));
    const ink = inkForAudience([{ points: [] }, ...many]);
    expect(ink).toHaveLength(audienceLimits.strokes);
    expect(ink.at(-1)).toEqual({ points: [{ x: (audienceLimits.strokes + 4) / 1000, y: 0 }] });
    const long = { points: Array.from({ length: audienceLimits.points - 10 }, () => ({ x: 0.5, y: 0.5 })) };
    const latest = { points: Array.from({ length: 20 }, () => ({ x: 0.25, y: 0.25 })) };
    expect(inkForAudience([long, latest])).toEqual([latest]);
  });
});

describe('the annotations feed the audience as ink is drawn', () => {
  it('announces an added stroke as well as a cleared page', () => {
    const annotations = createAnnotations();
    const heard: string[] = [];
    annotations.subscribe((key) => heard.push(key));
    annotations.add('a#1', { points: [{ x: 0.1, y: 0.1 }] });
    annotations.clear('a#1');
    expect(heard).toEqual(['a#1', 'a#1']);
  });
});

/** A send whose answers the test releases by hand, to see what is in flight when. */
function manualSend() {
  const sent: AudienceState[] = [];
  const answers: (() => void)[] = [];
  const send = (state: AudienceState) => {
    sent.push(state);
    return new Promise<void>((resolve) => answers.push(resolve));
  };
  return { sent, send, answer: () => answers.shift()?.() };
}

describe('createAudiencePublisher', () => {
  const frame = (page: number, over: Partial<FrameInput> = {}) =>
    audienceFrame(input({ slide: { ...slide, page }, ...over }));

  it('numbers the states it sends, one at a time, and a burst ends on the latest state', async () => {
    const channel = manualSend();
    const publisher = createAudiencePublisher(channel.send);
    publisher.publish(frame(1));
    publisher.publish(frame(2));
    publisher.publish(frame(3));
    publisher.publish(frame(4));
    expect(channel.sent.map((s) => [s.seq, s.slide?.page])).toEqual([[1, 1]]);
    channel.answer();
    await Promise.resolve();
    await Promise.resolve();
    expect(channel.sent.map((s) => [s.seq, s.slide?.page])).toEqual([
      [1, 1],
      [2, 4],
    ]);
    channel.answer();
    await publisher.settled();
    expect(channel.sent).toHaveLength(2);
  });

  it('does not send the same state twice', async () => {
    const sent: AudienceState[] = [];
    const publisher = createAudiencePublisher(async (s) => void sent.push(s));
    publisher.publish(frame(1));
    await publisher.settled();
    publisher.publish(frame(1));
    publisher.publish(frame(1, { black: true }));
    await publisher.settled();
    expect(sent.map((s) => [s.seq, s.black])).toEqual([
      [1, false],
      [2, true],
    ]);
  });

  it('goes on after a failed send: the next state carries everything', async () => {
    const sent: AudienceState[] = [];
    let fail = true;
    const publisher = createAudiencePublisher(async (s) => {
      sent.push(s);
      if (fail) throw new Error('host gone');
    });
    publisher.publish(frame(1));
    await publisher.settled();
    fail = false;
    publisher.publish(frame(2));
    await publisher.settled();
    expect(sent.map((s) => [s.seq, s.slide?.page])).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });
});

describe('followAudience', () => {
  const at = (seq: number, over: Partial<AudienceState> = {}): AudienceState => ({
    ...audienceFrame(input()),
    seq,
    ...over,
  });

  it.each<[string, AudienceState | null, AudienceState | null, AudienceState | null]>([
    ['the first state', null, at(1), at(1)],
    ['a newer state', at(1), at(2, { black: true }), at(2, { black: true })],
    ['an older state (the fetch answered after a live event)', at(3), at(2), at(3)],
    ['the same state again', at(3), at(3, { black: true }), at(3)],
    ['another presentation', at(1), at(9, { sessionId: 's-2' }), at(1)],
    ['no state yet (fetched before the presenter published)', null, null, null],
  ])('%s', (_label, current, incoming, expected) => {
    expect(followAudience(current, incoming, 's-1')).toEqual(expected);
  });
});

describe('fitBox: the audience lays the page out in the rep’s shape', () => {
  it.each([
    [
      'a 16:9 projector, a 3:2 tablet',
      { width: 1920, height: 1080 },
      1.5,
      { left: 150, top: 0, width: 1620, height: 1080 },
    ],
    [
      'a 4:3 projector, a 16:9 laptop',
      { width: 1024, height: 768 },
      16 / 9,
      { left: 0, top: 96, width: 1024, height: 576 },
    ],
    ['the same shape', { width: 1280, height: 720 }, 16 / 9, { left: 0, top: 0, width: 1280, height: 720 }],
    ['not measured yet', { width: 0, height: 0 }, 1.5, { left: 0, top: 0, width: 0, height: 0 }],
  ])('%s', (_label, screen, aspect, expected) => {
    expect(fitBox(screen, aspect)).toEqual(expected);
  });
});

describe('the audience route', () => {
  it.each(['abc', '6f1c2a9e-1b2c-4d5e-8f90-a1b2c3d4e5f6', 'with space/and#hash'])('round-trips %j', (id) => {
    expect(parseAudienceHash(formatAudienceHash(id))).toBe(id);
  });

  it.each(['', '#/', '#/audience', '#/audience/', '#/present/abc', '#/audience/a/b', '#/audience/%E0%A4%A'])(
    'is not %j',
    (hash) => {
      expect(parseAudienceHash(hash)).toBeNull();
    },
  );
});
