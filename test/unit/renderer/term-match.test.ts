import { describe, expect, it } from 'vitest';
import {
  allowedEdits,
  createTermMatcher,
  editDistanceWithin,
  foldWord,
  matchingRanges,
  wordSpans,
} from '../../../renderer/search/term-match';

describe('search terms on a page', () => {
  it('folds case, accents and apostrophes', () => {
    expect(foldWord('CAFÉ')).toBe('cafe');
    expect(foldWord('Wasser')).toBe('wasser');
    expect(foldWord("customer's")).toBe('customers');
  });

  it('finds words and where they are', () => {
    expect(wordSpans('Twin-train, 2×250 L/h')).toEqual([
      { start: 0, end: 4, word: 'twin' },
      { start: 5, end: 10, word: 'train' },
      { start: 12, end: 13, word: '2' },
      { start: 14, end: 17, word: '250' },
      { start: 18, end: 19, word: 'l' },
      { start: 20, end: 21, word: 'h' },
    ]);
  });

  it('forgives more typos in longer words', () => {
    expect([3, 4, 7, 8, 12].map(allowedEdits)).toEqual([0, 1, 1, 2, 2]);
  });

  it('counts a swapped pair of letters as one edit', () => {
    expect(editDistanceWithin('trian', 'train', 1)).toBe(true);
    expect(editDistanceWithin('comparsion', 'comparison', 1)).toBe(true);
    expect(editDistanceWithin('train', 'brain', 1)).toBe(true);
    expect(editDistanceWithin('train', 'brawn', 1)).toBe(false);
    expect(editDistanceWithin('abc', 'abcdef', 2)).toBe(false);
    expect(editDistanceWithin('same', 'same', 0)).toBe(true);
  });

  it('matches equal words whatever their case and accents', () => {
    const matches = createTermMatcher('Reverse osmose ');
    expect(matches('REVERSE')).toBe(true);
    expect(matches('Osmosé')).toBe(true);
    expect(matches('reversed')).toBe(true); // within one edit
    expect(matches('osmosis')).toBe(false); // two edits, and "osmose " is finished (ends with a space)
  });

  it('matches the start of longer words for the word being typed', () => {
    const matches = createTermMatcher('comparison hydr');
    expect(matches('HydraMax')).toBe(true);
    expect(matches('hydration')).toBe(true);
    expect(matches('comparisons')).toBe(true);
    expect(matches('hybrid')).toBe(false);
  });

  it('forgives the typo the rep made, also in the word being typed', () => {
    const matches = createTermMatcher('twin-trian');
    expect(matches('Twin')).toBe(true);
    expect(matches('train')).toBe(true);
    expect(matches('trains')).toBe(true);
    expect(matches('terrain')).toBe(false);
    expect(matches('twine')).toBe(true);
    expect(matches('win')).toBe(false);
  });

  it('does not stretch short words', () => {
    const matches = createTermMatcher('uv c ');
    expect(matches('UV')).toBe(true);
    expect(matches('C')).toBe(true);
    expect(matches('up')).toBe(false);
    expect(createTermMatcher('t')('train')).toBe(false);
  });

  it('ignores filler words unless the query is nothing else', () => {
    const matches = createTermMatcher('how do we compare');
    expect(matches('compares')).toBe(true);
    expect(matches('how')).toBe(false);
    expect(matches('we')).toBe(false);
    expect(createTermMatcher('the')('The')).toBe(true);
  });

  it('matches nothing for an empty query', () => {
    expect(createTermMatcher('  ')('anything')).toBe(false);
  });

  it('returns the ranges to mark', () => {
    expect(matchingRanges('Twin-train redundancy, explained', createTermMatcher('twin trian'))).toEqual([
      [0, 4],
      [5, 10],
    ]);
  });
});
