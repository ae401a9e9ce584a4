import { readFile } from 'node:fs/promises';
import { spokenWords } from './words.ts';

/**
 * The focused pass's vocabulary: the prompt's own words written as the recogniser spells them,
 * a pronunciation dictionary limited to them, and a small n-gram language model over them.
 */

const pronunciations = new Map<string, Promise<Map<string, string[]>>>();

/** The model's pronunciation dictionary (word -> its pronunciations), read once per file. */
export function readDictionary(file: string): Promise<Map<string, string[]>> {
  let found = pronunciations.get(file);
  if (!found) {
    found = readFile(file, 'utf8').then((text) => {
      const words = new Map<string, string[]>();
      for (const line of text.split('\n')) {
        const space = line.indexOf(' ');
        if (space <= 0) continue;
        // Alternatives are listed as word(2), word(3): keep them all under the word.
        const word = line.slice(0, space).replace(/\(\d+\)$/, '');
        const phones = line.slice(space + 1).trim();
        const list = words.get(word);
        if (list) list.push(phones);
        else words.set(word, [phones]);
      }
      return words;
    });
    found.catch(() => pronunciations.delete(file));
    pronunciations.set(file, found);
  }
  return found;
}

const smallNumbers = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const tensWords = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** A whole number as said in English ("500" -> "five hundred"); the recogniser hears words, not digits. */
export function numberInWords(value: number): string[] {
  if (!Number.isSafeInteger(value) || value < 0) return [];
  if (value < 20) return [smallNumbers[value]!];
  if (value < 100) return [tensWords[Math.floor(value / 10)]!, ...(value % 10 ? [smallNumbers[value % 10]!] : [])];
  if (value < 1000)
    return [smallNumbers[Math.floor(value / 100)]!, 'hundred', ...(value % 100 ? numberInWords(value % 100) : [])];
  for (const [scale, name] of [
    [1_000_000_000, 'billion'],
    [1_000_000, 'million'],
    [1_000, 'thousand'],
  ] as const) {
    if (value >= scale)
      return [
        ...numberInWords(Math.floor(value / scale)),
        name,
        ...(value % scale ? numberInWords(value % scale) : []),
      ];
  }
  return [];
}

/**
 * A word the dictionary lacks, as dictionary words: digits spelled out, a product name split
 * where both halves are words ("aquacore" -> "aqua core"); null when it cannot be said.
 */
function asDictionaryWords(word: string, dictionary: Map<string, string[]>): string[] | null {
  if (dictionary.has(word)) return [word];
  if (/^\d+$/.test(word)) return numberInWords(Number(word));
  if (/^\d+(\.\d+)?$/.test(word)) {
    const [whole, fraction] = word.split('.');
    return [...numberInWords(Number(whole)), 'point', ...[...fraction!].map((d) => smallNumbers[Number(d)]!)];
  }
  // Longest first part first: "twintrain" is "twin train", not "twi ntrain".
  for (let cut = word.length - 2; cut >= 2; cut--) {
    const head = word.slice(0, cut);
    const tail = word.slice(cut);
    if (dictionary.has(head) && dictionary.has(tail)) return [head, tail];
  }
  return null;
}

/** The prompt's sentences as the recogniser would write them, words it cannot say left out. */
export function promptSentences(texts: readonly string[], dictionary: Map<string, string[]>): string[][] {
  return texts
    .map((text) => spokenWords(text).flatMap((w) => asDictionaryWords(w, dictionary) ?? []))
    .filter((sentence) => sentence.length > 0);
}

/**
 * Numbers the focused pass may choose instead of the prompt's own, so "two days" is not forced
 * onto "one day". Other small words are left out on purpose: given "will" or "well", the
 * recogniser takes them for a prompt's "water" far more often than it saves a false match.
 */
function fillerWords(dictionary: Map<string, string[]>): string[] {
  return [...smallNumbers, ...tensWords, 'hundred', 'thousand'].filter((w) => w !== '' && dictionary.has(w));
}

/** The pronunciation dictionary of the focused pass: only the words its model can produce. */
export function focusedDictionary(sentences: string[][], dictionary: Map<string, string[]>): string {
  const words = new Set([...sentences.flat(), ...fillerWords(dictionary)]);
  const lines: string[] = [];
  for (const word of [...words].sort()) {
    const phones = dictionary.get(word) ?? [];
    phones.forEach((p, i) => lines.push(`${i === 0 ? word : `${word}(${i + 1})`} ${p}`));
  }
  return `${lines.join('\n')}\n`;
}

const log10 = (x: number) => Math.log10(x).toFixed(4);

/**
 * An ARPA bigram model over the prompt's sentences, with the filler words as rare unigrams.
 * Half of each word's mass is kept for backing off, so any order of the prompt's words stays
 * possible (reps reorder), while the phrases as written are the most likely paths.
 */
export function focusedLanguageModel(sentences: string[][], dictionary: Map<string, string[]>): string {
  const unigrams = new Map<string, number>();
  const bigrams = new Map<string, number>();
  const add = <K>(map: Map<K, number>, key: K, by = 1) => map.set(key, (map.get(key) ?? 0) + by);
  for (const sentence of sentences) {
    const words = ['<s>', ...sentence, '</s>'];
    words.forEach((w) => add(unigrams, w));
    for (let i = 1; i < words.length; i++) add(bigrams, `${words[i - 1]} ${words[i]}`);
  }
  for (const filler of fillerWords(dictionary)) if (!unigrams.has(filler)) unigrams.set(filler, 0.02);
  const total = [...unigrams.values()].reduce((a, b) => a + b, 0);
  const lines = ['\\data\\', `ngram 1=${unigrams.size}`, `ngram 2=${bigrams.size}`, '', '\\1-grams:'];
  for (const [word, count] of unigrams) lines.push(`${log10(count / total)} ${word} ${log10(0.5)}`);
  lines.push('', '\\2-grams:');
  for (const [pair, count] of bigrams)
    lines.push(`${log10((0.5 * count) / unigrams.get(pair.split(' ')[0]!)!)} ${pair}`);
  lines.push('', '\\end\\', '');
  return lines.join('\n');
}
