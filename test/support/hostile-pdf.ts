import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFName, PDFNumber, type PDFRef } from 'pdf-lib';

/** PDFs built to cost a reader as much as possible, for the publisher's bounds. */

/** One page whose content stream is `megabytes` of zeros, deflated `times` times (Flate on Flate). */
export async function deflateBomb(megabytes: number, times = 1): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([400, 300]);
  let data: Uint8Array = Buffer.alloc(megabytes * 1024 * 1024);
  for (let i = 0; i < times; i++) data = deflateSync(data, { level: 9 });
  const filter = times === 1 ? 'FlateDecode' : Array.from({ length: times }, () => 'FlateDecode');
  page.node.set(
    PDFName.of('Contents'),
    doc.context.register(doc.context.stream(data, { Filter: filter, Length: data.length })),
  );
  return doc.save();
}

/** One real page, and a page tree that repeats it 1000 × 1000 × 1000 times: it claims 10^9 pages in 20 kB. */
export async function pageTreeBomb(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([400, 300]);
  const ctx = doc.context;
  const root = doc.catalog.Pages();
  let child = root.Kids().get(0) as PDFRef;
  let count = 1;
  for (let level = 0; level < 3; level++) {
    count *= 1000;
    child = ctx.register(
      ctx.obj({ Type: 'Pages', Kids: ctx.obj(Array.from({ length: 1000 }, () => child)), Count: count }),
    );
  }
  root.set(PDFName.of('Kids'), ctx.obj([child]));
  root.set(PDFName.of('Count'), PDFNumber.of(count));
  return doc.save({ useObjectStreams: false });
}

/** Pages of plain drawing operators, uncompressed: nothing is a bomb, it is just slow to render. */
export async function slowPdf(pages: number, operatorsPerPage: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const ops = Array.from(
    { length: operatorsPerPage },
    (_, i) => `${i % 400} ${i % 300} m ${(i * 7) % 400} ${(i * 13) % 300} l S`,
  ).join('\n');
  for (let n = 0; n < pages; n++) {
    const page = doc.addPage([400, 300]);
    const bytes = Buffer.from(ops);
    page.node.set(PDFName.of('Contents'), doc.context.register(doc.context.stream(bytes, { Length: bytes.length })));
  }
  return doc.save();
}

/** One page showing a flat-colour `size` × `size` RGB image, deflated (it compresses a thousandfold). */
export async function bigFlatImagePdf(size: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([400, 300]);
  const pixels = deflateSync(Buffer.alloc(size * size * 3, 0xc8));
  const image = doc.context.register(
    doc.context.stream(pixels, {
      Type: 'XObject',
      Subtype: 'Image',
      Width: size,
      Height: size,
      ColorSpace: 'DeviceRGB',
      BitsPerComponent: 8,
      Filter: 'FlateDecode',
      Length: pixels.length,
    }),
  );
  page.node.set(PDFName.of('Resources'), doc.context.obj({ XObject: { Im1: image } }));
  const ops = Buffer.from('q 400 0 0 300 0 0 cm /Im1 Do Q');
  page.node.set(PDFName.of('Contents'), doc.context.register(doc.context.stream(ops, { Length: ops.length })));
  return doc.save();
}
