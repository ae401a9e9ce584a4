/**
 * Which words on a page answer the rep's query, for drawing highlights over a PDF page. The
 * engine already decided the page matches; this only has to find the words again, forgiving the
 * same things the engine forgives: case, accents, the word still being typed, and a typo.
 */

const combiningMarks = /\p{M}+/gu;
const wordPattern = /[\p{L}\p{N}]+/gu;

/**
 * Words that say nothing on their own; highlighting every "the" on a page hides the answer.
 * They still count when the query is made of nothing else.
 */
const fillerWords = new Set(
  'a an and are as at be by do does for from has have how i in is it its of on or our that the this to vs was we what when which who will with you your'.split(' '),
);

/** Lower case, accents stripped, apostrophes inside words dropped ("customer's" -> "customers"). */
export function foldWord(text: string): string {
  return text.normalize('NFKD').replace(combiningMarks, '').toLowerCase().replace(/['’]/g, '');
}

export interface WordSpan {
  /** [start, end) in the original text. */
  start: number;
  end: number;
  /** The folded form that is compared. */
  word: string;
}

/** The words of `text` with where they are, so a match can be drawn at the right place. */
export function wordSpans(text: string): WordSpan[] {
  const spans: WordSpan[] = [];
  for (const match of text.matchAll(wordPattern)) {
    const start = match.index;
    spans.push({ start, end: start + match[0].length, word: foldWord(match[0]) });
  }
  return spans;
}

/** Typos forgiven in a query word of this length: none below 4 letters, 1 up to 7, 2 from 8. */
export function allowedEdits(length: number): number {
  if (length >= 8) return 2;
  if (length >= 4) return 1;
  return 0;
}

/**
 * Edit distance with adjacent transpositions counted as one edit ("trian" -> "train" is one
 * slip of the finger, not two), giving up early once it exceeds `limit`.
 */
export function editDistanceWithin(a: string, b: string, limit: number): boolean {
  if (Math.abs(a.length - b.length) > limit) return false;
  if (a === b) return true;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, beforePrevious[j - 2]! + 1);
      }
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return false;
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length]! <= limit;
}

export type TermMatcher = (word: string) => boolean;

/**
 * A test for "does this page word answer the query?". A word matches when it equals a query
 * word or is within the typo allowance of it (both words at least 4 letters); the last query
 * word, still being typed unless the query ends with a space, also matches the start of longer
 * words ("hydr" -> "HydraMax", "trian" -> "trains").
 */
export function createTermMatcher(query: string): TermMatcher {
  const all = wordSpans(query).map((span) => span.word);
  const meaningful = all.filter((word) => !fillerWords.has(word));
  const words = meaningful.length > 0 ? meaningful : all;
  if (words.length === 0) return () => false;
  const typing = /[\p{L}\p{N}]$/u.test(query.trimStart()) ? all[all.length - 1]! : null;

  const exact = new Set(words);
  return (candidate: string) => {
    const word = foldWord(candidate);
    if (word.length === 0) return false;
    if (exact.has(word)) return true;
    for (const term of words) {
      // Both words must be long enough: "win" is not a typo of "twin".
      const edits = allowedEdits(Math.min(term.length, word.length));
      if (edits > 0 && editDistanceWithin(term, word, edits)) return true;
    }
    // The word being typed: a prefix (at least two letters, or every word would match "t").
    if (typing && words.includes(typing) && typing.length >= 2 && word.length > typing.length) {
      if (word.startsWith(typing)) return true;
      // A prefix is already a loose match; a typo in it is forgiven from five letters on
      // ("trian" -> "trains"), or "hydr" would also mark "hybrid".
      const edits = typing.length >= 5 ? allowedEdits(typing.length) : 0;
      for (let cut = typing.length - edits; cut <= typing.length + edits; cut += 1) {
        if (cut > 0 && cut <= word.length && editDistanceWithin(typing, word.slice(0, cut), edits)) return true;
      }
    }
    return false;
  };
}

/** [start, end) ranges of `text` whose words match, in order. */
export function matchingRanges(text: string, matches: TermMatcher): [number, number][] {
  return wordSpans(text)
    .filter((span) => matches(span.word))
    .map((span) => [span.start, span.end]);
}
