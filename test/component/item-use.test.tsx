/**
 * Favourites and recently opened on the home, from the core's per-device record: opening an item
 * records it, the viewer's star adds a favourite, and both rows lead the home.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ItemUse } from '#shared/library';
import { App } from '../../renderer/app/App';
import { FakeCore, renderWith } from './fake-core';
import { answerLibrary } from './fake-library';
import { itemDetail, itemSummary, library, syncStatus } from './fixtures';

const brochure = itemSummary('brochure', 'AquaCore 500 brochure', { kind: 'image' });
const deck = itemSummary('deck', 'FlowSense deck', { kind: 'image' });

function core(): FakeCore {
  let use: ItemUse = { favourites: [], recent: ['deck'], opens: { deck: 3 } };
  return answerLibrary(
    new FakeCore(),
    () => library([brochure, deck]),
    () => use,
  )
    .answer('getSyncStatus', () => syncStatus)
    .answer('getAppUpdateStatus', () => ({ state: 'unsupported', version: null, percent: null, message: null }))
    .answer('getRecentSearches', () => [])
    .answer('getItem', (arg) => itemDetail((arg as { id: string }).id === 'deck' ? deck : brochure))
    .answer('getItemUse', () => use)
    .answer('recordItemOpened', (arg) => {
      const { itemId } = arg as { itemId: string };
      use = {
        ...use,
        recent: [itemId, ...use.recent.filter((id) => id !== itemId)],
        opens: { ...use.opens, [itemId]: (use.opens[itemId] ?? 0) + 1 },
      };
      return use;
    })
    .answer('setFavourite', (arg) => {
      const { itemId, favourite } = arg as { itemId: string; favourite: boolean };
      use = {
        ...use,
        favourites: favourite ? [itemId, ...use.favourites] : use.favourites.filter((id) => id !== itemId),
      };
      return use;
    });
}

const row = (title: string) =>
  screen
    .getAllByTestId('collection-row')
    .find((element) => element.querySelector('h2')?.textContent?.startsWith(title));

describe('favourites and recently opened', () => {
  beforeEach(() => {
    window.location.hash = '';
    localStorage.clear();
  });

  it('leads the home with recently opened, records an opened item and stars a favourite from the viewer', async () => {
    const fake = core();
    renderWith(fake, <App />);
    await waitFor(() => expect(row('Recently opened')).toBeTruthy());
    expect(row('Favourites')).toBeUndefined();

    fireEvent.click(within(row('Brochures')!).getAllByTestId('item-card')[0]!);
    await waitFor(() => expect(fake.callsTo('recordItemOpened')).toEqual([{ itemId: 'brochure' }]));
    await screen.findByTestId('image-viewer');
    const star = screen.getByTestId('favourite-toggle');
    expect(star.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(star);
    await waitFor(() => expect(screen.getByTestId('favourite-toggle').getAttribute('aria-pressed')).toBe('true'));
    expect(fake.callsTo('setFavourite')).toEqual([{ itemId: 'brochure', favourite: true }]);

    fireEvent.click(screen.getByTestId('back-button'));
    await waitFor(() => expect(row('Favourites')).toBeTruthy());
    const recent = within(row('Recently opened')!)
      .getAllByTestId('item-card')
      .map((card) => card.getAttribute('data-item-id'));
    expect(recent).toEqual(['brochure', 'deck']);
  });

  it('says when a favourite could not be saved', async () => {
    const fake = core().refuse('setFavourite', 'The profile is read-only');
    renderWith(fake, <App />);
    await waitFor(() => expect(row('Brochures')).toBeTruthy());
    fireEvent.click(within(row('Brochures')!).getAllByTestId('item-card')[0]!);
    await screen.findByTestId('image-viewer');
    fireEvent.click(screen.getByTestId('favourite-toggle'));
    expect((await screen.findByTestId('favourite-error')).textContent).toContain('The profile is read-only');
    expect(screen.getByTestId('favourite-toggle').getAttribute('aria-pressed')).toBe('false');
  });
});
