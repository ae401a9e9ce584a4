import { describe, expect, it } from 'vitest';
import { SearchEngine, snippet, type SearchItem } from '#core/search/engine';
import { PageIndexBuilder } from '#core/search/page-index';
import { tokenize } from '#shared/text';

const NOW = '2026-06-01T00:00:00.000Z';

function item(id: string, over: Partial<SearchItem> = {}): SearchItem {
  return {
    id,
    title: id,
    kind: 'pdf',
    category: 'brochure',
    description: '',
    tags: [],
    products: [],
    collections: [],
    collectionTitles: [],
    validFrom: null,
    validUntil: null,
    kiosk: false,
    ...over,
  };
}

/** An engine over items with the given page texts (an item without pages has no text). */
function engine(
  items: SearchItem[],
  pages: Record<string, string[]>,
  glossary = [] as { id: string; term: string; definition: string; aliases: string[] }[],
) {
  const builder = new PageIndexBuilder();
  for (const i of items) builder.addItem(i.id, (pages[i.id] ?? []).map(tokenize));
  return new SearchEngine(
    items,
    glossary,
    SearchEngine.buildFieldIndex(items),
    [builder.build()],
    (id, page) => pages[id]?.[page - 1] ?? null,
  );
}

const library = [
  item('brochure', { title: 'AquaCore 500 brochure', products: ['AquaCore 500'], tags: ['reverse osmosis'] }),
  item('photo', { title: 'Product photo', kind: 'image', category: 'image' }),
  item('deck', {
    title: 'FlowSense overview',
    category: 'deck',
    collections: ['sales'],
    collectionTitles: ['Sales decks'],
  }),
  item('prices', { title: 'Price sheet', category: 'price-sheet', validUntil: '2026-12-31T00:00:00.000Z' }),
  item('old', { title: 'Old price sheet', category: 'price-sheet', validUntil: '2025-12-31T00:00:00.000Z' }),
  item('future', { title: 'Next year price sheet', category: 'price-sheet', validFrom: '2027-01-01T00:00:00.000Z' }),
];
const texts: Record<string, string[]> = {
  brochure: [
    'Pure water at 500 litres per hour',
    'Twin trains keep producing during a membrane clean',
    'Specifications and comparison with HydraMax',
  ],
  deck: ['Remote monitoring dashboard', 'Alerts tell you what to do', 'How FlowSense compares with HydraMax Connect'],
  prices: ['AquaCore 500 list price'],
  old: ['AquaCore 500 list price last year'],
  future: ['AquaCore 500 list price next year'],
};
const e = engine(library, texts, [
  { id: 'lead', term: 'Qualified lead', definition: 'A lead that sales has accepted.', aliases: ['SQL'] },
]);
const ids = (query: string, options = {}) => e.search(query, { now: NOW, ...options }).items.map((i) => i.id);

describe('search engine', () => {
  it('finds words inside pages and returns the matching page with a highlighted snippet', () => {
    const [hit] = e.search('membrane clean ', { now: NOW }).items;
    expect(hit?.id).toBe('brochure');
    expect(hit?.pages[0]?.page).toBe(2);
    const { snippet: text, highlights } = hit!.pages[0]!;
    expect(highlights.map(([a, b]) => text.slice(a, b))).toEqual(['membrane', 'clean']);
  });

  it('treats the last word as a prefix while it is being typed', () => {
    expect(ids('memb')).toEqual(['brochure']);
    expect(ids('memb ')).toEqual([]);
  });

  it('forgives typos scaled to word length, including swapped letters', () => {
    expect(ids('membarne ')).toContain('brochure');
    expect(ids('hydarmax ')).toEqual(expect.arrayContaining(['brochure', 'deck']));
    // Three-letter words must match exactly: "cat" is not "car".
    expect(ids('pfx ')).toEqual([]);
  });

  it('says which items matched every word', () => {
    const result = e.search('hydramax dashboard ', { now: NOW }).items;
    expect(result[0]?.id).toBe('deck');
    expect(result[0]?.matchedAll).toBe(true);
    expect(result.find((i) => i.id === 'brochure')?.matchedAll).toBe(false);
  });

  it('does not require stop words ("how do you compare with hydramax")', () => {
    expect(ids('how does it compare with hydramax')).toEqual(expect.arrayContaining(['deck']));
    expect(e.search('how does it compare with hydramax', { now: NOW }).items[0]?.matchedAll).toBe(true);
  });

  it('keeps every real word of a long question, however many small words come first', () => {
    const question = `${'so what is it that we should be doing with the one that was there and what can it be for '.repeat(3)}membrane cleaning `;
    expect(question.length).toBeGreaterThan(200);
    expect(ids(question)[0]).toBe('brochure');
  });

  it('boosts titles over page text', () => {
    expect(ids('flowsense ')[0]).toBe('deck');
  });

  it('never returns expired or not-yet-valid items', () => {
    expect(ids('price sheet ')).toEqual(['prices']);
    expect(ids('price sheet ', { now: '2027-02-01T00:00:00.000Z' })).toEqual(['future']);
  });

  it('filters by kind or category, product, collection and tag', () => {
    expect(ids('aquacore', { filters: { kinds: ['price-sheet'] } })).toEqual(['prices']);
    expect(ids('aquacore', { filters: { products: ['AquaCore 500'] } })).toEqual(['brochure']);
    expect(ids('hydramax', { filters: { collections: ['sales'] } })).toEqual(['deck']);
    expect(ids('water', { filters: { tags: ['reverse osmosis'] } })).toEqual(['brochure']);
    expect(ids('photo', { filters: { kinds: ['image'] } })).toEqual(['photo']);
  });

  it('shows kiosk profiles only kiosk items', () => {
    expect(ids('aquacore', { kioskOnly: true })).toEqual([]);
  });

  it('finds the pages of an item that follows items without text', () => {
    const withGaps = engine([item('a'), item('img', { kind: 'image' }), item('b'), item('video', { kind: 'video' })], {
      a: ['alpha page'],
      b: ['first page', 'second page about membranes'],
    });
    const [hit] = withGaps.search('membranes ', { now: NOW }).items;
    expect(hit?.id).toBe('b');
    expect(hit?.pages.map((p) => p.page)).toEqual([2]);
  });

  it('answers glossary terms inline, by term or alias, typos forgiven', () => {
    expect(e.search('qualified lead', { now: NOW }).glossary.map((g) => g.id)).toEqual(['lead']);
    expect(e.search('qualifed lead', { now: NOW }).glossary.map((g) => g.id)).toEqual(['lead']);
    expect(e.search('sql', { now: NOW }).glossary.map((g) => g.id)).toEqual(['lead']);
  });

  it('suggests completions of the word being typed', () => {
    expect(e.suggest('monit')).toContain('monitoring');
    expect(e.suggest('remote monit')).toContain('remote monitoring');
    expect(e.suggest('m')).toEqual([]);
  });

  it('returns nothing for an empty or punctuation-only query', () => {
    expect(e.search('  ', { now: NOW }).items).toEqual([]);
    expect(e.search('?!', { now: NOW }).total).toBe(0);
  });

  it('lets a newer segment shadow an older copy of an item, and drops removed items', () => {
    const items = [item('a'), item('b')];
    const v1 = new PageIndexBuilder();
    v1.addItem('a', [tokenize('old text about pumps')]);
    v1.addItem('b', [tokenize('text about valves')]);
    v1.addItem('gone', [tokenize('valves and pumps')]);
    const v2 = new PageIndexBuilder();
    v2.addItem('a', [tokenize('new text about filters')]);
    const both = new SearchEngine(items, [], SearchEngine.buildFieldIndex(items), [v1.build(), v2.build()], () => null);
    expect(both.search('pumps ', { now: NOW }).items.map((i) => i.id)).toEqual([]);
    expect(both.search('filters ', { now: NOW }).items.map((i) => i.id)).toEqual(['a']);
    expect(both.search('valves ', { now: NOW }).items.map((i) => i.id)).toEqual(['b']);
  });
});

describe('ranking', () => {
  /** Many filler documents, so common words are common and rare words rare. */
  function corpus(extra: Record<string, string[]>) {
    const pages: Record<string, string[]> = { ...extra };
    for (let i = 0; i < 60; i++)
      pages[`filler-${i}`] = [`water system unit service report number ${i} with water quality plant notes`];
    return engine(
      Object.keys(pages).map((id) => item(id, { title: `Document ${id.length}` })),
      pages,
    );
  }

  it('lets an item with four of five rare words beat one with all five common ones', () => {
    const e = corpus({
      rare: ['Ozonation bromate nanofiltration permeate, explained for brewers.'],
      common: ['Water system unit service plant: the water system unit service plant again.'],
    });
    const result = e
      .search('ozonation bromate nanofiltration permeate water system unit service plant ', { now: NOW })
      .items.map((i) => i.id);
    expect(result.indexOf('rare')).toBeLessThan(result.indexOf('common'));
    expect(result[0]).toBe('rare');
  });

  it('ranks a page where the words stand together above one where they are scattered', () => {
    const scattered =
      'Membrane cleaning schedules vary. ' +
      'Notes on site visits and water quality. '.repeat(3) +
      'Fouling needs attention.';
    const together =
      'Notes on site visits and water quality. '.repeat(3) +
      'Membrane fouling needs attention. Cleaning schedules vary.';
    const e = corpus({ scattered: [scattered], together: [together] });
    expect(
      e
        .search('membrane fouling ', { now: NOW })
        .items.slice(0, 2)
        .map((i) => i.id),
    ).toEqual(['together', 'scattered']);
    // The same pages, the words reversed in the query: still the page where they meet.
    expect(e.search('fouling membrane ', { now: NOW }).items[0]?.id).toBe('together');
  });

  it('finds other forms of the words typed (stems), from a whole question', () => {
    const e = corpus({ costs: ['What it costs to run an AquaCore unit for a year'] });
    expect(e.search('how much are the running costs', { now: NOW }).items[0]?.id).toBe('costs');
  });
});

describe('snippets', () => {
  const marks = { stems: new Set(['membran']), prefixes: ['clea'] };
  it('marks every form of a matched stem and completions of the typed prefix, not parts of other words', () => {
    const out = snippet('A membrane is cleaned; membranes and unclean water are not.', marks);
    expect(out.highlights.map(([a, b]) => out.snippet.slice(a, b))).toEqual(['membrane', 'cleaned', 'membranes']);
  });
  it('handles accented text through the general path', () => {
    const out = snippet('La membrane est nettoyée, café compris.', { stems: new Set(['cafe']), prefixes: [] });
    expect(out.highlights.map(([a, b]) => out.snippet.slice(a, b))).toEqual(['café']);
  });
  it('marks words on a page whose only non-ASCII characters are symbols, as on plain text', () => {
    const out = snippet('Membranes – €1,200 × 2; “cleaned” at 40 °C.', marks);
    expect(out.highlights.map(([a, b]) => out.snippet.slice(a, b))).toEqual(['Membranes', 'cleaned']);
    expect(out.snippet).toBe('Membranes – €1,200 × 2; “cleaned” at 40 °C.');
  });
  it('marks a repeated accented word every time it stands on the page', () => {
    const out = snippet('Café, café et encore café.', { stems: new Set(['cafe']), prefixes: [] });
    expect(out.highlights.map(([a, b]) => out.snippet.slice(a, b))).toEqual(['Café', 'café', 'café']);
  });
  it('cuts long pages around the best stretch', () => {
    const filler = 'word '.repeat(200);
    const out = snippet(`${filler} the membrane clean ${filler}`, marks);
    expect(out.snippet.startsWith('… ')).toBe(true);
    expect(out.snippet.endsWith(' …')).toBe(true);
    expect(out.snippet.split(' ').length).toBeLessThan(32);
  });
});
