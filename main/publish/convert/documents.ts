import path from 'node:path';
import type { PageText, SlideIdentity } from '#shared/pages';
import { PublishError, type CatalogueItem } from '../catalogue.ts';
import type { PdfAnalysis } from '../pdf.ts';
import { convertToPdf, officeExtensions, presentationExtensions, requireSoffice } from './office.ts';
import { fingerprint, PresentationReadError, readPptxSlides, type SlideFacts } from './slides.ts';

/** An Office file of the catalogue, converted: the PDF devices present and the original bytes. */
export interface ConvertedDocument {
  pdf: Uint8Array;
  original: Uint8Array;
  /** Slide facts of a .pptx/.ppsx in presentation order, hidden slides included. */
  slides: SlideFacts[] | null;
  includeHiddenSlides: boolean;
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
  const sources = [];
  for (const entry of unique) {
    const ext = path.extname(entry.file).toLowerCase();
    const label = path.join(ctx.sourceDir, entry.file);
    const data = await ctx.readSource(entry.file, 'file');
    let slides: SlideFacts[] | null = null;
    if (ext === '.pptx' || ext === '.ppsx') {
      try {
        slides = readPptxSlides(data);
      } catch (error) {
        if (error instanceof PresentationReadError)
          throw new PublishError(`${label}: not a readable PowerPoint file (${error.message})`);
        throw error;
      }
    }
    sources.push({ entry, ext, label, data, slides, includeHiddenSlides: entry.hiddenSlides === 'include' });
  }
  ctx.onProgress?.(0, sources.length);
  // Each PDF is analysed (by the reader's own thread, one at a time) while LibreOffice goes on
  // with the next files.
  const analyses = new Map<number, Promise<PdfAnalysis>>();
  let converted = 0;
  const pdfs = await convertToPdf(sources, {
    soffice,
    onConverted: (index, pdf) => {
      const analysis = ctx.analyse(pdf);
      // Awaited by the item later; a failure must not surface before that as an unhandled rejection.
      analysis.catch(() => undefined);
      analyses.set(index, analysis);
      ctx.onProgress?.(++converted, sources.length);
    },
  });
  sources.forEach((s, i) =>
    out.set(key(s.entry.file, s.entry.hiddenSlides), {
      pdf: pdfs[i]!,
      original: s.data,
      slides: s.slides,
      includeHiddenSlides: s.includeHiddenSlides,
      ext: s.ext,
      analysis: analyses.get(i) ?? ctx.analyse(pdfs[i]!),
    }),
  );
  return out;
}

export function key(file: string, hiddenSlides: CatalogueItem['hiddenSlides']): string {
  return `${file}\0${hiddenSlides}`;
}

/**
 * Titles, notes and identities of a presentation's pages. The PDF holds the slides LibreOffice
 * exported, in order (the visible ones, or all when hidden slides are included), so the slide
 * facts map onto pages one to one. Without facts (.ppt, .key, .odp) or when the counts differ,
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
