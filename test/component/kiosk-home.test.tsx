/**
 * The kiosk home, a props-only component: with no query every kiosk item shows; with a query the
 * engine's hits show in its order with their best pages and marked words, a page hit opens its
 * page, and a query that found nothing says so.
 */
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { SearchResponse } from '#shared/search';
import { KioskHome } from '../../renderer/kiosk/KioskHome';
import type { KioskSearchState } from '../../renderer/kiosk/search';
import { itemSummary } from './fixtures';

const items = [
  itemSummary('a200', 'AquaCore 200 brochure'),
  itemSummary('tour', 'FlowSense tour'),
  itemSummary('case', 'Marston Brewery'),
];
const answer = (query: string, hits: SearchResponse['items']): KioskSearchState => ({
  status: 'ready',
  response: { query, items: hits, glossary: [], total: hits.length, suggestions: [] },
});

function home(query: string, search: KioskSearchState, onOpenItem = vi.fn()) {
  render(
    <KioskHome
      library={{ items, failure: null }}
      query={query}
      search={search}
      onQueryChange={() => {}}
      onOpenItem={onOpenItem}
      onGetInTouch={() => {}}
      onDone={() => {}}
    />,
  );
  return onOpenItem;
}

const cardIds = () => screen.queryAllByTestId('item-card').map((card) => card.getAttribute('data-item-id'));

describe('kiosk home', () => {
  it('shows every kiosk item while nothing is typed', () => {
    home('', { status: 'idle' });
    expect(cardIds()).toEqual(['a200', 'tour', 'case']);
  });

  it("shows the engine's hits in its order, with page hits that open their page", () => {
    const snippet = 'Pre-treatment: a sediment filter removes sand';
    const onOpenItem = home(
      'sedimant filter',
      answer('sedimant filter', [
        {
          id: 'a200',
          title: 'AquaCore 200 brochure',
          kind: 'pdf',
          score: 4,
          matchedAll: true,
          pages: [
            {
              page: 2,
              score: 4,
              snippet,
              highlights: [
                [17, 25],
                [26, 32],
              ],
            },
          ],
        },
        { id: 'case', title: 'Marston Brewery', kind: 'pdf', score: 1, matchedAll: false, pages: [] },
      ]),
    );
    expect(cardIds()).toEqual(['a200', 'case']);
    const hit = screen.getByTestId('kiosk-page-hit');
    expect([...hit.querySelectorAll('mark')].map((mark) => mark.textContent)).toEqual(['sediment', 'filter']);
    fireEvent.click(hit);
    expect(onOpenItem).toHaveBeenCalledWith(items[0], 2);
  });

  it('says when nothing matches', () => {
    home('xylophone', answer('xylophone', []));
    expect(screen.getByTestId('kiosk-no-results').textContent).toContain('Nothing matches “xylophone”');
  });
});
