import { describe, expect, it } from 'vitest';
import { createDwellTracker } from '../../../renderer/presenting/dwell';

const t0 = Date.parse('2026-05-04T09:00:00.000Z');
const at = (ms: number) => t0 + ms;
const iso = (ms: number) => new Date(t0 + ms).toISOString();

function tracker() {
  let n = 0;
  return createDwellTracker({
    pitchId: 'pitch-1',
    meetingId: 'meeting-1',
    newId: () => `event-${String(++n).padStart(4, '0')}`,
  });
}

describe('dwell tracker', () => {
  it('turns a scripted presentation into exact events', () => {
    const t = tracker();
    expect(t.show({ itemId: 'brochure', page: 2 }, at(0))).toEqual([
      {
        id: 'event-0001',
        type: 'item.opened',
        at: iso(0),
        itemId: 'brochure',
        meetingId: 'meeting-1',
        pitchId: 'pitch-1',
      },
    ]);
    expect(t.show({ itemId: 'brochure', page: 4 }, at(5_000))).toEqual([
      {
        id: 'event-0002',
        type: 'page.viewed',
        at: iso(0),
        itemId: 'brochure',
        page: 2,
        dwellMs: 5_000,
        meetingId: 'meeting-1',
        pitchId: 'pitch-1',
      },
    ]);
    const toDeck = t.show({ itemId: 'deck', page: 8 }, at(6_000));
    expect(toDeck.map((e) => [e.type, e.itemId, e.page, e.dwellMs])).toEqual([
      ['page.viewed', 'brochure', 4, 1_000],
      ['item.opened', 'deck', undefined, undefined],
    ]);
    // Back to a document already opened: no second item.opened.
    expect(t.show({ itemId: 'brochure', page: 2 }, at(13_000)).map((e) => e.type)).toEqual(['page.viewed']);
    t.show({ itemId: 'deck', page: 8 }, at(15_000));
    const end = t.finish(at(19_000));
    expect(end).toEqual([
      {
        id: expect.any(String),
        type: 'page.viewed',
        at: iso(15_000),
        itemId: 'deck',
        page: 8,
        dwellMs: 4_000,
        meetingId: 'meeting-1',
        pitchId: 'pitch-1',
      },
      {
        id: expect.any(String),
        type: 'pitch.presented',
        at: iso(0),
        dwellMs: 19_000,
        meetingId: 'meeting-1',
        pitchId: 'pitch-1',
      },
    ]);
    // Views under two seconds are not "shown"; repeated views add up, in first-shown order.
    expect(t.shown()).toEqual([
      { itemId: 'brochure', page: 2, dwellMs: 7_000 },
      { itemId: 'deck', page: 8, dwellMs: 11_000 },
    ]);
    expect(t.startedAt).toBe(at(0));
  });

  it('stops the page clock while the screen is black', () => {
    const t = tracker();
    t.show({ itemId: 'brochure', page: 1 }, at(0));
    t.pause(at(3_000));
    t.pause(at(4_000));
    t.resume(at(63_000));
    const [viewed] = t.show({ itemId: 'brochure', page: 2 }, at(65_000));
    expect(viewed?.dwellMs).toBe(5_000);
  });

  it('gives every event a fresh id and ignores showing the same slide twice', () => {
    const t = tracker();
    t.show({ itemId: 'a', page: 1 }, at(0));
    expect(t.show({ itemId: 'a', page: 1 }, at(1_000))).toEqual([]);
    const events = [...t.show({ itemId: 'a', page: 2 }, at(2_500)), ...t.finish(at(9_000))];
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(events.find((e) => e.type === 'page.viewed' && e.page === 1)?.dwellMs).toBe(2_500);
  });

  it('records images and videos as opened and shown, without page views', () => {
    const t = tracker();
    t.show({ itemId: 'video', page: null }, at(0));
    const end = t.finish(at(30_000));
    expect(end.map((e) => e.type)).toEqual(['pitch.presented']);
    expect(t.shown()).toEqual([{ itemId: 'video', page: null, dwellMs: 30_000 }]);
  });

  it('records nothing after finishing', () => {
    const t = tracker();
    t.show({ itemId: 'a', page: 1 }, at(0));
    t.finish(at(3_000));
    expect(t.show({ itemId: 'a', page: 2 }, at(4_000))).toEqual([]);
    expect(t.finish(at(5_000))).toEqual([]);
  });
});
