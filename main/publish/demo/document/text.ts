// Rich-text wrapping: `**bold**` runs inside a paragraph, wrapped word by word with the real
// glyph widths of the standard fonts, so lines never run past the frame.
import type { PDFFont, PDFPage, RGB } from 'pdf-lib';

export interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  italic: PDFFont;
}

export type Weight = 'regular' | 'bold' | 'italic';
export interface Run {
  text: string;
  weight: Weight;
}
export type Line = Run[];

/** Splits `**bold**` markup into runs; `base` is the weight of unmarked text. */
export function parseRuns(text: string, base: Weight = 'regular'): Run[] {
  return text
    .split('**')
    .map((part, i) => ({ text: part, weight: i % 2 === 1 ? 'bold' : base }))
    .filter((r) => r.text);
}

export function wrapRuns(runs: Run[], fonts: Fonts, size: number, width: number): Line[] {
  const lines: Line[] = [];
  let line: Line = [];
  let lineWidth = 0;
  const push = (): void => {
    lines.push(line);
    line = [];
    lineWidth = 0;
  };
  for (const run of runs) {
    const font = fonts[run.weight];
    const paragraphs = run.text.split('\n');
    paragraphs.forEach((para, p) => {
      if (p > 0) push();
      // Keep the separating space of "**Bold** text" with the word that follows it.
      const words = para.split(/(?<=\S)(?=\s)|(?<=\s)(?=\S)/);
      for (const piece of words) {
        const isSpace = /^\s+$/.test(piece);
        if (isSpace && line.length === 0) continue;
        const word = isSpace ? ' ' : piece;
        const w = font.widthOfTextAtSize(word, size);
        if (!isSpace && lineWidth + w > width && lineWidth > 0) {
          trimEnd(line);
          push();
        }
        if (!isSpace && w > width) {
          // A single word wider than the frame (a long part number): break it by characters.
          for (const chunk of breakWord(word, font, size, width)) {
            if (lineWidth > 0) push();
            append(line, chunk, run.weight);
            lineWidth = font.widthOfTextAtSize(chunk, size);
          }
          continue;
        }
        append(line, word, run.weight);
        lineWidth += w;
      }
    });
  }
  trimEnd(line);
  if (line.length > 0 || lines.length === 0) push();
  return lines;
}

function append(line: Line, text: string, weight: Weight): void {
  const last = line[line.length - 1];
  if (last && last.weight === weight) last.text += text;
  else line.push({ text, weight });
}

function trimEnd(line: Line): void {
  const last = line[line.length - 1];
  if (!last) return;
  last.text = last.text.replace(/\s+$/, '');
  if (!last.text) line.pop();
}

function breakWord(word: string, font: PDFFont, size: number, width: number): string[] {
  const chunks: string[] = [];
  let chunk = '';
  for (const ch of word) {
    if (chunk && font.widthOfTextAtSize(chunk + ch, size) > width) {
      chunks.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) chunks.push(chunk);
  return chunks;
}

export function lineWidth(line: Line, fonts: Fonts, size: number): number {
  return line.reduce((sum, run) => sum + fonts[run.weight].widthOfTextAtSize(run.text, size), 0);
}

export interface LineStyle {
  size: number;
  color: RGB;
  align?: 'left' | 'center' | 'right';
}

/** Draws one line with its top at `top` within [x, x + width]. */
export function drawLine(
  page: PDFPage,
  fonts: Fonts,
  line: Line,
  x: number,
  top: number,
  width: number,
  style: LineStyle,
): void {
  const w = lineWidth(line, fonts, style.size);
  let cx = style.align === 'center' ? x + (width - w) / 2 : style.align === 'right' ? x + width - w : x;
  const baseline = top - style.size * 0.8;
  for (const run of line) {
    const font = fonts[run.weight];
    page.drawText(run.text, { x: cx, y: baseline, size: style.size, font, color: style.color });
    cx += font.widthOfTextAtSize(run.text, style.size);
  }
}

export const LEADING = 1.32;

/** Wraps and draws text; returns the y below the last line. */
export function drawText(
  page: PDFPage,
  fonts: Fonts,
  text: string,
  x: number,
  top: number,
  width: number,
  style: LineStyle & { weight?: Weight; leading?: number },
): number {
  const lines = wrapRuns(parseRuns(text, style.weight), fonts, style.size, width);
  const step = style.size * (style.leading ?? LEADING);
  lines.forEach((line, i) => drawLine(page, fonts, line, x, top - i * step, width, style));
  return top - lines.length * step;
}

export function measureText(
  fonts: Fonts,
  text: string,
  size: number,
  width: number,
  weight: Weight = 'regular',
  leading = LEADING,
): number {
  return wrapRuns(parseRuns(text, weight), fonts, size, width).length * size * leading;
}
