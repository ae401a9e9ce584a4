import { describe, expect, it } from 'vitest';
import { attractSlide, idlePhase, msUntilNextChange, normalizeTiming, samePhase } from '../../../renderer/kiosk/idle';

const timing = { idleSeconds: 60, warningSeconds: 15 };
const t0 = 1_700_000_000_000;
const at = (seconds: number) => t0 + seconds * 1000;

describe('kiosk idle timer', () => {
  it.each([
    [0, { phase: 'active' }],
    [44.999, { phase: 'active' }],
    [45, { phase: 'warning', secondsLeft: 15 }],
    [45.001, { phase: 'warning', secondsLeft: 15 }],
    [46, { phase: 'warning', secondsLeft: 14 }],
    [59.5, { phase: 'warning', secondsLeft: 1 }],
    [60, { phase: 'expired' }],
    [600, { phase: 'expired' }],
  ])('%s s after the last input: %j', (seconds, expected) => {
    expect(idlePhase(at(seconds), t0, timing)).toEqual(expected);
  });

  it('schedules the next check exactly when the phase or the countdown changes', () => {
    expect(msUntilNextChange(at(0), t0, timing)).toBe(45_000);
    expect(msUntilNextChange(at(30), t0, timing)).toBe(15_000);
    expect(msUntilNextChange(at(45), t0, timing)).toBe(1000);
    expect(msUntilNextChange(at(45.25), t0, timing)).toBe(750);
    expect(msUntilNextChange(at(59.9), t0, timing)).toBe(100);
    expect(msUntilNextChange(at(60), t0, timing)).toBeNull();
  });

  it('walking the schedule shows every number of the countdown once, then expires', () => {
    const seen: string[] = [];
    let now = t0;
    for (let guard = 0; guard < 100; guard += 1) {
      const state = idlePhase(now, t0, timing);
      seen.push(state.phase === 'warning' ? String(state.secondsLeft) : state.phase);
      const wait = msUntilNextChange(now, t0, timing);
      if (wait === null) break;
      expect(wait).toBeGreaterThan(0);
      now += wait;
    }
    expect(seen).toEqual([
      'active',
      '15',
      '14',
      '13',
      '12',
      '11',
      '10',
      '9',
      '8',
      '7',
      '6',
      '5',
      '4',
      '3',
      '2',
      '1',
      'expired',
    ]);
  });

  it('input restarts the wait', () => {
    expect(idlePhase(at(50), at(40), timing)).toEqual({ phase: 'active' });
  });

  it('makes odd settings sane: a warning longer than the wait, negative or missing numbers', () => {
    expect(normalizeTiming({ idleSeconds: 60, warningSeconds: 90 })).toEqual({ idleMs: 60_000, warningMs: 60_000 });
    expect(normalizeTiming({ idleSeconds: 2, warningSeconds: -1 })).toEqual({ idleMs: 10_000, warningMs: 0 });
    expect(normalizeTiming({ idleSeconds: Number.NaN, warningSeconds: Number.NaN })).toEqual({
      idleMs: 60_000,
      warningMs: 0,
    });
    expect(idlePhase(at(10), t0, { idleSeconds: 10, warningSeconds: 0 })).toEqual({ phase: 'expired' });
    expect(idlePhase(at(0), t0, { idleSeconds: 30, warningSeconds: 30 })).toEqual({
      phase: 'warning',
      secondsLeft: 30,
    });
  });

  it('compares phases by what the screen shows', () => {
    expect(samePhase({ phase: 'warning', secondsLeft: 3 }, { phase: 'warning', secondsLeft: 3 })).toBe(true);
    expect(samePhase({ phase: 'warning', secondsLeft: 3 }, { phase: 'warning', secondsLeft: 2 })).toBe(false);
    expect(samePhase({ phase: 'active' }, { phase: 'active' })).toBe(true);
    expect(samePhase({ phase: 'active' }, { phase: 'expired' })).toBe(false);
  });
});

describe('attract loop slides', () => {
  it('shows each item for its seconds, in order, round and round', () => {
    expect(attractSlide(at(0), t0, 4, 8)).toEqual({ index: 0, msToNext: 8000 });
    expect(attractSlide(at(7.5), t0, 4, 8)).toEqual({ index: 0, msToNext: 500 });
    expect(attractSlide(at(8), t0, 4, 8)).toEqual({ index: 1, msToNext: 8000 });
    expect(attractSlide(at(31), t0, 4, 8)).toEqual({ index: 3, msToNext: 1000 });
    expect(attractSlide(at(32), t0, 4, 8)).toEqual({ index: 0, msToNext: 8000 });
  });

  it('does not cycle one item or none, and survives a clock that went back', () => {
    expect(attractSlide(at(100), t0, 1, 8)).toEqual({ index: 0, msToNext: null });
    expect(attractSlide(at(100), t0, 0, 8)).toEqual({ index: 0, msToNext: null });
    expect(attractSlide(at(-5), t0, 3, 8)).toEqual({ index: 0, msToNext: 8000 });
    expect(attractSlide(at(1), t0, 3, 0)).toEqual({ index: 0, msToNext: 1000 });
  });
});
