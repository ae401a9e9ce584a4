import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as PdfJsModule from 'pdfjs-dist/legacy/build/pdf.mjs';
import { PdfBoundExceeded } from './pdf-streams.ts';

/**
 * Reads a PDF once for everything the publisher needs: its title, the text of every page
 * (for search) and PNG thumbnails (the cover large, every page small). pdf.js runs with eval
 * disabled here too: a hostile PDF must not execute anything on marketing's machine.
 */
export interface PdfAnalysis {
  title: string | null;
  pageCount: number;
  pageTexts: string[];
  cover: Uint8Array;
  pageThumbnails: Uint8Array[];
}

const require = createRequire(import.meta.url);
const pdfjsRoot = path.dirname(require.resolve('pdfjs-dist/package.json'));
const standardFontDataUrl = pathToFileURL(path.join(pdfjsRoot, 'standard_fonts') + path.sep).href;

type PdfJs = typeof PdfJsModule;
let pdfjs: Promise<PdfJs> | null = null;
/** Loads pdf.js now (a reading thread does it before its first document counts time). */
export function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjs;
}

export const COVER_WIDTH = 480;
export const PAGE_THUMB_WIDTH = 200;

function normaliseText(items: readonly unknown[]): string {
  let text = '';
  for (const item of items) {
    if (typeof item !== 'object' || item === null || !('str' in item)) continue;
    const { str, hasEOL } = item as { str: string; hasEOL?: boolean };
    text += str;
    text += hasEOL ? '\n' : str.endsWith(' ') ? '' : ' ';
  }
  return text
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
}

export interface AnalyseOptions {
  thumbnails?: boolean;
  /** A document claiming more pages is refused before any is read (a page tree can claim 10^9). */
  maxPages?: number;
  /** Told the page count as soon as it is known (a caller's time budget may depend on it). */
  onPageCount?: (pages: number) => void;
}

export async function analysePdf(bytes: Uint8Array, options: AnalyseOptions = {}): Promise<PdfAnalysis> {
  const { getDocument } = await loadPdfJs();
  const task = getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    standardFontDataUrl: standardFontDataUrl.replace(/^file:\/\//, ''),
    useSystemFonts: false,
    verbosity: 0,
  });
  const doc = await task.promise;
  try {
    if (options.maxPages !== undefined && doc.numPages > options.maxPages) {
      throw new PdfBoundExceeded(`it claims ${doc.numPages} pages, more than the ${options.maxPages} allowed`);
    }
    options.onPageCount?.(doc.numPages);
    const meta = await doc.getMetadata().catch(() => null);
    const info = (meta?.info ?? {}) as { Title?: unknown };
    const title = typeof info.Title === 'string' && info.Title.trim() !== '' ? info.Title.trim() : null;
    const pageTexts: string[] = [];
    const pageThumbnails: Uint8Array[] = [];
    let cover: Uint8Array = new Uint8Array();
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      pageTexts.push(normaliseText(content.items));
      if (options.thumbnails !== false) {
        if (n === 1) cover = await renderPng(doc, page, COVER_WIDTH);
        pageThumbnails.push(await renderPng(doc, page, PAGE_THUMB_WIDTH));
      }
      page.cleanup();
    }
    return { title, pageCount: doc.numPages, pageTexts: stripRunningText(pageTexts), cover, pageThumbnails };
  } finally {
    await doc.destroy();
  }
}

type PdfDoc = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;
type PdfPage = Awaited<ReturnType<PdfDoc['getPage']>>;

async function renderPng(doc: PdfDoc, page: PdfPage, width: number): Promise<Uint8Array> {
  const base = page.getViewport({ scale: 1 });
  const viewport = page.getViewport({ scale: width / base.width });
  const factory = (doc as unknown as { canvasFactory: CanvasFactory }).canvasFactory;
  const { canvas, context } = factory.create(Math.ceil(viewport.width), Math.ceil(viewport.height));
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  await page.render({
    canvas: canvas as unknown as HTMLCanvasElement,
    canvasContext: context as unknown as CanvasRenderingContext2D,
    viewport,
  }).promise;
  const png = (canvas as unknown as { toBuffer(mime: 'image/png'): Buffer }).toBuffer('image/png');
  factory.destroy({ canvas, context });
  return new Uint8Array(png);
}

interface CanvasFactory {
  create(
    width: number,
    height: number,
  ): {
    canvas: { width: number; height: number };
    context: { fillStyle: string; fillRect(x: number, y: number, w: number, h: number): void };
  };
  destroy(pair: unknown): void;
}

/**
 * Removes running headers and footers ("Brightwater Systems | … | Page 3 of 6") from the page
 * text used for search: a line that recurs, digits aside, on most pages of a document would
 * otherwise match on every page and open every snippet. The first page keeps all its lines,
 * so the document's own title stays findable there.
 */
export function stripRunningText(pages: readonly string[]): string[] {
  if (pages.length < 2) return [...pages];
  const shape = (line: string) => line.trim().toLowerCase().replace(/\d+/g, '#');
  const seenOn = new Map<string, number>();
  for (const page of pages) {
    for (const key of new Set(page.split('\n').map(shape)))
      if (key.length > 0) seenOn.set(key, (seenOn.get(key) ?? 0) + 1);
  }
  const threshold = Math.max(2, Math.ceil(pages.length * 0.6));
  return pages.map((page, i) =>
    i === 0
      ? page
      : page
          .split('\n')
          .filter((line) => (seenOn.get(shape(line)) ?? 0) < threshold)
          .join('\n'),
  );
}
