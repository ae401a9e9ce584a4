/**
 * The kiosk's staff PIN pad, a props-only component: a wrong PIN is said, a core that cannot
 * check the PIN is said too, and the right PIN unlocks.
 */
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { KioskUnlock } from '#shared/kiosk';
import { PitchcaseError } from '#shared/result';
import { StaffPad } from '../../renderer/kiosk/StaffPad';

function enter(pin: string) {
  for (const digit of pin) fireEvent.click(screen.getByTestId(`pin-key-${digit}`));
  fireEvent.click(screen.getByTestId('pin-ok'));
}

describe('kiosk staff pad', () => {
  it('unlocks with the right PIN and says "Wrong PIN" otherwise', async () => {
    const onUnlocked = vi.fn();
    const unlock = vi.fn(async (pin: string): Promise<KioskUnlock> =>
      pin === '2468'
        ? { unlocked: true, staffUntil: '2026-12-06T12:00:00.000Z' }
        : { unlocked: false, reason: 'wrong-pin', retryInSeconds: 0 },
    );
    render(<StaffPad unlock={unlock} onUnlocked={onUnlocked} onCancel={() => {}} />);
    enter('1111');
    await waitFor(() => expect(screen.getByTestId('staff-pad-message').textContent).toBe('Wrong PIN'));
    expect(onUnlocked).not.toHaveBeenCalled();
    enter('2468');
    await waitFor(() => expect(onUnlocked).toHaveBeenCalledTimes(1));
    expect(unlock.mock.calls.map(([pin]) => pin)).toEqual(['1111', '2468']);
  });

  it('never offers to set a PIN: a kiosk without one is for staff to set up', async () => {
    const unlock = vi.fn(async (): Promise<KioskUnlock> => ({ unlocked: false, reason: 'no-pin', retryInSeconds: 0 }));
    render(<StaffPad unlock={unlock} onUnlocked={() => {}} onCancel={() => {}} />);
    enter('2468');
    await waitFor(() =>
      expect(screen.getByTestId('staff-pad-message').textContent).toMatch(/^No staff PIN is set on this kiosk/),
    );
    expect(screen.getByTestId('staff-pad-title').textContent).toBe('Staff PIN');
  });

  it('says why the PIN could not be checked', async () => {
    const unlock = vi.fn(async (): Promise<KioskUnlock> => {
      throw new PitchcaseError('storage', 'The database is locked');
    });
    render(<StaffPad unlock={unlock} onUnlocked={() => {}} onCancel={() => {}} />);
    enter('2468');
    await waitFor(() => expect(screen.getByTestId('staff-pad-message').textContent).toBe('The database is locked'));
  });
});
