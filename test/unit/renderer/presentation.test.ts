import { describe, expect, it } from 'vitest';
import type { ItemSummary, ReleaseInfo } from '../../../main/shared/library';
import { badgeLabel, contentUrl, isNewInRelease, librarySummary, newItemIds, pageCountLabel, releaseLabel, shelfRows } from '../../../renderer/library/presentation';

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

const release: ReleaseInfo = { channel: 'demo', version: 3, publishedAt: '', expiresAt: '', installedAt: '', itemCount: 0 };

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
    expect(librarySummary({ items: [item('a'), item('b')], collections: [] })).toBe('2 items · on this device, ready offline');
    expect(librarySummary({ items: [item('a')], collections: [{ id: 'c', title: '', description: '', itemIds: [] }] })).toBe(
      '1 item in 1 collection · on this device, ready offline',
    );
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
      items: [item('a', { changedInVersion: 3 }), item('b', { changedInVersion: 2 }), item('c', { changedInVersion: 4 }), item('d', { changedInVersion: 1 })],
    });
    expect([...ids].sort()).toEqual(['a', 'c']);
  });

  it('badges nothing once everything has been seen', () => {
    const ids = newItemIds({ lastSeenVersion: 4, items: [item('a', { changedInVersion: 4 }), item('b', { changedInVersion: 3 })] });
    expect(ids.size).toBe(0);
  });

  it('badges nothing without a baseline (no release, or a channel the rep has never seen)', () => {
    const ids = newItemIds({ lastSeenVersion: null, items: [item('a', { changedInVersion: 3 }), item('b', { changedInVersion: 1 })] });
    expect(ids.size).toBe(0);
  });

  it('badges every item when every item changed since the rep looked', () => {
    const ids = newItemIds({ lastSeenVersion: 1, items: [item('a', { changedInVersion: 2 }), item('b', { changedInVersion: 3 })] });
    expect([...ids].sort()).toEqual(['a', 'b']);
  });
});
