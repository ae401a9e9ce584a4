import { describe, expect, it } from 'vitest';
import {
  addDigit,
  inStaffCorner,
  isHeld,
  lastDeliveryLine,
  lockedLine,
  moveHold,
  msUntilHeld,
  nearLimitLine,
  pinProblem,
  savedLine,
  secondsUntil,
  staffCornerPx,
  startHold,
} from '../../../renderer/kiosk/staff';

const t0 = 1_700_000_000_000;

describe('staff corner hold', () => {
  it.each([
    [0, 0, true],
    [10, 10, true],
    [staffCornerPx - 1, staffCornerPx - 1, true],
    [staffCornerPx, 10, false],
    [10, staffCornerPx, false],
    [500, 400, false],
    [-1, 5, false],
  ])('(%s, %s) in the corner: %s', (x, y, expected) => {
    expect(inStaffCorner(x, y)).toBe(expected);
  });

  it('completes after 3 s of holding in the corner, not before', () => {
    const hold = startHold(8, 8, t0);
    expect(hold).not.toBeNull();
    expect(msUntilHeld(hold!, t0)).toBe(3000);
    expect(isHeld(hold, t0 + 2999)).toBe(false);
    expect(msUntilHeld(hold!, t0 + 2999)).toBe(1);
    expect(isHeld(hold, t0 + 3000)).toBe(true);
    expect(isHeld(hold, t0 + 10_000)).toBe(true);
  });

  it('does not start outside the corner, and lets go when the finger slides out', () => {
    expect(startHold(300, 8, t0)).toBeNull();
    const hold = startHold(8, 8, t0);
    expect(moveHold(hold, 20, 30)).toBe(hold);
    expect(moveHold(hold, 200, 30)).toBeNull();
    expect(isHeld(moveHold(hold, 200, 30), t0 + 5000)).toBe(false);
  });
});

describe('staff PIN', () => {
  it.each([
    ['4821', null],
    ['123456789012', null],
    ['123', 'Use 4 to 12 digits'],
    ['1234567890123', 'Use 4 to 12 digits'],
    ['', 'Use 4 to 12 digits'],
    ['12a4', 'Use digits only'],
  ])('%j: %j', (pin, expected) => {
    expect(pinProblem(pin)).toBe(expected);
  });

  it('takes digits up to the longest PIN', () => {
    expect(addDigit('48', '2')).toBe('482');
    expect(addDigit('48', 'x')).toBe('48');
    expect(addDigit('123456789012', '3')).toBe('123456789012');
  });

  it('counts the lock down in whole seconds', () => {
    expect(secondsUntil(t0 + 30_000, t0)).toBe(30);
    expect(secondsUntil(t0 + 30_000, t0 + 500)).toBe(30);
    expect(secondsUntil(t0 + 30_000, t0 + 29_001)).toBe(1);
    expect(secondsUntil(t0 + 30_000, t0 + 31_000)).toBe(0);
    expect(lockedLine(12)).toBe('Too many tries. Try again in 12 s');
  });
});

describe('staff screen lines', () => {
  it('names what was saved', () => {
    expect(savedLine(1, '/p/exports/a.csv')).toBe('Saved 1 lead to /p/exports/a.csv');
    expect(savedLine(3, '/p/exports/a.csv')).toBe('Saved 3 leads to /p/exports/a.csv');
  });

  it('warns about undelivered leads near the retention limit', () => {
    expect(nearLimitLine(4, 30)).toBe(
      '4 leads have not been delivered and are near the 30-day retention limit: connect to a network or export them',
    );
    expect(nearLimitLine(1, 14)).toBe(
      '1 lead has not been delivered and is near the 14-day retention limit: connect to a network or export them',
    );
  });

  it('shows "Never" before the first delivery', () => {
    expect(lastDeliveryLine(null)).toBe('Never');
    expect(lastDeliveryLine('not a date')).toBe('Never');
    expect(lastDeliveryLine('2026-03-01T10:00:00Z', 'en-GB')).toMatch(/2026/);
  });
});
