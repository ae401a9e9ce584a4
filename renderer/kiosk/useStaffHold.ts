import { useEffect, useRef } from 'react';
import { isHeld, moveHold, msUntilHeld, startHold, type Hold } from './staff';

/**
 * The staff's way in: press and hold the top-left corner for three seconds. Nothing is drawn
 * there, so a visitor never sees it; a short tap in the corner is an ordinary tap. The click
 * that ends a completed hold is swallowed, so it does not also wake the attract loop.
 */
export function useStaffHold(enabled: boolean, onHold: () => void): void {
  const latest = useRef({ enabled, onHold });
  latest.current = { enabled, onHold };

  useEffect(() => {
    let hold: Hold | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let swallowClick = false;
    const cancel = () => {
      hold = null;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    };
    const check = () => {
      timer = null;
      if (!hold || !latest.current.enabled) return cancel();
      const now = Date.now();
      if (isHeld(hold, now)) {
        hold = null;
        swallowClick = true;
        latest.current.onHold();
        return;
      }
      timer = setTimeout(check, msUntilHeld(hold, now));
    };
    const onDown = (event: PointerEvent) => {
      cancel();
      swallowClick = false;
      if (!event.isPrimary || !latest.current.enabled) return;
      hold = startHold(event.clientX, event.clientY, Date.now());
      if (hold) timer = setTimeout(check, msUntilHeld(hold, Date.now()));
    };
    const onMove = (event: PointerEvent) => {
      if (!hold || !event.isPrimary) return;
      hold = moveHold(hold, event.clientX, event.clientY);
      if (!hold) cancel();
    };
    const onClick = (event: MouseEvent) => {
      if (!swallowClick) return;
      swallowClick = false;
      event.preventDefault();
      event.stopPropagation();
    };
    window.addEventListener('pointerdown', onDown, true);
    window.addEventListener('pointermove', onMove, true);
    window.addEventListener('pointerup', cancel, true);
    window.addEventListener('pointercancel', cancel, true);
    window.addEventListener('click', onClick, true);
    return () => {
      cancel();
      window.removeEventListener('pointerdown', onDown, true);
      window.removeEventListener('pointermove', onMove, true);
      window.removeEventListener('pointerup', cancel, true);
      window.removeEventListener('pointercancel', cancel, true);
      window.removeEventListener('click', onClick, true);
    };
  }, []);
}
