/**
 * One tokenizer for indexing and querying, so "Wasser-Aufbereitung", "AquaCore™ 500" and
 * "CAFÉ" are cut and folded the same way on both sides: NFKD, diacritics stripped, lower case,
 * split on anything that is not a letter or digit. Apostrophes inside words are dropped
 * ("customer's" -> "customers") rather than splitting off a stray "s".
 */
const COMBINING_MARKS = /\p{M}+/gu;
const APOSTROPHES = /(\p{L})['’](\p{L})/gu;
const SEPARATORS = /[^\p{L}\p{N}]+/u;

/** Longer tokens are noise (hashes, base64) and would bloat the vocabulary. */
export const MAX_TOKEN_LENGTH = 40;

/** Trade marks would otherwise decompose into letters glued to the word ("AquaCore™" -> "aquacoretm"). */
const MARKS = /[™®©℠]/g;

export function normalise(text: string): string {
  return text.replace(MARKS, ' ').normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase().replace(APOSTROPHES, '$1$2');
}

export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const token of normalise(text).split(SEPARATORS)) {
    if (token.length > 0 && token.length <= MAX_TOKEN_LENGTH) out.push(token);
  }
  return out;
}

/**
 * Tokens of a query as typed: the last one is still being typed (a prefix) unless the query
 * ends with a separator.
 */
export function tokenizeQuery(query: string): { terms: string[]; lastIsPrefix: boolean } {
  const terms = tokenize(query);
  const lastIsPrefix = terms.length > 0 && !SEPARATORS.test(query.slice(-1));
  return { terms, lastIsPrefix };
}

/** How many edits a word of this length may contain and still match: none for short words. */
export function maxEditsFor(term: string): number {
  if (term.length <= 3) return 0;
  if (term.length <= 7) return 1;
  return 2;
}

/**
 * Words too common to rank anything; they still match (phrases like "how do you compare")
 * but they never expand as prefixes and weigh almost nothing through their idf.
 */
export const STOP_WORDS = new Set(
  'a an and are as at be by for from has have how i in is it its of on or our that the this to was we were what when which who will with you your do does can'.split(' '),
);
