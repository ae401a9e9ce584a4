/**
 * What the kiosk's page refuses on its own, under the Electron lock-down (which blocks the rest):
 * the context menu (save image, print, open in a new window), dragging content out or a file
 * in, and the shortcuts that print, save, open a file or a window.
 */
import { useEffect } from 'react';

const blockedKeys = new Set(['p', 's', 'o', 'n', 't', 'u', 'j', 'd', 'h']);

/** Ctrl/Cmd + P print, S save, O open file, N/T new window/tab, U source, J downloads, D bookmark, H history. */
export function isEscapeShortcut(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey'>): boolean {
  if (!event.ctrlKey && !event.metaKey) return false;
  return blockedKeys.has(event.key.toLowerCase());
}

export function useKioskGuards(): void {
  useEffect(() => {
    const prevent = (event: Event) => event.preventDefault();
    const onKey = (event: KeyboardEvent) => {
      if (isEscapeShortcut(event)) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    // Middle or modified clicks would open links in a new window.
    const onAuxClick = (event: MouseEvent) => {
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) event.preventDefault();
    };
    const listeners: [string, EventListener][] = [
      ['contextmenu', prevent],
      ['dragstart', prevent],
      ['dragover', prevent],
      ['drop', prevent],
      ['keydown', onKey as EventListener],
      ['auxclick', onAuxClick as EventListener],
    ];
    for (const [name, listener] of listeners) window.addEventListener(name, listener, { capture: true });
    return () => {
      for (const [name, listener] of listeners) window.removeEventListener(name, listener, { capture: true });
    };
  }, []);
}
