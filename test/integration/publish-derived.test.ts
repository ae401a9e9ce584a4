import { createHash } from 'node:crypto';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '#core/index';
import { readPageTextFile } from '#core/library/index';
import { DERIVED_FILE } from '#publish/derived';
import { parsePrivateKey, signManifest } from '#publish/keys';
import { COVER_BOX, THUMBNAIL_MIME } from '#publish/pdf';
import { createPdfReader, type PdfReader } from '#publish/pdf-budget';
import { publishRelease } from '#publish/publish';
import type { Manifest, ManifestItem } from '#shared/manifest';
import { manifestOf } from '../support/release-pair.ts';
import { makeChannel, tempDir, type TestChannel } from '../support/release.ts';

/**
 * What the publisher derives from a PDF: a WebP cover fitted to the card's box, page text, and
 * no page thumbnails (devices draw those from the PDF). An unchanged PDF is not read again on
 * the next publish. Releases made before (PNG covers and page thumbnails) still install and show.
 */

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.splice(0).forEach((c) => c()));

/** A reader that counts the documents it was asked to read. */
function countingReader(): PdfReader & { count: number } {
  const inner = createPdfReader({}, 1);
  const reader = {
    count: 0,
    threads: inner.threads,
    analyse(bytes: Uint8Array) {
      reader.count++;
      return inner.analyse(bytes);
    },
    close: () => inner.close(),
  };
  cleanups.push(() => void inner.close());
  return reader;
}

const files = (item: ManifestItem | undefined, role: string) => item?.files.filter((f) => f.role === role) ?? [];

let channel: TestChannel;
beforeAll(async () => {
  channel = await makeChannel({
    items: [
      { id: 'brochure', file: 'docs/brochure.pdf' },
      { id: 'portrait', file: 'docs/portrait.pdf' },
      { id: 'landscape', file: 'docs/landscape.pdf' },
      // The same document under a second item is read once.
      { id: 'landscape-again', file: 'docs/landscape.pdf' },
    ],
    extraFiles: {
      'docs/portrait.pdf': await makePdfOfSize([595, 842], ['A4 upright']),
      'docs/landscape.pdf': await makePdfOfSize([842, 595], ['A4 sideways', 'second page']),
    },
  });
  cleanups.push(channel.cleanup);
});

async function makePdfOfSize(size: [number, number], pages: string[]): Promise<Uint8Array> {
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of pages) doc.addPage(size).drawText(text, { x: 40, y: size[1] - 80, size: 28, font });
  return doc.save();
}

const publish = (pdfReader: PdfReader) =>
  publishRelease({
    sourceDir: channel.sourceDir,
    outDir: channel.releaseDir,
    privateKeyPem: channel.privatePem,
    pdfReader,
  });

describe('what a PDF becomes in a release', () => {
  it('a WebP cover inside the card box, its page text, and no page thumbnails', async () => {
    const reader = countingReader();
    const result = await publish(reader);
    expect(reader.count).toBe(3);
    expect(result).toMatchObject({ pdfsRead: 3, pdfsReused: 0 });
    const manifest = manifestOf(channel.releaseDir);
    for (const [id, expected] of [
      ['portrait', { height: COVER_BOX.height }],
      ['landscape', { width: COVER_BOX.width }],
    ] as const) {
      const item = manifest.items.find((i) => i.id === id);
      const [cover] = files(item, 'thumbnail');
      expect(cover?.mime).toBe(THUMBNAIL_MIME);
      const meta = await sharp(path.join(channel.releaseDir, 'blobs', cover!.sha256)).metadata();
      expect(meta.format).toBe('webp');
      // Fitted inside the box: the page's long side fills it, the other is in proportion.
      expect(meta).toMatchObject(expected);
      expect(meta.width).toBeLessThanOrEqual(COVER_BOX.width);
      expect(meta.height).toBeLessThanOrEqual(COVER_BOX.height);
      expect(Math.abs(meta.width! / meta.height! - (id === 'portrait' ? 595 / 842 : 842 / 595))).toBeLessThan(0.02);
      expect(files(item, 'page-thumbnail')).toEqual([]);
      expect(files(item, 'text')).toHaveLength(1);
    }
    const landscape = manifest.items.find((i) => i.id === 'landscape')!;
    expect(landscape.pageCount).toBe(2);
    const text = readPageTextFile(path.join(channel.releaseDir, 'blobs', files(landscape, 'text')[0]!.sha256)) as {
      pages: string[];
    };
    expect(text.pages).toEqual(['A4 sideways', 'second page']);
    // A text page's cover is a few kilobytes, not the ~90 KB PNG it used to be.
    expect(files(landscape, 'thumbnail')[0]!.size).toBeLessThan(30_000);
  });

  it('reads only the PDF that changed when the folder is published again', async () => {
    const unchanged = countingReader();
    const again = await publish(unchanged);
    expect(unchanged.count).toBe(0);
    expect(again).toMatchObject({ version: 2, pdfsRead: 0, pdfsReused: 4, blobsWritten: 0 });
    const before = manifestOf(channel.releaseDir);

    writeFileSync(
      path.join(channel.sourceDir, 'docs/portrait.pdf'),
      await makePdfOfSize([595, 842], ['A4 upright, revised']),
    );
    const changed = countingReader();
    const third = await publish(changed);
    expect(changed.count).toBe(1);
    expect(third).toMatchObject({ version: 3, pdfsRead: 1 });
    const after = manifestOf(channel.releaseDir);
    const same = (m: Manifest, id: string) => m.items.find((i) => i.id === id)!.files;
    expect(same(after, 'landscape')).toEqual(same(before, 'landscape'));
    expect(same(after, 'portrait')).not.toEqual(same(before, 'portrait'));
    const portraitText = files(
      after.items.find((i) => i.id === 'portrait'),
      'text',
    )[0]!;
    expect(JSON.stringify(readPageTextFile(path.join(channel.releaseDir, 'blobs', portraitText.sha256)))).toContain(
      'revised',
    );
  });

  it('reads a PDF again when what was derived from it is gone or the record is damaged', async () => {
    const manifest = manifestOf(channel.releaseDir);
    const landscapeCover = files(
      manifest.items.find((i) => i.id === 'landscape'),
      'thumbnail',
    )[0]!;
    rmSync(path.join(channel.releaseDir, 'blobs', landscapeCover.sha256));
    const reader = countingReader();
    await publish(reader);
    expect(reader.count).toBe(1);
    expect(readFileSync(path.join(channel.releaseDir, 'blobs', landscapeCover.sha256)).length).toBe(
      landscapeCover.size,
    );

    writeFileSync(path.join(channel.releaseDir, DERIVED_FILE), '{ not json');
    const afresh = countingReader();
    await publish(afresh);
    expect(afresh.count).toBe(3);
  });
});

describe('a release made before WebP covers (PNG covers and page thumbnails)', () => {
  it('installs and shows its covers and page thumbnails as PNG', async () => {
    await publish(countingReader());
    const dir = tempDir('pitchcase-png-release-');
    cleanups.push(dir.cleanup);
    cpSync(channel.releaseDir, dir.dir, { recursive: true });
    // Rewrite the brochure as the old publisher wrote it: a PNG cover and a PNG per page.
    const png = async (label: string) => {
      const data = await sharp({
        create: { width: 200, height: 150, channels: 3, background: label === 'cover' ? '#336699' : '#996633' },
      })
        .png()
        .toBuffer();
      const sha256 = createHash('sha256').update(data).digest('hex');
      writeFileSync(path.join(dir.dir, 'blobs', sha256), data);
      return { sha256, size: data.length, mime: 'image/png' };
    };
    const json = manifestOf(dir.dir);
    const brochure = json.items.find((i) => i.id === 'brochure')!;
    const cover = await png('cover');
    const pages = [await png('page 1'), await png('page 2'), await png('page 3')];
    brochure.files = [
      ...brochure.files.filter((f) => f.role !== 'thumbnail'),
      { role: 'thumbnail', ...cover },
      ...pages.map((p, i) => ({ role: 'page-thumbnail' as const, ...p, page: i + 1 })),
    ];
    const bytes = Buffer.from(JSON.stringify(json));
    writeFileSync(path.join(dir.dir, 'channel.json'), bytes);
    writeFileSync(
      path.join(dir.dir, 'channel.json.sig'),
      signManifest(bytes, parsePrivateKey(channel.privatePem, 'test')),
    );

    const profile = tempDir('pitchcase-profile-');
    cleanups.push(profile.cleanup);
    const core = await createCore({
      profileDir: profile.dir,
      shell: 'browser',
      siteBaseUrl: 'http://site.test',
      embeddedRelease: { dir: dir.dir, publicKeyPem: channel.publicPem },
    });
    try {
      const item = await core.api.getItem({ id: 'brochure' });
      expect(item.thumbnail).toEqual(cover);
      expect(item.pageThumbnails).toEqual(pages);
      for (const file of [cover, ...pages]) {
        const answer = core.content.blob(file.sha256, null);
        expect(answer.status).toBe(200);
        expect(answer.headers['Content-Type']).toBe('image/png');
        const chunks: Buffer[] = [];
        for await (const chunk of answer.body!) chunks.push(chunk as Buffer);
        expect(createHash('sha256').update(Buffer.concat(chunks)).digest('hex')).toBe(file.sha256);
      }
    } finally {
      await core.close();
    }
  });
});
