import { useEffect, useRef } from 'react';

/**
 * On every move to another screen, keyboard and screen-reader users land on the new screen's
 * heading instead of the page body. A screen that already put focus somewhere of its own (a
 * field, its dialog) keeps it; home handles its own return to the card that was opened.
 */
export function useScreenFocus(screenKey: string, isHome: boolean): void {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (isHome) return;
    const focusHeading = (): boolean => {
      const active = document.activeElement;
      const settled = active && active !== document.body && !active.closest('[inert]');
      if (settled) return true;
      const headings = [...document.querySelectorAll<HTMLElement>('h1')].filter(
        (heading) => !heading.closest('[inert]'),
      );
      const heading = headings[headings.length - 1];
      if (!heading) return false;
      if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: true });
      return true;
    };
    let observer: MutationObserver | null = null;
    const frame = requestAnimationFrame(() => {
      if (focusHeading()) return;
      // The screen is still loading: its heading arrives with its data.
      observer = new MutationObserver(() => {
        if (focusHeading()) observer?.disconnect();
      });
      observer.observe(document.body, { childList: true, subtree: true });
    });
    const giveUp = window.setTimeout(() => observer?.disconnect(), 5000);
    return () => {
      cancelAnimationFrame(frame);
      window.clearTimeout(giveUp);
      observer?.disconnect();
    };
  }, [screenKey, isHome]);
}
