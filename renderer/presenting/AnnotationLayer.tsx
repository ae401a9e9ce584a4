/**
 * Pen annotation over a slide: pointer drawing (finger, pen or mouse) on a canvas laid over the
 * stage. Strokes live in memory while presenting, per slide, in stage-relative coordinates (so
 * they survive a resize), and are kept with the meeting afterwards (meeting-ink.ts); nothing is
 * ever written into the collateral.
 */
import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { Annotations, Stroke } from './annotations';

export { createAnnotations, type Annotations, type Stroke } from './annotations';

const inkColour = '#ff3b6b';

function inkContext(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  const density = window.devicePixelRatio || 1;
  ctx.setTransform(density, 0, 0, density, 0, 0);
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.strokeStyle = inkColour;
  ctx.lineWidth = 4;
  return ctx;
}

function drawStroke(context: CanvasRenderingContext2D, stroke: Stroke, width: number, height: number): void {
  const [first, ...rest] = stroke.points;
  if (!first) return;
  context.beginPath();
  context.moveTo(first.x * width, first.y * height);
  if (rest.length === 0) context.lineTo(first.x * width + 0.1, first.y * height);
  for (const point of rest) context.lineTo(point.x * width, point.y * height);
  context.stroke();
}

export interface AnnotationLayerProps {
  slideKey: string;
  annotations: Annotations;
  /** The pen is on: pointers draw instead of turning pages. */
  active: boolean;
  size: { width: number; height: number };
}

export function AnnotationLayer({ slideKey, annotations, active, size }: AnnotationLayerProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const drawing = useRef<{ pointerId: number; stroke: Stroke } | null>(null);
  const [version, setVersion] = useState(0);
  const [strokeCount, setStrokeCount] = useState(() => annotations.get(slideKey).length);

  useEffect(
    () => annotations.subscribe((slide) => slide === slideKey && setVersion((v) => v + 1)),
    [annotations, slideKey],
  );

  const context = () => (canvasRef.current ? inkContext(canvasRef.current) : null);

  // Redraw everything when the size changes or the ink is cleared.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || size.width <= 0) return;
    const density = window.devicePixelRatio || 1;
    canvas.width = Math.round(size.width * density);
    canvas.height = Math.round(size.height * density);
    const ctx = context();
    if (!ctx) return;
    ctx.clearRect(0, 0, size.width, size.height);
    for (const stroke of annotations.get(slideKey)) drawStroke(ctx, stroke, size.width, size.height);
    setStrokeCount(annotations.get(slideKey).length);
  }, [size.width, size.height, slideKey, annotations, version]);

  const point = (event: ReactPointerEvent<HTMLCanvasElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    return {
      x: (event.clientX - rect.left) / Math.max(1, rect.width),
      y: (event.clientY - rect.top) / Math.max(1, rect.height),
    };
  };

  return (
    <canvas
      ref={canvasRef}
      className={`presenter__ink${active ? ' is-active' : ''}`}
      data-testid="presenter-ink"
      data-strokes={strokeCount}
      aria-hidden="true"
      style={{ width: size.width || undefined, height: size.height || undefined }}
      onPointerDown={(event) => {
        if (!active || drawing.current) return;
        event.currentTarget.setPointerCapture(event.pointerId);
        drawing.current = { pointerId: event.pointerId, stroke: { points: [point(event)] } };
      }}
      onPointerMove={(event) => {
        const current = drawing.current;
        if (!current || current.pointerId !== event.pointerId) return;
        const ctx = context();
        const previous = current.stroke.points[current.stroke.points.length - 1];
        const next = point(event);
        current.stroke.points.push(next);
        if (ctx && previous) drawStroke(ctx, { points: [previous, next] }, size.width, size.height);
      }}
      onPointerUp={(event) => {
        const current = drawing.current;
        if (!current || current.pointerId !== event.pointerId) return;
        drawing.current = null;
        annotations.add(slideKey, current.stroke);
        const ctx = context();
        if (ctx) drawStroke(ctx, current.stroke, size.width, size.height);
        setStrokeCount(annotations.get(slideKey).length);
      }}
      onPointerCancel={() => {
        drawing.current = null;
      }}
    />
  );
}

/** Ink to look at, not to draw on: the audience screen's copy of the rep's strokes, a meeting's kept ink. */
export function InkView({
  strokes,
  size,
  testId = 'audience-ink',
}: {
  strokes: readonly Stroke[];
  size: { width: number; height: number };
  testId?: string;
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || size.width <= 0) return;
    const density = window.devicePixelRatio || 1;
    canvas.width = Math.round(size.width * density);
    canvas.height = Math.round(size.height * density);
    const ctx = inkContext(canvas);
    if (!ctx) return;
    ctx.clearRect(0, 0, size.width, size.height);
    for (const stroke of strokes) drawStroke(ctx, stroke, size.width, size.height);
  }, [strokes, size.width, size.height]);
  return (
    <canvas
      ref={canvasRef}
      className="presenter__ink"
      data-testid={testId}
      data-strokes={strokes.length}
      aria-hidden="true"
      style={{ width: size.width || undefined, height: size.height || undefined }}
    />
  );
}
