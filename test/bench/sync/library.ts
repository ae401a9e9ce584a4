import { createCipheriv, createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib';

/**
 * A reproducible library for the sync benchmark: many small images (20–200 KB), PDFs of 1–20 MB
 * and a few videos of 30–80 MB, filling `totalBytes`. Bytes come from AES-256-CTR keyed by the
 * seed (a fast seeded PRNG: the same seed gives the same files); sizes and choices from a small
 * seeded generator. PDFs are real one-page documents (the publisher reads them with pdf.js)
 * carrying their bulk as an uncompressed stream object.
 */

export interface BenchFile {
  id: string;
  rel: string;
  kind: 'image' | 'pdf' | 'video';
  size: number;
}

import { seededRandom as prng } from '../../support/random.ts';

export { prng };

/** `size` pseudo-random bytes, determined by (seed, label). */
export function randomBytesFor(seed: number, label: string, size: number): Buffer {
  const key = createHash('sha256').update(`pitchcase-bench:${seed}`).digest();
  const iv = createHash('sha256').update(label).digest().subarray(0, 16);
  return createCipheriv('aes-256-ctr', key, iv).update(Buffer.alloc(size));
}

async function pdfOf(title: string, bulk: Buffer): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([400, 300]).drawText(title, { x: 20, y: 250, size: 14, font });
  const ref = doc.context.register(doc.context.stream(bulk));
  doc.catalog.set(PDFName.of('PitchcaseBenchData'), ref);
  return doc.save({ useObjectStreams: false });
}

/** Plans file sizes for a library of about `totalBytes` (deterministic for a seed). */
export function planLibrary(totalBytes: number, seed: number): BenchFile[] {
  const rand = prng(seed);
  const between = (lo: number, hi: number) => Math.round(lo + rand() * (hi - lo));
  const files: BenchFile[] = [];
  const MB = 1e6;
  let imageBudget = totalBytes * 0.07;
  let videoBudget = totalBytes * 0.45;
  let pdfBudget = totalBytes - imageBudget - videoBudget;
  for (let n = 1; imageBudget >= 20_000; n++) {
    const size = Math.min(between(20_000, 200_000), Math.round(imageBudget));
    files.push({ id: `image-${n}`, rel: `images/image-${n}.png`, kind: 'image', size });
    imageBudget -= size;
  }
  for (let n = 1; videoBudget >= 1 * MB; n++) {
    const size = Math.min(between(30 * MB, 80 * MB), Math.round(videoBudget));
    files.push({ id: `video-${n}`, rel: `videos/video-${n}.mp4`, kind: 'video', size });
    videoBudget -= size;
  }
  for (let n = 1; pdfBudget >= 0.2 * MB; n++) {
    const size = Math.min(between(1 * MB, 20 * MB), Math.round(pdfBudget));
    files.push({ id: `deck-${n}`, rel: `docs/deck-${n}.pdf`, kind: 'pdf', size });
    pdfBudget -= size;
  }
  return files;
}

/** Writes one file of the plan; `variant` > 0 gives other bytes of the same size (a new version). */
export async function writeBenchFile(sourceDir: string, file: BenchFile, seed: number, variant = 0): Promise<number> {
  const target = path.join(sourceDir, file.rel);
  mkdirSync(path.dirname(target), { recursive: true });
  const label = `${file.id}#${variant}`;
  if (file.kind === 'pdf') {
    // The page and its text stay the same: only the document's bytes change between variants.
    const bytes = await pdfOf(`Deck ${file.id}`, randomBytesFor(seed, label, Math.max(0, file.size - 2000)));
    writeFileSync(target, bytes);
    return bytes.length;
  }
  const bytes = randomBytesFor(seed, label, file.size);
  if (file.kind === 'image') bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 0);
  writeFileSync(target, bytes);
  return bytes.length;
}

export function catalogueOf(files: readonly BenchFile[]): string {
  return JSON.stringify(
    {
      channel: 'bench',
      collections: [
        { id: 'decks', title: 'Decks' },
        { id: 'media', title: 'Media' },
      ],
      items: files.map((f) => ({
        id: f.id,
        file: f.rel,
        title: `${f.kind} ${f.id}`,
        tags: [f.kind],
        collections: [f.kind === 'pdf' ? 'decks' : 'media'],
      })),
    },
    null,
    2,
  );
}
