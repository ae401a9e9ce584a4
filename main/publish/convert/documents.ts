import path from 'node:path';
import type { PageText, SlideIdentity } from '#shared/pages';
import { PublishError, type CatalogueItem } from '../catalogue.ts';
import type { PdfAnalysis } from '../pdf.ts';
import {
  convertOffice,
  convertToPdf,
  officeExtensions,
  presentationExtensions,
  requireSoffice,
  type OfficeSource,
} from './office.ts';
import { fingerprint, PresentationReadError, readOdpSlides, readPptxSlides, type SlideFacts } from './slides.ts';

/** An Office file of the catalogue, converted: the PDF devices present and the original bytes. */
export interface ConvertedDocument {
  pdf: Uint8Array;
  original: Uint8Array;
  /** Slide facts of a presentation in presentation order, hidden slides included. */
  slides: SlideFacts[] | null;
  includeHiddenSlides: boolean;
  /** The original file's extension. */
  ext: string;
  /** Page text and thumbnails, started as soon as the PDF was there. */
  analysis: Promise<PdfAnalysis>;
}

export function isOfficeFile(file: string): boolean {
  return officeExtensions.has(path.extname(file).toLowerCase());
}

/**
 * Converts every Office file the catalogue names, all in one go so LibreOffice's start-up is paid
 * per batch, not per file. Runs before anything is written: a missing converter or a file that
 * will not convert stops the publish with its name and the reason.
 */
export async function convertCatalogueDocuments(
  items: readonly CatalogueItem[],
  ctx: {
    sourceDir: string;
    readSource(rel: string, what: string): Promise<Uint8Array>;
    /** The publish's bounded PDF reader: page text and thumbnails of one converted PDF. */
    analyse(pdf: Uint8Array): Promise<PdfAnalysis>;
    onProgress?(done: number, total: number): void;
    env?: NodeJS.ProcessEnv;
  },
): Promise<Map<string, ConvertedDocument>> {
  const wanted = items.filter(
    (i): i is CatalogueItem & { file: string } => typeof i.file === 'string' && isOfficeFile(i.file),
  );
  const out = new Map<string, ConvertedDocument>();
  if (wanted.length === 0) return out;
  const soffice = requireSoffice(path.join(ctx.sourceDir, wanted[0]!.file), ctx.env);
  const unique = [...new Map(wanted.map((i) => [`${i.file}\0${i.hiddenSlides}`, i])).values()];
  const sources: (OfficeSource & {
    entry: CatalogueItem & { file: string };
    original: Uint8Array;
    slides: SlideFacts[] | null;
    includeHiddenSlides: boolean;
  })[] = [];
  // Several reads at a time (a folder on a network share answers faster that way), but not
  // thousands of open files at once.
  const originals: Uint8Array[] = new Array<Uint8Array>(unique.length);
  let nextRead = 0;
  const reader = async () => {
    while (nextRead < unique.length) {
      const i = nextRead++;
      originals[i] = await ctx.readSource(unique[i]!.file, 'file');
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, unique.length) }, reader));
  for (const [i, entry] of unique.entries()) {
    const data = originals[i]!;
    sources.push({
      entry,
      ext: path.extname(entry.file).toLowerCase(),
      label: path.join(ctx.sourceDir, entry.file),
      data,
      original: data,
      slides: null,
      includeHiddenSlides: entry.hiddenSlides === 'include',
    });
  }
  await viaOpenDocument(sources, soffice);
  ctx.onProgress?.(0, sources.length);
  // Each PDF is analysed (by the reader's own thread) while LibreOffice goes on with the next files.
  const analyses = new Map<number, Promise<PdfAnalysis>>();
  let converted = 0;
  const stop = new AbortController();
  const conversion = convertToPdf(sources, {
    soffice,
    signal: stop.signal,
    onConverted: (index, pdf) => {
      const analysis = ctx.analyse(pdf);
      // Awaited by the item later; a failure must not surface before that as an unhandled rejection.
      analysis.catch(() => undefined);
      analyses.set(index, analysis);
      ctx.onProgress?.(++converted, sources.length);
    },
  });
  // Awaited below; a failure while the slides are still being read must not go unhandled meanwhile.
  conversion.catch(() => undefined);
  // The slides of .pptx and .odp files are read while LibreOffice starts and converts, not before:
  // reading them first would add their time to the publish. A deck we cannot read stops it all.
  try {
    for (const source of sources) {
      if (source.slides) continue;
      // One deck at a time, giving the event loop back in between so the converter's processes
      // start and its PDFs flow to the reader meanwhile.
      await new Promise((resolve) => setImmediate(resolve));
      source.slides = ownSlides(source);
    }
  } catch (error) {
    stop.abort();
    await conversion.catch(() => undefined);
    throw error;
  }
  const pdfs = await conversion;
  sources.forEach((s, i) =>
    out.set(key(s.entry.file, s.entry.hiddenSlides), {
      pdf: pdfs[i]!,
      original: s.original,
      slides: s.slides,
      includeHiddenSlides: s.includeHiddenSlides,
      ext: path.extname(s.entry.file).toLowerCase(),
      analysis: analyses.get(i) ?? ctx.analyse(pdfs[i]!),
    }),
  );
  return out;
}

/** The slide facts a .pptx/.ppsx or .odp carries itself; null for other files. */
function ownSlides(source: OfficeSource): SlideFacts[] | null {
  if (source.ext === '.pptx' || source.ext === '.ppsx')
    return readSlides(source.label, 'PowerPoint', () => readPptxSlides(source.data));
  if (source.ext === '.odp')
    return readSlides(source.label, 'OpenDocument presentation', () => readOdpSlides(source.data));
  return null;
}

function readSlides(label: string, what: string, read: () => SlideFacts[]): SlideFacts[] {
  try {
    return read();
  } catch (error) {
    if (error instanceof PresentationReadError)
      throw new PublishError(`${label}: not a readable ${what} file (${error.message})`);
    throw error;
  }
}

/** Presentations whose own format we do not read: PowerPoint 97-2003 and Keynote. */
const viaOdp = new Set(['.ppt', '.pps', '.key']);

/**
 * A .ppt or .key is first saved by LibreOffice as OpenDocument, whose notes, hidden slides and
 * titles we read; the PDF is then made from that same OpenDocument, so its pages and the slide
 * facts come from one document and line up one to one (ODP is LibreOffice's own format: the
 * second import loses nothing the first understood).
 */
async function viaOpenDocument(
  sources: (OfficeSource & { slides: SlideFacts[] | null })[],
  soffice: string,
): Promise<void> {
  const legacy = sources.filter((s) => viaOdp.has(s.ext));
  if (legacy.length === 0) return;
  const odps = await convertOffice(legacy, 'odp', { soffice });
  legacy.forEach((source, i) => {
    const odp = odps[i]!;
    source.slides = readSlides(source.label, 'presentation', () => readOdpSlides(odp));
    source.data = odp;
    source.ext = '.odp';
  });
}

export function key(file: string, hiddenSlides: CatalogueItem['hiddenSlides']): string {
  return `${file}\0${hiddenSlides}`;
}

/**
 * Titles, notes and identities of a presentation's pages. The PDF holds the slides LibreOffice
 * exported, in order (the visible ones, or all when hidden slides are included), so the slide
 * facts map onto pages one to one. When the counts differ (a slide LibreOffice could not draw),
 * each page's identity is the fingerprint of its own text and its title its first line.
 */
export function presentationPages(
  doc: ConvertedDocument,
  pageTexts: readonly string[],
): Omit<PageText, 'pages'> | null {
  if (!presentationExtensions.has(doc.ext)) return null;
  const shown = doc.slides?.filter((s) => doc.includeHiddenSlides || !s.hidden) ?? null;
  if (shown && shown.length === pageTexts.length) {
    return {
      titles: shown.map((s) => s.title),
      notes: shown.map((s) => s.notes),
      slides: shown.map((s): SlideIdentity => ({
        id: s.slideId ? `pptx:${s.slideId}` : null,
        fingerprint: fingerprint(s.text),
        ...(s.hidden ? { hidden: true } : {}),
      })),
    };
  }
  return {
    titles: pageTexts.map((t) => (t.split('\n')[0] ?? '').slice(0, 300)),
    notes: pageTexts.map(() => ''),
    slides: pageTexts.map((t) => ({ id: null, fingerprint: fingerprint(t) })),
  };
}
