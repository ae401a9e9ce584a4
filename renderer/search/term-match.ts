/**
 * Which words on a page answer the rep's query, for drawing highlights over a PDF page. The
 * engine already decided the page matches; the words are found again with the shared text
 * pipeline, so the highlight forgives exactly what the engine forgives: case, accents, other
 * forms of a word (its stem), the word still being typed, and a typo.
 */
import { fold, maxEditsFor } from '#shared/text';

export {
  createTermMatcher,
  editDistanceWithin,
  matchingRanges,
  wordSpans,
  type TermMatcher,
  type WordSpan,
} from '#shared/text';

/** Lower case, accents stripped, apostrophes inside words dropped ("customer's" -> "customers"). */
export function foldWord(text: string): string {
  return fold(text).replace(/['’]/g, '');
}

/** Typos forgiven in a query word of this length: none below 4 letters, 1 up to 7, 2 from 8. */
export const allowedEdits = maxEditsFor;
