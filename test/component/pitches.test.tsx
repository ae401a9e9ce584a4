/**
 * The rep's pitches against a fake core: the list shows readiness, a failed duplicate or delete
 * is announced (it used to vanish silently), and the builder opens a pitch with a working retry.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Pitch, PitchSummary } from '#shared/presenting';
import { PitchBuilder } from '../../renderer/presenting/PitchBuilder';
import { PitchList } from '../../renderer/presenting/PitchList';
import { FakeCore, renderWith } from './fake-core';
import { answerLibrary } from './fake-library';
import { itemSummary, library } from './fixtures';

const trade: PitchSummary = {
  id: 'p-trade',
  name: 'Trade show opener',
  stepCount: 3,
  updatedAt: '2026-11-20T10:00:00.000Z',
  ready: true,
};
const brewery: PitchSummary = {
  id: 'p-brewery',
  name: 'Brewery follow-up',
  stepCount: 2,
  updatedAt: '2026-11-21T10:00:00.000Z',
  ready: false,
};
const brochure = itemSummary('aquacore-brochure', 'AquaCore 500 brochure');

const breweryPitch: Pitch = {
  id: 'p-brewery',
  name: 'Brewery follow-up',
  updatedAt: brewery.updatedAt,
  ready: false,
  steps: [
    {
      itemId: 'aquacore-brochure',
      page: 2,
      note: 'Start with the savings',
      title: 'AquaCore 500 brochure',
      kind: 'pdf',
      problem: null,
    },
    { itemId: 'old-price-sheet', page: null, note: '', title: 'Price sheet 2025', kind: 'pdf', problem: 'expired' },
  ],
};

const listProps = { onBack: vi.fn(), onNew: vi.fn(), onEdit: vi.fn(), onPresent: vi.fn() };

function listCore(): FakeCore {
  return new FakeCore().answer('listPitches', () => [trade, brewery]).answer('getPitch', () => breweryPitch);
}

function card(name: string): HTMLElement {
  const found = screen.getAllByTestId('pitch-card').find((element) => element.textContent?.includes(name));
  if (!found) throw new Error(`no card for ${name}`);
  return found;
}

describe('pitch list', () => {
  it('lists the pitches with their readiness', async () => {
    renderWith(listCore(), <PitchList {...listProps} />);
    await screen.findByText('Trade show opener');
    expect(card('Trade show opener').getAttribute('data-ready')).toBe('true');
    expect(within(card('Brewery follow-up')).getByTestId('readiness').textContent).toMatch(/1/);
  });

  it('announces a duplicate that failed, and reads the list again', async () => {
    const core = listCore().refuse('duplicatePitch', 'The disk is full');
    renderWith(core, <PitchList {...listProps} />);
    await screen.findByText('Trade show opener');
    fireEvent.click(within(card('Trade show opener')).getByRole('button', { name: 'Duplicate' }));
    const alert = await screen.findByTestId('pitch-action-error');
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent).toBe('Not duplicated: The disk is full');
    await waitFor(() => expect(core.callsTo('listPitches')).toHaveLength(2));
  });

  it('announces a delete that failed and keeps the pitch listed', async () => {
    const core = listCore().refuse('deletePitch', 'The database is locked');
    renderWith(core, <PitchList {...listProps} />);
    await screen.findByText('Trade show opener');
    fireEvent.click(within(card('Trade show opener')).getByRole('button', { name: 'Delete' }));
    fireEvent.click(within(card('Trade show opener')).getByRole('button', { name: 'Confirm delete' }));
    expect((await screen.findByTestId('pitch-action-error')).textContent).toBe('Not deleted: The database is locked');
    expect(core.callsTo('deletePitch')).toEqual([{ id: 'p-trade' }]);
    expect(screen.getByText('Trade show opener')).toBeTruthy();
  });

  it('says when the pitches cannot be loaded, and "Try again" loads them', async () => {
    const core = listCore().refuse('listPitches', 'The database is locked');
    renderWith(core, <PitchList {...listProps} />);
    expect((await screen.findByRole('alert')).textContent).toContain('The database is locked');
    core.answer('listPitches', () => [trade]);
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Trade show opener')).toBeTruthy();
  });
});

describe('pitch builder', () => {
  const builderProps = { onBack: vi.fn(), onSaved: vi.fn(), onOpen: vi.fn(), onPresent: vi.fn() };
  function builderCore(): FakeCore {
    return answerLibrary(new FakeCore(), () => library([brochure])).answer('getPitch', () => breweryPitch);
  }

  it('opens a stored pitch: its name, its steps in order, and why a step cannot show', async () => {
    renderWith(builderCore(), <PitchBuilder pitchId="p-brewery" {...builderProps} />);
    await waitFor(() => expect(screen.getAllByTestId('step-row')).toHaveLength(2));
    expect((screen.getByTestId('pitch-name') as HTMLInputElement).value).toBe('Brewery follow-up');
    const [first, second] = screen.getAllByTestId('step-row');
    expect(first?.getAttribute('data-item-id')).toBe('aquacore-brochure');
    expect(second?.getAttribute('data-problem')).toBe('expired');
    expect(await screen.findByText('AquaCore 500 brochure', { selector: '.picker-item__title' })).toBeTruthy();
  });

  it('says when the pitch cannot be opened, and "Try again" opens it', async () => {
    const core = builderCore().refuse('getPitch', 'Opening the pitch took longer than 15 seconds', 'internal');
    renderWith(core, <PitchBuilder pitchId="p-brewery" {...builderProps} />);
    expect(await screen.findByText('This pitch could not be opened')).toBeTruthy();
    core.answer('getPitch', () => breweryPitch);
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.getAllByTestId('step-row')).toHaveLength(2));
  });

  it('stays on a pitch whose delete failed, and says why', async () => {
    const onBack = vi.fn();
    const core = builderCore().refuse('deletePitch', 'The database is locked');
    renderWith(core, <PitchBuilder pitchId="p-brewery" {...builderProps} onBack={onBack} />);
    await waitFor(() => expect(screen.getAllByTestId('step-row')).toHaveLength(2));
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm delete' }));
    await waitFor(() =>
      expect(screen.getByTestId('builder-message').textContent).toBe('Not deleted: The database is locked'),
    );
    expect(onBack).not.toHaveBeenCalled();
  });

  it('keeps the focus on the moved step after Move down, and on its other move button at the end', async () => {
    renderWith(builderCore(), <PitchBuilder pitchId="p-brewery" {...builderProps} />);
    await waitFor(() => expect(screen.getAllByTestId('step-row')).toHaveLength(2));
    const down = within(screen.getAllByTestId('step-row')[0]!).getByTestId('step-down');
    down.focus();
    fireEvent.click(down);
    await waitFor(() =>
      expect(screen.getAllByTestId('step-row')[1]?.getAttribute('data-item-id')).toBe('aquacore-brochure'),
    );
    // Now last, its "down" is disabled: the focus is on its "up", in the same (moved) row.
    const moved = screen.getAllByTestId('step-row')[1]!;
    expect(document.activeElement).toBe(within(moved).getByTestId('step-up'));
    expect(screen.getByTestId('step-announcement').textContent).toContain('is now step 2 of 2');
  });

  it('moves a step with the keyboard on its drag handle: Space picks up, arrows move, Escape puts back', async () => {
    renderWith(builderCore(), <PitchBuilder pitchId="p-brewery" {...builderProps} />);
    await waitFor(() => expect(screen.getAllByTestId('step-row')).toHaveLength(2));
    const order = () => screen.getAllByTestId('step-row').map((row) => row.getAttribute('data-item-id'));
    const handle = within(screen.getAllByTestId('step-row')[0]!).getByTestId('step-drag');
    handle.focus();
    fireEvent.keyDown(handle, { key: ' ' });
    expect(handle.getAttribute('aria-pressed')).toBe('true');
    fireEvent.keyDown(handle, { key: 'ArrowDown' });
    await waitFor(() => expect(order()).toEqual(['old-price-sheet', 'aquacore-brochure']));
    const movedHandle = within(screen.getAllByTestId('step-row')[1]!).getByTestId('step-drag');
    expect(document.activeElement).toBe(movedHandle);
    fireEvent.keyDown(movedHandle, { key: 'Escape' });
    await waitFor(() => expect(order()).toEqual(['aquacore-brochure', 'old-price-sheet']));

    // Picked up again and dropped with Space: the new order stays.
    const again = within(screen.getAllByTestId('step-row')[0]!).getByTestId('step-drag');
    again.focus();
    fireEvent.keyDown(again, { key: ' ' });
    fireEvent.keyDown(again, { key: 'ArrowDown' });
    await waitFor(() => expect(order()).toEqual(['old-price-sheet', 'aquacore-brochure']));
    const dropped = within(screen.getAllByTestId('step-row')[1]!).getByTestId('step-drag');
    fireEvent.keyDown(dropped, { key: ' ' });
    expect(dropped.getAttribute('aria-pressed')).toBe('false');
    expect(order()).toEqual(['old-price-sheet', 'aquacore-brochure']);
  });
});
