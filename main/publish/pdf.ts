import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as PdfJsModule from 'pdfjs-dist/legacy/build/pdf.mjs';
import sharp from 'sharp';
import { PdfBoundExceeded } from './pdf-streams.ts';

/**
 * Reads a PDF once for everything the publisher needs: its title, the text of every page
 * (for search) and a WebP cover at the size a library card shows it. Page thumbnails are made
 * only when asked (Studio's page comparison): devices draw a page's thumbnail from the PDF they
 * already hold, so a release does not carry one picture per page. pdf.js runs with eval
 * disabled here too: a hostile PDF must not execute anything on marketing's machine.
 */
export interface PdfAnalysis {
  title: string | null;
  pageCount: number;
  pageTexts: string[];
  /** WebP, fitted inside COVER_BOX; empty when thumbnails were not asked for. */
  cover: Uint8Array;
  /** WebP per page, fitted inside PAGE_THUMB_BOX; empty unless `pageThumbnails` was asked for. */
  pageThumbnails: Uint8Array[];
}

const require = createRequire(import.meta.url);
const pdfjsRoot = path.dirname(require.resolve('pdfjs-dist/package.json'));
const standardFontDataUrl = pathToFileURL(path.join(pdfjsRoot, 'standard_fonts') + path.sep).href;

/**
 * The 14 standard fonts a PDF may use without embedding them (Helvetica, Times...) are drawn by
 * pdf.js from its own font files, parsed again for every document: that was half the time of
 * drawing a cover. Where the canvas has system fonts, pdf.js draws those glyphs with them
 * instead, at the same positions (its built-in metrics); the page text does not change (checked
 * on bench:studio's corpus). A machine without fonts keeps pdf.js's own, so nothing is blank.
 */
let systemFonts: Promise<boolean> | null = null;
function canvasHasFonts(): Promise<boolean> {
  systemFonts ??= import('@napi-rs/canvas').then(
    (canvas) => canvas.GlobalFonts.families.length > 0,
    () => false,
  );
  return systemFonts;
}

type PdfJs = typeof PdfJsModule;
let pdfjs: Promise<PdfJs> | null = null;
/** Loads pdf.js now (a reading thread does it before its first document counts time). */
export function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjs;
}

/**
 * A PDF's library card shows its cover inside 216 × 156 CSS px (renderer/library/library.css:
 * the widest card, 244 × 180, less the padding around a PDF's page); a Surface draws 2 device
 * pixels per CSS pixel. Other screens show covers smaller, except the kiosk's attract loop.
 */
export const COVER_BOX = { width: 432, height: 312 } as const;
/** A page tile in Studio's page comparison and the pitch builder: about 100 × 135 CSS px, at 2×. */
export const PAGE_THUMB_BOX = { width: 200, height: 270 } as const;
/**
 * WebP, not JPEG or PNG: on rendered text pages at the cover size (bench:studio's corpus),
 * WebP q50 measured 12.1 KB at 33.9 dB PSNR where mozjpeg needed q80 for 15.9 KB at 30.4 dB
 * (its ringing around glyphs), and PNG took 48.5 KB; AVIF was a third smaller but took 5–12×
 * the time to encode. Effort 2 gave the same size as the default effort 4 in two thirds of the
 * time. Every browser and Electron the app runs in shows WebP.
 */
export const THUMBNAIL_MIME = 'image/webp';
/**
 * A cover is a preview of a document the device holds anyway, so it may cost at most this share
 * of the PDF's bytes while a lower quality gets it there: a 7 KB page of running text gets q20
 * (its glyphs are 4 px high on the card, unreadable at any quality), a 500 KB brochure q50.
 */
export const COVER_SHARE_OF_PDF = 0.4;
/** Tried in order until one fits the share; the last is used regardless (below it text smears). */
export const COVER_QUALITIES = [50, 35, 20] as const;
const WEBP_EFFORT = 2;

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
  /** The cover (page 1); on unless false. */
  thumbnails?: boolean;
  /** A thumbnail of every page too (Studio's page comparison); off unless true. */
  pageThumbnails?: boolean;
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
    ...((await canvasHasFonts()) ? {} : { standardFontDataUrl: standardFontDataUrl.replace(/^file:\/\//, '') }),
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
      if (n === 1 && options.thumbnails !== false)
        cover = await renderWebp(doc, page, COVER_BOX, Math.floor(bytes.length * COVER_SHARE_OF_PDF));
      if (options.pageThumbnails === true) pageThumbnails.push(await renderWebp(doc, page, PAGE_THUMB_BOX));
      page.cleanup();
    }
    return { title, pageCount: doc.numPages, pageTexts: stripRunningText(pageTexts), cover, pageThumbnails };
  } finally {
    await doc.destroy();
  }
}

type PdfDoc = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;
type PdfPage = Awaited<ReturnType<PdfDoc['getPage']>>;

/**
 * The page drawn to fit inside `box` (never enlarged past it either way), encoded by sharp from
 * the canvas's raw pixels: the canvas's own PNG encoder was a third of the old pipeline's time.
 * With `budget`, the first of COVER_QUALITIES that fits in it; without, the first.
 */
async function renderWebp(
  doc: PdfDoc,
  page: PdfPage,
  box: { width: number; height: number },
  budget?: number,
): Promise<Uint8Array> {
  const base = page.getViewport({ scale: 1 });
  const viewport = page.getViewport({ scale: Math.min(box.width / base.width, box.height / base.height) });
  const factory = (doc as unknown as { canvasFactory: CanvasFactory }).canvasFactory;
  const { canvas, context } = factory.create(
    Math.max(1, Math.round(viewport.width)),
    Math.max(1, Math.round(viewport.height)),
  );
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  await page.render({
    canvas: canvas as unknown as HTMLCanvasElement,
    canvasContext: context as unknown as CanvasRenderingContext2D,
    viewport,
  }).promise;
  const { width, height } = canvas;
  const pixels = context.getImageData(0, 0, width, height).data;
  // Destroying zeroes the canvas's size: it was read first.
  factory.destroy({ canvas, context });
  const raw = sharp(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), {
    raw: { width, height, channels: 4 },
  }).removeAlpha();
  let webp: Buffer = Buffer.alloc(0);
  let firstSize = 0;
  for (const quality of COVER_QUALITIES) {
    // Size falls more slowly than quality on rendered pages (q35 is ~0.78 of q50), so a quality
    // whose proportional share of the first size is still over the budget is not worth a try.
    const hopeless = firstSize * (quality / COVER_QUALITIES[0]) > (budget ?? Infinity);
    if (hopeless && quality !== COVER_QUALITIES.at(-1)) continue;
    webp = await raw.clone().webp({ quality, effort: WEBP_EFFORT }).toBuffer();
    firstSize ||= webp.length;
    if (budget === undefined || webp.length <= budget) break;
  }
  return new Uint8Array(webp.buffer, webp.byteOffset, webp.byteLength);
}

interface CanvasFactory {
  create(
    width: number,
    height: number,
  ): {
    canvas: { width: number; height: number };
    context: {
      fillStyle: string;
      fillRect(x: number, y: number, w: number, h: number): void;
      getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
    };
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
