import { useEffect, useRef, useState, type CSSProperties } from 'react';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist';
import type { TermMatcher } from '../../search/term-match';
import { fitSize, renderDensity, type Size } from '../gestures';
import { highlightBoxes, isTextRun, type HighlightBox, type MeasureText } from './page-highlights';
import { isCancelled, presentCanvas, renderPage } from './pdfjs';

export interface PdfPageProps {
  doc: PDFDocumentProxy;
  pageNumber: number;
  /** Space the page is fitted into. */
  box: Size;
  /** Zoom the canvas should stay sharp at (settled, not every pinch frame). */
  sharpAtZoom: number;
  /** Neighbours wait until the page on screen has rendered. */
  enabled: boolean;
  current: boolean;
  style?: CSSProperties;
  onFitted?(pageNumber: number, size: Size): void;
  onRendered(pageNumber: number): void;
  /** Words to mark on the page (opened from a search hit); null draws nothing. */
  matcher?: TermMatcher | null;
  /** How many words were marked, once the marks are known. */
  onHighlighted?(pageNumber: number, count: number): void;
}

let measuringContext: CanvasRenderingContext2D | null | undefined;

/** Text widths in the run's own font family, so a word's box starts where the word does. */
const measureInFont: MeasureText = (text, fontFamily) => {
  measuringContext ??= document.createElement('canvas').getContext('2d');
  if (!measuringContext) return text.length;
  measuringContext.font = `100px ${fontFamily}`;
  return measuringContext.measureText(text).width;
};

/** One page on a canvas, fitted to the box, rendered at the screen's pixel density. */
export function PdfPage({
  doc,
  pageNumber,
  box,
  sharpAtZoom,
  enabled,
  current,
  style,
  onFitted,
  onRendered,
  matcher = null,
  onHighlighted,
}: PdfPageProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [page, setPage] = useState<PDFPageProxy | null>(null);
  const [painted, setPainted] = useState(false);
  const [failed, setFailed] = useState(false);
  const [highlights, setHighlights] = useState<readonly HighlightBox[]>([]);

  // The search terms on this page, from the page's own text (positions in page space).
  useEffect(() => {
    setHighlights([]);
    if (!page || !matcher) return;
    let live = true;
    page.getTextContent().then(
      (content) => {
        if (!live) return;
        const viewport = page.getViewport({ scale: 1 });
        const boxes = highlightBoxes(
          content.items.flatMap((item: unknown) => (isTextRun(item) ? [item] : [])),
          content.styles,
          matcher,
          {
            width: viewport.width,
            height: viewport.height,
            toViewport: (x, y) => {
              const [vx = 0, vy = 0] = viewport.convertToViewportPoint(x, y);
              return [vx, vy];
            },
          },
          measureInFont,
        );
        setHighlights(boxes);
        onHighlighted?.(pageNumber, boxes.length);
      },
      () => {
        // No text layer (a scanned page): nothing to mark, and the page still shows.
        if (live) onHighlighted?.(pageNumber, 0);
      },
    );
    return () => {
      live = false;
    };
  }, [page, matcher, pageNumber, onHighlighted]);

  useEffect(() => {
    let live = true;
    doc.getPage(pageNumber).then(
      (proxy) => live && setPage(proxy),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [doc, pageNumber]);

  const base = page?.getViewport({ scale: 1 });
  const fitted = base ? fitSize({ width: base.width, height: base.height }, box) : { width: 0, height: 0 };
  const density = renderDensity({
    devicePixelRatio: window.devicePixelRatio || 1,
    zoom: current ? sharpAtZoom : 1,
    cssSize: fitted,
  });
  // Quantised so tiny pinch changes do not trigger a re-render.
  const quantisedDensity = Math.round(density * 4) / 4;

  useEffect(() => {
    if (fitted.width > 0) onFitted?.(pageNumber, fitted);
  }, [fitted.width, fitted.height, pageNumber, onFitted]);

  useEffect(() => {
    if (!page || !enabled || fitted.width <= 0 || fitted.height <= 0) return;
    const { task, canvas } = renderPage(page, fitted.width, quantisedDensity);
    let live = true;
    task.promise.then(
      () => {
        if (!live || !canvasRef.current) return;
        presentCanvas(canvasRef.current, canvas);
        setPainted(true);
        onRendered(pageNumber);
      },
      (error: unknown) => {
        if (live && !isCancelled(error)) setFailed(true);
      },
    );
    return () => {
      live = false;
      // A page that scrolled away or a size that changed: stop the old render now.
      task.cancel();
    };
  }, [page, enabled, fitted.width, fitted.height, quantisedDensity, pageNumber, onRendered]);

  const size = { width: fitted.width || undefined, height: fitted.height || undefined };
  return (
    <div className={`pdf-page${painted ? ' pdf-page--painted' : ''}`} style={{ ...size, ...style }}>
      <canvas
        ref={canvasRef}
        className="pdf-page__canvas"
        data-testid="pdf-page-canvas"
        data-page-number={pageNumber}
        data-current={current ? 'true' : 'false'}
        style={size}
        aria-label={`Page ${pageNumber}`}
        role="img"
      />
      {painted && highlights.length > 0 ? (
        <div className="pdf-highlights" data-testid="pdf-highlights" aria-hidden="true">
          {highlights.map((mark, index) => (
            <span
              key={index}
              className="pdf-highlight"
              style={{
                left: `${mark.left * 100}%`,
                top: `${mark.top * 100}%`,
                width: `${mark.width * 100}%`,
                height: `${mark.height * 100}%`,
              }}
            />
          ))}
        </div>
      ) : null}
      {failed ? <div className="pdf-page__failed">Page {pageNumber} could not be drawn.</div> : null}
    </div>
  );
}
