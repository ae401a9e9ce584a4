import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { inkLimits, meetingInkInput, type MeetingInkInput } from '#shared/presenting';
import { PitchcaseError } from '#shared/result';
import { inkJournalWrite, journalReplay, journalWrite } from '../../../renderer/presenting/draft-journal.ts';
import {
  inkPagesFromAnnotations,
  inkSaveParts,
  orderInkPages,
  parseSlideKey,
  saveInkInParts,
} from '../../../renderer/presenting/meeting-ink.ts';

/**
 * The ink drawn while presenting, as the meeting keeps it: pages the core accepts (clamped,
 * rounded, long strokes split, a page over its bounds keeping the newest and counted), saves
 * in parts within one request's bounds, pages in the order shown, and the window's journal of
 * ink handed to the core at the next start.
 */
const dot = (x: number, y: number) => ({ points: [{ x, y }] });
const run = (n: number, seed = 0) => ({
  points: Array.from({ length: n }, (_, i) => ({ x: ((i + seed) % 1000) / 1000, y: ((i * 7 + seed) % 1000) / 1000 })),
});

describe('meeting ink', () => {
  it('reads slide keys back into item and page', () => {
    expect(parseSlideKey('deck#3')).toEqual({ itemId: 'deck', page: 3 });
    expect(parseSlideKey('photo#')).toEqual({ itemId: 'photo', page: null });
    expect(parseSlideKey('a#b#2')).toEqual({ itemId: 'a#b', page: 2 });
    expect(parseSlideKey('deck#0')).toBeNull();
    expect(parseSlideKey('#2')).toBeNull();
  });

  it('turns the strokes drawn into pages the core accepts, clamped to the page and rounded', () => {
    const { pages, trimmed } = inkPagesFromAnnotations(
      [
        [
          'deck#2',
          [
            {
              points: [
                { x: -0.2, y: 0.123456 },
                { x: 1.3, y: 0.5 },
              ],
            },
          ],
        ],
        ['photo#', [dot(0.5, 0.5)]],
        ['deck#3', []],
      ],
      1920 / 1080,
    );
    expect(trimmed).toBe(0);
    expect(pages).toEqual([
      {
        itemId: 'deck',
        page: 2,
        aspect: 1.7778,
        strokes: [
          {
            points: [
              { x: 0, y: 0.1235 },
              { x: 1, y: 0.5 },
            ],
          },
        ],
      },
      { itemId: 'photo', page: null, aspect: 1.7778, strokes: [dot(0.5, 0.5)] },
    ]);
    expect(meetingInkInput.safeParse({ meetingId: 'meeting-0001', pages }).success).toBe(true);
  });

  it('splits a stroke longer than a stroke may be, and keeps the newest strokes of an overfull page, saying so', () => {
    const long = run(inkLimits.pointsPerStroke + 500);
    const [split] = inkPagesFromAnnotations([['deck#1', [long]]], 1).pages;
    expect(split!.strokes.map((s) => s.points.length)).toEqual([inkLimits.pointsPerStroke, 501]);
    // The second piece starts where the first ended: the line has no gap.
    expect(split!.strokes[1]!.points[0]).toEqual(split!.strokes[0]!.points.at(-1));

    const many = Array.from({ length: inkLimits.strokesPerPage + 10 }, (_, i) => dot(i / 1000, 0.5));
    const result = inkPagesFromAnnotations(
      [
        ['deck#1', many],
        ['deck#2', [dot(0.1, 0.1)]],
      ],
      1,
    );
    expect(result.trimmed).toBe(1);
    expect(result.pages[0]!.strokes).toHaveLength(inkLimits.strokesPerPage);
    expect(result.pages[0]!.strokes.at(-1)).toEqual(dot((inkLimits.strokesPerPage + 9) / 1000, 0.5));
    expect(result.pages[0]!.strokes[0]).toEqual(dot(10 / 1000, 0.5));
    expect(meetingInkInput.safeParse({ meetingId: 'meeting-0001', pages: result.pages }).success).toBe(true);
  });

  it('saves a large meeting in parts, each within one request, in order', async () => {
    const full = inkPagesFromAnnotations(
      Array.from(
        { length: 4 },
        (_, i) =>
          [
            `deck#${i + 1}`,
            [run(inkLimits.pointsPerStroke, i), run(inkLimits.pointsPerPage - inkLimits.pointsPerStroke, i + 9)],
          ] as const,
      ),
      1,
    ).pages;
    const parts = inkSaveParts(full);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.flat()).toEqual(full);
    const sent: MeetingInkInput[] = [];
    await saveInkInParts(async (arg) => void sent.push(arg), 'meeting-0001', full);
    expect(sent.map((s) => s.pages.map((p) => p.page))).toEqual(parts.map((p) => p.map((page) => page.page)));
    for (const arg of sent) expect(meetingInkInput.safeParse(arg).success).toBe(true);

    const tiny = Array.from({ length: inkLimits.pagesPerSave + 1 }, (_, i) => ({
      itemId: 'deck',
      page: i + 1,
      aspect: 1,
      strokes: [dot(0.5, 0.5)],
    }));
    expect(inkSaveParts(tiny).map((p) => p.length)).toEqual([inkLimits.pagesPerSave, 1]);

    // The first failure stops it and is the caller's to show.
    let calls = 0;
    await expect(
      saveInkInParts(
        async () => (calls++ === 0 ? undefined : Promise.reject(new Error('offline'))),
        'meeting-0001',
        full,
      ),
    ).rejects.toThrow('offline');
    expect(calls).toBe(2);
  });

  it('orders inked pages as they were shown', () => {
    const page = (itemId: string, p: number | null) => ({ itemId, page: p });
    expect(
      orderInkPages([page('b', 1), page('a', 2), page('z', null), page('a', 1)], [page('a', 2), page('b', 1)]),
    ).toEqual([page('a', 2), page('b', 1), page('a', 1), page('z', null)]);
  });
});

describe('the journal of ink', () => {
  const memory = new Map<string, string>();
  beforeEach(() => {
    memory.clear();
    vi.stubGlobal('window', {
      localStorage: {
        get length() {
          return memory.size;
        },
        key: (i: number) => [...memory.keys()][i] ?? null,
        getItem: (k: string) => memory.get(k) ?? null,
        setItem: (k: string, v: string) => void memory.set(k, String(v)),
        removeItem: (k: string) => void memory.delete(k),
      },
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('hands kept ink to the core after the drafts, drops what the core refuses for good, and keeps the rest', async () => {
    const pages = [{ itemId: 'deck', page: 2, aspect: 1.5, strokes: [dot(0.2, 0.3)] }];
    journalWrite({
      id: 'm-ok',
      startedAt: '2026-11-23T09:00:00.000Z',
      endedAt: '2026-11-23T09:30:00.000Z',
      status: 'later',
      shown: [],
    });
    inkJournalWrite('m-ok', pages);
    inkJournalWrite('m-logged', pages);
    inkJournalWrite('m-offline', pages);
    const order: string[] = [];
    const recovered = await journalReplay(
      async (meeting) => void order.push(`meeting ${meeting.id}`),
      async (meetingId, kept) => {
        order.push(`ink ${meetingId}`);
        expect(kept).toEqual(pages);
        if (meetingId === 'm-logged') throw new PitchcaseError('refused', 'already logged');
        if (meetingId === 'm-offline') throw new PitchcaseError('internal', 'Failed to fetch');
      },
    );
    expect(recovered).toBe(1);
    expect(order).toEqual(['meeting m-ok', 'ink m-ok', 'ink m-logged', 'ink m-offline']);
    expect([...memory.keys()]).toEqual(['pitchcase.wrap-up-ink.m-offline']);
  });
});
