// The document spec: the YAML a marketing writer edits, validated before anything is drawn so
// a typo fails the demo build with a message instead of producing a subtly broken PDF.
import { z } from 'zod';

const text = z.string().min(1);
const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour like #0b6e99');

export const BulletItem = z.union([
  text,
  // A bold lead-in ("Footprint:") followed by plain text: the most common brochure pattern.
  z.strictObject({ term: text, text }),
]);

export const Figure = z.strictObject({ value: text, label: text });

export const Heading = z.strictObject({
  type: z.literal('heading'),
  text,
  level: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(2),
});
export const Paragraph = z.strictObject({
  type: z.literal('paragraph'),
  text,
  size: z.number().min(6).max(40).optional(),
});
export const Bullets = z.strictObject({ type: z.literal('bullets'), items: z.array(BulletItem).min(1) });
export const Figures = z.strictObject({
  type: z.literal('figures'),
  items: z.array(Figure).min(1).max(5),
});
export const Table = z
  .strictObject({
    type: z.literal('table'),
    caption: text.optional(),
    columns: z.array(text).min(1).max(8),
    // Relative widths; equal columns when absent.
    widths: z.array(z.number().positive()).optional(),
    rows: z.array(z.array(z.string())).min(1),
    // A column drawn tinted, e.g. our own product in a competitive comparison.
    highlightColumn: z.number().int().min(0).optional(),
    size: z.number().min(6).max(24).optional(),
  })
  .superRefine((t, ctx) => {
    if (t.widths && t.widths.length !== t.columns.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['widths'],
        message: `expected ${t.columns.length} widths, one per column`,
      });
    }
    t.rows.forEach((row, i) => {
      if (row.length !== t.columns.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['rows', i],
          message: `expected ${t.columns.length} cells, got ${row.length}`,
        });
      }
    });
    if (t.highlightColumn !== undefined && t.highlightColumn >= t.columns.length) {
      ctx.addIssue({ code: 'custom', path: ['highlightColumn'], message: 'no such column' });
    }
  });
export const Quote = z.strictObject({ type: z.literal('quote'), text, attribution: text });
export const Callout = z.strictObject({ type: z.literal('callout'), title: text, text });
export const Bars = z.strictObject({
  type: z.literal('bars'),
  title: text.optional(),
  unit: z.string().default(''),
  items: z
    .array(z.strictObject({ label: text, value: z.number().nonnegative(), highlight: z.boolean().default(false) }))
    .min(1),
});
export const Spacer = z.strictObject({ type: z.literal('spacer'), height: z.number().min(0).max(400) });

const LeafBlock = z.discriminatedUnion('type', [
  Heading,
  Paragraph,
  Bullets,
  Figures,
  Table,
  Quote,
  Callout,
  Bars,
  Spacer,
]);
export const Columns = z.strictObject({
  type: z.literal('columns'),
  // Only leaf blocks inside columns: nested columns would not fit a page anyway.
  columns: z.array(z.array(LeafBlock)).min(2).max(3),
});
export const Block = z.discriminatedUnion('type', [
  Heading,
  Paragraph,
  Bullets,
  Figures,
  Table,
  Quote,
  Callout,
  Bars,
  Spacer,
  Columns,
]);

export const Page = z
  .strictObject({
    // cover/content for print formats; slide-title/slide for decks.
    layout: z.enum(['cover', 'content', 'slide-title', 'slide']).default('content'),
    kicker: text.optional(),
    title: text.optional(),
    subtitle: text.optional(),
    blocks: z.array(Block).default([]),
  })
  .superRefine((page, ctx) => {
    // A title slide is a full-bleed brand panel: body blocks would be dark text on navy.
    if (page.layout === 'slide-title' && page.blocks.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['blocks'], message: 'a slide-title page takes no blocks' });
    }
  });

export const DocumentSpec = z
  .strictObject({
    title: text,
    subject: text,
    author: text.default('Brightwater Systems'),
    keywords: z.array(text).default([]),
    format: z.enum(['a4-portrait', 'a4-landscape', 'slide-16x9']),
    // Fixed so a rebuild yields identical bytes: blobs are content-addressed.
    date: z.iso.datetime({ offset: true }),
    reference: text.optional(),
    footer: text,
    accent: colour.optional(),
    pages: z.array(Page).min(1),
  })
  .superRefine((doc, ctx) => {
    const slides = doc.format === 'slide-16x9';
    doc.pages.forEach((page, i) => {
      if (page.layout.startsWith('slide') !== slides) {
        ctx.addIssue({
          code: 'custom',
          path: ['pages', i, 'layout'],
          message: `layout ${page.layout} does not suit format ${doc.format}`,
        });
      }
    });
  });

export type BulletItem = z.infer<typeof BulletItem>;
export type Block = z.infer<typeof Block>;
export type LeafBlock = z.infer<typeof LeafBlock>;
export type Page = z.infer<typeof Page>;
export type DocumentSpec = z.infer<typeof DocumentSpec>;
export type DocumentFormat = DocumentSpec['format'];

/** Validates a parsed spec; the message lists every problem with its path, prefixed by `name`. */
export function parseDocumentSpec(spec: unknown, name: string): DocumentSpec {
  const result = DocumentSpec.safeParse(spec);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 8)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
  throw new Error(`${name}: invalid document spec: ${problems}`);
}
