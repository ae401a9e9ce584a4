/**
 * The `text` file of a document item: per page, the words for search and, for presentations,
 * the slide's title, the speaker's notes (presenter only, never the audience screen) and the
 * slide's identity, which lets a pitch step follow its slide when marketing reorders the deck.
 * It travels as a content-addressed file named in the signed manifest.
 */
import { z } from 'zod';

export const slideIdentity = z
  .object({
    /** The presentation's own slide id ("pptx:256"), or null when the format has none. */
    id: z.string().max(64).nullable(),
    /** Hash of the slide's words: the same slide text gives the same fingerprint. */
    fingerprint: z.string().max(64),
    /** Hidden in the deck and published anyway (catalogue `hiddenSlides: include`). */
    hidden: z.boolean().optional(),
  })
  .strict();
export type SlideIdentity = z.infer<typeof slideIdentity>;

/**
 * The most a device unpacks of one item's page text (decompressed JSON): bounds its memory for a
 * hostile or damaged file, and is 13 KB a page at the publisher's 5,000-page limit, several times
 * a dense page of text. The publisher refuses a document over it rather than publish text a
 * device would drop.
 */
export const PAGE_TEXT_MAX_BYTES = 64 * 1024 * 1024;

export const pageText = z.object({
  pages: z.array(z.string()),
  titles: z.array(z.string().max(300)).optional(),
  notes: z.array(z.string().max(20_000)).optional(),
  slides: z.array(slideIdentity).optional(),
});
export type PageText = z.infer<typeof pageText>;

/** A pitch step's slide: the page it is on now, or null when the slide is gone from the deck. */
export function findSlide(slides: readonly SlideIdentity[], wanted: SlideIdentity): number | null {
  // Words first: a tool that renumbers slide ids on save (not PowerPoint) must not move a step.
  const sameText = slides.flatMap((s, i) => (s.fingerprint === wanted.fingerprint ? [i] : []));
  if (sameText.length === 1) return sameText[0]! + 1;
  // Edited in place: PowerPoint keeps the id; with several equal texts the id tells them apart.
  if (wanted.id !== null) {
    const sameId = slides.findIndex((s) => s.id === wanted.id);
    if (sameId >= 0 && (sameText.length === 0 || sameText.includes(sameId))) return sameId + 1;
  }
  return sameText.length > 0 ? sameText[0]! + 1 : null;
}
