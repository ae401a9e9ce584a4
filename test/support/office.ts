import { spawnSync } from 'node:child_process';
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
