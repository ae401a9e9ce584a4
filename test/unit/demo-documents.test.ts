// The demo library's PDFs are generated from YAML specs; these tests check that each spec
// renders into a PDF with the promised page count, the Title metadata, and text that pdf.js
// can extract from the right page (the app's search depends on it).
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { renderDocument, renderDocumentFile } from '#publish/demo/render-document';

const documentsDir = fileURLToPath(new URL('../../resources/demo/source/documents/', import.meta.url));

interface SpecShape {
  title: string;
  pages: { title?: string; blocks?: { type: string; text?: string }[] }[];
}

async function pageTexts(data: Uint8Array): Promise<{ title: unknown; pages: string[] }> {
  const doc = await getDocument({ data: data.slice(), isEvalSupported: false, useSystemFonts: false }).promise;
  try {
    const { info } = await doc.getMetadata();
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent();
      const text = content.items.map((item) => ('str' in item ? item.str : '')).join(' ');
      pages.push(text.replace(/\s+/g, ' '));
    }
    return { title: (info as { Title?: unknown }).Title, pages };
  } finally {
    await doc.destroy();
  }
}

/** The one phrase every page must show: its title, or else its first heading. */
function probe(page: SpecShape['pages'][number]): string | undefined {
  const phrase = page.title ?? page.blocks?.find((b) => b.type === 'heading')?.text;
  return phrase?.replaceAll('**', '').replace(/\s+/g, ' ');
}

// Phrases the search tests and sales reps rely on, each on a known page.
const KNOWN_PHRASES: Record<string, [page: number, phrase: string][]> = {
  'aquacore-200-brochure': [
    [1, 'reverse osmosis'],
    [1, 'FlowSense remote monitoring'],
    [3, 'litres per hour'],
    [4, 'total cost of ownership'],
  ],
  'aquacore-500-brochure': [
    [1, '500 litres per hour'],
    [3, 'HydraMax H400'],
    [6, 'site survey'],
  ],
  'flowsense-overview-deck': [
    [2, 'Water treatment is invisible until it fails'],
    [5, 'Leak detected'],
    [8, 'HydraMax Connect'],
    [9, '€39 per unit per month'],
  ],
  'competitive-comparison': [
    [1, 'ClearStream CS-250'],
    [1, '€41,900'],
    [2, 'Objection handling'.toUpperCase()],
    [2, 'Reverse osmosis wastes water'],
  ],
  'price-sheet-2026': [
    [1, '€14,900'],
    [1, '€38,500'],
    [2, 'PureLink Premier'],
    [2, 'Distributor'],
  ],
  'case-study-marston-brewery': [
    [1, 'Marston Brewery'],
    [2, 'Eleanor Voss'],
    [3, '€86,000'],
  ],
  'case-study-port-of-kessling': [
    [1, 'Port of Kessling'],
    [2, 'Hendrik Aalders'],
    [3, 'remote monitoring'],
  ],
  'purelink-service-plans': [
    [1, 'PureLink Premier'],
    [1, '99.5%'],
    [2, 'Service credit'],
  ],
};

const files = (await readdir(documentsDir)).filter((f) => f.endsWith('.yaml')).sort();

describe('demo document specs', () => {
  it('cover every document the demo catalogue promises', () => {
    expect(files.map((f) => f.replace(/\.yaml$/, ''))).toEqual(expect.arrayContaining(Object.keys(KNOWN_PHRASES)));
  });

  describe.each(files)('%s', (file) => {
    const id = file.replace(/\.yaml$/, '');
    let spec: SpecShape;
    let rendered: { title: unknown; pages: string[] };
    let bytes: Uint8Array;

    beforeAll(async () => {
      spec = parse(await readFile(join(documentsDir, file), 'utf8')) as SpecShape;
      bytes = await renderDocumentFile(join(documentsDir, file));
      rendered = await pageTexts(bytes);
    });

    it('has the page count of its spec and the Title metadata', () => {
      expect(rendered.pages).toHaveLength(spec.pages.length);
      expect(rendered.title).toBe(spec.title);
    });

    it('puts each page title (or first heading) on that page as extractable text', () => {
      spec.pages.forEach((page, i) => {
        const phrase = probe(page);
        if (phrase) expect(rendered.pages[i], `page ${i + 1}`).toContain(phrase);
      });
    });

    it('contains the phrases search relies on, on the expected pages', () => {
      for (const [page, phrase] of KNOWN_PHRASES[id] ?? []) {
        expect(rendered.pages[page - 1], `page ${page}`).toContain(phrase);
      }
    });

    it('renders byte-identical output twice (blobs are content-addressed)', async () => {
      const again = await renderDocumentFile(join(documentsDir, file));
      expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    });
  });
});

describe('malformed document specs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pitchcase-demo-doc-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const valid = {
    title: 'Test',
    subject: 'Test document',
    format: 'a4-portrait',
    date: '2026-01-01T00:00:00+01:00',
    footer: 'Footer',
    pages: [{ title: 'Hello', blocks: [{ type: 'paragraph', text: 'World' }] }],
  };

  it('renders a minimal valid spec', async () => {
    const { pages } = await pageTexts(await renderDocument(valid, 'minimal'));
    expect(pages).toHaveLength(1);
    expect(pages[0]).toContain('World');
  });

  it('refuses a spec file with an unknown block type, naming the file and the path', async () => {
    const path = join(dir, 'bad-block.yaml');
    await writeFile(
      path,
      'title: T\nsubject: S\nformat: a4-portrait\ndate: "2026-01-01T00:00:00Z"\nfooter: F\npages:\n  - blocks:\n      - { type: video, text: x }\n',
    );
    await expect(renderDocumentFile(path)).rejects.toThrow(
      /bad-block\.yaml: invalid document spec: pages\.0\.blocks\.0/,
    );
  });

  it('refuses a spec file with broken YAML, naming the file', async () => {
    const path = join(dir, 'broken.yaml');
    await writeFile(path, 'title: [unclosed\n');
    await expect(renderDocumentFile(path)).rejects.toThrow(/broken\.yaml: invalid YAML/);
  });

  it('refuses a table row with the wrong number of cells', async () => {
    const spec = { ...valid, pages: [{ blocks: [{ type: 'table', columns: ['A', 'B'], rows: [['only one']] }] }] };
    await expect(renderDocument(spec, 'rows.yaml')).rejects.toThrow(
      /rows\.yaml: .*pages\.0\.blocks\.0\.rows\.0: expected 2 cells/,
    );
  });

  it('refuses a slide layout in a print format', async () => {
    const spec = { ...valid, pages: [{ layout: 'slide', title: 'X' }] };
    await expect(renderDocument(spec, 'layout.yaml')).rejects.toThrow(
      /layout\.yaml: .*does not suit format a4-portrait/,
    );
  });

  it('refuses content that overflows its page, naming the page', async () => {
    const long = Array.from({ length: 120 }, (_, i) => `Line ${i} of a paragraph that is far too long.`).join('\n');
    const spec = {
      ...valid,
      pages: [valid.pages[0], { title: 'Too much', blocks: [{ type: 'paragraph', text: long }] }],
    };
    await expect(renderDocument(spec, 'long.yaml')).rejects.toThrow(
      /long\.yaml: page 2 \("Too much"\): content overflows/,
    );
  });

  it('refuses characters the standard fonts cannot encode, naming the page', async () => {
    const spec = { ...valid, pages: [{ title: 'Pressure ≥ 2 bar' }] };
    await expect(renderDocument(spec, 'glyph.yaml')).rejects.toThrow(/glyph\.yaml: page 1/);
  });
});
