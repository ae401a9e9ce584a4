import { describe, expect, it } from 'vitest';
import { createTermMatcher } from '../../../renderer/search/term-match';
import { highlightBoxes, isTextRun, type PageGeometry } from '../../../renderer/viewer/pdf/page-highlights';

// A 200 x 100 pt page shown at scale 1: page space has y up, the viewport y down.
const page: PageGeometry = { width: 200, height: 100, toViewport: (x, y) => [x, 100 - y] };
const styles = { f1: { fontFamily: 'sans-serif', ascent: 0.8, descent: -0.2 } };

describe('highlight boxes on a PDF page', () => {
  it('boxes a matching word by its share of the run, from descent to ascent', () => {
    // "ab twin cd": 10 characters over 100 pt, so 10 pt per character.
    const runs = [{ str: 'ab twin cd', transform: [10, 0, 0, 10, 20, 50], width: 100, fontName: 'f1' }];
    const [box, ...rest] = highlightBoxes(runs, styles, createTermMatcher('twin '), page);
    expect(rest).toEqual([]);
    expect(box!.left).toBeCloseTo((20 + 30) / 200);
    expect(box!.width).toBeCloseTo(40 / 200);
    expect(box!.top).toBeCloseTo((100 - 58) / 100);
    expect(box!.height).toBeCloseTo(10 / 100);
  });

  it('uses the measured widths of the run font when given', () => {
    const runs = [{ str: 'WW ii', transform: [10, 0, 0, 10, 0, 50], width: 100, fontName: 'f1' }];
    const measure = (text: string) => [...text].reduce((sum, ch) => sum + (ch === 'W' ? 4 : 1), 0);
    const [box] = highlightBoxes(runs, styles, createTermMatcher('ii '), page, measure);
    // W W space = 9 of 11 units, so "ii" starts at 9/11 of 100 pt.
    expect(box!.left * 200).toBeCloseTo((9 / 11) * 100);
    expect(box!.width * 200).toBeCloseTo((2 / 11) * 100);
  });

  it('follows rotated text', () => {
    // Text running up the page (90 degrees): along = (0, 10), up = (-10, 0).
    const runs = [{ str: 'twin', transform: [0, 10, -10, 0, 100, 20], width: 40, fontName: 'f1' }];
    const [box] = highlightBoxes(runs, styles, createTermMatcher('twin '), page);
    expect(box!.left * 200).toBeCloseTo(100 - 8);
    expect(box!.width * 200).toBeCloseTo(10);
    expect(box!.height * 100).toBeCloseTo(40);
  });

  it('skips empty runs, runs without matches and degenerate pages', () => {
    const runs = [
      { str: '   ', transform: [10, 0, 0, 10, 0, 0], width: 30, fontName: 'f1' },
      { str: 'nothing here', transform: [10, 0, 0, 10, 0, 0], width: 120, fontName: 'f1' },
      { str: 'twin', transform: [0, 0, 0, 0, 0, 0], width: 40, fontName: 'missing' },
    ];
    expect(highlightBoxes(runs, styles, createTermMatcher('twin '), page)).toEqual([]);
    expect(
      highlightBoxes(
        [{ str: 'twin', transform: [10, 0, 0, 10, 0, 0], width: 40, fontName: 'f1' }],
        styles,
        createTermMatcher('twin'),
        { ...page, width: 0 },
      ),
    ).toEqual([]);
  });

  it('tells text runs from marked-content entries', () => {
    expect(isTextRun({ str: 'a', transform: [1, 0, 0, 1, 0, 0], width: 1, fontName: 'f' })).toBe(true);
    expect(isTextRun({ type: 'beginMarkedContent', id: 'x' })).toBe(false);
    expect(isTextRun(null)).toBe(false);
  });
});
