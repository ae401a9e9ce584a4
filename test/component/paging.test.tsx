/**
 * Long lists a page at a time: search results grow by "Show more results", the "See all" grid
 * asks the core for the page it scrolls to (not every page before it) and sends sort and
 * filters along, and the pitch builder's picker lists the library A–Z and asks the search
 * engine for what the rep types, drawing only the rows on screen.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ItemListRequest, ItemSummary, LibraryView } from '#shared/library';
import type { SearchRequest, SearchResponse } from '#shared/search';
import { App } from '../../renderer/app/App';
import { CollectionScreen } from '../../renderer/library/CollectionScreen';
import { PitchBuilder } from '../../renderer/presenting/PitchBuilder';
import { FakeCore, renderWith } from './fake-core';
import { answerLibrary, homeFrom } from './fake-library';
import { itemSummary, library, syncStatus } from './fixtures';

function manyItems(count: number): LibraryView {
  return library(
    Array.from({ length: count }, (_, i) =>
      itemSummary(`doc-${i}`, `Document ${i}`, { kind: i % 2 ? 'image' : 'pdf', tags: [`tag-${i % 3}`] }),
    ),
  );
}

/** A search engine over the titles: a page of hits from `offset`, each with its card. */
function searchOver(view: LibraryView) {
  return ({ query, offset = 0, limit = 20 }: SearchRequest): SearchResponse => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const found = view.items.filter((item) => words.every((word) => item.title.toLowerCase().includes(word)));
    return {
      query,
      items: found.slice(offset, offset + limit).map((item: ItemSummary) => ({
        id: item.id,
        title: item.title,
        kind: item.kind,
        score: 1,
        matchedAll: true,
        pages: [],
        summary: item,
      })),
      glossary: [],
      total: found.length,
      suggestions: [],
    };
  };
}

function appCore(view: LibraryView): FakeCore {
  return answerLibrary(new FakeCore(), () => view)
    .answer('getSyncStatus', () => syncStatus)
    .answer('getAppUpdateStatus', () => ({ state: 'unsupported', version: null, percent: null, message: null }))
    .answer('getRecentSearches', () => [])
    .answer('search', searchOver(view));
}

beforeEach(() => {
  window.location.hash = '';
  localStorage.clear();
});

describe('search results, a page at a time', () => {
  it('shows a first screenful and adds the next 20 on "Show more results"', async () => {
    const core = appCore(manyItems(45));
    renderWith(core, <App />);
    await screen.findByText('Document 0', { selector: '.item-card__title' });
    fireEvent.change(await screen.findByTestId('search-input'), { target: { value: 'document' } });
    // As the rep types, only a screenful is asked for, so each keystroke's answer is small.
    await waitFor(() => expect(screen.getAllByTestId('search-result')).toHaveLength(8));
    expect(core.callsTo('search')).toContainEqual(expect.objectContaining({ query: 'document', limit: 8 }));
    const more = screen.getByTestId('search-more');
    expect(more.textContent).toBe('Show more results (37 more)');
    fireEvent.click(more);
    // 28 loaded; the list is virtualised, so only those in the panel's view are drawn.
    await waitFor(() => expect(screen.getByTestId('search-more').textContent).toBe('Show more results (17 more)'));
    expect(screen.getAllByTestId('search-result').length).toBeLessThan(28);
    expect(core.callsTo('search')).toContainEqual(expect.objectContaining({ query: 'document', offset: 8, limit: 20 }));
    // Cards come with the hits: no second request for the library.
    expect(core.callsTo('getLibrary')).toEqual([]);
    fireEvent.click(screen.getByTestId('search-more'));
    await waitFor(() => expect(screen.queryByTestId('search-more')).toBeNull());
    expect(screen.getAllByTestId('search-result').length).toBeLessThan(45);
    // Each drawn result says its place among all 45.
    expect(screen.getAllByTestId('search-result')[0]!.getAttribute('aria-label')).toBe('Document 0, result 1 of 45');
  });

  it('brings the next page when the arrow keys walk onto the last result shown', async () => {
    const core = appCore(manyItems(45));
    renderWith(core, <App />);
    await screen.findByText('Document 0', { selector: '.item-card__title' });
    const input = await screen.findByTestId('search-input');
    fireEvent.change(input, { target: { value: 'document' } });
    await waitFor(() => expect(screen.getAllByTestId('search-result')).toHaveLength(8));
    for (let step = 0; step < 7; step++) fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(core.callsTo('search')).not.toContainEqual(expect.objectContaining({ offset: 8 }));
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    // The next 20 are loaded (the list draws only those in view, so the count is the button's).
    await waitFor(() => expect(screen.getByTestId('search-more').textContent).toBe('Show more results (17 more)'));
    expect(core.callsTo('search')).toContainEqual(expect.objectContaining({ offset: 8 }));
    expect(input.getAttribute('aria-activedescendant')).toBe(
      screen.getAllByTestId('search-result-open')[7]!.getAttribute('id'),
    );
  });

  it('asks only for the newest text while a search is on its way, and paints each answer for its own text', async () => {
    const view = manyItems(45);
    const answer = searchOver(view);
    const held: { request: SearchRequest; release(): void }[] = [];
    const core = appCore(view).answer(
      'search',
      (request: SearchRequest) =>
        new Promise<SearchResponse>((resolve) => held.push({ request, release: () => resolve(answer(request)) })),
    );
    renderWith(core, <App />);
    await screen.findByText('Document 0', { selector: '.item-card__title' });
    const input = await screen.findByTestId('search-input');
    fireEvent.change(input, { target: { value: 'd' } });
    fireEvent.change(input, { target: { value: 'do' } });
    fireEvent.change(input, { target: { value: 'doc' } });
    fireEvent.change(input, { target: { value: 'docu' } });
    await waitFor(() => expect(held).toHaveLength(1));
    expect(held[0]!.request.query).toBe('d');
    held[0]!.release();
    // The keys that waited are superseded by the newest: "do" and "doc" are never asked.
    await waitFor(() => expect(held).toHaveLength(2));
    expect(held[1]!.request.query).toBe('docu');
    expect(core.callsTo('search').map((call) => (call as SearchRequest).query)).toEqual(['d', 'docu']);
    // Meanwhile the answer for "d" is on screen, marked as the answer to "d", not to "docu".
    expect(screen.getByTestId('search-panel').getAttribute('data-answered-query')).toBe('d');
    held[1]!.release();
    await waitFor(() => expect(screen.getByTestId('search-panel').getAttribute('data-answered-query')).toBe('docu'));
    expect(screen.getByTestId('search-panel').getAttribute('data-status')).toBe('ready');
  });
});

describe('"See all" pages', () => {
  it('asks for the first page with the sort and filters, and for the page it scrolls to', async () => {
    const view = manyItems(3_000);
    const core = answerLibrary(new FakeCore(), () => view);
    const home = homeFrom(view, { favourites: [], recent: [], opens: {} });
    renderWith(core, <CollectionScreen id="main" home={home} onOpenItem={vi.fn()} onBack={vi.fn()} />);
    const grid = await screen.findByTestId('collection-screen');
    await waitFor(() => expect(within(grid).getAllByTestId('item-card').length).toBeGreaterThan(0));
    expect(within(grid).getByTestId('collection-count').textContent).toBe('3000');
    const first = core.callsTo('listItems') as ItemListRequest[];
    expect(first).toEqual([
      { shelf: 'main', sort: 'new', filter: { kind: null, product: null, tag: null }, offset: 0, limit: 60 },
    ]);

    // Far down the grid: the page there is asked for, not the 20 pages before it.
    const body = within(grid).getByTestId('collection-grid');
    const lastSlot = within(grid).getAllByRole('listitem')[0]!;
    expect(lastSlot.getAttribute('aria-setsize')).toBe('3000');
    body.scrollTop = 200 * 400;
    fireEvent.scroll(body);
    await waitFor(() =>
      expect((core.callsTo('listItems') as ItemListRequest[]).some((call) => call.offset > 60 * 5)).toBe(true),
    );
    const offsets = (core.callsTo('listItems') as ItemListRequest[]).map((call) => call.offset);
    expect(offsets.length).toBeLessThan(6);

    fireEvent.change(within(grid).getByTestId('filter-tag'), { target: { value: 'tag-1' } });
    await waitFor(() => expect(within(grid).getByTestId('collection-count').textContent).toBe('1000 of 3000'));
    expect(core.callsTo('listItems')).toContainEqual(
      expect.objectContaining({ filter: { kind: null, product: null, tag: 'tag-1' }, offset: 0 }),
    );
  });

  it('says when a page could not be loaded, and "Try again" loads it', async () => {
    const view = manyItems(30);
    const core = answerLibrary(new FakeCore(), () => view).refuse('listItems', 'The database is locked');
    const home = homeFrom(view, { favourites: [], recent: [], opens: {} });
    renderWith(core, <CollectionScreen id="main" home={home} onOpenItem={vi.fn()} onBack={vi.fn()} />);
    expect((await screen.findByTestId('collection-error')).textContent).toContain('The database is locked');
    answerLibrary(core, () => view);
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.getAllByTestId('item-card').length).toBeGreaterThan(0));
  });
});

describe('the pitch builder picker', () => {
  const props = { pitchId: null, onBack: vi.fn(), onSaved: vi.fn(), onOpen: vi.fn(), onPresent: vi.fn() };

  it('lists the library A–Z a page at a time and searches with the engine as the rep types', async () => {
    const view = manyItems(2_000);
    const core = answerLibrary(new FakeCore(), () => view).answer('search', searchOver(view));
    renderWith(core, <PitchBuilder {...props} />);
    await waitFor(() => expect(screen.getAllByTestId('picker-item').length).toBeGreaterThan(0));
    // Only the rows on screen are drawn, from the first page of the whole library A–Z.
    expect(screen.getAllByTestId('picker-item').length).toBeLessThan(40);
    expect(core.callsTo('listItems')).toEqual([{ shelf: '__all', sort: 'title', offset: 0, limit: 40 }]);
    expect(screen.getByTestId('picker-list').getAttribute('data-count')).toBe('2000');

    fireEvent.change(screen.getByTestId('picker-filter'), { target: { value: 'document 1999' } });
    await waitFor(() =>
      expect(screen.getAllByTestId('picker-item').map((item) => item.getAttribute('data-item-id'))).toEqual([
        'doc-1999',
      ]),
    );
    expect(core.callsTo('search').at(-1)).toEqual({ query: 'document 1999', offset: 0, limit: 40 });

    // Adding from a found item works as before.
    fireEvent.click(within(screen.getByTestId('picker-item')).getByRole('button', { expanded: false }));
    fireEvent.click(await screen.findByTestId('add-whole-item'));
    await waitFor(() => expect(screen.getAllByTestId('step-row')).toHaveLength(1));
  });

  it('says when nothing matches', async () => {
    const view = manyItems(10);
    const core = answerLibrary(new FakeCore(), () => view).answer('search', searchOver(view));
    renderWith(core, <PitchBuilder {...props} />);
    fireEvent.change(await screen.findByTestId('picker-filter'), { target: { value: 'zebra' } });
    expect((await screen.findByTestId('picker-empty')).textContent).toContain('zebra');
  });
});
