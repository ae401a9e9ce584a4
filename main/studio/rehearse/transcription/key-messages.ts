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

/** Whether two stems are one word misheard in its ending ("redundant" for "redundancy"): a long shared start. */
function closeStems(a: string, b: string): boolean {
  if (a.length < 6 || b.length < 6 || /^\d/.test(a) || /^\d/.test(b)) return false;
  let k = 0;
  while (k < a.length && k < b.length && a[k] === b[k]) k += 1;
  return k >= 6 && k >= Math.min(a.length, b.length) - 2;
}

/**
 * For each message word and each heard word: 1 when they are the same word (after stemming, or
 * misheard in the ending), 2 when the heard word and the next one run together are it ("aqua
 * core" for "AquaCore"), 0 otherwise. Worked out once, so the window search only compares numbers.
 */
function sameWords(message: Token[], heard: Token[], joined: (string | null)[]): Uint8Array[] {
  return message.map((m) =>
    Uint8Array.from(heard, (h, j) =>
      m.stem === h.stem || closeStems(m.stem, h.stem) ? 1 : joined[j] === m.stem ? 2 : 0,
    ),
  );
}

/** Each heard word run together with the next one, stemmed, when they were said one after the other. */
function joinedWords(heard: Token[]): (string | null)[] {
  return heard.map((t, j) => {
    const next = heard[j + 1];
    return next && next.from === t.to + 1 ? stem(t.word + next.word) : null;
  });
}

interface Match {
  matched: number;
  first: number;
  last: number;
}

/**
 * The longest in-order match of the message's words in a window of the transcript starting at
 * `start` (a small dynamic programme: the message is a handful of words, the window a few more).
 */
function matchAt(same: Uint8Array[], start: number, width: number): Match {
  const rows = same.length + 1;
  const end = Math.min(same[0]!.length, start + width);
  const cols = end - start + 1;
  // matched / first / last of the best alignment of message[0..i) within heard[start..start+j).
  const matched = new Int32Array(rows * cols);
  const first = new Int32Array(rows * cols).fill(-1);
  const last = new Int32Array(rows * cols).fill(-1);
  for (let i = 1; i < rows; i++) {
    const row = same[i - 1]!;
    for (let j = 1; j < cols; j++) {
      const here = i * cols + j;
      const up = (i - 1) * cols + j;
      const left = here - 1;
      let from = matched[up]! >= matched[left]! ? up : left;
      matched[here] = matched[from]!;
      first[here] = first[from]!;
      last[here] = last[from]!;
      const at = start + j - 1;
      const kind = row[at]!;
      if (kind > 0) {
        from = up - 1;
        if (matched[from]! + 1 > matched[here]!) {
          matched[here] = matched[from]! + 1;
          first[here] = first[from]! < 0 ? at : first[from]!;
          last[here] = at + kind - 1;
        }
      }
    }
  }
  const done = rows * cols - 1;
  return { matched: matched[done]!, first: first[done]!, last: last[done]! };
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
  const joined = joinedWords(heard);
  return keyMessages.map((message) => {
    const wanted = contentTokens(message);
    if (wanted.length === 0 || heard.length === 0) return { message, said: false, score: 0 };
    // Room for an inserted word or two ("twin-train, so, redundancy") but not the whole talk.
    const width = wanted.length + Math.max(1, Math.ceil(wanted.length / 3));
    const same = sameWords(wanted, heard, joined);
    let top: Match = { matched: 0, first: -1, last: -1 };
    for (let start = 0; start < heard.length; start++) {
      // A window is worth trying only from a heard word of the message: one starting earlier
      // holds no more matches than the one starting there.
      if (!same.some((row) => row[start]! > 0)) continue;
      const found = matchAt(same, start, width);
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
