import { createContext, useContext } from 'react';

/**
 * How a screen that does not host the search field (a viewer) opens search: the app provides
 * it once instead of every viewer passing it down.
 */
export const SearchLauncher = createContext<(() => void) | null>(null);

export function useSearchLauncher(): (() => void) | null {
  return useContext(SearchLauncher);
}

/** True when the key press means "search": `/` (outside other fields) or Ctrl/Cmd+F. */
export function isSearchShortcut(
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>,
  typingElsewhere: boolean,
): boolean {
  if (event.altKey || typingElsewhere) return false;
  if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'f') return true;
  return event.key === '/' && !event.ctrlKey && !event.metaKey;
}
