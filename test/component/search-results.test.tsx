/**
 * Search from the home screen against a fake core: results show as the rep types, a failing
 * search says so (and the next keystroke tries again), and an opened result lands on its page.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SearchResponse } from '#shared/search';
import { App } from '../../renderer/app/App';
import { FakeCore, renderWith } from './fake-core';
import { answerLibrary } from './fake-library';
import { itemSummary, library, syncStatus } from './fixtures';

const brochure = itemSummary('aquacore-brochure', 'AquaCore 500 brochure');

function answerFor(query: string): SearchResponse {
  return {
    query,
    items: [
      {
        id: brochure.id,
        title: brochure.title,
        kind: 'pdf',
        score: 3,
        matchedAll: true,
        pages: [{ page: 3, score: 2, snippet: 'Energy savings of 30%', highlights: [[0, 6]] }],
      },
    ],
    glossary: [],
    total: 1,
    suggestions: [],
  };
}

function searchCore(): FakeCore {
  return answerLibrary(new FakeCore(), () => library([brochure]))
    .answer('getSyncStatus', () => syncStatus)
    .answer('getAppUpdateStatus', () => ({ state: 'unsupported', version: null, percent: null, message: null }))
    .answer('getRecentSearches', () => [])
    .answer('search', ({ query }) => answerFor(query));
}

async function typeQuery(text: string) {
  const input = await screen.findByTestId('search-input');
  fireEvent.change(input, { target: { value: text } });
}

describe('search results', () => {
  beforeEach(() => {
    window.location.hash = '';
    localStorage.clear();
  });

  it('shows the matching items and their pages as the rep types', async () => {
    const core = searchCore();
    renderWith(core, <App />);
    await screen.findByText('AquaCore 500 brochure', { selector: '.item-card__title' });
    await typeQuery('energy');
    const result = await screen.findByTestId('search-result');
    expect(result.getAttribute('data-item-id')).toBe('aquacore-brochure');
    expect(within(result).getByTestId('search-page-hit').textContent).toContain('Energy savings of 30%');
    expect(core.callsTo('search')).toContainEqual(expect.objectContaining({ query: 'energy' }));
  });

  it("names the slide of a presentation's page hit", async () => {
    const core = searchCore().answer('search', ({ query }) => {
      const answer = answerFor(query);
      answer.items[0]!.pages[0]!.title = 'Pricing tiers';
      return answer;
    });
    renderWith(core, <App />);
    await typeQuery('energy');
    const hit = await screen.findByTestId('search-page-hit');
    expect(hit.textContent).toContain('Pricing tiers');
    // Its name is its visible text (label-content-name-mismatch), read with spaces between the parts.
    expect(hit.getAttribute('aria-label')).toBeNull();
    expect(screen.getByRole('gridcell', { name: /^p\. 3 Pricing tiers Energy savings of 30%/ })).toBe(hit);
  });

  it('says when search is not available, and the next keystroke searches again', async () => {
    const core = searchCore().refuse('search', 'The index is being rebuilt');
    renderWith(core, <App />);
    await typeQuery('energy');
    expect((await screen.findByText(/Search is not available right now/)).textContent).toContain(
      'The index is being rebuilt',
    );

    core.answer('search', ({ query }) => answerFor(query));
    await typeQuery('energy s');
    expect(await screen.findByTestId('search-result')).toBeTruthy();
    expect(screen.queryByText(/Search is not available right now/)).toBeNull();
  });

  it('opens a page hit in the viewer on that page', async () => {
    const core = searchCore().answer('getItem', () => new Promise(() => {}));
    renderWith(core, <App />);
    await typeQuery('energy');
    fireEvent.click(await screen.findByTestId('search-page-hit'));
    await waitFor(() => expect(window.location.hash).toMatch(/^#\/item\/aquacore-brochure\/page\/3\?q=energy$/));
    expect(core.callsTo('getItem')).toContainEqual({ id: 'aquacore-brochure' });
  });
});
