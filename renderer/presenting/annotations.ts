/**
 * The pen's ink of one meeting, per slide, in memory while presenting: nothing is ever written
 * into the collateral; when presenting ends, the wrap-up keeps it with the meeting. Listeners hear of every stroke added and every page cleared (the ink layer redraws,
 * the audience screen follows).
 */
export interface Stroke {
  points: { x: number; y: number }[];
}

export interface Annotations {
  get(slide: string): readonly Stroke[];
  add(slide: string, stroke: Stroke): void;
  clear(slide: string): void;
  /** Ink was added to or cleared from a slide. */
  subscribe(listener: (slide: string) => void): () => void;
  /** Slides with ink, for the wrap-up ("annotated 2 pages"). */
  count(): number;
  /** Every slide with ink and its strokes, in the order the slides were first inked. */
  entries(): [slide: string, strokes: readonly Stroke[]][];
}

export function createAnnotations(): Annotations {
  const strokes = new Map<string, Stroke[]>();
  const listeners = new Set<(slide: string) => void>();
  return {
    get: (slide) => strokes.get(slide) ?? [],
    add(slide, stroke) {
      const list = strokes.get(slide) ?? [];
      list.push(stroke);
      strokes.set(slide, list);
      // The audience screen follows the ink as it is drawn.
      for (const listener of listeners) listener(slide);
    },
    clear(slide) {
      strokes.delete(slide);
      for (const listener of listeners) listener(slide);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    count: () => strokes.size,
    entries: () => [...strokes].map(([slide, list]) => [slide, [...list]]),
  };
}
