import { describe, expect, it } from 'vitest';
import type { ItemSummary, ReleaseInfo } from '../../../main/shared/library';
import {
  badgeLabel,
  contentUrl,
  filterChoices,
  isNewInRelease,
  librarySummary,
  newItemIds,
  noFilter,
  pageCountLabel,
  releaseLabel,
  shelfMetrics,
  shelfRows,
  sortAndFilter,
} from '../../../renderer/library/presentation';

function item(id: string, extra: Partial<ItemSummary> = {}): ItemSummary {
  return {
    id,
    kind: 'pdf',
    category: null,
    title: id,
    description: '',
    tags: [],
    products: [],
    audiences: [],
    collectionIds: [],
    kiosk: false,
    pageCount: null,
    thumbnail: null,
    validUntil: null,
    changedInVersion: 1,
    ...extra,
  };
}

const release: ReleaseInfo = {
  channel: 'demo',
  version: 3,
  publishedAt: '',
  expiresAt: '',
  installedAt: '',
  itemCount: 0,
};

describe('card wording', () => {
  it('labels by category, falling back to the kind', () => {
    expect(badgeLabel({ kind: 'pdf', category: 'price-sheet' })).toBe('Price sheet');
    expect(badgeLabel({ kind: 'pdf', category: 'case_study' })).toBe('Case study');
    expect(badgeLabel({ kind: 'video', category: null })).toBe('Video');
    expect(badgeLabel({ kind: 'microsite', category: '  ' })).toBe('Interactive');
  });

  it('counts pages', () => {
    expect(pageCountLabel(null)).toBeNull();
    expect(pageCountLabel(0)).toBeNull();
    expect(pageCountLabel(1)).toBe('1 page');
    expect(pageCountLabel(6)).toBe('6 pages');
  });

  it('marks items changed in the current release as new', () => {
    expect(isNewInRelease({ changedInVersion: 3 }, release)).toBe(true);
    expect(isNewInRelease({ changedInVersion: 2 }, release)).toBe(false);
    expect(isNewInRelease({ changedInVersion: 3 }, null)).toBe(false);
  });

  it('names the release and addresses content by hash', () => {
    expect(releaseLabel(release)).toBe('Release 3 · demo');
    expect(releaseLabel(null)).toBeNull();
    expect(contentUrl('ab12')).toBe('/content/ab12');
  });

  it('summarises the library', () => {
    expect(librarySummary({ items: [item('a'), item('b')], collections: [] })).toBe(
      '2 items · on this device, ready offline',
    );
    expect(
      librarySummary({ items: [item('a')], collections: [{ id: 'c', title: '', description: '', itemIds: [] }] }),
    ).toBe('1 item in 1 collection · on this device, ready offline');
  });
});

describe('shelfRows', () => {
  it('keeps collection order, skips unknown ids and empty collections, and shelves the rest', () => {
    const rows = shelfRows({
      items: [item('a'), item('b'), item('c')],
      collections: [
        { id: 'second', title: 'Second', description: '', itemIds: ['b', 'ghost'] },
        { id: 'empty', title: 'Empty', description: '', itemIds: ['ghost'] },
        { id: 'first', title: 'First', description: '', itemIds: ['a', 'b'] },
      ],
    });
    expect(rows.map((row) => [row.id, row.items.map((i) => i.id)])).toEqual([
      ['second', ['b']],
      ['first', ['a', 'b']],
      ['__more', ['c']],
    ]);
    expect(rows.at(-1)?.title).toBe('More in the library');
  });

  it('calls a library without collections just the library', () => {
    const rows = shelfRows({ items: [item('a')], collections: [] });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.title).toBe('Library');
  });

  it('is empty for an empty library', () => {
    expect(shelfRows({ items: [], collections: [] })).toEqual([]);
  });
});

describe('newItemIds', () => {
  it('badges the items changed after the version the rep last marked as seen', () => {
    const ids = newItemIds({
      lastSeenVersion: 2,
      items: [
        item('a', { changedInVersion: 3 }),
        item('b', { changedInVersion: 2 }),
        item('c', { changedInVersion: 4 }),
        item('d', { changedInVersion: 1 }),
      ],
    });
    expect([...ids].sort()).toEqual(['a', 'c']);
  });

  it('badges nothing once everything has been seen', () => {
    const ids = newItemIds({
      lastSeenVersion: 4,
      items: [item('a', { changedInVersion: 4 }), item('b', { changedInVersion: 3 })],
    });
    expect(ids.size).toBe(0);
  });

  it('badges nothing without a baseline (no release, or a channel the rep has never seen)', () => {
    const ids = newItemIds({
      lastSeenVersion: null,
      items: [item('a', { changedInVersion: 3 }), item('b', { changedInVersion: 1 })],
    });
    expect(ids.size).toBe(0);
  });

  it('badges every item when every item changed since the rep looked', () => {
    const ids = newItemIds({
      lastSeenVersion: 1,
      items: [item('a', { changedInVersion: 2 }), item('b', { changedInVersion: 3 })],
    });
    expect([...ids].sort()).toEqual(['a', 'b']);
  });
});

describe('"See all" sort and filters', () => {
  const items = [
    item('b', { title: 'beta', changedInVersion: 1, kind: 'video', products: ['p1'], tags: ['x'] }),
    item('a', { title: 'Alpha', changedInVersion: 3, products: ['p2'] }),
    item('c', { title: 'alpha 10', changedInVersion: 3, tags: ['x'] }),
    item('d', { title: 'alpha 9', changedInVersion: 2 }),
  ];
  const ids = (list: ItemSummary[]) => list.map((entry) => entry.id);

  it('sorts newest first, A–Z (numbers as numbers, case ignored) and by opens on this device, ties in release order', () => {
    expect(ids(sortAndFilter(items, 'new', noFilter))).toEqual(['a', 'c', 'd', 'b']);
    expect(ids(sortAndFilter(items, 'title', noFilter))).toEqual(['a', 'd', 'c', 'b']);
    expect(
      ids(
        sortAndFilter(
          items,
          'used',
          noFilter,
          new Map([
            ['d', 5],
            ['b', 2],
          ]),
        ),
      ),
    ).toEqual(['d', 'b', 'a', 'c']);
  });

  it('filters by kind, product and tag together, and offers only values the items have', () => {
    expect(ids(sortAndFilter(items, 'new', { ...noFilter, tag: 'x' }))).toEqual(['c', 'b']);
    expect(ids(sortAndFilter(items, 'new', { kind: 'video', product: 'p1', tag: 'x' }))).toEqual(['b']);
    expect(ids(sortAndFilter(items, 'new', { ...noFilter, product: 'nope' }))).toEqual([]);
    expect(filterChoices(items)).toEqual({ kinds: ['pdf', 'video'], products: ['p1', 'p2'], tags: ['x'] });
  });

  it('sizes shelf cards for the window: about three and a half upright, never below 188 px', () => {
    expect(shelfMetrics(960).cardWidth).toBe(255);
    expect(shelfMetrics(390).cardWidth).toBe(188);
    expect(shelfMetrics(1920).cardWidth).toBe(272);
  });
});
