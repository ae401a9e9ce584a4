/**
 * The sync screen against a fake core: the Uploads card follows `delivery.status` events (a
 * record queued, an upload run) instead of polling, a failed "Retry now" is said on the card,
 * and settings that cannot be read say so.
 */
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SyncScreen } from '../../renderer/sync/SyncScreen';
import { FakeCore, renderWith } from './fake-core';
import { deliveryStatus, syncStatus } from './fixtures';

function syncCore(): FakeCore {
  return new FakeCore()
    .answer('getChannelSettings', () => ({
      channelUrl: 'https://content.example.com/demo/',
      publicKeys: [],
      autoApply: false,
      checkIntervalMinutes: 60,
    }))
    .answer('getDeliverySettings', () => ({ lead: null, meeting: null, event: null }))
    .answer('getDeliveryStatus', () => deliveryStatus({ lead: 0, meeting: 1, event: 2, followup: 0 }));
}

function renderSync(core: FakeCore) {
  return renderWith(core, <SyncScreen status={syncStatus} release={null} appUpdate={null} onBack={() => {}} />);
}

const waiting = (kind: string) => screen.getByTestId(`upload-pending-${kind}`).getAttribute('data-count');

describe('sync screen: uploads', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows what waits by kind', async () => {
    renderSync(syncCore());
    await waitFor(() => expect(screen.getByTestId('upload-health').getAttribute('data-pending')).toBe('3'));
    expect(waiting('meeting')).toBe('1');
    expect(waiting('event')).toBe('2');
    expect(screen.getByTestId('upload-headline').textContent).toBe('3 records waiting to upload');
  });

  it('updates from the delivery.status event when a record is queued, without reading again or polling', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const core = syncCore();
    renderSync(core);
    await waitFor(() => expect(screen.getByTestId('upload-health').getAttribute('data-pending')).toBe('3'));

    // A lead captured elsewhere: the core announces the new counts.
    core.emit('delivery.status', deliveryStatus({ lead: 1, meeting: 1, event: 2, followup: 0 }));
    await waitFor(() => expect(waiting('lead')).toBe('1'));
    expect(screen.getByTestId('upload-health').getAttribute('data-pending')).toBe('4');

    await vi.advanceTimersByTimeAsync(60_000);
    expect(core.callsTo('getDeliveryStatus')).toHaveLength(1);
  });

  it('says why "Retry now" did not run, and shows the answer of one that did', async () => {
    const core = syncCore().refuse('deliverNow', 'The outbox is busy');
    renderSync(core);
    const retry = await screen.findByTestId('retry-uploads');
    await waitFor(() => expect((retry as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(retry);
    expect((await screen.findByTestId('upload-action-error')).textContent).toBe('The outbox is busy');

    core.answer('deliverNow', () =>
      deliveryStatus({ lead: 0, meeting: 0, event: 0, followup: 0 }, { lastDeliveredAt: new Date().toISOString() }),
    );
    fireEvent.click(retry);
    await waitFor(() => expect(screen.getByTestId('upload-headline').textContent).toBe('Everything is uploaded'));
    expect(screen.queryByTestId('upload-action-error')).toBeNull();
  });
});

describe('sync screen: settings', () => {
  it('says when the channel settings cannot be read', async () => {
    const core = syncCore().refuse('getChannelSettings', 'The settings table is damaged');
    renderSync(core);
    expect(await screen.findByText('The settings table is damaged')).toBeTruthy();
    expect(screen.queryByTestId('channel-settings')).toBeNull();
  });

  it('shows the channel settings and where records go', async () => {
    renderSync(syncCore());
    expect(await screen.findByTestId('channel-settings')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('delivery-target-lead').getAttribute('data-type')).toBe('none'));
  });
});
