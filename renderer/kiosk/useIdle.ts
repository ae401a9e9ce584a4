import { useCallback, useEffect, useRef, useState } from 'react';
import { idlePhase, msUntilNextChange, samePhase, type IdlePhase, type IdleTiming } from './idle';

export interface IdleOptions {
  timing: IdleTiming;
  /** Off while another timer owns the screen (the thank-you screen). */
  enabled: boolean;
  /** True while something counts as presence without input: a sending form, a playing video. */
  isBusy(): boolean;
  onExpire(): void;
}

/**
 * The visitor's idle state, from input anywhere in the window. Pointer input during the warning
 * is left to the warning itself (a tap on it continues), so the tap that dismisses it never
 * lands on what is underneath.
 */
export function useIdle({ timing, enabled, isBusy, onExpire }: IdleOptions): { state: IdlePhase; stillHere(): void } {
  const [state, setState] = useState<IdlePhase>({ phase: 'active' });
  // The idle time counts from the render that turned it on, not from its effect: the effect may
  // run a frame after the screen is on show, and input or a clock's jump in that frame would
  // otherwise be lost (the staff screen's idle test jumped the clock in it, once, under load).
  const [enabledAt, setEnabledAt] = useState<number | null>(() => (enabled ? Date.now() : null));
  if (enabled && enabledAt === null) setEnabledAt(Date.now());
  else if (!enabled && enabledAt !== null) setEnabledAt(null);
  const lastActivity = useRef(enabledAt ?? Date.now());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const phaseRef = useRef<IdlePhase>(state);
  const latest = useRef({ timing, isBusy, onExpire });
  latest.current = { timing, isBusy, onExpire };

  const evaluate = useCallback(() => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    const now = Date.now();
    if (latest.current.isBusy()) lastActivity.current = now;
    const next = idlePhase(now, lastActivity.current, latest.current.timing);
    if (!samePhase(phaseRef.current, next)) {
      phaseRef.current = next;
      setState(next);
    }
    if (next.phase === 'expired') {
      latest.current.onExpire();
      return;
    }
    const wait = msUntilNextChange(now, lastActivity.current, latest.current.timing);
    if (wait !== null) timer.current = setTimeout(evaluate, wait);
  }, []);

  const stillHere = useCallback(() => {
    lastActivity.current = Date.now();
    evaluate();
  }, [evaluate]);

  useEffect(() => {
    if (!enabled) return;
    lastActivity.current = enabledAt ?? Date.now();
    evaluate();
    const onInput = (event: Event) => {
      if (phaseRef.current.phase === 'warning' && event.type !== 'keydown') return;
      stillHere();
    };
    const names = ['pointerdown', 'keydown', 'wheel', 'touchstart', 'input'] as const;
    for (const name of names) window.addEventListener(name, onInput, { capture: true, passive: true });
    return () => {
      for (const name of names) window.removeEventListener(name, onInput, { capture: true });
      if (timer.current !== null) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [enabled, enabledAt, evaluate, stillHere]);

  return { state: enabled ? state : { phase: 'active' }, stillHere };
}
