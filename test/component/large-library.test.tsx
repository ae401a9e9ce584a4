/**
 * A library of 20,000 items on the home and in "See all": only the cards near the screen are in
 * the DOM, every collection opens its full grid, and sort and filters find what the rep wants.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ItemKind, LibraryView } from '#shared/library';
import { App } from '../../renderer/app/App';
import { FakeCore, renderWith } from './fake-core';
import { answerLibrary } from './fake-library';
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
  return answerLibrary(new FakeCore(), () => view)
    .answer('getSyncStatus', () => syncStatus)
    .answer('getAppUpdateStatus', () => ({ state: 'unsupported', version: null, percent: null, message: null }))
    .answer('getRecentSearches', () => []);
}

describe('a library of 20,000 items', () => {
  beforeEach(() => {
    window.location.hash = '';
    localStorage.clear();
  });

  it('asks the core only for the home summary and draws only the first rows and cards', async () => {
    const fake = core(bigLibrary(20_000, 40));
    renderWith(fake, <App />);
    await screen.findByText('Document 00000');
    const rows = screen.getAllByTestId('collection-row');
    expect(rows.length).toBeLessThanOrEqual(6);
    expect(screen.getAllByTestId('item-card').length).toBeLessThanOrEqual(rows.length * 12);
    // Each row says how many it holds; it carries the first cards and ends in "See all".
    expect(within(rows[0]!).getByText('500')).toBeTruthy();
    expect(rows[0]!.querySelector('[aria-setsize="25"]')).not.toBeNull();
    expect(within(rows[0]!).getByTestId('see-all').getAttribute('aria-label')).toBe('See all 500 in Collection 0');
    // The whole library never crosses: one summary, and any shelf further down asks for its first cards only.
    expect(fake.callsTo('getLibrary')).toEqual([]);
    expect(fake.callsTo('getLibraryHome')).toHaveLength(1);
    for (const call of fake.callsTo('listItems') as { limit: number; offset: number }[])
      expect(call).toMatchObject({ offset: 0, limit: 24 });
  });

  it('loads the cards of a shelf further down only when it is drawn', async () => {
    const fake = core(bigLibrary(2_000, 40));
    renderWith(fake, <App />);
    await screen.findByText('Document 00000');
    const drawn = screen.getAllByTestId('collection-row').map((row) => row.getAttribute('data-collection-id'));
    const asked = (fake.callsTo('listItems') as { shelf: string }[]).map((call) => call.shelf);
    // The first four come with the home; only drawn rows below them ask for theirs.
    for (const shelf of asked) expect(drawn).toContain(shelf);
    expect(asked).not.toContain('c0');
    expect(asked.length).toBeLessThan(10);
  });

  it('"See all" opens a collection as a grid that draws only its first rows, sorts and filters', async () => {
    const fake = core(bigLibrary(20_000, 1));
    renderWith(fake, <App />);
    await screen.findByText('Document 00000');
    fireEvent.click(screen.getAllByTestId('see-all')[0]!);
    const grid = await screen.findByTestId('collection-screen');
    expect(within(grid).getByTestId('collection-count').textContent).toBe('20000');
    // The first page arrives from the core: only its first rows are drawn.
    expect((await within(grid).findAllByTestId('item-card')).length).toBeLessThanOrEqual(60);
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
    // Every page the grid asked for was a page, sorted and filtered by the core.
    for (const call of fake.callsTo('listItems') as { limit: number; shelf: string }[])
      expect(call.limit).toBeLessThanOrEqual(60);

    // Kind and product together.
    fireEvent.click(within(grid).getByTestId('filter-clear'));
    fireEvent.change(within(grid).getByTestId('filter-kind'), { target: { value: 'video' } });
    fireEvent.change(within(grid).getByTestId('filter-product'), { target: { value: 'product-3' } });
    await waitFor(() => expect(within(grid).getByTestId('collection-count').textContent).toMatch(/^\d+ of 20000$/));
    for (const card of within(grid).getAllByTestId('item-card')) expect(card.getAttribute('data-kind')).toBe('video');
  });
});
