/**
 * A library of 20,000 items on the home and in "See all": only the cards near the screen are in
 * the DOM, every collection opens its full grid, and sort and filters find what the rep wants.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ItemKind, LibraryView } from '#shared/library';
import { App } from '../../renderer/app/App';
import { FakeCore, renderWith } from './fake-core';
import { itemSummary, library, syncStatus } from './fixtures';

const kinds: ItemKind[] = ['pdf', 'image', 'video', 'microsite'];

function bigLibrary(count: number, collections: number): LibraryView {
  const items = Array.from({ length: count }, (_, i) =>
    itemSummary(`item-${i}`, `Document ${String(i).padStart(5, '0')}`, {
      kind: kinds[i % kinds.length]!,
      products: [`product-${i % 7}`],
      tags: i === 12_345 ? ['needle'] : [`tag-${i % 11}`],
      changedInVersion: 1 + (i % 3),
    }),
  );
  const view = library(items);
  const size = Math.ceil(count / collections);
  view.collections = Array.from({ length: collections }, (_, c) => ({
    id: `c${c}`,
    title: `Collection ${c}`,
    description: '',
    itemIds: items.slice(c * size, (c + 1) * size).map((item) => item.id),
  }));
  return view;
}

function core(view: LibraryView): FakeCore {
  return new FakeCore()
    .answer('getLibrary', () => view)
    .answer('getSyncStatus', () => syncStatus)
    .answer('getAppUpdateStatus', () => ({ state: 'unsupported', version: null, percent: null, message: null }))
    .answer('getRecentSearches', () => []);
}

describe('a library of 20,000 items', () => {
  beforeEach(() => {
    window.location.hash = '';
    localStorage.clear();
  });

  it('draws only the first rows and cards of the home', async () => {
    renderWith(core(bigLibrary(20_000, 40)), <App />);
    await screen.findByText('Document 00000');
    const rows = screen.getAllByTestId('collection-row');
    expect(rows.length).toBeLessThanOrEqual(6);
    expect(screen.getAllByTestId('item-card').length).toBeLessThanOrEqual(rows.length * 12);
    // Each row still says how many it holds and scrolls through all of them.
    expect(within(rows[0]!).getByText('500')).toBeTruthy();
    expect(rows[0]!.querySelector('[aria-setsize="500"]')).not.toBeNull();
  });

  it('"See all" opens a collection as a grid that draws only its first rows, sorts and filters', async () => {
    renderWith(core(bigLibrary(20_000, 1)), <App />);
    await screen.findByText('Document 00000');
    fireEvent.click(screen.getAllByTestId('see-all')[0]!);
    const grid = await screen.findByTestId('collection-screen');
    expect(within(grid).getByTestId('collection-count').textContent).toBe('20000');
    expect(within(grid).getAllByTestId('item-card').length).toBeLessThanOrEqual(60);
    // A new screen: the focus is on its heading.
    await waitFor(() => expect(document.activeElement?.id).toBe(within(grid).getByRole('heading', { level: 1 }).id));

    // Newest first: version 3 items lead (every third from item-2).
    expect(within(grid).getAllByTestId('item-card')[0]!.getAttribute('data-item-id')).toBe('item-2');
    fireEvent.change(within(grid).getByTestId('collection-sort'), { target: { value: 'title' } });
    await waitFor(() =>
      expect(within(grid).getAllByTestId('item-card')[0]!.getAttribute('data-item-id')).toBe('item-0'),
    );

    // The one item tagged "needle", found by the tag filter among 20,000.
    fireEvent.change(within(grid).getByTestId('filter-tag'), { target: { value: 'needle' } });
    await waitFor(() => expect(within(grid).getAllByTestId('item-card')).toHaveLength(1));
    expect(within(grid).getByTestId('item-card').getAttribute('data-item-id')).toBe('item-12345');
    expect(within(grid).getByTestId('collection-count').textContent).toBe('1 of 20000');

    // Kind and product together.
    fireEvent.click(within(grid).getByTestId('filter-clear'));
    fireEvent.change(within(grid).getByTestId('filter-kind'), { target: { value: 'video' } });
    fireEvent.change(within(grid).getByTestId('filter-product'), { target: { value: 'product-3' } });
    await waitFor(() => expect(within(grid).getByTestId('collection-count').textContent).toMatch(/^\d+ of 20000$/));
    for (const card of within(grid).getAllByTestId('item-card')) expect(card.getAttribute('data-kind')).toBe('video');
  });
});
