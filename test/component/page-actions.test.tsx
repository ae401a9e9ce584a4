/**
 * From the viewer, outside any meeting: the rep adds the page to a pitch (one kept on the
 * device, or a new one) and shares it by e-mail as a queued follow-up, offline too; the kiosk's
 * viewer offers neither.
 */
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Pitch, PitchSummary } from '#shared/presenting';
import { ItemScreen } from '../../renderer/viewer/ItemScreen';
import { FakeCore, renderWith } from './fake-core';
import { itemDetail, itemSummary } from './fixtures';

const photo = itemSummary('install-photo', 'Installation at Marston Brewery', { kind: 'image', pageCount: null });
const pitches: PitchSummary[] = [
  { id: 'p-brewery', name: 'Brewery follow-up', stepCount: 2, updatedAt: '2026-05-01T10:00:00Z', ready: true },
  { id: 'p-dairy', name: 'Dairy intro', stepCount: 1, updatedAt: '2026-04-01T10:00:00Z', ready: true },
];
const pitchAfter = (name: string, steps: number): Pitch => ({
  id: 'p-x',
  name,
  updatedAt: '2026-05-02T10:00:00Z',
  ready: true,
  steps: Array.from({ length: steps }, () => ({
    itemId: photo.id,
    page: null,
    note: '',
    title: photo.title,
    kind: 'image',
    problem: null,
  })),
});

function core(): FakeCore {
  return new FakeCore().answer('getItem', () => itemDetail(photo)).answer('listPitches', () => pitches);
}

function renderViewer(fake: FakeCore, pageActions = true, onBack = vi.fn()) {
  renderWith(
    fake,
    <ItemScreen
      id={photo.id}
      page={1}
      summary={photo}
      onPageChange={() => {}}
      onBack={onBack}
      pageActions={pageActions}
    />,
  );
  return onBack;
}

const online = Object.getOwnPropertyDescriptor(Navigator.prototype, 'onLine');
afterEach(() => {
  if (online) Object.defineProperty(Navigator.prototype, 'onLine', online);
});

describe('add this page to a pitch', () => {
  it('adds to the pitch picked from the ones on the device, and says where it went', async () => {
    const fake = core().answer('addToPitch', () => pitchAfter('Dairy intro', 2));
    renderViewer(fake);
    fireEvent.click(await screen.findByRole('button', { name: 'Add to pitch' }));
    const sheet = await screen.findByRole('dialog', { name: 'Add to a pitch' });
    expect(sheet.textContent).toContain('Installation at Marston Brewery');
    // The latest pitch is picked to begin with.
    await waitFor(() => expect(screen.getAllByTestId('add-to-pitch-choice')).toHaveLength(2));
    expect((screen.getByRole('radio', { name: /Brewery follow-up/ }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByRole('radio', { name: /Dairy intro/ }));
    fireEvent.change(screen.getByTestId('add-to-pitch-note'), { target: { value: 'After the tour' } });
    fireEvent.click(screen.getByTestId('add-to-pitch-confirm'));
    expect((await screen.findByTestId('add-to-pitch-status')).textContent).toBe(
      'Added Installation at Marston Brewery to “Dairy intro” as step 2.',
    );
    expect(fake.callsTo('addToPitch')).toEqual([
      { pitchId: 'p-dairy', itemId: 'install-photo', page: null, note: 'After the tour' },
    ]);
  });

  it('starts a new pitch with the page, named by the rep', async () => {
    const fake = core().answer('addToPitch', () => pitchAfter('Marston visit', 1));
    renderViewer(fake);
    fireEvent.click(await screen.findByRole('button', { name: 'Add to pitch' }));
    await waitFor(() => expect(screen.getAllByTestId('add-to-pitch-choice')).toHaveLength(2));
    fireEvent.click(screen.getByRole('radio', { name: 'New pitch' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Name of the new pitch' }), {
      target: { value: 'Marston visit' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Create pitch and add' }));
    expect((await screen.findByTestId('add-to-pitch-status')).textContent).toContain('“Marston visit” as step 1');
    expect(fake.callsTo('addToPitch')).toEqual([
      { name: 'Marston visit', itemId: 'install-photo', page: null, note: '' },
    ]);
  });

  it('keeps "New pitch" and the name typed while the pitches were loading, when they arrive', async () => {
    let arrive: (list: PitchSummary[]) => void = () => {};
    const fake = new FakeCore()
      .answer('getItem', () => itemDetail(photo))
      .answer('listPitches', () => new Promise<PitchSummary[]>((resolve) => (arrive = resolve)))
      .answer('addToPitch', () => pitchAfter('Marston visit', 1));
    renderViewer(fake);
    fireEvent.click(await screen.findByRole('button', { name: 'Add to pitch' }));
    await screen.findByText('Loading pitches…');
    // Nothing kept is known yet, so a new pitch is offered; the rep names it at once.
    fireEvent.change(screen.getByRole('textbox', { name: 'Name of the new pitch' }), {
      target: { value: 'Marston visit' },
    });
    await act(async () => arrive(pitches));
    await waitFor(() => expect(screen.getAllByTestId('add-to-pitch-choice')).toHaveLength(2));
    // The latest kept pitch would be picked for a rep who had not chosen; this one had.
    expect((screen.getByRole('radio', { name: 'New pitch' }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Create pitch and add' }));
    expect((await screen.findByTestId('add-to-pitch-status')).textContent).toContain('“Marston visit” as step 1');
    expect(fake.callsTo('addToPitch')).toEqual([
      { name: 'Marston visit', itemId: 'install-photo', page: null, note: '' },
    ]);
  });

  it('keeps "New pitch" when the rep tapped it while the pitches were loading, though it was already on', async () => {
    let arrive: (list: PitchSummary[]) => void = () => {};
    const fake = new FakeCore()
      .answer('getItem', () => itemDetail(photo))
      .answer('listPitches', () => new Promise<PitchSummary[]>((resolve) => (arrive = resolve)));
    renderViewer(fake);
    fireEvent.click(await screen.findByRole('button', { name: 'Add to pitch' }));
    await screen.findByText('Loading pitches…');
    fireEvent.click(screen.getByRole('radio', { name: 'New pitch' }));
    await act(async () => arrive(pitches));
    await waitFor(() => expect(screen.getAllByTestId('add-to-pitch-choice')).toHaveLength(2));
    expect((screen.getByRole('radio', { name: 'New pitch' }) as HTMLInputElement).checked).toBe(true);
    expect(screen.getByRole('button', { name: 'Create pitch and add' })).toBeTruthy();
  });

  it('says why it was not added and keeps what the rep typed', async () => {
    const fake = core().refuse('addToPitch', 'The database is locked');
    renderViewer(fake);
    fireEvent.click(await screen.findByRole('button', { name: 'Add to pitch' }));
    await waitFor(() => expect(screen.getAllByTestId('add-to-pitch-choice')).toHaveLength(2));
    fireEvent.change(screen.getByTestId('add-to-pitch-note'), { target: { value: 'Keep me' } });
    fireEvent.click(screen.getByTestId('add-to-pitch-confirm'));
    expect((await screen.findByTestId('add-to-pitch-error')).textContent).toBe('Not added: The database is locked');
    expect((screen.getByTestId('add-to-pitch-note') as HTMLTextAreaElement).value).toBe('Keep me');
  });

  it('closes with Escape without leaving the viewer, and gives the focus back to its button', async () => {
    const onBack = renderViewer(core());
    const button = await screen.findByRole('button', { name: 'Add to pitch' });
    button.focus();
    fireEvent.click(button);
    const sheet = await screen.findByRole('dialog', { name: 'Add to a pitch' });
    expect(sheet.contains(document.activeElement)).toBe(true);
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(screen.queryByRole('dialog', { name: 'Add to a pitch' })).toBeNull();
    expect(onBack).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(button);
  });
});

describe('share this page by e-mail', () => {
  it('refuses an address that is not one, then queues the share and says it goes with the next upload', async () => {
    const fake = core().answer('shareItem', () => ({ queued: true }));
    renderViewer(fake);
    fireEvent.click(await screen.findByRole('button', { name: 'Share' }));
    await screen.findByRole('dialog', { name: 'Share by e-mail' });
    const to = screen.getByRole('textbox', { name: 'Recipient’s e-mail' });
    fireEvent.change(to, { target: { value: 'dana at marston' } });
    fireEvent.click(screen.getByRole('button', { name: 'Queue e-mail' }));
    expect(screen.getByTestId('share-to-error').textContent).toContain('name@company.com');
    expect(to.getAttribute('aria-invalid')).toBe('true');
    expect(fake.callsTo('shareItem')).toEqual([]);

    fireEvent.change(to, { target: { value: 'dana@marston.example' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Note (optional)' }), {
      target: { value: 'The photo we discussed' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Queue e-mail' }));
    expect((await screen.findByTestId('share-status')).textContent).toBe(
      'Queued for dana@marston.example. It goes out with the next upload.',
    );
    const [call] = fake.callsTo('shareItem') as { id: string }[];
    expect(call).toEqual({
      id: expect.stringMatching(/^share-/),
      itemId: 'install-photo',
      page: null,
      to: 'dana@marston.example',
      note: 'The photo we discussed',
    });
  });

  it('offline, still queues and says it waits for a network', async () => {
    Object.defineProperty(Navigator.prototype, 'onLine', { configurable: true, get: () => false });
    renderViewer(core().answer('shareItem', () => ({ queued: true })));
    fireEvent.click(await screen.findByRole('button', { name: 'Share' }));
    fireEvent.change(await screen.findByTestId('share-to'), { target: { value: 'dana@marston.example' } });
    fireEvent.click(screen.getByTestId('share-confirm'));
    expect((await screen.findByTestId('share-status')).textContent).toContain('This device is offline');
  });

  it('says why it was not queued, keeps the address and note, and a retry sends the same share once', async () => {
    const fake = core().refuse('shareItem', 'The database is locked');
    renderViewer(fake);
    fireEvent.click(await screen.findByRole('button', { name: 'Share' }));
    fireEvent.change(await screen.findByTestId('share-to'), { target: { value: 'dana@marston.example' } });
    fireEvent.change(screen.getByTestId('share-note'), { target: { value: 'Keep me' } });
    fireEvent.click(screen.getByTestId('share-confirm'));
    expect((await screen.findByTestId('share-error')).textContent).toBe('Not queued: The database is locked');
    expect((screen.getByTestId('share-note') as HTMLTextAreaElement).value).toBe('Keep me');
    fake.answer('shareItem', () => ({ queued: true }));
    await act(async () => fireEvent.click(screen.getByTestId('share-confirm')));
    await screen.findByTestId('share-status');
    const ids = (fake.callsTo('shareItem') as { id: string }[]).map((c) => c.id);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(1);
  });
});

describe('on the kiosk', () => {
  it('the viewer offers neither', async () => {
    renderViewer(core(), false);
    await screen.findByTestId('image-viewer');
    expect(screen.queryByRole('button', { name: 'Add to pitch' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Share' })).toBeNull();
  });
});
