/**
 * The data hook's promises to every screen: a load that hangs becomes an error with a retry
 * once its deadline passes, and an answer for something the screen no longer shows is dropped.
 */
import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ItemDetail } from '#shared/library';
import type { Query } from '../../renderer/data/query';
import { useQuery } from '../../renderer/data/useQuery';
import { FakeCore, renderWith } from './fake-core';
import { itemDetail, itemSummary } from './fixtures';

const item = (id: string): Query<ItemDetail> => ({
  key: ['item', id],
  what: 'Opening the item',
  deadlineMs: 15_000,
  load: (client) => client.getItem({ id }),
});

function Title({ id }: { id: string }) {
  const state = useQuery(item(id));
  if (state.status === 'loading') return <p>Opening…</p>;
  if (state.status === 'error')
    return (
      <p role="alert">
        {state.error.message} <button onClick={state.retry}>Try again</button>
      </p>
    );
  return <h1>{state.data.title}</h1>;
}

describe('useQuery', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('turns a load that never answers into an error with a working retry once the deadline passes', async () => {
    vi.useFakeTimers();
    const core = new FakeCore().answer('getItem', () => new Promise(() => {}));
    renderWith(core, <Title id="a" />);
    expect(screen.getByText('Opening…')).toBeTruthy();
    await act(() => vi.advanceTimersByTimeAsync(15_001));
    expect(screen.getByRole('alert').textContent).toContain('Opening the item took longer than 15 seconds');

    core.answer('getItem', ({ id }) => itemDetail(itemSummary(id, 'AquaCore 500 brochure')));
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(screen.getByRole('heading').textContent).toBe('AquaCore 500 brochure');
  });

  it('drops the answer for an item the screen has moved away from', async () => {
    const pending = new Map<string, (detail: ItemDetail) => void>();
    const core = new FakeCore().answer('getItem', ({ id }) => new Promise((resolve) => pending.set(id, resolve)));
    const view = renderWith(core, <Title id="old" />);
    view.rerender(<Title id="new" />);
    await act(async () => pending.get('new')?.(itemDetail(itemSummary('new', 'New price sheet'))));
    await act(async () => pending.get('old')?.(itemDetail(itemSummary('old', 'Old price sheet'))));
    expect(screen.getByRole('heading').textContent).toBe('New price sheet');
  });
});
