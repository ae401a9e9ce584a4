/**
 * Touch, pen, mouse and wheel input on a viewer's stage, turned into intents: swipe to the
 * next/previous page, tap a zone, pinch or ctrl+wheel to zoom, drag to pan when zoomed,
 * double-tap to fit again. The geometry lives in ./gestures (pure and unit-tested); this hook
 * only tracks pointers and calls back.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import {
  classifyRelease,
  clampScale,
  clampView,
  distance,
  gestureTuning,
  identityView,
  isDoubleTap,
  midpoint,
  pinchScale,
  tapZone,
  wheelZoomFactor,
  zoomView,
  type Point,
  type Size,
  type TapRecord,
  type TapZone,
  type View,
} from './gestures';

export interface PresenterGestureOptions {
  /** Unscaled size of the content on screen, for pan limits. */
  contentSize: Size;
  /** False for content without pages (images): no swipes or tap zones. */
  paged: boolean;
  onSwipe?(direction: 'next' | 'previous'): void;
  onTap?(zone: TapZone): void;
  /** Live horizontal drag distance while an unzoomed page follows the finger; null when released. */
  onDrag?(dx: number | null): void;
}

type Gesture =
  | { kind: 'idle' }
  | {
      kind: 'press';
      id: number;
      start: Point;
      startedAt: number;
      startView: View;
      afterPinch: boolean;
      dragging: boolean;
    }
  | { kind: 'pinch'; startDistance: number; startMid: Point; startView: View };

export interface PresenterGestures {
  view: View;
  setView(view: View): void;
  /** Zoom by a factor around the stage centre (buttons, keys). */
  zoomTo(scale: number): void;
  reset(): void;
  /** True while fingers are on the stage, so transitions can be switched off. */
  active: boolean;
}

export function usePresenterGestures(
  stageRef: RefObject<HTMLElement | null>,
  options: PresenterGestureOptions,
): PresenterGestures {
  const [view, setViewState] = useState<View>(identityView);
  const [active, setActive] = useState(false);
  const viewRef = useRef(view);
  const optionsRef = useRef(options);
  useLayoutEffect(() => {
    optionsRef.current = options;
  });

  const stageSize = useCallback((): Size => {
    const stage = stageRef.current;
    return stage ? { width: stage.clientWidth, height: stage.clientHeight } : { width: 0, height: 0 };
  }, [stageRef]);

  const setView = useCallback(
    (next: View) => {
      const clamped = clampView(next, optionsRef.current.contentSize, stageSize());
      viewRef.current = clamped;
      setViewState(clamped);
    },
    [stageSize],
  );

  const reset = useCallback(() => setView(identityView), [setView]);
  const zoomTo = useCallback(
    (scale: number) => {
      const target = clampScale(scale);
      setView(target === 1 ? identityView : zoomView(viewRef.current, target, { x: 0, y: 0 }));
    },
    [setView],
  );

  useEffect(() => {
    const stage = stageRef.current;
    if (!stage) return;
    const pointers = new Map<number, Point>();
    let gesture: Gesture = { kind: 'idle' };
    let lastTap: TapRecord | null = null;

    const toStage = (event: { clientX: number; clientY: number }): Point => {
      const rect = stage.getBoundingClientRect();
      return { x: event.clientX - rect.left - rect.width / 2, y: event.clientY - rect.top - rect.height / 2 };
    };

    const startPinch = () => {
      const [a, b] = [...pointers.values()];
      if (!a || !b) return;
      if (gesture.kind === 'press' && gesture.dragging) optionsRef.current.onDrag?.(null);
      gesture = { kind: 'pinch', startDistance: distance(a, b), startMid: midpoint(a, b), startView: viewRef.current };
    };

    const onPointerDown = (event: PointerEvent) => {
      if (event.pointerType === 'mouse' && event.button !== 0) return;
      // Buttons on the stage (previous/next) handle their own presses.
      if ((event.target as Element | null)?.closest('button, a, input, video')) return;
      stage.setPointerCapture?.(event.pointerId);
      pointers.set(event.pointerId, toStage(event));
      setActive(true);
      if (pointers.size === 1) {
        gesture = {
          kind: 'press',
          id: event.pointerId,
          start: toStage(event),
          startedAt: event.timeStamp,
          startView: viewRef.current,
          afterPinch: false,
          dragging: false,
        };
      } else if (pointers.size === 2) {
        startPinch();
      }
    };

    const onPointerMove = (event: PointerEvent) => {
      if (!pointers.has(event.pointerId)) return;
      const point = toStage(event);
      pointers.set(event.pointerId, point);
      if (gesture.kind === 'pinch') {
        const [a, b] = [...pointers.values()];
        if (!a || !b) return;
        const scale = pinchScale(gesture.startView.scale, gesture.startDistance, distance(a, b));
        setView(zoomView(gesture.startView, scale, gesture.startMid, midpoint(a, b)));
        return;
      }
      if (gesture.kind !== 'press' || gesture.id !== event.pointerId) return;
      const dx = point.x - gesture.start.x;
      const dy = point.y - gesture.start.y;
      if (gesture.startView.scale > 1) {
        setView({ ...gesture.startView, x: gesture.startView.x + dx, y: gesture.startView.y + dy });
        return;
      }
      if (!optionsRef.current.paged || gesture.afterPinch) return;
      if (!gesture.dragging && Math.abs(dx) > gestureTuning.tapSlop && Math.abs(dx) > Math.abs(dy))
        gesture.dragging = true;
      if (gesture.dragging) optionsRef.current.onDrag?.(dx);
    };

    const finish = (event: PointerEvent, cancelled: boolean) => {
      if (!pointers.has(event.pointerId)) return;
      const point = toStage(event);
      pointers.delete(event.pointerId);
      const current = gesture;

      if (current.kind === 'pinch') {
        // Nearly unzoomed snaps back to fit, so the page can be swiped again.
        if (viewRef.current.scale < 1.04) setView(identityView);
        const [remainingId] = [...pointers.keys()];
        const remaining = remainingId === undefined ? undefined : pointers.get(remainingId);
        gesture =
          remainingId !== undefined && remaining
            ? {
                kind: 'press',
                id: remainingId,
                start: remaining,
                startedAt: event.timeStamp,
                startView: viewRef.current,
                afterPinch: true,
                dragging: false,
              }
            : { kind: 'idle' };
        if (pointers.size === 0) setActive(false);
        return;
      }
      if (pointers.size === 0) setActive(false);
      if (current.kind !== 'press' || current.id !== event.pointerId) return;
      gesture = { kind: 'idle' };
      if (current.dragging) optionsRef.current.onDrag?.(null);
      if (cancelled || current.afterPinch) return;

      const release = classifyRelease({
        dx: point.x - current.start.x,
        dy: point.y - current.start.y,
        durationMs: event.timeStamp - current.startedAt,
        stageWidth: stage.clientWidth,
      });
      const zoomed = current.startView.scale > 1;
      if (release.kind === 'tap') {
        const tap: TapRecord = { at: event.timeStamp, point };
        if (zoomed) {
          if (isDoubleTap(lastTap, tap)) {
            setView(identityView);
            lastTap = null;
          } else {
            lastTap = tap;
          }
          return;
        }
        lastTap = tap;
        if (optionsRef.current.paged)
          optionsRef.current.onTap?.(tapZone(point.x + stage.clientWidth / 2, stage.clientWidth));
        return;
      }
      if (release.kind === 'swipe' && !zoomed && optionsRef.current.paged)
        optionsRef.current.onSwipe?.(release.direction);
    };

    const onPointerUp = (event: PointerEvent) => finish(event, false);
    const onPointerCancel = (event: PointerEvent) => finish(event, true);

    const onWheel = (event: WheelEvent) => {
      if (event.ctrlKey || event.metaKey) {
        // Ctrl+wheel (and trackpad pinch, which Chromium reports as ctrl+wheel) zooms around the cursor.
        event.preventDefault();
        const focus = toStage(event);
        const scale = clampScale(viewRef.current.scale * wheelZoomFactor(event.deltaY, event.deltaMode));
        setView(scale <= 1.001 ? identityView : zoomView(viewRef.current, scale, focus));
        return;
      }
      if (viewRef.current.scale > 1) {
        event.preventDefault();
        setView({ ...viewRef.current, x: viewRef.current.x - event.deltaX, y: viewRef.current.y - event.deltaY });
      }
    };

    stage.addEventListener('pointerdown', onPointerDown);
    stage.addEventListener('pointermove', onPointerMove);
    stage.addEventListener('pointerup', onPointerUp);
    stage.addEventListener('pointercancel', onPointerCancel);
    stage.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      stage.removeEventListener('pointerdown', onPointerDown);
      stage.removeEventListener('pointermove', onPointerMove);
      stage.removeEventListener('pointerup', onPointerUp);
      stage.removeEventListener('pointercancel', onPointerCancel);
      stage.removeEventListener('wheel', onWheel);
    };
  }, [stageRef, setView]);

  return { view, setView, zoomTo, reset, active };
}
