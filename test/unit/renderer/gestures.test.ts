import { describe, expect, it } from 'vitest';
import {
  clampPage,
  clampScale,
  clampView,
  classifyRelease,
  fitSize,
  gestureTuning,
  identityView,
  isDoubleTap,
  maxScale,
  pagesAround,
  pinchScale,
  renderDensity,
  stepScale,
  tapZone,
  wheelZoomFactor,
  zoomView,
} from '../../../renderer/viewer/gestures';

describe('classifyRelease', () => {
  const stageWidth = 1000;

  it('treats a short, still press as a tap', () => {
    expect(classifyRelease({ dx: 3, dy: -2, durationMs: 120, stageWidth })).toEqual({ kind: 'tap' });
  });

  it('ignores a long still press (no accidental page turn)', () => {
    expect(classifyRelease({ dx: 0, dy: 0, durationMs: 900, stageWidth })).toEqual({ kind: 'none' });
  });

  it('turns to the next page when the finger moves left far enough', () => {
    expect(classifyRelease({ dx: -300, dy: 10, durationMs: 600, stageWidth })).toEqual({
      kind: 'swipe',
      direction: 'next',
    });
  });

  it('turns to the previous page when the finger moves right', () => {
    expect(classifyRelease({ dx: 260, dy: -20, durationMs: 500, stageWidth })).toEqual({
      kind: 'swipe',
      direction: 'previous',
    });
  });

  it('accepts a short quick flick', () => {
    expect(classifyRelease({ dx: -60, dy: 0, durationMs: 80, stageWidth })).toEqual({
      kind: 'swipe',
      direction: 'next',
    });
  });

  it('rejects a short slow drag', () => {
    expect(classifyRelease({ dx: -60, dy: 0, durationMs: 700, stageWidth })).toEqual({ kind: 'none' });
  });

  it('rejects mostly vertical movement', () => {
    expect(classifyRelease({ dx: -200, dy: 220, durationMs: 200, stageWidth })).toEqual({ kind: 'none' });
  });

  it('needs more than the tap slop', () => {
    expect(classifyRelease({ dx: gestureTuning.tapSlop + 1, dy: 0, durationMs: 50, stageWidth }).kind).toBe('none');
  });
});

describe('tapZone', () => {
  it('splits the stage in thirds', () => {
    expect(tapZone(10, 900)).toBe('previous');
    expect(tapZone(299, 900)).toBe('previous');
    expect(tapZone(450, 900)).toBe('center');
    expect(tapZone(601, 900)).toBe('next');
    expect(tapZone(899, 900)).toBe('next');
  });

  it('is centre for a stage without width', () => {
    expect(tapZone(10, 0)).toBe('center');
  });
});

describe('isDoubleTap', () => {
  it('needs a previous tap close in time and place', () => {
    const first = { at: 1000, point: { x: 10, y: 10 } };
    expect(isDoubleTap(null, first)).toBe(false);
    expect(isDoubleTap(first, { at: 1200, point: { x: 18, y: 14 } })).toBe(true);
    expect(isDoubleTap(first, { at: 1600, point: { x: 10, y: 10 } })).toBe(false);
    expect(isDoubleTap(first, { at: 1100, point: { x: 120, y: 10 } })).toBe(false);
  });
});

describe('zoom', () => {
  it('clamps the scale between fit and the maximum', () => {
    expect(clampScale(0.2)).toBe(1);
    expect(clampScale(40)).toBe(maxScale);
    expect(clampScale(Number.NaN)).toBe(1);
    expect(clampScale(2.5)).toBe(2.5);
  });

  it('scales a pinch by the ratio of finger distances', () => {
    expect(pinchScale(1, 100, 250)).toBe(2.5);
    expect(pinchScale(2, 200, 100)).toBe(1);
    expect(pinchScale(2, 100, 50)).toBe(1);
    expect(pinchScale(4, 100, 400)).toBe(maxScale);
    expect(pinchScale(1.5, 0, 100)).toBe(1.5);
  });

  it('keeps the point under the fingers fixed while zooming', () => {
    const focus = { x: 100, y: -50 };
    const zoomed = zoomView(identityView, 2, focus);
    // The content point that was at `focus` (content coordinate 100,-50) is still at `focus`.
    expect(100 * zoomed.scale + zoomed.x).toBeCloseTo(focus.x);
    expect(-50 * zoomed.scale + zoomed.y).toBeCloseTo(focus.y);
  });

  it('pans with a moving pinch midpoint', () => {
    const view = zoomView({ scale: 2, x: 10, y: 0 }, 2, { x: 0, y: 0 }, { x: 30, y: -20 });
    expect(view).toEqual({ scale: 2, x: 40, y: -20 });
  });

  it('keeps zoomed content over the stage when panning', () => {
    const content = { width: 400, height: 600 };
    const stage = { width: 800, height: 600 };
    // At 2x the content is 800x1200: no horizontal room, 300px either way vertically.
    expect(clampView({ scale: 2, x: 500, y: -900 }, content, stage)).toEqual({ scale: 2, x: 0, y: -300 });
    expect(clampView({ scale: 1, x: 50, y: 50 }, content, stage)).toEqual({ scale: 1, x: 0, y: 0 });
  });

  it('zooms in on wheel up and out on wheel down, bounded per event', () => {
    expect(wheelZoomFactor(-100, 0)).toBeGreaterThan(1);
    expect(wheelZoomFactor(100, 0)).toBeLessThan(1);
    expect(wheelZoomFactor(-3, 1)).toBeCloseTo(wheelZoomFactor(-48, 0));
    expect(wheelZoomFactor(-10_000, 0)).toBeCloseTo(wheelZoomFactor(-120, 0));
  });

  it('steps the zoom and snaps back to fit', () => {
    expect(stepScale(1, 'in')).toBeCloseTo(1.25);
    expect(stepScale(1.25, 'out')).toBe(1);
    expect(stepScale(1, 'out')).toBe(1);
    expect(stepScale(maxScale, 'in')).toBe(maxScale);
  });
});

describe('fitting and rendering', () => {
  it('fits a portrait page into a landscape stage by height', () => {
    expect(fitSize({ width: 595, height: 842 }, { width: 1300, height: 700 })).toEqual({ width: 494, height: 700 });
  });

  it('fits a landscape slide by width', () => {
    expect(fitSize({ width: 960, height: 540 }, { width: 700, height: 900 })).toEqual({ width: 700, height: 393 });
  });

  it('gives nothing for an unmeasured stage', () => {
    expect(fitSize({ width: 595, height: 842 }, { width: 0, height: 700 })).toEqual({ width: 0, height: 0 });
  });

  it('renders at screen density times zoom, within a pixel budget', () => {
    expect(renderDensity({ devicePixelRatio: 2, zoom: 1, cssSize: { width: 500, height: 700 } })).toBe(2);
    expect(renderDensity({ devicePixelRatio: 1.5, zoom: 2, cssSize: { width: 500, height: 700 } })).toBe(3);
    const capped = renderDensity({
      devicePixelRatio: 2,
      zoom: 5,
      cssSize: { width: 1000, height: 1000 },
      maxPixels: 4_000_000,
    });
    expect(capped).toBeCloseTo(2);
  });

  it('keeps only the page and its neighbours', () => {
    expect(pagesAround(1, 6)).toEqual([1, 2]);
    expect(pagesAround(3, 6)).toEqual([2, 3, 4]);
    expect(pagesAround(6, 6)).toEqual([5, 6]);
    expect(pagesAround(1, 1)).toEqual([1]);
  });

  it('clamps page numbers into the document', () => {
    expect(clampPage(0, 6)).toBe(1);
    expect(clampPage(9, 6)).toBe(6);
    expect(clampPage(3, 6)).toBe(3);
    expect(clampPage(Number.NaN, 6)).toBe(1);
    expect(clampPage(4, 0)).toBe(1);
  });
});
