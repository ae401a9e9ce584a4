import { contentTokens, stem, tokens, type Token } from './words.ts';

export interface KeyMessageResult {
  message: string;
  said: boolean;
  /** The stretch of the transcript that matched best, as it was transcribed (absent when nothing matched). */
  heard?: string;
  /** Share of the message's content words found in order in one stretch, 0–1. */
  score: number;
}

/**
 * How many of a message's n content words must be heard, in order, for it to count as said:
 * all of one or two words; one word in three may be missing or misrecognised beyond that
 * (n - floor(n/3)). A recogniser gets roughly one word in four or five wrong on rehearsed
 * speech and reps drop small words of marketing's phrasing, so "twin-train redundancy" said
 * as "twin train backup" still counts, while any single shared word ("train") never does.
 */
export function wordsNeeded(n: number): number {
  return n <= 2 ? n : n - Math.floor(n / 3);
}

/** Whether two words are the same after stemming, or one is the other run together ("aqua core"). */
function same(message: Token, heard: Token, next: Token | undefined): 0 | 1 | 2 {
  if (message.stem === heard.stem) return 1;
  if (next && !next.stop && next.from === heard.to + 1 && stem(heard.word + next.word) === message.stem) return 2;
  // A misheard inflection a stemmer does not catch ("redundant" for "redundancy"): a long shared start.
  const a = message.stem;
  const b = heard.stem;
  if (a.length >= 6 && b.length >= 6 && !/^\d/.test(a) && !/^\d/.test(b)) {
    let k = 0;
    while (k < a.length && k < b.length && a[k] === b[k]) k += 1;
    if (k >= 6 && k >= Math.min(a.length, b.length) - 2) return 1;
  }
  return 0;
}

interface Match {
  matched: number;
  first: number;
  last: number;
}

/**
 * The longest in-order match of the message's words in a window of the transcript starting at
 * `start` (a small dynamic programme: the message is a handful of words, the window twice that).
 */
function matchAt(message: Token[], heard: Token[], start: number, width: number): Match {
  const end = Math.min(heard.length, start + width);
  // best[i][j]: matched words of message[0..i) within heard[start..start+j), with span bounds.
  const rows = message.length + 1;
  const cols = end - start + 1;
  const best: Match[][] = Array.from({ length: rows }, () =>
    Array.from({ length: cols }, () => ({ matched: 0, first: -1, last: -1 })),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const up = best[i - 1]![j]!;
      const left = best[i]![j - 1]!;
      let cell = up.matched >= left.matched ? up : left;
      const at = start + j - 1;
      const kind = same(message[i - 1]!, heard[at]!, heard[at + 1]);
      if (kind > 0) {
        const before = best[i - 1]![j - 1]!;
        if (before.matched + 1 > cell.matched) {
          cell = { matched: before.matched + 1, first: before.first < 0 ? at : before.first, last: at + kind - 1 };
        }
      }
      best[i]![j] = cell;
    }
  }
  return best[rows - 1]![cols - 1]!;
}

/**
 * Which of a prompt's key messages a transcript contains. Matching is on content words (stop
 * words dropped, light stemming, numbers spelled or in digits, hyphens as spaces), in order,
 * within a window of the transcript a little longer than the message, so a rep may add a word
 * or two; see wordsNeeded for how many words may be missed. Pure: no engine, no database.
 */
export function checkKeyMessages(transcript: string, keyMessages: readonly string[]): KeyMessageResult[] {
  const spoken = tokens(transcript);
  const heard = spoken.tokens.filter((t) => !t.stop);
  return keyMessages.map((message) => {
    const wanted = contentTokens(message);
    if (wanted.length === 0 || heard.length === 0) return { message, said: false, score: 0 };
    // Room for an inserted word or two ("twin-train, so, redundancy") but not the whole talk.
    const width = wanted.length + Math.max(1, Math.ceil(wanted.length / 3));
    let top: Match = { matched: 0, first: -1, last: -1 };
    for (let start = 0; start < heard.length; start++) {
      const found = matchAt(wanted, heard, start, width);
      if (found.matched > top.matched) top = found;
      if (top.matched === wanted.length) break;
    }
    const score = top.matched / wanted.length;
    const said = top.matched >= wordsNeeded(wanted.length);
    if (top.matched === 0) return { message, said, score };
    const from = heard[top.first]!.from;
    const to = heard[top.last]!.to;
    return { message, said, heard: spoken.words.slice(from, to + 1).join(' '), score: Math.round(score * 100) / 100 };
  });
}

/**
 * The better of several checks of the same messages (the open transcript and the pass focused
 * on the prompt's words): a message counts as said when either hypothesis contains it.
 */
export function bestOf(checks: readonly KeyMessageResult[][]): KeyMessageResult[] {
  const [first, ...rest] = checks;
  if (!first) return [];
  return first.map((result, i) =>
    rest.reduce((best, other) => {
      const candidate = other[i]!;
      if (candidate.said !== best.said) return candidate.said ? candidate : best;
      return candidate.score > best.score ? candidate : best;
    }, result),
  );
}
