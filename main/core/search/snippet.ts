import { fold, stem } from '#shared/text';

/**
 * Snippets: the most relevant stretch of a page with the words that matched marked. A word is
 * marked when its stem is one the engine matched, or when it completes the word being typed,
 * through the shared text pipeline, so the marks are exactly the engine's matches.
 */
export interface SnippetMarks {
  /** Index terms (stems) the query matched: its words, completions and near misses. */
  stems: ReadonlySet<string>;
  /** The word being typed, folded: words starting with it are marked. */
  prefixes: readonly string[];
}

const SNIPPET_WORDS = 24;
const WORD = /[\p{L}\p{N}]+(?:['’]\p{L}+)?/gu;
/**
 * A letter, digit or combining mark outside ASCII: only such text needs the general path.
 * Symbols and punctuation (€, –, “, °) separate words in both paths alike.
 */
// eslint-disable-next-line no-control-regex -- testing for characters outside plain ASCII
const NON_ASCII_WORD_CHAR = /(?![\u0000-\u007f])[\p{L}\p{N}\p{M}]/u;

function isMarked(word: string, marks: SnippetMarks): boolean {
  const folded = fold(word).replace(/['’]/g, '');
  if (marks.stems.has(stem(folded))) return true;
  for (const p of marks.prefixes) if (folded.startsWith(p)) return true;
  return false;
}

/** Characters that make up a word in the ASCII fast path. */
function isWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90);
}

/**
 * A window of about 24 words holding the most distinct marked words, cut at word boundaries,
 * whitespace collapsed, with the marked words' ranges. Plain-ASCII pages (the common case) are
 * probed with indexOf on the lower-cased text (so is text whose only non-ASCII characters are
 * symbols or punctuation, such as prices in euros) for the start of each stem, and only the words
 * found that way are stemmed to confirm them.
 */
export function snippet(text: string, marks: SnippetMarks): { snippet: string; highlights: [number, number][] } {
  if (!text) return { snippet: '', highlights: [] };
  if (NON_ASCII_WORD_CHAR.test(text)) return snippetByWords(text, marks);
  const lower = text.toLowerCase();
  const hits: { start: number; end: number; term: string }[] = [];
  const seenStarts = new Set<number>();
  const find = (probe: string) => {
    for (let at = lower.indexOf(probe); at !== -1; at = lower.indexOf(probe, at + 1)) {
      if (at > 0 && isWordChar(lower.charCodeAt(at - 1))) continue;
      if (seenStarts.has(at)) continue;
      let end = at + probe.length;
      while (end < lower.length && isWordChar(lower.charCodeAt(end))) end++;
      const word = lower.slice(at, end);
      const term = stem(word);
      if (!marks.stems.has(term) && !marks.prefixes.some((p) => word.startsWith(p))) continue;
      seenStarts.add(at);
      hits.push({ start: at, end, term });
      if (hits.length > 2000) return;
    }
  };
  // A stem is the start of its words but for its last letter at most ("compani" for "company").
  for (const term of marks.stems) if (/^[a-z0-9]+$/.test(term)) find(term.length > 3 ? term.slice(0, -1) : term);
  for (const prefix of marks.prefixes) if (/^[a-z0-9]+$/.test(prefix)) find(prefix);
  if (hits.length === 0) return snippetAround(text, 0, []);
  hits.sort((a, b) => a.start - b.start);
  const span = 150;
  let bestFrom = 0;
  let bestScore = -1;
  for (let i = 0; i < hits.length; i++) {
    const seen = new Set<string>();
    let count = 0;
    for (let j = i; j < hits.length && hits[j]!.start - hits[i]!.start <= span; j++) {
      seen.add(hits[j]!.term);
      count++;
    }
    const score = seen.size * 10 + Math.min(count, 9);
    if (score > bestScore) {
      bestScore = score;
      bestFrom = i;
    }
  }
  return snippetAround(text, hits[bestFrom]!.start, hits);
}

/** A ~24-word window of `text` starting a few words before `anchor`, with marked ranges. */
function snippetAround(
  text: string,
  anchor: number,
  hits: readonly { start: number; end: number }[],
): { snippet: string; highlights: [number, number][] } {
  // Back up four words from the anchor.
  let from = anchor;
  for (let words = 0; from > 0 && words < 4;) {
    from--;
    if (isWordChar(text.charCodeAt(from)) && (from === 0 || !isWordChar(text.charCodeAt(from - 1)))) words++;
  }
  let to = from;
  for (let words = 0; to < text.length && words < SNIPPET_WORDS;) {
    while (to < text.length && !isWordChar(text.charCodeAt(to))) to++;
    while (to < text.length && isWordChar(text.charCodeAt(to))) to++;
    words++;
  }
  // Keep the punctuation right after the last word (a full stop reads better).
  while (to < text.length && /[.,;:!?)%]/.test(text[to]!)) to++;
  const lead = from > 0 ? '… ' : '';
  const trail = to < text.length ? ' …' : '';
  let out = lead;
  const highlights: [number, number][] = [];
  let h = 0;
  let i = from;
  while (i < to) {
    const hit = hits[h];
    if (hit && hit.start < i) {
      h++;
      continue;
    }
    if (hit && hit.start === i && hit.end <= to) {
      highlights.push([out.length, out.length + (hit.end - hit.start)]);
      out += text.slice(hit.start, hit.end);
      i = hit.end;
      h++;
      continue;
    }
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      if (!out.endsWith(' ')) out += ' ';
    } else out += ch;
    i++;
  }
  return { snippet: out.trim() + trail, highlights };
}

/** The general path, for text with accents or other scripts: fold and stem word by word. */
function snippetByWords(text: string, marks: SnippetMarks): { snippet: string; highlights: [number, number][] } {
  const starts: number[] = [];
  const ends: number[] = [];
  const hits: (string | null)[] = [];
  // A page repeats its words: each distinct one is folded and stemmed once.
  const marked = new Map<string, boolean>();
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m; m = WORD.exec(text)) {
    starts.push(m.index);
    ends.push(m.index + m[0].length);
    let isHit = marked.get(m[0]);
    if (isHit === undefined) marked.set(m[0], (isHit = isMarked(m[0], marks)));
    hits.push(isHit ? m[0].toLowerCase() : null);
  }
  if (starts.length === 0) return { snippet: text.slice(0, 160), highlights: [] };
  let bestStart = 0;
  let bestScore = -1;
  for (let i = 0; i < hits.length; i++) {
    if (!hits[i]) continue;
    const start = Math.max(0, i - 4);
    const seen = new Set<string>();
    let count = 0;
    for (let j = start; j < Math.min(hits.length, start + SNIPPET_WORDS); j++) {
      const h = hits[j];
      if (h) {
        count++;
        seen.add(h);
      }
    }
    const score = seen.size * 10 + count;
    if (score > bestScore) {
      bestScore = score;
      bestStart = start;
    }
  }
  const endIndex = Math.min(hits.length, bestStart + SNIPPET_WORDS) - 1;
  const lead = bestStart > 0 ? '… ' : '';
  const trail = endIndex < hits.length - 1 ? ' …' : '';
  let out = lead;
  const highlights: [number, number][] = [];
  for (let i = bestStart; i <= endIndex; i++) {
    if (i > bestStart) out += text.slice(ends[i - 1]!, starts[i]!).replace(/\s+/g, ' ');
    const from = out.length;
    out += text.slice(starts[i]!, ends[i]!);
    if (hits[i]) highlights.push([from, out.length]);
  }
  return { snippet: out + trail, highlights };
}
