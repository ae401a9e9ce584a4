import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { stringify } from 'yaml';
import { seededRandom } from '../../support/random.ts';

/**
 * Source folders for the publishing benchmarks, the same for every run (seeded):
 *  - text-heavy PDFs: A4 pages of running text in a standard font, 1–5 pages, about 6 KB each
 *    (the kind of library the release-size complaint was measured on: 2,000 of them ≈ 12 MB);
 *  - brochures of about 500 KB: a few text pages and a photo page (a JPEG), the bulk being the
 *    photo, as in marketing's real brochures.
 */

const words = (
  'water filtration membrane pressure flow pump valve plant capacity energy saving reverse osmosis ' +
  'maintenance contract service warranty pilot customer harbour coastal inland pricing plan quarter ' +
  'installation sensor monitoring dashboard compliance audit efficiency throughput reliability'
).split(' ');

function sentence(rand: () => number, length: number): string {
  const out: string[] = [];
  for (let i = 0; i < length; i++) out.push(words[Math.floor(rand() * words.length)]!);
  return out.join(' ');
}

/** A text-heavy PDF: `pages` A4 pages of about 40 lines each. */
export async function textPdf(seed: number, title: string, pages: number): Promise<Uint8Array> {
  const rand = seededRandom(seed);
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage([595, 842]);
    page.drawText(p === 0 ? title : `${title}: section ${p + 1}`, { x: 50, y: 780, size: 18, font: bold });
    for (let line = 0; line < 40; line++)
      page.drawText(sentence(rand, 11), { x: 50, y: 740 - line * 16, size: 10, font });
    page.drawText(`Page ${p + 1} of ${pages}`, { x: 50, y: 40, size: 8, font });
  }
  return doc.save();
}

/** A brochure of about `bytes`: two text pages and a page with a photo that carries the bulk. */
export async function photoBrochure(seed: number, title: string, bytes: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const rand = seededRandom(seed);
  for (let p = 0; p < 2; p++) {
    const page = doc.addPage([595, 842]);
    page.drawText(`${title} ${p + 1}`, { x: 50, y: 780, size: 18, font });
    for (let line = 0; line < 30; line++)
      page.drawText(sentence(rand, 11), { x: 50, y: 740 - line * 16, size: 10, font });
  }
  // Noise does not compress: a side of this many pixels makes a JPEG of about `bytes`.
  const side = Math.max(64, Math.round(Math.sqrt(bytes / 0.47)));
  const jpeg = await sharp({
    create: {
      width: side,
      height: side,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128 + (seed % 50), sigma: 40 },
    },
  })
    .jpeg({ quality: 80 })
    .toBuffer();
  const image = await doc.embedJpg(jpeg);
  const page = doc.addPage([595, 842]);
  page.drawImage(image, { x: 50, y: 200, width: 495, height: 495 });
  page.drawText(title, { x: 50, y: 150, size: 14, font });
  return doc.save();
}

export interface Corpus {
  names: string[];
  bytes: number;
}

/** Writes `count` PDFs and a catalogue naming them into `dir`. */
export async function writeCorpus(
  dir: string,
  count: number,
  kind: 'text' | 'brochure',
  options: { brochureBytes?: number; seed?: number } = {},
): Promise<Corpus> {
  const names: string[] = [];
  let bytes = 0;
  const seed = options.seed ?? 1;
  for (let i = 0; i < count; i++) {
    const title = `${kind === 'text' ? 'Datasheet' : 'Brochure'} ${i}`;
    const pdf =
      kind === 'text'
        ? await textPdf(seed * 100_000 + i, title, 1 + (i % 5))
        : await photoBrochure(seed * 100_000 + i, title, options.brochureBytes ?? 500_000);
    const name = `${kind}-${String(i).padStart(5, '0')}.pdf`;
    writeFileSync(path.join(dir, name), pdf);
    names.push(name);
    bytes += pdf.length;
  }
  writeFileSync(
    path.join(dir, 'catalogue.yaml'),
    stringify({ channel: 'default', items: names.map((file) => ({ file })) }),
  );
  return { names, bytes };
}

/** A one-page note of a few lines: a large library's many small items, cheap to make by the thousand. */
export async function notePdf(i: number, revision = 0): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Note ${i}`);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([420, 595]);
  page.drawText(`Note ${i}${revision ? `, revision ${revision}` : ''}`, { x: 40, y: 540, size: 16, font });
  page.drawText(`Customer story ${i % 97} about ${words[i % words.length]} and ${words[(i * 7) % words.length]}`, {
    x: 40,
    y: 510,
    size: 10,
    font,
  });
  return doc.save();
}
