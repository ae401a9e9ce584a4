import { parentPort } from 'node:worker_threads';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { analysePdf, loadPdfJs, type PdfAnalysis } from './pdf.ts';
import { checkCompressedStreams, PdfBoundExceeded } from './pdf-streams.ts';

/**
 * Reads PDFs for the publisher, one message at a time, in a worker the publisher can kill: a
 * hostile document that would take minutes or gigabytes costs its budget, not the publish.
 */

export interface PdfJob {
  id: number;
  bytes: Uint8Array;
  maxPages: number;
}

export type PdfJobAnswer =
  /** The document's budget starts now: loading the reader is not the document's cost. */
  | { id: number; type: 'started' }
  | { id: number; type: 'pages'; pages: number }
  | { id: number; type: 'done'; analysis: PdfAnalysis }
  | { id: number; type: 'failed'; overBound: boolean; message: string };

// Each reading thread is one of a pool sized to the cores: libvips' own threads would only contend.
sharp.concurrency(1);

const port = parentPort;
if (!port) throw new Error('pdf-worker.ts runs as a worker thread');

/**
 * pdf.js, its canvas and fonts are loaded by reading one blank page before the first job, so a
 * document's budget pays for the document only.
 */
async function warmUp(): Promise<void> {
  await loadPdfJs();
  const blank = await PDFDocument.create();
  blank.addPage([100, 100]);
  await analysePdf(await blank.save()).catch(() => {});
}
const loaded = warmUp();

port.on('message', (job: PdfJob) => {
  const answer = (message: PdfJobAnswer, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  void (async () => {
    try {
      await loaded;
      answer({ id: job.id, type: 'started' });
      await checkCompressedStreams(job.bytes);
      const analysis = await analysePdf(job.bytes, {
        maxPages: job.maxPages,
        onPageCount: (pages) => answer({ id: job.id, type: 'pages', pages }),
      });
      const buffers = [analysis.cover, ...analysis.pageThumbnails]
        .map((png) => png.buffer)
        .filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
      answer({ id: job.id, type: 'done', analysis }, [...new Set(buffers)]);
    } catch (error) {
      answer({
        id: job.id,
        type: 'failed',
        overBound: error instanceof PdfBoundExceeded,
        message: (error as Error).message,
      });
    }
  })();
});
