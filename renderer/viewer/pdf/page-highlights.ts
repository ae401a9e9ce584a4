/**
 * Where the search terms are on a PDF page, as boxes over the rendered canvas. pdf.js gives the
 * page text as runs (a string, its transform in page space, its advance width); a word's box is
 * its share of the run's width, measured in the run's font so proportional type lines up.
 * Pure: the conversion to screen space and the text measuring are passed in.
 */
import type { TermMatcher } from '../../search/term-match';
import { wordSpans } from '../../search/term-match';

/** The parts of a pdf.js TextItem this needs. */
export interface TextRun {
  str: string;
  /** [a, b, c, d, e, f]: the run's text matrix in page space. */
  transform: number[];
  /** Advance width of the whole run, in page units. */
  width: number;
  fontName: string;
}

export interface RunStyle {
  fontFamily: string;
  ascent: number;
  descent: number;
}

/** A box as fractions of the page (0..1), so it follows the page at any size or zoom. */
export interface HighlightBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface PageGeometry {
  /** Page space -> unscaled viewport (CSS px at scale 1, y down). */
  toViewport(x: number, y: number): [number, number];
  width: number;
  height: number;
}

/** Width of `text` in a font family, in any unit (only ratios are used). */
export type MeasureText = (text: string, fontFamily: string) => number;

export const measureByLength: MeasureText = (text) => text.length;

export function isTextRun(item: unknown): item is TextRun {
  if (typeof item !== 'object' || item === null) return false;
  const run = item as Partial<TextRun>;
  return (
    typeof run.str === 'string' &&
    Array.isArray(run.transform) &&
    run.transform.length === 6 &&
    typeof run.width === 'number'
  );
}

export function highlightBoxes(
  runs: readonly TextRun[],
  styles: Readonly<Record<string, Partial<RunStyle> | undefined>>,
  matches: TermMatcher,
  page: PageGeometry,
  measure: MeasureText = measureByLength,
): HighlightBox[] {
  const boxes: HighlightBox[] = [];
  if (page.width <= 0 || page.height <= 0) return boxes;
  for (const run of runs) {
    if (!run.str.trim() || run.width <= 0) continue;
    const words = wordSpans(run.str).filter((span) => matches(span.word));
    if (words.length === 0) continue;
    const [a, b, c, d, e, f] = run.transform as [number, number, number, number, number, number];
    const along = Math.hypot(a, b);
    const fontHeight = Math.hypot(c, d);
    if (along === 0 || fontHeight === 0) continue;
    const style = styles[run.fontName];
    const family = style?.fontFamily ?? 'sans-serif';
    const ascent = style?.ascent && style.ascent > 0 ? style.ascent : 0.8;
    const descent = style?.descent && style.descent < 0 ? style.descent : -0.2;
    const total = measure(run.str, family) || run.str.length;
    // Unit vectors along the baseline and up the glyphs, in page space.
    const ux = a / along;
    const uy = b / along;
    const vx = c / fontHeight;
    const vy = d / fontHeight;
    for (const word of words) {
      const from = (measure(run.str.slice(0, word.start), family) / total) * run.width;
      const to = (measure(run.str.slice(0, word.end), family) / total) * run.width;
      const low = descent * fontHeight;
      const high = ascent * fontHeight;
      const corners = [
        [from, low],
        [to, low],
        [from, high],
        [to, high],
      ].map(([s, t]) => page.toViewport(e + ux * s! + vx * t!, f + uy * s! + vy * t!));
      const xs = corners.map((point) => point[0]);
      const ys = corners.map((point) => point[1]);
      const left = Math.min(...xs);
      const top = Math.min(...ys);
      boxes.push({
        left: left / page.width,
        top: top / page.height,
        width: (Math.max(...xs) - left) / page.width,
        height: (Math.max(...ys) - top) / page.height,
      });
    }
  }
  return boxes;
}
