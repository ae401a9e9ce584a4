/**
 * The one text pipeline of Pitchcase: how words are cut, folded, dropped and stemmed, shared by
 * the search engine (indexing and queries), the glossary matcher and the renderer's term
 * highlighting, so what is highlighted is what matched. Pure: no DOM, no Node.
 *
 * - Folding: NFKD, combining marks stripped (accents), lower case, ™ ® © ℠ dropped (they would
 *   otherwise glue to the word: "AquaCore™" -> "aquacoretm"), an apostrophe between letters
 *   dropped ("customer's" -> "customers").
 * - Words: runs of letters and digits; everything else separates.
 * - Stop words: words too common to rank anything; a query made only of them still matches.
 * - Stems: English (Porter) stems from the `stemmer` package, so "running costs" finds "cost
 *   to run"; numbers, short words and words with digits are left as they are.
 */
import { stemmer } from 'stemmer';

const COMBINING_MARKS = /\p{M}+/gu;
const APOSTROPHES = /(\p{L})['’](\p{L})/gu;
const SEPARATORS = /[^\p{L}\p{N}]+/u;
const TRADE_MARKS = /[™®©℠]/g;
const TRADE_MARK = /^[™®©℠]$/u;
const LETTER = /\p{L}/u;
const MARK = /^\p{M}$/u;
const DIGIT = /\d/;
// eslint-disable-next-line no-control-regex -- testing for plain ASCII
const ASCII_ONLY = /^[\u0000-\u007f]*$/;

/** Longer tokens are noise (hashes, base64) and would bloat the vocabulary. */
export const MAX_TOKEN_LENGTH = 40;

/** Text folded for comparison: case, accents, trade marks and inner apostrophes. */
export function fold(text: string): string {
  return text
    .replace(TRADE_MARKS, ' ')
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(APOSTROPHES, '$1$2');
}

/** The folded words of a text, in order. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const token of fold(text).split(SEPARATORS)) {
    if (token.length > 0 && token.length <= MAX_TOKEN_LENGTH) out.push(token);
  }
  return out;
}

/**
 * Words too common to rank anything. They never have to match and are not scanned next to a
 * real word ("how do you compare with hydramax"), and they are not highlighted on their own.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about an and are as at be been but by can could do does for from had has have how i if in into is it its me my ' +
    'no not of on or our should so than that the their them then there these they this those to us vs was we were what ' +
    'when where which while who why will with would you your'
  ).split(' '),
);

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

const stems = new Map<string, string>();

/**
 * The stem of a folded word, as the index stores it. Words of three letters or fewer and words
 * with digits ("500", "fs-fleet" parts, "22000") stay as they are: stemming them only merges
 * codes that mean different things.
 */
export function stem(word: string): string {
  if (word.length <= 3 || DIGIT.test(word)) return word;
  let out = stems.get(word);
  if (out === undefined) {
    out = stemmer(word);
    // A bounded cache: the vocabulary of a library is large but a page repeats its words.
    if (stems.size > 200_000) stems.clear();
    stems.set(word, out);
  }
  return out;
}

/** The index terms of a text: its folded words, stemmed. */
export function indexTerms(text: string): string[] {
  return tokenize(text).map(stem);
}

export interface QueryWord {
  /** As typed, folded. */
  word: string;
  stem: string;
  stop: boolean;
}

/**
 * The words of a query as typed: the last one is still being typed (a prefix) unless the query
 * ends with a separator.
 */
export function parseQuery(query: string): { words: QueryWord[]; lastIsPrefix: boolean } {
  const tokens = tokenize(query);
  const words = tokens.map((word) => ({ word, stem: stem(word), stop: isStopWord(word) }));
  const lastIsPrefix = tokens.length > 0 && !SEPARATORS.test(query.slice(-1));
  return { words, lastIsPrefix };
}

/** Typos forgiven in a word of this length: none up to 3 letters, 1 up to 7, 2 from 8. */
export function maxEditsFor(length: number): number {
  if (length <= 3) return 0;
  if (length <= 7) return 1;
  return 2;
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
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, beforePrevious[j - 2]! + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return false;
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length]! <= limit;
}

/**
 * Text folded for comparison, with where each folded character came from: `starts[k]` and
 * `ends[k]` are the [start, end) of the original characters behind folded character k. Null
 * maps mean folding kept every position (plain ASCII).
 */
export interface FoldedText {
  text: string;
  starts: number[] | null;
  ends: number[] | null;
}

const foldedChars = new Map<string, string>();

/** One character as `fold` treats it (a combining mark folds to nothing). */
function foldChar(char: string): string {
  let folded = foldedChars.get(char);
  if (folded === undefined) {
    folded = TRADE_MARK.test(char) ? ' ' : char.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase();
    if (foldedChars.size < 4096) foldedChars.set(char, folded);
  }
  return folded;
}

function isApostrophe(char: string | undefined): boolean {
  return char === "'" || char === '’';
}

/** `fold`, keeping track of positions, for marking matches in the original text. */
export function foldWithOffsets(text: string): FoldedText {
  if (ASCII_ONLY.test(text) && !text.includes("'")) return { text: text.toLowerCase(), starts: null, ends: null };
  let out = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let previous = '';
  for (let at = 0; at < text.length;) {
    const char = String.fromCodePoint(text.codePointAt(at)!);
    const end = at + char.length;
    let folded: string;
    if (isApostrophe(char)) {
      // Dropped between letters, as `fold` does; elsewhere it is punctuation.
      const next = text.codePointAt(end);
      folded = LETTER.test(previous) && next !== undefined && LETTER.test(String.fromCodePoint(next)) ? '' : char;
    } else {
      folded = foldChar(char);
    }
    if (folded === '') {
      // A combining mark (or a dropped apostrophe) belongs to the character before it.
      if (ends.length > 0) ends[ends.length - 1] = end;
    } else {
      for (let unit = 0; unit < folded.length; unit += 1) {
        starts.push(at);
        ends.push(end);
      }
      out += folded;
    }
    if (!MARK.test(char)) previous = char;
    at = end;
  }
  return { text: out, starts, ends };
}

export interface WordSpan {
  /** [start, end) in the original text. */
  start: number;
  end: number;
  /** The folded word. */
  word: string;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** The words of `text` with where they are in it, so a match can be marked at the right place. */
export function wordSpans(text: string): WordSpan[] {
  const folded = foldWithOffsets(text);
  const spans: WordSpan[] = [];
  for (const match of folded.text.matchAll(WORD)) {
    const start = match.index;
    const end = start + match[0].length;
    spans.push({
      start: folded.starts ? folded.starts[start]! : start,
      end: folded.ends ? folded.ends[end - 1]! : end,
      word: match[0],
    });
  }
  return spans;
}

/** A test for "does this word of a page answer the query?" (given the word as it stands). */
export type TermMatcher = (word: string) => boolean;

/**
 * The matcher the engine's snippets and the renderer's highlights share. A word matches when its
 * stem is a query word's stem ("compared" for "comparing"), when it is within the typo allowance
 * of a query word (both at least 4 letters), or, for the word still being typed, when it starts
 * with it (two letters at least; a typo is forgiven in such a prefix from five letters on, so
 * "hydr" does not also mark "hybrid"). Stop words count only when the query is nothing else.
 * `extraStems` are further stems the engine matched (completions, near misses it expanded to).
 */
export function createTermMatcher(query: string, extraStems: Iterable<string> = []): TermMatcher {
  const { words: all, lastIsPrefix } = parseQuery(query);
  const meaningful = all.filter((w) => !w.stop);
  const words = meaningful.length > 0 ? meaningful : all;
  if (words.length === 0) return () => false;
  const last = all[all.length - 1]!;
  const typing = lastIsPrefix && words.includes(last) && last.word.length >= 2 ? last.word : null;
  const stemSet = new Set([...words.map((w) => w.stem), ...extraStems]);
  const exact = new Set(words.map((w) => w.word));
  const typingEdits = typing && typing.length >= 5 ? maxEditsFor(typing.length) : 0;

  return (candidate: string) => {
    const word = fold(candidate).replace(/['’]/g, '');
    if (word.length === 0) return false;
    if (exact.has(word) || stemSet.has(stem(word))) return true;
    for (const w of words) {
      // Both words must be long enough: "win" is not a typo of "twin".
      const edits = maxEditsFor(Math.min(w.word.length, word.length));
      if (edits > 0 && editDistanceWithin(w.word, word, edits)) return true;
    }
    if (typing && word.length > typing.length) {
      if (word.startsWith(typing)) return true;
      for (let cut = typing.length - typingEdits; typingEdits > 0 && cut <= typing.length + typingEdits; cut += 1) {
        if (cut > 0 && cut <= word.length && editDistanceWithin(typing, word.slice(0, cut), typingEdits)) return true;
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

/**
 * A key that orders titles as people read them, compared byte by byte: case and accents folded,
 * and numbers by value ("Deck 9" before "Deck 10"), so SQLite can sort by it without a collation.
 */
export function titleSortKey(title: string): string {
  return fold(title)
    .trim()
    .replace(/\d+/g, (digits) => {
      const value = digits.replace(/^0+(?=\d)/, '');
      // The length first, so a longer number sorts after a shorter one whatever its digits.
      return `${String(value.length).padStart(2, '0')}${value}`;
    });
}
