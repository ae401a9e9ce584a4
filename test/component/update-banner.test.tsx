/**
 * "Restart to update", a props-only banner: a restart that could not happen is said, and the
 * button comes back so the rep can try again.
 */
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { PitchcaseError } from '#shared/result';
import { UpdateBanner } from '../../renderer/sync/UpdateBanner';

const ready = { state: 'ready', version: '1.4.0', percent: 100, message: null } as const;

describe('update banner', () => {
  it('says why a restart did not happen and lets the rep try again', async () => {
    const restart = vi.fn(async () => {
      throw new PitchcaseError('refused', 'A meeting is being saved');
    });
    render(<UpdateBanner update={ready} restart={restart} />);
    expect(screen.getByTestId('update-banner').textContent).toContain('Pitchcase 1.4.0 is ready');
    fireEvent.click(screen.getByTestId('restart-to-update'));
    expect((await screen.findByTestId('restart-error')).textContent).toContain('A meeting is being saved');
    await waitFor(() => expect((screen.getByTestId('restart-to-update') as HTMLButtonElement).disabled).toBe(false));
    expect(restart).toHaveBeenCalledTimes(1);
  });

  it('shows nothing until an update is ready', () => {
    render(<UpdateBanner update={{ ...ready, state: 'downloading', percent: 40 }} restart={vi.fn()} />);
    expect(screen.queryByTestId('update-banner')).toBeNull();
  });
});
