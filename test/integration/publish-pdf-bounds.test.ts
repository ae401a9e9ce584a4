import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createPdfReader, PdfBoundExceeded } from '#publish/pdf-budget';
import { publishRelease } from '#publish/publish';
import { bigFlatImagePdf, deflateBomb, pageTreeBomb, slowPdf } from '../support/hostile-pdf.ts';
import { manifestOf } from '../support/release-pair.ts';
import { makeChannel, makePdf, type SourceItem, type TestChannel } from '../support/release.ts';

/**
 * Hostile PDFs at publish: each document is read in a worker with a page cap, a time and a
 * memory budget, after its compressed streams are checked for bombs. A document over a bound is
 * refused by its file name, and nothing is written.
 */

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

async function channelWith(pdf: Uint8Array, hostileFirst = false): Promise<TestChannel> {
  const brochure: SourceItem = { id: 'brochure', file: 'docs/brochure.pdf' };
  const hostile: SourceItem = { id: 'hostile', file: 'docs/hostile.pdf' };
  const items = hostileFirst ? [hostile, brochure] : [brochure, hostile];
  const channel = await makeChannel({ items, extraFiles: { 'docs/hostile.pdf': pdf } });
  cleanups.push(channel.cleanup);
  return channel;
}

const publish = (channel: TestChannel, pdfLimits = {}) =>
  publishRelease({
    sourceDir: channel.sourceDir,
    outDir: channel.releaseDir,
    privateKeyPem: channel.privatePem,
    pdfLimits,
  });

describe('hostile PDFs at publish', () => {
  it('refuses a 40 kB deflate bomb by name, before pdf.js reads it', async () => {
    const bomb = await deflateBomb(40);
    expect(bomb.length).toBeLessThan(50_000);
    const channel = await channelWith(bomb);
    await expect(publish(channel)).rejects.toThrow(
      /docs\/hostile\.pdf: PDF refused, stream \d+ 0 R expands from \d+ bytes to more than \d+ \(a deflate bomb\)/,
    );
    expect(existsSync(channel.releaseDir)).toBe(false);
  });

  it('refuses Flate on Flate, bounding every stage', async () => {
    const channel = await channelWith(await deflateBomb(128, 2));
    await expect(publish(channel)).rejects.toThrow(/docs\/hostile\.pdf: PDF refused, .*a deflate bomb/);
  });

  it('refuses a page tree claiming 10^9 pages before reading any', async () => {
    const channel = await channelWith(await pageTreeBomb());
    await expect(publish(channel)).rejects.toThrow(
      /docs\/hostile\.pdf: PDF refused, it claims 1000000000 pages, more than the 5000 allowed/,
    );
    expect(existsSync(channel.releaseDir)).toBe(false);
  });

  it('stops a document over its time budget and names it', async () => {
    const channel = await channelWith(await slowPdf(1, 100_000), true);
    await expect(publish(channel, { timeMs: 300, timePerPageMs: 0 })).rejects.toThrow(
      /docs\/hostile\.pdf: PDF refused, reading it took more than 0 s/,
    );
    expect(existsSync(channel.releaseDir)).toBe(false);
  }, 60_000);

  it('reads the next document in a fresh thread after one was stopped', async () => {
    const reader = createPdfReader({ timeMs: 300, timePerPageMs: 0 });
    try {
      await expect(reader.analyse(await slowPdf(1, 100_000))).rejects.toBeInstanceOf(PdfBoundExceeded);
      const next = await reader.analyse(await makePdf('Next', ['Still read']));
      expect(next).toMatchObject({ title: 'Next', pageCount: 1, pageTexts: ['Still read'] });
      // A bomb is refused by the stream check, before pdf.js spends anything on it (not by the clock).
      await expect(reader.analyse(await deflateBomb(40))).rejects.toThrow(
        /expands from \d+ bytes to more than \d+ \(a deflate bomb\)/,
      );
    } finally {
      await reader.close();
    }
  }, 60_000);

  it('stops a document over its memory budget and names it', async () => {
    // An image of 8,000 × 8,000 pixels decodes to 192 MB, against a budget of 100 MB the brochure
    // beside it stays well under. (At 40 MB the reading thread's heap, limited to the budget, ran
    // out while pdf.js loaded, and the brochure waiting for it was refused: pdf-budget.ts.)
    const channel = await channelWith(await bigFlatImagePdf(8000), true);
    // One reading thread: whatever another thread does at the same moment (starting pdf.js,
    // giving memory back) is of the budget's size.
    const threads = process.env.PITCHCASE_PDF_THREADS;
    process.env.PITCHCASE_PDF_THREADS = '1';
    try {
      await expect(publish(channel, { memoryMb: 100 })).rejects.toThrow(
        /docs\/hostile\.pdf: PDF refused, reading it took more than 100 MB of memory/,
      );
    } finally {
      if (threads === undefined) delete process.env.PITCHCASE_PDF_THREADS;
      else process.env.PITCHCASE_PDF_THREADS = threads;
    }
  }, 120_000);

  it('publishes a real document whose flat image compresses a thousandfold (an image may decode to its pixels)', async () => {
    const channel = await channelWith(await bigFlatImagePdf(2000));
    const result = await publish(channel);
    expect(result.items).toBe(2);
    const hostile = manifestOf(channel.releaseDir).items.find((i) => i.id === 'hostile')!;
    expect(hostile.pageCount).toBe(1);
    expect(hostile.files.some((f) => f.role === 'thumbnail')).toBe(true);
  }, 120_000);
});
