// Page chrome per layout: the brand band, cover panel, slide frames and footers. Content
// blocks go into the frame each layout leaves free; a page that overflows is an error,
// because the catalogue promises a page count and search indexes text per page.
import { type PDFDocument, type PDFPage } from 'pdf-lib';
import { drawBlocks, type Canvas } from './blocks';
import type { DocumentSpec, Page } from './spec';
import { DROP_PATH, metrics, palette, wavePath, type Metrics } from './theme';
import { drawText, lineWidth, type Fonts } from './text';

interface PageContext {
  doc: DocumentSpec;
  page: Page;
  number: number;
  total: number;
  m: Metrics;
  canvas: Canvas;
}

export function renderPage(pdf: PDFDocument, fonts: Fonts, doc: DocumentSpec, page: Page, number: number): void {
  const m = metrics(doc.format);
  const pdfPage = pdf.addPage([m.width, m.height]);
  const canvas: Canvas = { page: pdfPage, fonts, colours: palette(doc.accent), base: m.base };
  const ctx: PageContext = { doc, page, number, total: doc.pages.length, m, canvas };
  const top = LAYOUTS[page.layout](ctx);
  const bottomLimit = m.footerHeight + m.margin * 0.35;
  const end = drawBlocks(canvas, page.blocks, { x: m.margin, width: m.width - m.margin * 2 }, top);
  // Blocks leave trailing spacing below themselves; only real ink past the limit counts.
  const overflow = bottomLimit - (end + m.base * 1.1);
  if (overflow > 0.5) {
    throw new Error(`content overflows the page by ${Math.ceil(overflow)}pt; move some of it to another page`);
  }
}

const LAYOUTS: Record<Page['layout'], (ctx: PageContext) => number> = {
  cover: coverPage,
  content: contentPage,
  'slide-title': titleSlide,
  slide: contentSlide,
};

function wordmark(p: PDFPage, fonts: Fonts, x: number, top: number, size: number, ctx: PageContext): void {
  const { colours } = ctx.canvas;
  const scale = (size * 1.9) / 28;
  p.drawSvgPath(DROP_PATH, { x, y: top, scale, color: colours.accent });
  const tx = x + 20 * scale + size * 0.6;
  const baseline = top - size * 1.9 + size * 0.45;
  p.drawText('BRIGHTWATER', { x: tx, y: baseline, size, font: fonts.bold, color: colours.white });
  p.drawText('SYSTEMS', {
    x: tx + fonts.bold.widthOfTextAtSize('BRIGHTWATER', size) + size * 0.45,
    y: baseline,
    size,
    font: fonts.regular,
    color: colours.accent,
  });
}

function printFooter(ctx: PageContext): void {
  const { page: p, fonts, colours } = ctx.canvas;
  const { m } = ctx;
  const y = m.footerHeight;
  p.drawLine({ start: { x: m.margin, y }, end: { x: m.width - m.margin, y }, thickness: 0.6, color: colours.rule });
  const size = 7.5;
  const left = ctx.doc.reference ? `${ctx.doc.footer}  |  ${ctx.doc.reference}` : ctx.doc.footer;
  p.drawText(left, { x: m.margin, y: y - 14, size, font: fonts.regular, color: colours.muted });
  const num = `Page ${ctx.number} of ${ctx.total}`;
  p.drawText(num, {
    x: m.width - m.margin - fonts.bold.widthOfTextAtSize(num, size),
    y: y - 14,
    size,
    font: fonts.bold,
    color: colours.brand,
  });
}

/** Kicker, title and subtitle, shared by print pages and slides; returns the y below them. */
function titles(ctx: PageContext, top: number, scale: { title: number; colour: 'navy' | 'white' }): number {
  const { page: p, fonts, colours, base } = ctx.canvas;
  const { m } = ctx;
  const width = m.width - m.margin * 2;
  let y = top;
  if (ctx.page.kicker) {
    y = drawText(p, fonts, ctx.page.kicker.toUpperCase(), m.margin, y, width, {
      size: base * 0.85,
      color: colours.accent,
      weight: 'bold',
    });
    y -= base * 0.2;
  }
  if (ctx.page.title) {
    y = drawText(p, fonts, ctx.page.title, m.margin, y, width, {
      size: base * scale.title,
      color: scale.colour === 'white' ? colours.white : colours.navy,
      weight: 'bold',
      leading: 1.12,
    });
  }
  if (ctx.page.subtitle) {
    y = drawText(p, fonts, ctx.page.subtitle, m.margin, y - base * 0.35, width, {
      size: base * 1.2,
      color: scale.colour === 'white' ? colours.tint : colours.muted,
      leading: 1.3,
    });
  }
  return y;
}

function contentPage(ctx: PageContext): number {
  const { page: p, fonts, colours, base } = ctx.canvas;
  const { m } = ctx;
  p.drawRectangle({ x: 0, y: m.height - m.headerHeight, width: m.width, height: m.headerHeight, color: colours.navy });
  p.drawRectangle({ x: 0, y: m.height - m.headerHeight - 3, width: m.width, height: 3, color: colours.accent });
  wordmark(p, fonts, m.margin, m.height - m.headerHeight / 2 + 11, 10, ctx);
  const label = ctx.doc.title;
  const size = 8.5;
  p.drawText(label, {
    x: m.width - m.margin - fonts.regular.widthOfTextAtSize(label, size),
    y: m.height - m.headerHeight / 2 - size * 0.35,
    size,
    font: fonts.regular,
    color: colours.tint,
  });
  printFooter(ctx);
  const start = m.height - m.headerHeight - m.margin * 0.6;
  const hasTitle = ctx.page.title || ctx.page.kicker || ctx.page.subtitle;
  return hasTitle ? titles(ctx, start, { title: 2.1, colour: 'navy' }) - base * 1.2 : start;
}

function coverPage(ctx: PageContext): number {
  const { page: p, fonts, colours, base } = ctx.canvas;
  const { m } = ctx;
  const panel = m.height * (ctx.doc.format === 'a4-portrait' ? 0.46 : 0.5);
  p.drawRectangle({ x: 0, y: m.height - panel, width: m.width, height: panel, color: colours.navy });
  // Three nested waves in brand, accent and white: water, without a stock photo.
  const bottom = m.height - panel;
  p.drawSvgPath(wavePath(m.width, 80), { x: 0, y: bottom + 80, color: colours.brand });
  p.drawSvgPath(wavePath(m.width, 52), { x: 0, y: bottom + 52, color: colours.accent, opacity: 0.7 });
  p.drawSvgPath(wavePath(m.width, 30), { x: 0, y: bottom + 30, color: colours.white });
  wordmark(p, fonts, m.margin, m.height - m.margin * 0.7, 12, ctx);
  titles(ctx, m.height - m.margin * 2.6, { title: 3.3, colour: 'white' });
  printFooter(ctx);
  return m.height - panel - base;
}

function slideFooter(ctx: PageContext, dark: boolean): void {
  const { page: p, fonts, colours } = ctx.canvas;
  const { m } = ctx;
  const size = 10;
  const y = m.footerHeight / 2 - size * 0.3;
  const colour = dark ? colours.tint : colours.muted;
  p.drawText(ctx.doc.footer, { x: m.margin, y, size, font: fonts.regular, color: colour });
  const num = `${ctx.number} / ${ctx.total}`;
  p.drawText(num, {
    x: m.width - m.margin - fonts.bold.widthOfTextAtSize(num, size),
    y,
    size,
    font: fonts.bold,
    color: dark ? colours.white : colours.brand,
  });
}

function titleSlide(ctx: PageContext): number {
  const { page: p, fonts, colours } = ctx.canvas;
  const { m } = ctx;
  p.drawRectangle({ x: 0, y: 0, width: m.width, height: m.height, color: colours.navy });
  p.drawSvgPath(wavePath(m.width, 150), { x: 0, y: 150, color: colours.brand, opacity: 0.8 });
  p.drawSvgPath(wavePath(m.width, 100), { x: 0, y: 100, color: colours.accent, opacity: 0.45 });
  wordmark(p, fonts, m.margin, m.height - m.margin * 0.7, 14, ctx);
  titles(ctx, m.height * 0.68, { title: 2.9, colour: 'white' });
  slideFooter(ctx, true);
  return m.footerHeight + m.margin;
}

function contentSlide(ctx: PageContext): number {
  const { page: p, fonts, colours, base } = ctx.canvas;
  const { m } = ctx;
  p.drawRectangle({ x: 0, y: 0, width: 12, height: m.height, color: colours.brand });
  p.drawRectangle({ x: 0, y: m.height * 0.62, width: 12, height: m.height * 0.16, color: colours.accent });
  p.drawLine({
    start: { x: m.margin, y: m.footerHeight },
    end: { x: m.width - m.margin, y: m.footerHeight },
    thickness: 0.6,
    color: colours.rule,
  });
  // Small drop mark top-right keeps the brand on screen without competing with the title.
  p.drawSvgPath(DROP_PATH, {
    x: m.width - m.margin - 12,
    y: m.height - m.margin * 0.55,
    scale: 0.6,
    color: colours.accent,
  });
  slideFooter(ctx, false);
  const y = titles(ctx, m.height - m.margin * 0.7, { title: 1.85, colour: 'navy' });
  const barW = lineWidth([{ text: 'MMM', weight: 'bold' }], fonts, base * 1.85);
  p.drawRectangle({ x: m.margin, y: y - base * 0.5, width: barW, height: 3.5, color: colours.accent });
  return y - base * 1.5;
}
