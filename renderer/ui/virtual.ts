import { measureElement, observeElementRect, type Virtualizer } from '@tanstack/react-virtual';

interface Rect {
  width: number;
  height: number;
}

/**
 * The virtualisers' view of their scroll element's size, with a first screenful as the size of
 * an element that has no layout yet (a DOM without layout, a container still hidden): a list
 * then draws its first cards instead of nothing, and the real size replaces it once measured.
 */
export function observeRectOr(fallback: Rect) {
  return <T extends Element>(instance: Virtualizer<T, Element>, callback: (rect: Rect) => void) =>
    observeElementRect(instance, (rect) => callback(rect.width === 0 && rect.height === 0 ? fallback : rect));
}

/**
 * A row's measured height, or the estimate while it has none (not laid out yet): a zero would
 * let every remaining row crowd into the window at once.
 */
export function measureOr(estimate: (index: number) => number) {
  return <T extends Element>(
    element: Element,
    entry: ResizeObserverEntry | undefined,
    instance: Virtualizer<T, Element>,
  ) => {
    const size = measureElement(element, entry, instance);
    return size > 0 ? size : estimate(instance.indexFromElement(element));
  };
}
