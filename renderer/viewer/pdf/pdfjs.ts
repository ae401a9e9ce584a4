/**
 * Loads pdf.js on first use (it is large, and the home screen does not need it) and points it
 * at our bundled worker, fonts and decoders. Every document is opened with eval disabled.
 */
import type * as PdfjsModule from 'pdfjs-dist';
import type { PDFDocumentLoadingTask, PDFPageProxy, RenderTask } from 'pdfjs-dist';

type Pdfjs = typeof PdfjsModule;

let loading: Promise<Pdfjs> | null = null;

function loadPdfjs(): Promise<Pdfjs> {
  loading ??= import('pdfjs-dist').catch((error: unknown) => {
    // Let the next attempt try again rather than caching the failure forever.
    loading = null;
    throw error;
  });
  return loading;
}

export interface OpenedPdf {
  task: PDFDocumentLoadingTask;
  /** Destroys the document and ends its worker. */
  dispose(): void;
}

/**
 * Opens a document with a worker of its own, ended with the document. A worker shared through
 * GlobalWorkerOptions.workerPort cannot be reused while a previous document is still being
 * destroyed, which is exactly what a quick back-and-open does.
 */
export async function openPdf(url: string, onProgress: (fraction: number | null) => void): Promise<OpenedPdf> {
  const pdfjs = await loadPdfjs();
  const thread = new Worker(new URL('./pdf-worker.ts', import.meta.url), { type: 'module', name: 'pdfjs' });
  const worker = pdfjs.PDFWorker.create({ port: thread });
  const task = pdfjs.getDocument({
    url,
    worker,
    isEvalSupported: false,
    standardFontDataUrl: '/pdfjs/standard_fonts/',
    wasmUrl: '/pdfjs/wasm/',
    enableXfa: false,
  });
  task.onProgress = ({ loaded, total }: { loaded: number; total: number }) => {
    onProgress(total > 0 ? Math.min(1, loaded / total) : null);
  };
  let disposed = false;
  return {
    task,
    dispose() {
      if (disposed) return;
      disposed = true;
      void task.destroy().finally(() => {
        worker.destroy();
        thread.terminate();
      });
    },
  };
}

export function isCancelled(error: unknown): boolean {
  return error instanceof Error && error.name === 'RenderingCancelledException';
}

/**
 * Renders a page into a fresh, detached canvas of `cssWidth` CSS pixels at `density` device
 * pixels per CSS pixel. Callers swap it in when it is done, so a re-render (resize, zoom)
 * never flashes an empty canvas.
 */
export function renderPage(
  page: PDFPageProxy,
  cssWidth: number,
  density: number,
): { task: RenderTask; canvas: HTMLCanvasElement } {
  const base = page.getViewport({ scale: 1 });
  const viewport = page.getViewport({ scale: (cssWidth / base.width) * density });
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.floor(viewport.width));
  canvas.height = Math.max(1, Math.floor(viewport.height));
  const task = page.render({ canvas, viewport, background: '#ffffff' });
  return { task, canvas };
}

/** Copies a finished offscreen render onto the canvas that is on screen. */
export function presentCanvas(target: HTMLCanvasElement, source: HTMLCanvasElement): void {
  if (target.width !== source.width) target.width = source.width;
  if (target.height !== source.height) target.height = source.height;
  const context = target.getContext('2d');
  if (!context) return;
  context.drawImage(source, 0, 0);
}
