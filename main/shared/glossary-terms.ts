/**
 * Finding the release's glossary terms in running text (search snippets, item descriptions,
 * microsite pages), so they can be underlined and explained on tap. One matcher for the app and
 * for the script the content server puts into microsite pages, so both underline the same words.
 *
 * Words are compared the way the search tokenizer sees them: case and accents folded (NFKD),
 * trade marks dropped, an apostrophe between letters ignored ("lead's" is "leads"), and anything
 * that is not a letter or digit separating words. On top of that a word and its plural are the
 * same word ("lead", "leads"; "opportunity", "opportunities"), and so is the possessive; other
 * inflections are not ("leading" is not a lead). A match is always whole words, and a phrase
 * only runs across spaces and hyphens, never across punctuation ("qualified. Lead" is "Lead").
 * Where terms overlap, the longest one starting first wins ("qualified lead" over "lead").
 * Folding comes from the shared text pipeline (`text.ts`); the plural rule is the glossary's own,
 * because an underline must not claim that "leading" is a lead. Pure: no DOM, no Node.
 */
import { foldWithOffsets } from './text.ts';

export interface GlossaryTermSource {
  id: string;
  term: string;
  aliases?: readonly string[];
}

/** [start, end) in the text that was searched, and which entry the words name. */
export interface GlossaryTermMatch {
  start: number;
  end: number;
  id: string;
}

export interface GlossaryMatcher {
  /** Matches in order, never overlapping. */
  find(text: string): GlossaryTermMatch[];
  /** How many distinct phrases (terms and aliases) it looks for. */
  readonly size: number;
}

const WORD = /[\p{L}\p{N}]+/gu;
const DIGIT = /\d/;
/** What may stand between the words of a phrase: spaces (any kind) and hyphens. */
const PHRASE_GAP = /^[\s\-\u2010\u2011]+$/u;

/**
 * The form a word is compared in: its singular, by the plain English rules ("leads" -> "lead",
 * "opportunities" -> "opportunity", "boxes" -> "box"). Both sides go through it, so an odd
 * result ("series" -> "sery") still matches only itself. Short words and numbers stay as typed.
 */
export function singularOf(word: string): string {
  if (word.length <= 3 || DIGIT.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(?:ss|sh|ch|x|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** The words of a term or alias in their compared form: "Qualified Leads" -> ["qualified", "lead"]. */
export function glossaryKeyWords(phrase: string): string[] {
  return [...foldWithOffsets(phrase).text.matchAll(WORD)].map((match) => singularOf(match[0]));
}

interface TrieNode {
  id: string | null;
  next: Map<string, TrieNode>;
}

function trieNode(): TrieNode {
  return { id: null, next: new Map() };
}

/**
 * Builds the matcher for a glossary. A term comes before the aliases of other entries when both
 * name the same words; a one-letter phrase is ignored (it would underline every "a").
 */
export function createGlossaryMatcher(entries: readonly GlossaryTermSource[]): GlossaryMatcher {
  const root = trieNode();
  let size = 0;
  const add = (phrase: string, id: string) => {
    const words = glossaryKeyWords(phrase);
    if (words.length === 0 || (words.length === 1 && words[0]!.length < 2)) return;
    let node = root;
    for (const word of words) {
      let child = node.next.get(word);
      if (!child) {
        child = trieNode();
        node.next.set(word, child);
      }
      node = child;
    }
    if (node.id === null) {
      node.id = id;
      size += 1;
    }
  };
  for (const entry of entries) add(entry.term, entry.id);
  for (const entry of entries) for (const alias of entry.aliases ?? []) add(alias, entry.id);

  return {
    size,
    find(text: string): GlossaryTermMatch[] {
      if (size === 0 || text === '') return [];
      const folded = foldWithOffsets(text);
      const words = [...folded.text.matchAll(WORD)].map((match) => ({
        start: match.index,
        end: match.index + match[0].length,
        key: singularOf(match[0]),
      }));
      const matches: GlossaryTermMatch[] = [];
      for (let first = 0; first < words.length;) {
        let node: TrieNode | undefined = root;
        let found: { last: number; id: string } | null = null;
        for (let at = first; at < words.length; at += 1) {
          if (at > first && !PHRASE_GAP.test(folded.text.slice(words[at - 1]!.end, words[at]!.start))) break;
          node = node.next.get(words[at]!.key);
          if (!node) break;
          if (node.id !== null) found = { last: at, id: node.id };
        }
        if (!found) {
          first += 1;
          continue;
        }
        const start = words[first]!.start;
        const end = words[found.last]!.end;
        matches.push({
          start: folded.starts ? folded.starts[start]! : start,
          end: folded.ends ? folded.ends[end - 1]! : end,
          id: found.id,
        });
        first = found.last + 1;
      }
      return matches;
    },
  };
}
