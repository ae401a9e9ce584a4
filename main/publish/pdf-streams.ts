import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDocument, PDFName, PDFNumber, PDFRawStream, type PDFObject } from 'pdf-lib';

/**
 * A deflate bomb is a few kilobytes of PDF whose compressed streams expand to gigabytes: pdf.js
 * then spends minutes and memory on the zeros. Before pdf.js sees a document, every Flate stream
 * is inflated here with a bound on what it may expand to, so a bomb is refused in milliseconds.
 *
 * The bound depends on what the stream is. An image may not decode to much more than its declared
 * width × height × colour depth (pixels are what it holds); anything else (page contents, fonts,
 * forms) may expand at most EXPANSION_LIMIT times its compressed size, or to MIN_STREAM_BYTES,
 * whichever is more: real content streams compress 3-10×, never a thousand.
 */
export const MIN_STREAM_BYTES = 8 * 1024 * 1024;
export const EXPANSION_LIMIT = 100;
/** Decoded bytes of all streams of one document together. */
export const DOCUMENT_STREAM_BYTES = 1024 * 1024 * 1024;

export class PdfBoundExceeded extends Error {
  override readonly name = 'PdfBoundExceeded';
}

const number = (value: PDFObject | undefined): number | null => (value instanceof PDFNumber ? value.asNumber() : null);

function filters(stream: PDFRawStream): string[] {
  const filter = stream.dict.get(PDFName.of('Filter'));
  if (filter instanceof PDFName) return [filter.decodeText()];
  if (filter instanceof PDFArray) return filter.asArray().map((f) => (f instanceof PDFName ? f.decodeText() : '?'));
  return [];
}

/** Bytes an image may decode to: its pixels, plus a predictor byte per row and some slack. */
function imageBytes(stream: PDFRawStream): number | null {
  const dict = stream.dict;
  if (dict.get(PDFName.of('Subtype')) !== PDFName.of('Image')) return null;
  const width = number(dict.get(PDFName.of('Width')));
  const height = number(dict.get(PDFName.of('Height')));
  if (width === null || height === null || width <= 0 || height <= 0) return null;
  const bits = number(dict.get(PDFName.of('BitsPerComponent'))) ?? 8;
  // Four components (CMYK) is the most a colour space has; masks have one.
  const components = 4;
  return Math.ceil((width * components * Math.max(bits, 1)) / 8 + 1) * height + 64 * 1024;
}

/**
 * Throws PdfBoundExceeded when a Flate stream of `bytes` expands past its bound. Streams that
 * are not Flate-compressed, or that do not inflate (pdf.js may still read them), are left to
 * pdf.js, under the time and memory budget of the document.
 */
export async function checkCompressedStreams(bytes: Uint8Array): Promise<void> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
  } catch {
    // pdf.js reads many files pdf-lib does not: it decides whether this one is readable.
    return;
  }
  let total = 0;
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFRawStream)) continue;
    const chain = filters(object);
    if (chain.length === 0 || chain[0] !== 'FlateDecode') continue;
    const limit = imageBytes(object) ?? Math.max(MIN_STREAM_BYTES, EXPANSION_LIMIT * object.contents.length);
    let data: Uint8Array = object.contents;
    // Flate on Flate multiplies the ratio: every stage is bounded.
    for (const filter of chain) {
      if (filter !== 'FlateDecode') break;
      try {
        data = inflateSync(data, {
          maxOutputLength: limit + 1,
          finishFlush: 2 /* Z_SYNC_FLUSH: a stream cut short still counts */,
        });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
          throw new PdfBoundExceeded(
            `stream ${ref.toString()} expands from ${object.contents.length} bytes to more than ${limit} (a deflate bomb)`,
          );
        }
        break;
      }
      if (data.length > limit)
        throw new PdfBoundExceeded(
          `stream ${ref.toString()} expands from ${object.contents.length} bytes to more than ${limit} (a deflate bomb)`,
        );
    }
    total += data.length;
    if (total > DOCUMENT_STREAM_BYTES)
      throw new PdfBoundExceeded(`its streams expand to more than ${DOCUMENT_STREAM_BYTES} bytes together`);
  }
}
