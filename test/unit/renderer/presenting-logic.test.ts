import { describe, expect, it } from 'vitest';
import type { PitchStep } from '#shared/presenting';
import { formatRoute, parseRoute } from '../../../renderer/app/routes';
import {
  buildDeck,
  firstPosition,
  hideCurrent,
  progressLabel,
  step,
  type Position,
} from '../../../renderer/presenting/deck';
import { readinessLabel } from '../../../renderer/presenting/pitch-text';
import { dropIndex, moveItem } from '../../../renderer/presenting/reorder';
import { pageChart } from '../../../renderer/presenting/report';
import { followUpDraft, formatDwell, mailtoHref } from '../../../renderer/presenting/wrap-up';

const pdfStep = (itemId: string, page: number | null, problem: PitchStep['problem'] = null): PitchStep => ({
  itemId,
  page,
  note: '',
  title: itemId,
  kind: 'pdf',
  problem,
});

describe('presenting routes', () => {
  it.each([
    ['#/pitches', { name: 'pitches' }],
    ['#/pitches/new', { name: 'pitch', id: null }],
    ['#/pitches/p%201', { name: 'pitch', id: 'p 1' }],
    ['#/present/abc', { name: 'present', id: 'abc' }],
    ['#/report', { name: 'report' }],
  ] as const)('%s round-trips', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
    expect(formatRoute(route)).toBe(hash);
  });

  it('sends malformed presenting paths home', () => {
    expect(parseRoute('#/present')).toEqual({ name: 'home' });
    expect(parseRoute('#/pitches/a/b')).toEqual({ name: 'home' });
    expect(parseRoute('#/present/%E0%A4%A')).toEqual({ name: 'home' });
  });
});

describe('deck', () => {
  it('expands whole documents into pages and leaves out steps that cannot be shown', () => {
    const deck = buildDeck(
      {
        steps: [
          pdfStep('a', 2),
          pdfStep('b', null),
          pdfStep('gone', 1, 'expired'),
          { ...pdfStep('v', null), kind: 'video' },
        ],
      },
      new Map([['b', 3]]),
    );
    expect(deck.slides.map((s) => `${s.itemId}:${s.page}`)).toEqual(['a:2', 'b:1', 'b:2', 'b:3', 'v:null']);
    expect(deck.skipped).toEqual([{ step: 2, title: 'gone', problem: 'expired' }]);
  });

  it('moves over hidden slides and never hides the last one', () => {
    let p: Position = firstPosition(4);
    p = step(p, 4, 1);
    p = hideCurrent(p, 4);
    expect(p.index).toBe(2);
    expect(progressLabel(p, 4)).toBe('2 / 3');
    expect(step(p, 4, -1).index).toBe(0);
    p = hideCurrent({ index: 3, hidden: new Set([1]) }, 4);
    expect(p.index).toBe(2);
    const lastOne = { index: 0, hidden: new Set([1, 2, 3]) };
    expect(hideCurrent(lastOne, 4)).toBe(lastOne);
    expect(step({ index: 3, hidden: new Set() }, 4, 1).index).toBe(3);
  });
});

describe('reorder', () => {
  it('moves an entry without touching the input', () => {
    const list = ['a', 'b', 'c', 'd'];
    expect(moveItem(list, 0, 2)).toEqual(['b', 'c', 'a', 'd']);
    expect(moveItem(list, 3, -5)).toEqual(['d', 'a', 'b', 'c']);
    expect(list).toEqual(['a', 'b', 'c', 'd']);
  });

  it('drops a dragged row past the middles it crossed', () => {
    const rows = [0, 60, 120, 180].map((top) => ({ top, height: 50 }));
    expect(dropIndex(rows, 0, 25)).toBe(0);
    expect(dropIndex(rows, 0, 90)).toBe(1);
    expect(dropIndex(rows, 0, 210)).toBe(3);
    expect(dropIndex(rows, 3, 80)).toBe(1);
    expect(dropIndex(rows, 3, 10)).toBe(0);
  });
});

describe('wording', () => {
  it('labels readiness', () => {
    expect(readinessLabel({ ready: true, stepCount: 3 }, null)).toBe('Ready offline');
    expect(readinessLabel({ ready: false, stepCount: 3 }, 2)).toBe('2 steps need attention');
    expect(readinessLabel({ ready: false, stepCount: 3 }, 1)).toBe('1 step needs attention');
  });

  it('formats dwell', () => {
    expect(formatDwell(4_000)).toBe('4 s');
    expect(formatDwell(65_000)).toBe('1 min 5 s');
    expect(formatDwell(120_000)).toBe('2 min');
  });

  it('drafts a follow-up listing what was shown with share links', () => {
    const draft = followUpDraft({
      contact: 'dana@example.com',
      account: 'Marston Brewery',
      lines: [
        { itemId: 'a', page: 4, dwellMs: 3000, title: 'Brochure', shareUrl: 'https://share.example/a' },
        { itemId: 'b', page: null, dwellMs: 3000, title: 'Video', shareUrl: null },
        { itemId: 'a', page: 2, dwellMs: 3000, title: 'Brochure', shareUrl: 'https://share.example/a' },
      ],
    });
    expect(draft.to).toBe('dana@example.com');
    expect(draft.subject).toBe('Following up on our meeting: Marston Brewery');
    expect(draft.body).toContain('- Brochure (pp. 2, 4)\n  https://share.example/a\n- Video\n');
    const href = mailtoHref(draft);
    expect(href.startsWith('mailto:dana@example.com?subject=Following%20up')).toBe(true);
    expect(href).toContain('%0D%0A');
    expect(followUpDraft({ contact: 'Dana Whitfield', account: '', lines: [] }).body.startsWith('Hello Dana,')).toBe(
      true,
    );
  });
});

describe('report chart', () => {
  it('scales bars to the longest average dwell, in page order', () => {
    const layout = pageChart(
      [
        { page: 2, views: 2, averageDwellMs: 2_000, dropOff: 0.5 },
        { page: 1, views: 4, averageDwellMs: 8_000, dropOff: 0 },
      ],
      { width: 200, height: 140, padTop: 20, padBottom: 20 },
    );
    expect(layout.baseline).toBe(120);
    expect(layout.bars.map((b) => b.page)).toEqual([1, 2]);
    expect(layout.bars[0]!.height).toBe(100);
    expect(layout.bars[1]!.height).toBe(25);
    expect(layout.bars[1]!.dropHeight).toBe(50);
    expect(layout.bars[0]!.label).toBe('Page 1: 4 views, 8 s on average, 0% drop-off');
  });
});
