import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { stringify } from 'yaml';
import { generateSigningKeys } from '#publish/keys';
import { publishRelease, type PublishOptions, type PublishResult } from '#publish/publish';

/** A temporary folder removed by `cleanup()`; every test gets its own. */
export function tempDir(prefix = 'pitchcase-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function makePdf(title: string, pages: string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of pages) doc.addPage([400, 300]).drawText(text, { x: 20, y: 250, size: 14, font });
  return doc.save();
}

export interface SourceItem {
  id: string;
  file?: string;
  site?: string;
  title?: string;
  collections?: string[];
  kiosk?: boolean;
  validFrom?: string;
  validUntil?: string;
  [key: string]: unknown;
}

/**
 * Writes a small but complete source folder: a 3-page PDF, an SVG image, a microsite with a
 * second page, and a glossary, then any extra files the caller passes.
 */
export async function writeSource(
  dir: string,
  options: { pdfPages?: string[]; items?: SourceItem[]; extraFiles?: Record<string, string | Uint8Array> } = {},
): Promise<void> {
  mkdirSync(path.join(dir, 'docs'), { recursive: true });
  mkdirSync(path.join(dir, 'site', 'css'), { recursive: true });
  writeFileSync(
    path.join(dir, 'docs', 'brochure.pdf'),
    await makePdf(
      'Test brochure',
      options.pdfPages ?? ['Page one intro', 'Page two reverse osmosis', 'Page three prices'],
    ),
  );
  writeFileSync(
    path.join(dir, 'photo.svg'),
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="teal"/></svg>',
  );
  writeFileSync(
    path.join(dir, 'site', 'index.html'),
    '<!doctype html><title>Site</title><h1>Calculator</h1><a href="more.html">more</a>',
  );
  writeFileSync(path.join(dir, 'site', 'more.html'), '<!doctype html><h1>More</h1>');
  writeFileSync(path.join(dir, 'site', 'css', 'style.css'), 'h1 { color: teal }');
  for (const [name, content] of Object.entries(options.extraFiles ?? {})) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  const items: SourceItem[] = options.items ?? [
    { id: 'brochure', file: 'docs/brochure.pdf', collections: ['main'], kiosk: true },
    { id: 'photo', file: 'photo.svg', title: 'Product photo', collections: ['main'] },
    { id: 'calculator', site: 'site', title: 'ROI calculator' },
  ];
  writeFileSync(
    path.join(dir, 'catalogue.yaml'),
    stringify({
      channel: 'test',
      collections: [{ id: 'main', title: 'Main collection' }],
      glossary: [{ id: 'lead', term: 'Lead', definition: 'A person who showed interest.' }],
      items,
    }),
  );
}

export interface TestChannel {
  sourceDir: string;
  releaseDir: string;
  publicPem: string;
  privatePem: string;
  /** Into `releaseDir` unless the options name another folder. */
  publish(
    options?: Omit<PublishOptions, 'sourceDir' | 'privateKeyPem'> | Partial<PublishOptions>,
  ): Promise<PublishResult>;
  cleanup(): void;
}

/** A source folder plus a release folder and keys, ready to publish version after version. */
export async function makeChannel(options: Parameters<typeof writeSource>[1] = {}): Promise<TestChannel> {
  const root = tempDir('pitchcase-channel-');
  const sourceDir = path.join(root.dir, 'source');
  const releaseDir = path.join(root.dir, 'release');
  mkdirSync(sourceDir);
  await writeSource(sourceDir, options);
  const keys = generateSigningKeys();
  return {
    sourceDir,
    releaseDir,
    publicPem: keys.publicPem,
    privatePem: keys.privatePem,
    publish: (o = {}) => publishRelease({ sourceDir, outDir: releaseDir, privateKeyPem: keys.privatePem, ...o }),
    cleanup: root.cleanup,
  };
}
