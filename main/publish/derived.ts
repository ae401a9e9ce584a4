import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { fileEncodings } from '#shared/manifest';
import { COVER_BOX, COVER_QUALITIES, COVER_SHARE_OF_PDF, THUMBNAIL_MIME } from './pdf.ts';
import { PAGE_TEXT_RECIPE } from './page-text.ts';

/**
 * What the publisher derived from each PDF it read (title, page count, the cover and the page
 * text, both already blobs of the release), by the PDF's sha256. The next publish into the same
 * release folder reuses them for every PDF whose bytes did not change, so republishing a library
 * of 20,000 items after one changed reads and renders that one. Kept beside the release (Studio:
 * in its data folder), never referenced by channel.json and never served.
 */

/** Changes whenever what is derived, or how, changes: older entries are then simply not used. */
export const DERIVED_RECIPE = `cover ${THUMBNAIL_MIME} ${COVER_BOX.width}x${COVER_BOX.height} q${COVER_QUALITIES.join('/')} ≤${COVER_SHARE_OF_PDF}; ${PAGE_TEXT_RECIPE}`;

const blobRef = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int().nonnegative() });

const entry = z.object({
  title: z.string().nullable(),
  pageCount: z.number().int().nonnegative(),
  cover: blobRef.extend({ mime: z.string() }).nullable(),
  text: blobRef.extend({ encoding: z.enum(fileEncodings).optional() }),
});
export type DerivedPdf = z.infer<typeof entry>;

const file = z.object({ recipe: z.string(), pdfs: z.record(z.string(), entry) });

export const DERIVED_FILE = '.pitchcase-derived.json';

export interface DerivedOutputs {
  /** What was derived from the PDF with this sha256, when every blob it names is still in the release. */
  reuse(pdfSha256: string): Promise<DerivedPdf | null>;
  /** Records what this publish derived (or reused) from a PDF. */
  remember(pdfSha256: string, derived: DerivedPdf): void;
  /** Writes the record of this publish's PDFs (only those: the file does not grow for ever). */
  save(): Promise<void>;
  /** How many PDFs were reused rather than read. */
  readonly reused: number;
}

/**
 * Opens the record in `file`. A missing, unreadable or older-recipe record is an empty one: the
 * cache can only save work, never change what is published.
 */
export async function openDerivedOutputs(
  recordFile: string,
  blobsDir: string,
  /** Whether an entry suits this publish (its page text stored as this publish stores it). */
  suits: (derived: DerivedPdf) => boolean = () => true,
): Promise<DerivedOutputs> {
  let previous: Record<string, DerivedPdf> = {};
  try {
    const parsed = file.safeParse(JSON.parse(await readFile(recordFile, 'utf8')));
    if (parsed.success && parsed.data.recipe === DERIVED_RECIPE) previous = parsed.data.pdfs;
  } catch {
    // No record yet (a first publish) or a damaged one: everything is read afresh.
  }
  const now = new Map<string, DerivedPdf>();
  const present = async (sha256: string, size: number) =>
    (await stat(path.join(blobsDir, sha256)).catch(() => null))?.size === size;
  let reused = 0;
  return {
    async reuse(pdfSha256) {
      const known = Object.hasOwn(previous, pdfSha256) ? previous[pdfSha256]! : null;
      if (!known || !suits(known)) return null;
      const blobs = [known.text, ...(known.cover ? [known.cover] : [])];
      const all = await Promise.all(blobs.map((b) => present(b.sha256, b.size)));
      if (!all.every(Boolean)) return null;
      reused++;
      return known;
    },
    remember(pdfSha256, derived) {
      now.set(pdfSha256, derived);
    },
    async save() {
      await mkdir(path.dirname(recordFile), { recursive: true });
      const body = JSON.stringify({ recipe: DERIVED_RECIPE, pdfs: Object.fromEntries(now) });
      await writeFile(`${recordFile}.tmp`, body);
      await rename(`${recordFile}.tmp`, recordFile);
    },
    get reused() {
      return reused;
    },
  };
}
