/**
 * The geometry behind touch presenting, kept free of the DOM so it is unit-tested:
 * what counts as a swipe or a tap, where a tap lands, how pinch and wheel change the zoom,
 * and how far a zoomed page may be panned.
 */

export interface Point {
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

/** Zoom and pan of content that is centred in its stage; translate is in screen pixels. */
export interface View {
  scale: number;
  x: number;
  y: number;
}

export const identityView: View = { scale: 1, x: 0, y: 0 };
export const minScale = 1;
export const maxScale = 5;

export const gestureTuning = {
  /** Below this travel (px) a press is a tap, not a drag. */
  tapSlop: 10,
  /** A tap is quicker than this (ms). */
  tapMaxMs: 350,
  /** A swipe travels at least this far (px)... */
  swipeMinDistance: 48,
  /** ...or this fraction of the stage width when it is slow. */
  swipeMinFraction: 0.18,
  /** A flick: faster than this (px/ms) only needs the minimum distance. */
  flickVelocity: 0.35,
  /** Horizontal travel must dominate vertical by this factor. */
  swipeDominance: 1.4,
  /** Two taps within this time (ms) and distance (px) are a double tap. */
  doubleTapMs: 320,
  doubleTapSlop: 30,
} as const;

export function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

export function midpoint(a: Point, b: Point): Point {
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
}

export function clampScale(scale: number, min = minScale, max = maxScale): number {
  if (!Number.isFinite(scale)) return min;
  return Math.min(max, Math.max(min, scale));
}

export type Release = { kind: 'tap' } | { kind: 'swipe'; direction: 'next' | 'previous' } | { kind: 'none' };

/**
 * Classifies a single-pointer press when it ends. Swiping left (finger moves towards the left
 * edge) goes to the next page, like turning a page in a book.
 */
export function classifyRelease(input: { dx: number; dy: number; durationMs: number; stageWidth: number }): Release {
  const { dx, dy, durationMs, stageWidth } = input;
  const travel = Math.hypot(dx, dy);
  if (travel <= gestureTuning.tapSlop) {
    return durationMs <= gestureTuning.tapMaxMs ? { kind: 'tap' } : { kind: 'none' };
  }
  const horizontal = Math.abs(dx);
  if (horizontal < Math.abs(dy) * gestureTuning.swipeDominance) return { kind: 'none' };
  const velocity = horizontal / Math.max(durationMs, 1);
  const farEnough = horizontal >= Math.max(gestureTuning.swipeMinDistance, stageWidth * gestureTuning.swipeMinFraction);
  const flicked = horizontal >= gestureTuning.swipeMinDistance && velocity >= gestureTuning.flickVelocity;
  if (!farEnough && !flicked) return { kind: 'none' };
  return { kind: 'swipe', direction: dx < 0 ? 'next' : 'previous' };
}

export type TapZone = 'previous' | 'center' | 'next';

/** Left third goes back, right third goes forward, the middle is left to the viewer. */
export function tapZone(x: number, stageWidth: number): TapZone {
  if (stageWidth <= 0) return 'center';
  const fraction = x / stageWidth;
  if (fraction < 1 / 3) return 'previous';
  if (fraction > 2 / 3) return 'next';
  return 'center';
}

export interface TapRecord {
  at: number;
  point: Point;
}

export function isDoubleTap(previous: TapRecord | null, current: TapRecord): boolean {
  if (!previous) return false;
  return (
    current.at - previous.at <= gestureTuning.doubleTapMs &&
    distance(previous.point, current.point) <= gestureTuning.doubleTapSlop
  );
}

/** Scale after a pinch: the ratio of finger distances applied to the scale at pinch start. */
export function pinchScale(startScale: number, startDistance: number, currentDistance: number): number {
  if (startDistance <= 0) return clampScale(startScale);
  return clampScale(startScale * (currentDistance / startDistance));
}

/**
 * The view after zooming to `scale` so that the content point that was under `from` (in the
 * start view) ends up under `to`. Points are relative to the stage centre. With from = to this
 * is "zoom around the fingers"; a moving midpoint also pans, as a two-finger drag should.
 */
export function zoomView(start: View, scale: number, from: Point, to: Point = from): View {
  const ratio = scale / start.scale;
  return {
    scale,
    x: to.x - (from.x - start.x) * ratio,
    y: to.y - (from.y - start.y) * ratio,
  };
}

/** Keeps zoomed content covering the stage: it can be panned to its edges, never beyond. */
export function clampView(view: View, content: Size, stage: Size): View {
  const scale = clampScale(view.scale);
  const limitX = Math.max(0, (content.width * scale - stage.width) / 2);
  const limitY = Math.max(0, (content.height * scale - stage.height) / 2);
  const clamp = (value: number, limit: number) => Math.min(limit, Math.max(-limit, value));
  return { scale, x: clamp(view.x, limitX), y: clamp(view.y, limitY) };
}

/** Scale factor for one wheel event: smooth for trackpads, a fixed step for wheel notches. */
export function wheelZoomFactor(deltaY: number, deltaMode: number): number {
  const pixels = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * 400 : deltaY;
  const bounded = Math.max(-120, Math.min(120, pixels));
  return Math.exp(-bounded * 0.0025);
}

/** Step used by the zoom buttons and the +/- keys. */
export function stepScale(scale: number, direction: 'in' | 'out'): number {
  const next = direction === 'in' ? scale * 1.25 : scale / 1.25;
  return clampScale(Math.abs(next - 1) < 0.05 ? 1 : next);
}

/** Largest size with the content's aspect ratio that fits in the stage. */
export function fitSize(content: Size, stage: Size): Size {
  if (content.width <= 0 || content.height <= 0 || stage.width <= 0 || stage.height <= 0) {
    return { width: 0, height: 0 };
  }
  const ratio = Math.min(stage.width / content.width, stage.height / content.height);
  return { width: Math.floor(content.width * ratio), height: Math.floor(content.height * ratio) };
}

/** Canvas pixel density for a page: the screen's, times the zoom, capped to protect memory. */
export function renderDensity(input: {
  devicePixelRatio: number;
  zoom: number;
  cssSize: Size;
  maxPixels?: number;
}): number {
  const maxPixels = input.maxPixels ?? 16_000_000;
  const wanted = Math.max(1, input.devicePixelRatio) * Math.max(1, input.zoom);
  const area = input.cssSize.width * input.cssSize.height;
  if (area <= 0) return wanted;
  const cap = Math.sqrt(maxPixels / area);
  return Math.max(1, Math.min(wanted, cap));
}

/** The pages worth keeping rendered: the current one and its neighbours. */
export function pagesAround(current: number, pageCount: number): number[] {
  const pages: number[] = [];
  for (let page = current - 1; page <= current + 1; page += 1) {
    if (page >= 1 && page <= pageCount) pages.push(page);
  }
  return pages;
}

export function clampPage(page: number, pageCount: number): number {
  if (pageCount < 1) return 1;
  if (!Number.isFinite(page)) return 1;
  return Math.min(pageCount, Math.max(1, Math.round(page)));
}
