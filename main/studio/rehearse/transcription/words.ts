/**
 * How spoken text is cut into comparable words, shared by the key-message check and the "how
 * reps say it" phrases. Plain TypeScript (no Node built-ins), so the device can reuse it later.
 */

/** One word of a transcript as compared: its comparable form and where it came from. */
export interface Token {
  /** Lower-case, hyphen-split, numbers as digits ("sixty" and "60" both "60"). */
  word: string;
  /** Stemmed form of `word`, what matching compares. */
  stem: string;
  /** Index of the first and last spoken word it covers ("five hundred" is one token over two). */
  from: number;
  to: number;
  stop: boolean;
}

/**
 * Function words that carry no message of their own. Negations ("no", "not", "without") and
 * quantities ("less", "more", "only") are deliberately absent: "no downtime" is the message.
 */
export const stopWords: ReadonlySet<string> = new Set(
  (
    'a an the and or but if so as of at by for from in into on onto to up with about over under ' +
    'is are was were be been being am do does did doing have has had having will would shall should ' +
    'can could may might must i me my we us our ours you your yours he him his she her it its they ' +
    'them their this that these those there here then than which who whom whose what when where why how ' +
    'all any each both some such very just also too really actually basically um uh er ah oh okay ok ' +
    "yeah well like get got go going gonna let lets let's s t re ve ll d m"
  ).split(/\s+/),
);

const units: Record<string, number> = {
  zero: 0,
  oh: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const tens: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fourty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const scales: Record<string, number> = { hundred: 100, thousand: 1_000, million: 1_000_000, billion: 1_000_000_000 };

const isNumberWord = (w: string) => w in units || w in tens || w in scales;

/**
 * Splits text into spoken words: lower case, accents folded, hyphens and slashes as spaces,
 * "%" as "percent", thousands separators dropped ("1,000" is one number, as a recogniser says it).
 */
export function spokenWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/(\d),(?=\d{3}\b)/g, '$1')
    .replace(/%/g, ' percent ')
    .replace(/\bper\s+cent\b/g, 'percent')
    .replace(/[’']/g, "'")
    .split(/[^a-z0-9.']+/)
    .map((w) => w.replace(/^[.']+|[.']+$/g, ''))
    .filter((w) => w !== '' && w !== "'");
}

/**
 * A light stemmer (plural, -ing, -ed, -ly, final e): enough for "installs"/"installed"/
 * "installing" to meet, and predictable enough to explain; a full Porter stemmer over-merges
 * product words ("general" and "generate").
 */
export function stem(word: string): string {
  if (/^\d/.test(word)) return word;
  let w = word.replace(/'s$/, '');
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 4 && w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 5 && w.endsWith('ly')) w = w.slice(0, -2);
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  // "running" -> "runn" -> "run": a doubled last consonant left by the suffix.
  if (w.length > 3 && /([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss|zz)$/.test(w)) w = w.slice(0, -1);
  return w;
}

/** Reads a run of number words from `start`; null when there is none. */
function readNumber(words: string[], start: number): { value: number; end: number } | null {
  if (!isNumberWord(words[start]!) || words[start] === 'oh') return null;
  let total = 0;
  let current = 0;
  let i = start;
  let last = start - 1;
  while (i < words.length) {
    const w = words[i]!;
    if (w in units && w !== 'oh') {
      // "five six" is two numbers, not fifty-six: a unit after a unit or a teen ends the first.
      if (current % 10 !== 0 || (current > 0 && current < 20)) break;
      current += units[w]!;
    } else if (w in tens) {
      if (current % 100 !== 0) break;
      current += tens[w]!;
    } else if (w in scales) {
      const scale = scales[w]!;
      if (scale === 100) current = (current || 1) * 100;
      else {
        total += (current || 1) * scale;
        current = 0;
      }
    } else if (w === 'and' && i + 1 < words.length && isNumberWord(words[i + 1]!) && last === i - 1) {
      i += 1;
      continue;
    } else break;
    last = i;
    i += 1;
  }
  if (last < start) return null;
  return { value: total + current, end: last };
}

/** The comparable tokens of a text, each pointing back at the spoken words it came from. */
export function tokens(text: string): { words: string[]; tokens: Token[] } {
  const words = spokenWords(text);
  const out: Token[] = [];
  for (let i = 0; i < words.length; i++) {
    const number = readNumber(words, i);
    if (number) {
      const word = String(number.value);
      out.push({ word, stem: word, from: i, to: number.end, stop: false });
      i = number.end;
      continue;
    }
    const word = words[i]!;
    out.push({ word, stem: stem(word), from: i, to: i, stop: stopWords.has(word) });
  }
  return { words, tokens: out };
}

/** The content tokens of a text: what a message is checked on. */
export const contentTokens = (text: string): Token[] => tokens(text).tokens.filter((t) => !t.stop);
