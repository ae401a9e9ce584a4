import { describe, expect, it } from 'vitest';
import { createTermMatcher, fold, indexTerms, isStopWord, parseQuery, stem, tokenize, wordSpans } from '#shared/text';

describe('the shared text pipeline', () => {
  it('folds case, accents, trade marks and inner apostrophes', () => {
    expect(fold('CAFÉ Crème')).toBe('cafe creme');
    expect(tokenize('Café AquaCore™ 500 — clean-in-place, customer’s')).toEqual([
      'cafe',
      'aquacore',
      '500',
      'clean',
      'in',
      'place',
      'customers',
    ]);
    expect(tokenize('HydraMax®H400')).toEqual(['hydramax', 'h400']);
  });

  it('stems English words to one form and leaves numbers, codes and short words alone', () => {
    expect(['running', 'runs', 'run'].map(stem)).toEqual(['run', 'run', 'run']);
    expect(['costs', 'cost', 'costing'].map(stem)).toEqual(['cost', 'cost', 'cost']);
    expect(['compare', 'compared', 'comparing', 'compares'].map(stem)).toEqual([
      'compar',
      'compar',
      'compar',
      'compar',
    ]);
    expect(['membranes', 'membrane'].map(stem)).toEqual(['membran', 'membran']);
    expect(stem('22000')).toBe('22000');
    expect(stem('h400s')).toBe('h400s');
    expect(stem('was')).toBe('was');
    expect(indexTerms('Pricing for the AquaCore 500 units')).toEqual(['price', 'for', 'the', 'aquacor', '500', 'unit']);
  });

  it('knows stop words, and which query word is still being typed', () => {
    expect(['the', 'how', 'do', 'with', 'vs'].every(isStopWord)).toBe(true);
    expect(['water', 'price', 'hydramax'].some(isStopWord)).toBe(false);
    const typed = parseQuery('How do we compare with Hydra');
    expect(typed.lastIsPrefix).toBe(true);
    expect(typed.words.map((w) => [w.word, w.stem, w.stop])).toEqual([
      ['how', 'how', true],
      ['do', 'do', true],
      ['we', 'we', true],
      ['compare', 'compar', false],
      ['with', 'with', true],
      ['hydra', 'hydra', false],
    ]);
    expect(parseQuery('running costs ').lastIsPrefix).toBe(false);
  });

  it('finds words with their place in the original text, across accents and marks', () => {
    const text = 'Crème™ brûlée';
    expect(wordSpans(text).map((s) => [text.slice(s.start, s.end), s.word])).toEqual([
      ['Crème', 'creme'],
      ['brûlée', 'brulee'],
    ]);
  });

  it('highlights every form of a query word, the way the engine matches it', () => {
    const matches = createTermMatcher('running costs ');
    expect(['Running', 'runs', 'cost', 'COSTS', 'costing'].every(matches)).toBe(true);
    expect(['runner', 'coast'].some(matches)).toBe(false);
  });
});
