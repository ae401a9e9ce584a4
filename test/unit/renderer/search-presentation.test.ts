import { describe, expect, it } from 'vitest';
import type { SearchItemHit } from '#shared/search';
import {
  activeFilterCount,
  applySuggestion,
  filterSections,
  isFilterOn,
  resultCountLabel,
  searchTargets,
  snippetParts,
  targetKey,
  toggleFilter,
  usefulSuggestions,
} from '../../../renderer/search/presentation';
import { isSearchShortcut } from '../../../renderer/search/launcher';

function hit(id: string, pages: number[]): SearchItemHit {
  return {
    id,
    title: id,
    kind: 'pdf',
    score: 1,
    matchedAll: true,
    pages: pages.map((page) => ({ page, score: 1, snippet: '', highlights: [] })),
  };
}

describe('snippet marking', () => {
  it('cuts a snippet into plain and marked runs', () => {
    expect(snippetParts('… the HydraMax H400 …', [[6, 14]])).toEqual([
      { text: '… the ', marked: false },
      { text: 'HydraMax', marked: true },
      { text: ' H400 …', marked: false },
    ]);
  });

  it('merges overlapping ranges, sorts them and clamps them to the text', () => {
    expect(
      snippetParts('abcdefgh', [
        [5, 20],
        [0, 2],
        [1, 3],
        [4, 4],
        [-3, 0],
      ]),
    ).toEqual([
      { text: 'abc', marked: true },
      { text: 'de', marked: false },
      { text: 'fgh', marked: true },
    ]);
  });

  it('keeps markup as text (rendered as text nodes, never HTML)', () => {
    expect(snippetParts('<b>x</b>', [])).toEqual([{ text: '<b>x</b>', marked: false }]);
    expect(snippetParts('', [])).toEqual([{ text: '', marked: false }]);
  });
});

describe('autosuggest', () => {
  it('replaces the word being typed with the completion', () => {
    expect(applySuggestion('comparsion hydr', 'hydramax')).toBe('comparsion hydramax ');
    expect(applySuggestion('hydr', 'hydramax')).toBe('hydramax ');
    expect(applySuggestion('twin-tr', 'train')).toBe('twin-train ');
  });

  it('a whole-query suggestion replaces the query instead of repeating its words', () => {
    // The engine completes the query as a whole, and may correct an earlier word on the way.
    expect(applySuggestion('comparsion hydr', 'comparsion hydramax')).toBe('comparsion hydramax ');
    expect(applySuggestion('comparsion hydr', 'comparison hydramax')).toBe('comparison hydramax ');
    expect(applySuggestion('Twin tr', 'twin train')).toBe('twin train ');
    // A completion of the last two words replaces exactly those two.
    expect(applySuggestion('aquacore twin tr', 'twin train')).toBe('aquacore twin train ');
  });

  it('offers a whole-query suggestion once, and not when it is what was typed', () => {
    expect(usefulSuggestions('comparsion hydr', ['comparsion hydramax', 'hydramax', 'comparsion hydraulic'])).toEqual([
      'comparsion hydramax',
      'comparsion hydraulic',
    ]);
    expect(usefulSuggestions('comparison hydramax', ['comparison hydramax'])).toEqual([]);
  });

  it('offers only completions that add something', () => {
    expect(usefulSuggestions('hydramax', ['hydramax', 'HydraMax'])).toEqual([]);
    expect(usefulSuggestions('aqua', ['aquacore', 'aquacore', 'aqua', 'aquarium'])).toEqual(['aquacore', 'aquarium']);
    expect(usefulSuggestions('aqua ', ['aquacore'])).toEqual([]);
    expect(usefulSuggestions('a', ['a1', 'a2', 'a3'], 2)).toEqual(['a1', 'a2']);
  });
});

describe('filter chips', () => {
  // As the core's home answers: only values at least one visible item has (see library-shelves.test.ts).
  const facets = {
    products: ['FlowSense', 'AquaCore 500', 'AquaCore 200'],
    types: [
      { value: 'price-sheet', kind: 'pdf' as const, category: 'price-sheet' },
      { value: 'brochure', kind: 'pdf' as const, category: 'brochure' },
      { value: 'video', kind: 'video' as const, category: null },
    ],
    collections: [
      { id: 'brochures', title: 'Product brochures' },
      { id: 'pricing', title: 'Pricing' },
    ],
  };

  it('offers the products, types and collections the library uses', () => {
    const sections = filterSections(facets);
    expect(sections.map((section) => section.group)).toEqual(['products', 'kinds', 'collections']);
    expect(sections[0]!.options.map((option) => option.label)).toEqual(['AquaCore 200', 'AquaCore 500', 'FlowSense']);
    expect(sections[1]!.options.map((option) => [option.value, option.label])).toEqual([
      ['brochure', 'Brochure'],
      ['price-sheet', 'Price sheet'],
      ['video', 'Video'],
    ]);
    expect(sections[2]!.options.map((option) => option.value)).toEqual(['brochures', 'pricing']);
  });

  it('leaves out a group with one option, which would filter nothing', () => {
    expect(
      filterSections({ products: ['Only'], types: [{ value: 'pdf', kind: 'pdf', category: null }], collections: [] }),
    ).toEqual([]);
  });

  it('toggles chips on and off and keeps requests minimal', () => {
    const priceSheet = { group: 'kinds', value: 'price-sheet', label: 'Price sheet' } as const;
    const on = toggleFilter({}, priceSheet);
    expect(on).toEqual({ kinds: ['price-sheet'] });
    expect(isFilterOn(on, priceSheet)).toBe(true);
    const two = toggleFilter(on, { group: 'products', value: 'FlowSense', label: 'FlowSense' });
    expect(activeFilterCount(two)).toBe(2);
    expect(toggleFilter(two, priceSheet)).toEqual({ products: ['FlowSense'] });
    expect(toggleFilter(on, priceSheet)).toEqual({});
  });
});

describe('results in keyboard order', () => {
  it('walks each item, then its page hits, up to a limit per item', () => {
    const targets = searchTargets({ items: [hit('a', [3, 1, 2, 4]), hit('b', [])] }, 3);
    expect(targets.map(targetKey)).toEqual(['item:a', 'page:a:3', 'page:a:1', 'page:a:2', 'item:b']);
    expect(searchTargets(null, 3)).toEqual([]);
  });

  it('says how many results there are', () => {
    expect([0, 1, 7].map(resultCountLabel)).toEqual(['No results', '1 result', '7 results']);
  });
});

describe('the search shortcut', () => {
  const key = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({
    key,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    ...mods,
  });

  it('is / or Ctrl/Cmd+F', () => {
    expect(isSearchShortcut(key('/'), false)).toBe(true);
    expect(isSearchShortcut(key('f', { ctrlKey: true }), false)).toBe(true);
    expect(isSearchShortcut(key('F', { metaKey: true }), false)).toBe(true);
    expect(isSearchShortcut(key('f'), false)).toBe(false);
    expect(isSearchShortcut(key('/', { altKey: true }), false)).toBe(false);
  });

  it('leaves the rep alone while typing in another field', () => {
    expect(isSearchShortcut(key('/'), true)).toBe(false);
    expect(isSearchShortcut(key('f', { ctrlKey: true }), true)).toBe(false);
  });
});
