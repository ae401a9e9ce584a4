import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readVerifiedManifest, APP_TOO_OLD } from '#core/channel/install';
import { parsePublicKey } from '#core/channel/signature';
import { readPageTextFile } from '#core/library/index';
import { generateSigningKeys, parsePrivateKey, signManifest } from '#publish/keys';
import { pageTextFile } from '#publish/page-text';
import { analysePdf, COVER_SHARE_OF_PDF } from '#publish/pdf';
import { appVersionAtLeast, manifest as manifestSchema, type Manifest } from '#shared/manifest';
import { PAGE_TEXT_MAX_BYTES } from '#shared/pages';
import { tempDir } from '../../support/release.ts';

/** Release format 2's pieces: page text files, covers, the schema, the app-version rule. */

const dir = tempDir('pitchcase-format-');
afterAll(() => dir.cleanup());
const file = (name: string, data: Uint8Array | string) => {
  const target = path.join(dir.dir, name);
  writeFileSync(target, data);
  return target;
};

const content = { pages: ['Reverse osmosis membranes', 'Prices: "Starter" and fleet\nplans'], titles: ['A', 'B'] };

describe('page text files', () => {
  it('are gzip in format 2 and plain JSON in format 1, and a device reads both to the same text', async () => {
    const packed = await pageTextFile(content, 2, 'doc.pdf');
    expect(packed.encoding).toBe('gzip');
    expect([...packed.data.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    const plain = await pageTextFile(content, 1, 'doc.pdf');
    expect(plain.encoding).toBeNull();
    expect(Buffer.from(plain.data).toString('utf8')).toBe(JSON.stringify(content));
    expect(readPageTextFile(file('packed', packed.data))).toEqual(content);
    expect(readPageTextFile(file('plain', plain.data))).toEqual(content);
  });

  it('compress running text to a small share of its JSON', async () => {
    const words = 'water membrane pressure pump valve plant energy saving service warranty pilot customer '.split(' ');
    const pages = Array.from({ length: 20 }, (_, p) =>
      Array.from({ length: 400 }, (_, w) => words[(p * 31 + w * 7 + ((w * w) % 13)) % words.length]).join(' '),
    );
    const json = JSON.stringify({ pages }).length;
    const { data } = await pageTextFile({ pages }, 2, 'doc.pdf');
    expect(data.length).toBeLessThan(json / 4);
  });

  it('stop unpacking at the bound, so a compressed bomb costs bounded memory', () => {
    const bomb = gzipSync(Buffer.alloc(PAGE_TEXT_MAX_BYTES + 1024, 0x20), { level: 1 });
    expect(bomb.length).toBeLessThan(PAGE_TEXT_MAX_BYTES / 100);
    expect(() => readPageTextFile(file('bomb', bomb))).toThrow(RangeError);
  });

  it('refuse a document whose text is over what a device reads, by name', async () => {
    const huge = { pages: ['x'.repeat(PAGE_TEXT_MAX_BYTES)] };
    await expect(pageTextFile(huge, 2, 'manual.pdf')).rejects.toThrow(
      /manual\.pdf: its page text is \d+ MB, more than/,
    );
  });
});

describe('covers', () => {
  /** A page of running text, alone or followed by a page with a large photo-like image. */
  async function document(withPhoto: boolean): Promise<Uint8Array> {
    const { PDFDocument, StandardFonts } = await import('pdf-lib');
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const page = doc.addPage([595, 842]);
    for (let line = 0; line < 40; line++)
      page.drawText(`Line ${line} of running text about membranes, pumps and pressure ${line * 7}`, {
        x: 50,
        y: 780 - line * 18,
        size: 10,
        font,
      });
    if (withPhoto) {
      const sharp = (await import('sharp')).default;
      const jpeg = await sharp({
        create: {
          width: 600,
          height: 600,
          channels: 3,
          background: '#808080',
          noise: { type: 'gaussian', mean: 128, sigma: 40 },
        },
      })
        .jpeg({ quality: 80 })
        .toBuffer();
      doc.addPage([595, 842]).drawImage(await doc.embedJpg(jpeg), { x: 50, y: 200, width: 495, height: 495 });
    }
    return doc.save();
  }

  it('cost a smaller share of a small PDF: the same first page is encoded more tightly alone', async () => {
    const small = await document(false);
    const large = await document(true);
    const [alone, withPhoto] = [await analysePdf(small), await analysePdf(large)];
    expect(large.length).toBeGreaterThan(small.length * 10);
    expect(withPhoto.cover.length).toBeLessThanOrEqual(large.length * COVER_SHARE_OF_PDF);
    expect(alone.cover.length).toBeLessThan(withPhoto.cover.length);
  }, 60_000);
});

describe('app versions', () => {
  it.each([
    ['1.2.3', '1.2.3', true],
    ['1.10.0', '1.9.9', true],
    ['1.9.9', '1.10.0', false],
    ['2.0.0', '1.99.99', true],
    ['1.2.3-beta.1', '1.2.3', false],
    ['1.2.3', '1.2.3-beta.1', true],
    ['1.2.3-beta.2', '1.2.3-beta.1', true],
    ['0.1.0-test', '0.1.0', false],
  ])('%s is at least %s: %s', (have, need, expected) => {
    expect(appVersionAtLeast(have, need)).toBe(expected);
  });
});

const sha = (c: string) => c.repeat(64);
const release: Manifest = manifestSchema.parse({
  format: 2,
  channel: 'alpha',
  version: 4,
  publishedAt: '2026-01-01T00:00:00Z',
  expiresAt: '2099-01-01T00:00:00Z',
  items: [
    {
      id: 'doc',
      kind: 'pdf',
      title: 'Doc',
      tags: ['water'],
      pageCount: 2,
      files: [
        { role: 'primary', sha256: sha('a'), size: 10, mime: 'application/pdf' },
        { role: 'text', sha256: sha('b'), size: 5, mime: 'application/json', encoding: 'gzip' },
      ],
    },
    {
      id: 'photo',
      kind: 'image',
      title: 'Photo',
      kiosk: true,
      files: [{ role: 'primary', sha256: sha('c'), size: 3, mime: 'image/png' }],
    },
  ],
  collections: [{ id: 'main', title: 'Main' }],
  glossary: [{ id: 'ro', term: 'RO', definition: 'Reverse osmosis' }],
});

describe('the manifest schema', () => {
  it('declares compressed files only from format 2 on', () => {
    expect(manifestSchema.safeParse({ ...release, format: 1 }).error?.issues[0]?.message).toMatch(
      /compressed files \(encoding\) need format 2/,
    );
    expect(manifestSchema.safeParse({ ...release, minAppVersion: '1.0' }).success).toBe(false);
  });
});

describe('an app reading a release', () => {
  const keys = generateSigningKeys();
  const read = (json: unknown, appVersion: string) => {
    const bytes = Buffer.from(JSON.stringify(json));
    return readVerifiedManifest(
      bytes,
      signManifest(bytes, parsePrivateKey(keys.privatePem, 'test')),
      [parsePublicKey(keys.publicPem)],
      appVersion,
    );
  };

  it('reads formats 1 and 2', () => {
    const { items, ...rest } = release;
    const formatOne = {
      ...rest,
      format: 1,
      items: items.map((i) => ({ ...i, files: i.files.map(({ encoding: _, ...f }) => f) })),
    };
    expect(read(formatOne, '0.1.0').format).toBe(1);
    expect(read(release, '0.1.0').format).toBe(2);
  });

  it('installs a release for its own version or an older one, and refuses one for a newer version', () => {
    expect(read({ ...release, minAppVersion: '1.4.0' }, '1.4.0').version).toBe(4);
    expect(read({ ...release, minAppVersion: '1.4.0' }, '1.5.0').version).toBe(4);
    expect(() => read({ ...release, minAppVersion: '1.4.0' }, '1.3.9')).toThrow(
      `${APP_TOO_OLD} (it is for Pitchcase 1.4.0 or later, this is 1.3.9). Update the app to 1.4.0 or later to install version 4; the library on this device stays as it is.`,
    );
  });

  it('refuses a newer format as too new, naming the version to update to when the release says it', () => {
    expect(() => read({ format: 7, version: 9, minAppVersion: '3.0.0', anything: 'else' }, '1.0.0')).toThrow(
      `${APP_TOO_OLD} (it is in release format 7, this Pitchcase (1.0.0) reads formats 1 and 2). Update the app to 3.0.0 or later to install version 9; the library on this device stays as it is.`,
    );
  });
});
