import { describe, expect, it } from 'vitest';
import type { ItemSummary, ReleaseInfo } from '../../../main/shared/library';
import {
  badgeLabel,
  contentUrl,
  isNewInRelease,
  isNewSince,
  librarySummary,
  nextScrollPace,
  pageCountLabel,
  releaseLabel,
  shelfMetrics,
} from '../../../renderer/library/presentation';
import { titleSortKey } from '../../../main/shared/text';

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
    expect(librarySummary({ itemCount: 2, collectionCount: 0 })).toBe('2 items · on this device, ready offline');
    expect(librarySummary({ itemCount: 1, collectionCount: 1 })).toBe(
      '1 item in 1 collection · on this device, ready offline',
    );
    expect(librarySummary({ itemCount: 20_000, collectionCount: 200 })).toBe(
      '20,000 items in 200 collections · on this device, ready offline',
    );
  });
});

// Shelves, sorting and filters are the core's now (test/integration/library-shelves.test.ts).
describe('the "New" badge', () => {
  it('badges the items changed after the version the rep last marked as seen', () => {
    expect(isNewSince(item('a', { changedInVersion: 3 }), 2)).toBe(true);
    expect(isNewSince(item('b', { changedInVersion: 2 }), 2)).toBe(false);
    expect(isNewSince(item('d', { changedInVersion: 1 }), 2)).toBe(false);
  });

  it('badges nothing without a baseline (no release, or a channel the rep has never seen)', () => {
    expect(isNewSince(item('a', { changedInVersion: 3 }), null)).toBe(false);
  });
});

describe('A–Z as people read titles', () => {
  it('orders numbers by value and folds case and accents', () => {
    const titles = ['beta', 'Alpha', 'alpha 10', 'alpha 9', 'Écran', 'ecran 2', 'Deck 007'];
    const sorted = [...titles].sort((a, b) => (titleSortKey(a) < titleSortKey(b) ? -1 : 1));
    expect(sorted).toEqual(['Alpha', 'alpha 9', 'alpha 10', 'beta', 'Deck 007', 'Écran', 'ecran 2']);
  });

  it('sizes shelf cards for the window: about three and a half upright, never below 188 px', () => {
    expect(shelfMetrics(960).cardWidth).toBe(255);
    expect(shelfMetrics(390).cardWidth).toBe(188);
    expect(shelfMetrics(1920).cardWidth).toBe(272);
  });
});

describe('nextScrollPace', () => {
  const still = { offset: 0, at: 0, flinging: false };

  it('calls a scroll of more than three pixels a millisecond a fling, and a slower one reading', () => {
    const reading = nextScrollPace({ ...still, at: 1000 }, 40, 1016);
    expect(reading).toEqual({ offset: 40, at: 1016, flinging: false });
    const flung = nextScrollPace(reading, 40 + 960, 1016 + 33);
    expect(flung.flinging).toBe(true);
    expect(nextScrollPace(flung, 1000 + 30, 1049 + 16).flinging).toBe(false);
  });

  it('calls one long step a fling however long the home lay still before it', () => {
    expect(nextScrollPace({ ...still, at: 0 }, 20_000, 60_000).flinging).toBe(true);
    expect(nextScrollPace({ ...still, at: 0 }, 200, 60_000).flinging).toBe(false);
  });

  it('keeps the last pace when a render comes without a scroll', () => {
    const flung = nextScrollPace(still, 5000, 50);
    expect(nextScrollPace(flung, 5000, 400)).toBe(flung);
  });
});
