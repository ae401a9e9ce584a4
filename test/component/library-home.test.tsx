/**
 * The rep's home screen (the App container) against a fake core: the library shows, a failure
 * says so with a "Try again" that works, and a new release replaces the shelf without blanking it.
 */
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/app/App';
import type { LibraryView } from '#shared/library';
import { FakeCore, renderWith } from './fake-core';
import { answerLibrary } from './fake-library';
import { itemSummary, library, syncStatus } from './fixtures';

const brochure = itemSummary('aquacore-brochure', 'AquaCore 500 brochure');
const priceSheet = itemSummary('price-sheet', 'Price sheet 2027');

function homeCore(source: () => LibraryView | Promise<LibraryView> = () => library([brochure])): FakeCore {
  return answerLibrary(new FakeCore(), source)
    .answer('getSyncStatus', () => syncStatus)
    .answer('getAppUpdateStatus', () => ({ state: 'unsupported', version: null, percent: null, message: null }))
    .answer('getRecentSearches', () => []);
}

describe('library home', () => {
  beforeEach(() => {
    window.location.hash = '';
    localStorage.clear();
  });

  it('shows the items of the current release', async () => {
    renderWith(homeCore(), <App />);
    expect(await screen.findByText('AquaCore 500 brochure')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Library' })).toBeTruthy();
  });

  it('says when the library cannot be loaded, and "Try again" loads it', async () => {
    const core = homeCore().refuse('getLibraryHome', 'The database is locked');
    renderWith(core, <App />);
    const error = await screen.findByTestId('library-error');
    expect(error.textContent).toContain('The database is locked');

    answerLibrary(core, () => library([brochure]));
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('AquaCore 500 brochure')).toBeTruthy();
    expect(screen.queryByTestId('library-error')).toBeNull();
  });

  it('reads the library again when a new release becomes current, keeping the old one on screen meanwhile', async () => {
    let next: Promise<LibraryView> | null = null;
    const core = homeCore(() => next ?? library([brochure]));
    renderWith(core, <App />);
    await screen.findByText('AquaCore 500 brochure');

    let release!: () => void;
    next = new Promise((resolve) => (release = () => resolve(library([brochure, priceSheet], 4))));
    core.emit('library.changed', { version: 4 });
    await waitFor(() => expect(core.callsTo('getLibraryHome')).toHaveLength(2));
    expect(screen.getByText('AquaCore 500 brochure')).toBeTruthy();
    expect(screen.queryByLabelText('Loading the library')).toBeNull();

    release();
    expect(await screen.findByText('Price sheet 2027')).toBeTruthy();
  });

  it('announces a "Mark as seen" that failed', async () => {
    const core = homeCore()
      .answer('getSyncStatus', () => ({ ...syncStatus, newSinceSeen: 1 }))
      .refuse('markLibrarySeen', 'The profile is read-only');
    renderWith(core, <App />);
    fireEvent.click(await screen.findByTestId('mark-seen'));
    const alert = await screen.findByTestId('mark-seen-error');
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent).toContain('The profile is read-only');
  });
});
