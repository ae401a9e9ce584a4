import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ExcelJS from 'exceljs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import PptxGenJS from 'pptxgenjs';
import { findSoffice } from '#publish/convert/office';

/**
 * LibreOffice for the Office tests and the publish benchmark. `findOffice()` installs Debian's
 * packages when soffice is missing (we run as root with apt, as CI does on a fresh machine); when
 * that is impossible it says why, and callers skip with that reason.
 */

const PACKAGES = ['libreoffice-impress', 'libreoffice-writer', 'libreoffice-calc'];

let cached: { path: string } | { reason: string } | null = null;

export function findOffice(): { path: string } | { reason: string } {
  if (cached) return cached;
  const existing = findSoffice();
  if (existing) return (cached = { path: existing });
  if (process.platform !== 'linux')
    return (cached = { reason: `LibreOffice is not installed and ${process.platform} has no apt-get` });
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    return (cached = { reason: 'LibreOffice is not installed and installing it needs root' });
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' });
  if (apt.status !== 0) return (cached = { reason: 'LibreOffice is not installed and apt-get is not available' });
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...PACKAGES], {
      env,
      encoding: 'utf8',
      timeout: 600_000,
    });
  let result = install();
  if (result.status !== 0) {
    // A fresh machine has no package lists yet.
    spawnSync('apt-get', ['update', '-q'], { env, encoding: 'utf8', timeout: 240_000 });
    result = install();
  }
  const installed = findSoffice();
  if (installed) return (cached = { path: installed });
  const tail = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim().split('\n').slice(-2).join(' | ');
  return (cached = {
    reason: `LibreOffice is not installed and apt-get could not install it (${tail || `exit ${result.status}`})`,
  });
}

export interface DeckSlide {
  title: string;
  body: string;
  notes?: string;
  hidden?: boolean;
}

/** A real .pptx written by pptxgenjs: a title and a body per slide, speaker notes, hidden slides. */
export async function makeDeck(slides: readonly DeckSlide[]): Promise<Uint8Array> {
  const pptx = new PptxGenJS();
  pptx.layout = 'LAYOUT_16x9';
  for (const spec of slides) {
    const slide = pptx.addSlide();
    slide.addText(spec.title, { x: 0.5, y: 0.3, w: 9, h: 1, fontSize: 32, bold: true });
    slide.addText(spec.body, { x: 0.5, y: 1.5, w: 9, h: 3, fontSize: 20 });
    if (spec.notes) slide.addNotes(spec.notes);
    if (spec.hidden) slide.hidden = true;
  }
  const out = (await pptx.write({ outputType: 'uint8array' })) as Uint8Array;
  return new Uint8Array(out);
}

/** A real .xlsx written by exceljs: one sheet per entry; `printArea` limits what prints. */
export async function makeWorkbook(
  sheets: readonly { name: string; rows: string[][]; printArea?: string }[],
): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  for (const spec of sheets) {
    const sheet = book.addWorksheet(spec.name);
    for (const row of spec.rows) sheet.addRow(row);
    if (spec.printArea) sheet.pageSetup.printArea = spec.printArea;
  }
  const files = unzipSync(new Uint8Array(await book.xlsx.writeBuffer()));
  // exceljs writes a print area as "$A1:$B1"; Excel writes "$A$1:$B$1", the form LibreOffice reads.
  const workbook = strFromU8(files['xl/workbook.xml']!).replace(/(_xlnm\.Print_Area"[^>]*>[^<]*)/g, (name) =>
    name.replace(/\$([A-Z]+)(\d+)/g, '$$$1$$$2'),
  );
  files['xl/workbook.xml'] = strToU8(workbook);
  return zipSync(files);
}

/** The OpenDocument writer takes the same slides as the .pptx one. */
export type OdpSlide = DeckSlide;

/**
 * One sales deck's slides for the conversion tests: a visible intro and pricing slide with notes,
 * a hidden internal slide, a closing slide, and a slide marketing inserts in the next version.
 */
export const sampleSlides = {
  intro: { title: 'Why Brightwater', body: 'Reverse osmosis without the waste', notes: 'Ask about their filters' },
  secret: { title: 'Internal margins', body: 'Margin table for partners', notes: 'Never show this', hidden: true },
  pricing: {
    title: 'Pricing tiers',
    body: 'Starter, growth and fleet plans',
    notes: 'Mention the volume discount\nthen the pilot offer',
  },
  closing: { title: 'Next steps', body: 'A pilot at one plant' },
  inserted: { title: 'Customer stories', body: 'Marston cut water use by a third' },
} satisfies Record<string, DeckSlide>;

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A real OpenDocument presentation written by hand: a title placeholder and an outline per slide,
 * speaker notes on the notes page, hidden slides through their drawing-page style, as LibreOffice
 * Impress itself writes them.
 */
export function makeOdp(slides: readonly OdpSlide[]): Uint8Array {
  const ns = [
    'office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"',
    'style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"',
    'text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"',
    'draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"',
    'presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"',
    'svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"',
    'fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"',
  ]
    .map((n) => `xmlns:${n}`)
    .join(' ');
  const paragraphs = (text: string) =>
    text
      .split('\n')
      .map((line) => `<text:p>${escapeXml(line)}</text:p>`)
      .join('');
  const frame = (cls: string, y: number, h: number, text: string) =>
    `<draw:frame presentation:class="${cls}" svg:x="1cm" svg:y="${y}cm" svg:width="26cm" svg:height="${h}cm"><draw:text-box>${paragraphs(text)}</draw:text-box></draw:frame>`;
  const pages = slides
    .map(
      (slide, i) =>
        `<draw:page draw:name="page${i + 1}" draw:style-name="${slide.hidden ? 'hidden' : 'shown'}" draw:master-page-name="Default">` +
        frame('title', 1, 3, slide.title) +
        frame('outline', 5, 9, slide.body) +
        `<presentation:notes><draw:page-thumbnail presentation:class="page" svg:x="2cm" svg:y="2cm" svg:width="14cm" svg:height="8cm"/>${slide.notes ? frame('notes', 11, 10, slide.notes) : ''}</presentation:notes>` +
        '</draw:page>',
    )
    .join('');
  const pageStyle = (name: string, visibility: string) =>
    `<style:style style:name="${name}" style:family="drawing-page"><style:drawing-page-properties presentation:visibility="${visibility}"/></style:style>`;
  const content =
    `<?xml version="1.0" encoding="UTF-8"?><office:document-content ${ns} office:version="1.3">` +
    `<office:automatic-styles>${pageStyle('shown', 'visible')}${pageStyle('hidden', 'hidden')}</office:automatic-styles>` +
    `<office:body><office:presentation>${pages}</office:presentation></office:body></office:document-content>`;
  const styles =
    `<?xml version="1.0" encoding="UTF-8"?><office:document-styles ${ns} office:version="1.3">` +
    '<office:automatic-styles><style:page-layout style:name="PM1"><style:page-layout-properties fo:page-width="28cm" fo:page-height="15.75cm" style:print-orientation="landscape"/></style:page-layout></office:automatic-styles>' +
    '<office:master-styles><style:master-page style:name="Default" style:page-layout-name="PM1"/></office:master-styles></office:document-styles>';
  const manifest =
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">' +
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.presentation"/>' +
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>' +
    '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/></manifest:manifest>';
  // The media type comes first and uncompressed, so tools can tell the format from the first bytes.
  return zipSync({
    mimetype: [strToU8('application/vnd.oasis.opendocument.presentation'), { level: 0 }],
    'content.xml': strToU8(content),
    'styles.xml': strToU8(styles),
    'META-INF/manifest.xml': strToU8(manifest),
  });
}

/**
 * Another format of the same document, saved by LibreOffice itself (e.g. a .ppt from a .pptx):
 * how the tests get PowerPoint 97-2003 files without PowerPoint.
 */
export function saveAs(soffice: string, data: Uint8Array, fromExt: string, toExt: string): Uint8Array {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pitchcase-saveas-'));
  try {
    const input = path.join(dir, `in${fromExt}`);
    writeFileSync(input, data);
    const result = spawnSync(
      soffice,
      [
        `-env:UserInstallation=${pathToFileURL(path.join(dir, 'profile')).href}`,
        '--headless',
        '--norestore',
        '--convert-to',
        toExt.slice(1),
        '--outdir',
        path.join(dir, 'out'),
        input,
      ],
      { encoding: 'utf8', timeout: 120_000, env: { ...process.env, HOME: dir } },
    );
    const output = path.join(dir, 'out', `in${toExt}`);
    if (!existsSync(output)) throw new Error(`LibreOffice did not save ${toExt}: ${result.stderr || result.stdout}`);
    return new Uint8Array(readFileSync(output));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
