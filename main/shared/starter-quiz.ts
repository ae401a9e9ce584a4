/**
 * The starter quiz Studio offers from the glossary: for each term, "what does it mean?" with its
 * own definition among definitions of other terms. Marketing edits it before it ships; it is a
 * starting point, not a finished quiz.
 */
import type { CatalogueQuiz } from './quiz.ts';

export const STARTER_QUESTIONS_MAX = 20;
const DISTRACTORS = 3;

/** A small stable number from a string, so the right answer's place differs per term but not per run. */
function spread(text: string): number {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  return h;
}

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`);

/**
 * Needs two terms at least (a definition and one wrong one). Distractors are the definitions of
 * the terms that follow in the glossary, so each wrong choice is a real definition of our own
 * vocabulary — as close to a plausible mistake as a generator gets without understanding them.
 */
export function starterQuizFromGlossary(
  terms: readonly { id: string; term: string; definition: string }[],
  options: { id?: string; title?: string; max?: number } = {},
): CatalogueQuiz | null {
  const usable = terms.filter((t) => t.term.trim() !== '' && t.definition.trim() !== '');
  const definitions = [...new Set(usable.map((t) => t.definition.trim()))];
  if (usable.length < 2 || definitions.length < 2) return null;
  const chosen = usable.slice(0, options.max ?? STARTER_QUESTIONS_MAX);
  return {
    id: options.id ?? 'glossary-starter',
    title: options.title ?? 'Our vocabulary',
    kind: 'general',
    passPercent: 80,
    questions: chosen.map((term, index) => {
      const own = term.definition.trim();
      const others: string[] = [];
      for (let step = 1; step < usable.length && others.length < DISTRACTORS; step++) {
        const other = usable[(index + step) % usable.length]!.definition.trim();
        if (other !== own && !others.includes(other)) others.push(other);
      }
      const place = spread(term.id) % (others.length + 1);
      const texts = [...others.slice(0, place), own, ...others.slice(place)];
      return {
        id: `term-${term.id}`.slice(0, 128),
        prompt: clip(`What does “${term.term}” mean?`, 1000),
        choices: texts.map((text) => ({ text: clip(text, 500), correct: text === own })),
        explanation: clip(`${term.term}: ${own}`, 2000),
        term: term.id,
      };
    }),
  };
}
