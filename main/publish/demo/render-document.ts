// Renders the demo library's document specs (YAML) into PDFs with pdf-lib's standard fonts,
// so the demo needs no font files and every page carries real, searchable text.
import { readFile } from 'node:fs/promises';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { parse } from 'yaml';
import { renderPage } from './document/pages';
import { parseDocumentSpec } from './document/spec';
import type { Fonts } from './document/text';

export { parseDocumentSpec, type DocumentSpec } from './document/spec';

/** Renders a validated-on-the-way spec; errors name `name` and, where relevant, the page. */
export async function renderDocument(spec: unknown, name: string): Promise<Uint8Array> {
  const doc = parseDocumentSpec(spec, name);
  const pdf = await PDFDocument.create({ updateMetadata: false });
  const fonts: Fonts = {
    regular: await pdf.embedFont(StandardFonts.Helvetica),
    bold: await pdf.embedFont(StandardFonts.HelveticaBold),
    italic: await pdf.embedFont(StandardFonts.HelveticaOblique),
  };
  doc.pages.forEach((page, i) => {
    try {
      renderPage(pdf, fonts, doc, page, i + 1);
    } catch (error) {
      // Typical causes: overflow, or a character outside WinAnsi (the standard fonts' encoding).
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`${name}: page ${i + 1}${page.title ? ` ("${page.title}")` : ''}: ${reason}`, { cause: error });
    }
  });
  const date = new Date(doc.date);
  pdf.setTitle(doc.title, { showInWindowTitleBar: true });
  pdf.setSubject(doc.subject);
  pdf.setAuthor(doc.author);
  pdf.setKeywords(doc.keywords);
  pdf.setCreator('Pitchcase demo publisher');
  pdf.setProducer('pdf-lib');
  pdf.setLanguage('en-GB');
  // Fixed dates keep the output byte-identical between builds (blobs are addressed by hash).
  pdf.setCreationDate(date);
  pdf.setModificationDate(date);
  return pdf.save();
}

/** Reads and renders one `documents/<id>.yaml`; a YAML or spec error names the file. */
export async function renderDocumentFile(specPath: string): Promise<Uint8Array> {
  const source = await readFile(specPath, 'utf8');
  let spec: unknown;
  try {
    spec = parse(source, { prettyErrors: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${specPath}: invalid YAML: ${reason}`, { cause: error });
  }
  return renderDocument(spec, specPath);
}
