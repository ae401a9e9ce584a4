// Drawing of the content blocks. Each block draws itself from the top of a frame downwards
// and returns where the next block starts; the page checks overflow afterwards.
import type { PDFPage } from 'pdf-lib';
import type { Block, BulletItem, LeafBlock } from './spec';
import type { Palette } from './theme';
import { drawLine, drawText, LEADING, measureText, parseRuns, wrapRuns, type Fonts } from './text';

export interface Frame {
  x: number;
  width: number;
}

export interface Canvas {
  page: PDFPage;
  fonts: Fonts;
  colours: Palette;
  /** Body text size of the format. */
  base: number;
}

type Of<T extends Block['type']> = Extract<Block, { type: T }>;

export function drawBlock(c: Canvas, block: Block, frame: Frame, top: number, first: boolean): number {
  switch (block.type) {
    case 'heading':
      return heading(c, block, frame, top, first);
    case 'paragraph':
      return paragraph(c, block, frame, top);
    case 'bullets':
      return bullets(c, block, frame, top);
    case 'figures':
      return figures(c, block, frame, top);
    case 'table':
      return table(c, block, frame, top);
    case 'quote':
      return quote(c, block, frame, top);
    case 'callout':
      return callout(c, block, frame, top);
    case 'bars':
      return bars(c, block, frame, top);
    case 'spacer':
      return top - block.height;
    case 'columns':
      return columns(c, block, frame, top);
  }
}

export function drawBlocks(c: Canvas, blocks: readonly Block[], frame: Frame, top: number): number {
  let y = top;
  blocks.forEach((block, i) => {
    y = drawBlock(c, block, frame, y, i === 0);
  });
  return y;
}

const HEADING_SCALE = { 1: 2, 2: 1.45, 3: 1.12 } as const;

function heading(c: Canvas, b: Of<'heading'>, f: Frame, top: number, first: boolean): number {
  const size = c.base * HEADING_SCALE[b.level];
  const y = first ? top : top - size * 0.55;
  const after = drawText(c.page, c.fonts, b.text, f.x, y, f.width, {
    size,
    color: b.level === 3 ? c.colours.brand : c.colours.navy,
    weight: 'bold',
    leading: 1.18,
  });
  if (b.level === 2) {
    // A short accent rule under section headings: the brochure's visual rhythm.
    c.page.drawRectangle({ x: f.x, y: after - 3, width: size * 1.8, height: 2.5, color: c.colours.accent });
    return after - size * 0.55;
  }
  return after - size * 0.3;
}

function paragraph(c: Canvas, b: Of<'paragraph'>, f: Frame, top: number): number {
  const size = b.size ?? c.base;
  const after = drawText(c.page, c.fonts, b.text, f.x, top, f.width, { size, color: c.colours.text });
  return after - c.base * 0.7;
}

function bulletRuns(item: BulletItem): string {
  return typeof item === 'string' ? item : `**${item.term}** ${item.text}`;
}

function bullets(c: Canvas, b: Of<'bullets'>, f: Frame, top: number): number {
  const size = c.base;
  const indent = size * 1.3;
  let y = top;
  for (const item of b.items) {
    c.page.drawCircle({ x: f.x + size * 0.35, y: y - size * 0.45, size: size * 0.2, color: c.colours.accent });
    y = drawText(c.page, c.fonts, bulletRuns(item), f.x + indent, y, f.width - indent, { size, color: c.colours.text });
    y -= size * 0.3;
  }
  return y - c.base * 0.5;
}

function figures(c: Canvas, b: Of<'figures'>, f: Frame, top: number): number {
  const gap = c.base * 0.9;
  const n = b.items.length;
  const boxW = (f.width - gap * (n - 1)) / n;
  const pad = c.base * 0.8;
  const valueSize = c.base * (n > 3 ? 1.9 : 2.3);
  const labelSize = c.base * 0.85;
  const labelH = Math.max(
    ...b.items.map((it) => measureText(c.fonts, it.label, labelSize, boxW - pad * 2 - 4, 'regular', 1.25)),
  );
  const boxH = pad * 2 + valueSize * 1.1 + c.base * 0.3 + labelH;
  b.items.forEach((item, i) => {
    const x = f.x + i * (boxW + gap);
    c.page.drawRectangle({ x, y: top - boxH, width: boxW, height: boxH, color: c.colours.tint });
    c.page.drawRectangle({ x, y: top - boxH, width: 4, height: boxH, color: c.colours.accent });
    const ty = drawText(c.page, c.fonts, item.value, x + pad + 4, top - pad, boxW - pad * 2 - 4, {
      size: valueSize,
      color: c.colours.brand,
      weight: 'bold',
      leading: 1.1,
    });
    drawText(c.page, c.fonts, item.label, x + pad + 4, ty - c.base * 0.3, boxW - pad * 2 - 4, {
      size: labelSize,
      color: c.colours.text,
      leading: 1.25,
    });
  });
  return top - boxH - c.base * 1.1;
}

function table(c: Canvas, t: Of<'table'>, f: Frame, top: number): number {
  const size = t.size ?? c.base * 0.9;
  const pad = size * 0.55;
  const weights = t.widths ?? t.columns.map(() => 1);
  const total = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => (w / total) * f.width);
  const xs = widths.map((_, i) => f.x + widths.slice(0, i).reduce((a, b) => a + b, 0));
  const lines = (cell: string, col: number, weight: 'regular' | 'bold') =>
    wrapRuns(parseRuns(cell, weight), c.fonts, size, (widths[col] ?? 0) - pad * 2);
  const step = size * 1.25;

  const drawRow = (cells: readonly string[], y: number, kind: 'header' | 'body', index: number): number => {
    const wrapped = cells.map((cell, col) => lines(cell, col, kind === 'header' || col === 0 ? 'bold' : 'regular'));
    const h = Math.max(...wrapped.map((l) => l.length)) * step + pad * 2 - (step - size);
    cells.forEach((_, col) => {
      const x = xs[col] ?? f.x;
      const w = widths[col] ?? 0;
      const highlighted = col === t.highlightColumn;
      const fill =
        kind === 'header'
          ? highlighted
            ? c.colours.accent
            : c.colours.brand
          : highlighted
            ? c.colours.highlight
            : index % 2 === 1
              ? c.colours.zebra
              : undefined;
      if (fill) c.page.drawRectangle({ x, y: y - h, width: w, height: h, color: fill });
      (wrapped[col] ?? []).forEach((line, i) =>
        drawLine(c.page, c.fonts, line, x + pad, y - pad - i * step, w - pad * 2, {
          size,
          color: kind === 'header' ? c.colours.white : c.colours.text,
        }),
      );
    });
    c.page.drawLine({
      start: { x: f.x, y: y - h },
      end: { x: f.x + f.width, y: y - h },
      thickness: 0.5,
      color: c.colours.rule,
    });
    return y - h;
  };

  let y = drawRow(t.columns, top, 'header', 0);
  t.rows.forEach((row, i) => {
    y = drawRow(row, y, 'body', i);
  });
  if (t.caption) {
    y = drawText(c.page, c.fonts, t.caption, f.x, y - size * 0.6, f.width, {
      size: size * 0.9,
      color: c.colours.muted,
      weight: 'italic',
    });
  }
  return y - c.base * 1.1;
}

function quote(c: Canvas, q: Of<'quote'>, f: Frame, top: number): number {
  const size = c.base * 1.25;
  const indent = c.base * 1.4;
  // Curly quotes are in WinAnsi, so pdf.js extracts them as the reader sees them.
  let y = drawText(c.page, c.fonts, `\u201c${q.text}\u201d`, f.x + indent, top - c.base * 0.3, f.width - indent, {
    size,
    color: c.colours.navy,
    weight: 'italic',
    leading: 1.35,
  });
  y = drawText(c.page, c.fonts, q.attribution, f.x + indent, y - c.base * 0.3, f.width - indent, {
    size: c.base * 0.9,
    color: c.colours.brand,
    weight: 'bold',
  });
  c.page.drawRectangle({ x: f.x, y, width: 3.5, height: top - y, color: c.colours.accent });
  return y - c.base * 1.1;
}

function callout(c: Canvas, b: Of<'callout'>, f: Frame, top: number): number {
  const pad = c.base * 0.9;
  const inner = f.width - pad * 2;
  const titleSize = c.base * 1.1;
  const h =
    pad * 2 +
    measureText(c.fonts, b.title, titleSize, inner, 'bold') +
    c.base * 0.2 +
    measureText(c.fonts, b.text, c.base, inner);
  c.page.drawRectangle({
    x: f.x,
    y: top - h,
    width: f.width,
    height: h,
    color: c.colours.tint,
    borderColor: c.colours.brand,
    borderWidth: 0.8,
  });
  const y = drawText(c.page, c.fonts, b.title, f.x + pad, top - pad, inner, {
    size: titleSize,
    color: c.colours.brand,
    weight: 'bold',
  });
  drawText(c.page, c.fonts, b.text, f.x + pad, y - c.base * 0.2, inner, { size: c.base, color: c.colours.text });
  return top - h - c.base * 1.1;
}

function bars(c: Canvas, b: Of<'bars'>, f: Frame, top: number): number {
  let y = top;
  if (b.title) {
    y =
      drawText(c.page, c.fonts, b.title, f.x, y, f.width, { size: c.base, color: c.colours.navy, weight: 'bold' }) -
      c.base * 0.3;
  }
  const size = c.base * 0.9;
  const labelW = f.width * 0.34;
  const valueW = c.base * 6;
  const track = f.width - labelW - valueW;
  const max = Math.max(...b.items.map((i) => i.value), 1);
  const barH = size * 1.3;
  for (const item of b.items) {
    const labelLines = wrapRuns(parseRuns(item.label, item.highlight ? 'bold' : 'regular'), c.fonts, size, labelW - 8);
    const rowH = Math.max(barH, labelLines.length * size * LEADING);
    labelLines.forEach((line, i) =>
      drawLine(c.page, c.fonts, line, f.x, y - i * size * LEADING, labelW - 8, { size, color: c.colours.text }),
    );
    const w = Math.max(2, (item.value / max) * track);
    c.page.drawRectangle({
      x: f.x + labelW,
      y: y - barH + size * 0.1,
      width: track,
      height: barH - size * 0.2,
      color: c.colours.zebra,
    });
    c.page.drawRectangle({
      x: f.x + labelW,
      y: y - barH + size * 0.1,
      width: w,
      height: barH - size * 0.2,
      color: item.highlight ? c.colours.accent : c.colours.brand,
    });
    const value = `${item.value.toLocaleString('en-GB')}${b.unit ? ` ${b.unit}` : ''}`;
    drawText(c.page, c.fonts, value, f.x + labelW + w + 6, y - size * 0.1, valueW + track - w, {
      size,
      color: c.colours.navy,
      weight: 'bold',
    });
    y -= rowH + size * 0.45;
  }
  return y - c.base * 0.7;
}

function columns(c: Canvas, b: Of<'columns'>, f: Frame, top: number): number {
  const gap = c.base * 1.8;
  const n = b.columns.length;
  const w = (f.width - gap * (n - 1)) / n;
  let bottom = top;
  b.columns.forEach((blocks: LeafBlock[], i) => {
    const y = drawBlocks(c, blocks, { x: f.x + i * (w + gap), width: w }, top);
    bottom = Math.min(bottom, y);
  });
  return bottom;
}
