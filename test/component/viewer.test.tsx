/**
 * The viewer's chrome around an item, against a fake core: the title the home screen knew shows
 * at once, an item that is gone says so and leads back, a failure offers a "Try again" that
 * works, and Back always works.
 */
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ItemScreen } from '../../renderer/viewer/ItemScreen';
import { FakeCore, renderWith } from './fake-core';
import { itemDetail, itemSummary } from './fixtures';

const photo = itemSummary('install-photo', 'Installation at Marston Brewery', { kind: 'image', pageCount: null });

function renderItem(core: FakeCore, onBack = vi.fn()) {
  renderWith(core, <ItemScreen id={photo.id} page={1} summary={photo} onPageChange={() => {}} onBack={onBack} />);
  return onBack;
}

describe('viewer chrome', () => {
  it('shows the title at once, before the item has arrived, and Back works meanwhile', () => {
    const onBack = renderItem(new FakeCore().answer('getItem', () => new Promise(() => {})));
    expect(screen.getByTestId('item-loading')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Installation at Marston Brewery' })).toBeTruthy();
    fireEvent.click(screen.getByTestId('back-button'));
    expect(onBack).toHaveBeenCalledTimes(1);
  });

  it('opens the item in the viewer for its kind', async () => {
    const core = new FakeCore().answer('getItem', () => itemDetail(photo));
    renderItem(core);
    expect((await screen.findByTestId('image-viewer')).getAttribute('data-item-id')).toBe('install-photo');
    expect(core.callsTo('getItem')).toEqual([{ id: 'install-photo' }]);
  });

  it('says an item that left the library is gone, without a pointless retry, and leads back', async () => {
    const onBack = renderItem(new FakeCore().refuse('getItem', 'No item install-photo', 'not-found'));
    const error = await screen.findByTestId('item-error');
    expect(error.textContent).toContain('This item is no longer in the library');
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    fireEvent.click(screen.getByText('Back to library', { selector: '.state-message button' }));
    expect(onBack).toHaveBeenCalledTimes(1);
  });

  it('says why an item could not be opened, and "Try again" opens it', async () => {
    const core = new FakeCore().refuse('getItem', 'Opening the item took longer than 15 seconds', 'internal');
    renderItem(core);
    expect((await screen.findByTestId('item-error')).textContent).toContain(
      'Opening the item took longer than 15 seconds',
    );
    core.answer('getItem', () => itemDetail(photo));
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('image-viewer')).toBeTruthy();
  });
});
