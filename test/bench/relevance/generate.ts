import { seededRandom } from '../../support/random.ts';
import { typo } from '../search/corpus.ts';

/**
 * Judged test collections generated from topic models, so every judgment follows from how a
 * document was made and none from any engine's output. Two generators that differ on purpose:
 *
 * - `collateral`: collateral-like documents (title, description, tags, several pages) about one
 *   main topic and one focus aspect of it, sometimes a second topic; topics come in families
 *   sharing general words, and some words belong to several topics; queries aim at a topic's
 *   aspect as keywords, as whole questions with other word forms and filler words, as a topic's
 *   key phrase, or with a typo. Grade 2: main topic and that aspect; grade 1: main topic, other
 *   aspect, or the topic as the second one.
 * - `mixtures`: a check that nobody tuned to. Short untitled records mixing two or three
 *   overlapping topics (LDA-like), a different lexicon, mostly uninflected words, no phrases, no
 *   typos; keyword or verbose queries sampled from a topic's word distribution; binary
 *   judgments: the record's dominant topic.
 *
 * Words are generated lemmas inflected by the regular English rules (plural, -ed, -ing, -er,
 * -ation), over a background of real common English words.
 */
export interface Doc {
  id: string;
  title: string;
  kind: string;
  description: string;
  tags: string[];
  pages: string[];
}

export interface JudgedQuery {
  id: string;
  text: string;
  shape: string;
}

/** query id -> doc id -> grade (1 or 2); unlisted documents are not relevant. */
export type Judgments = Map<string, Map<string, number>>;

export interface Collection {
  name: string;
  docs: Doc[];
  queries: JudgedQuery[];
  judgments: Judgments;
}

/** Common English words, roughly by frequency, stop words included: the background of every text. */
const BACKGROUND = `the of and to a in is that for it as with was on be by this are at from or have an they which one
you had not but what all were when we there can more if no out so said about up time new also into some could them
other than then its only two first over our may use any these well work year make most need way even because good
many information system part through back much should after where take each just help know people same day right
provide include new set show point high example number line last given used based different important general
support customer service team process level result results group case information details local small large long
report range option options following further current available full overall within across often per today real`
  .trim()
  .split(/\s+/);

const SYLLABLES_A =
  'bal bren cor dav fen gal har jor kel lun mar nor pel quin ros sal tor val wen yor zan brim clod dren frel glom'.split(
    ' ',
  );
const SYLLABLES_B = 'ab ek im on ul ar er ir or ur as es is os us ap ep ip op up ad ed id od ud'.split(' ');
const ENDINGS = 'd t l n m r k p'.split('');

/** Pseudo-English lemmas ending in a consonant, so the regular inflections apply cleanly. */
function lexicon(random: () => number, size: number, syllables: string[]): string[] {
  const seen = new Set<string>();
  const words: string[] = [];
  while (words.length < size) {
    const parts = 1 + Math.floor(random() * 2);
    let word = SYLLABLES_A[Math.floor(random() * SYLLABLES_A.length)]!;
    for (let i = 0; i < parts; i++) word += syllables[Math.floor(random() * syllables.length)]!;
    word += ENDINGS[Math.floor(random() * ENDINGS.length)]!;
    if (!seen.has(word) && !BACKGROUND.includes(word)) {
      seen.add(word);
      words.push(word);
    }
  }
  return words;
}

const FORMS = ['', 's', 'ed', 'ing', 'er', 'ation'] as const;
type Form = (typeof FORMS)[number];

function inflect(lemma: string, form: Form): string {
  return lemma + form;
}

function pickWeighted<T>(random: () => number, items: readonly T[], weights: readonly number[]): T {
  let total = 0;
  for (const w of weights) total += w;
  let x = random() * total;
  for (let i = 0; i < items.length; i++) {
    x -= weights[i]!;
    if (x <= 0) return items[i]!;
  }
  return items[items.length - 1]!;
}

const zipfWeights = (n: number, s = 1) => Array.from({ length: n }, (_, r) => 1 / Math.pow(r + 1, s));
const capitalise = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

interface Topic {
  general: string[];
  aspects: string[][];
  phrases: string[][];
}

const KINDS = ['brochure', 'datasheet', 'deck', 'case study', 'price sheet', 'guide', 'comparison'];

const QUESTIONS = [
  (a: string, b: string) => `how do we compare on ${a} and ${b}`,
  (a: string, b: string) => `what does the ${a} cost for ${b}`,
  (a: string, b: string) => `tell me about ${a} ${b} for our customers`,
  (a: string, b: string) => `which ${a} options do we have for ${b}`,
  (a: string, b: string) => `need information on ${b} ${a} please`,
  (a: string, b: string) => `is there anything on ${a} with ${b} in the latest release`,
  (a: string, b: string) => `customer asked about ${a} ${b} what should I show`,
];

/** The main collection: collateral about topics and their aspects. */
export function collateral(seed: number, docCount: number, queryCount: number): Collection {
  const random = seededRandom(seed);
  const words = lexicon(random, 2400, SYLLABLES_B);
  // Words several topics use: an ambiguous word says little about the topic.
  const shared = words.slice(0, 150);
  let next = 150;
  const take = (n: number) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++)
      out.push(random() < 0.25 ? shared[Math.floor(random() * shared.length)]! : words[next++ % words.length]!);
    return out;
  };
  // Topics come in families of five that share their general vocabulary, as products of one line do.
  const families = Array.from({ length: 24 }, () => take(6));
  const topics: (Topic & { family: string[] })[] = Array.from({ length: 120 }, (_, i) => {
    const general = take(4);
    const aspects = Array.from({ length: 3 }, () => take(4));
    const phrases = aspects.map((aspect) => [aspect[0]!, aspect[1]!]);
    return { general, aspects, phrases, family: families[Math.floor(i / 5)]! };
  });
  const background = zipfWeights(BACKGROUND.length, 1);
  const one = (list: readonly string[]) => list[Math.floor(random() * list.length)]!;
  /** A topic word: its focus aspect, its own and its family's general words, its other aspects. */
  const topicWord = (t: (typeof topics)[number], focus: number): string => {
    const x = random();
    if (x < 0.35) return one(t.aspects[focus]!);
    if (x < 0.6) return one(t.general);
    if (x < 0.88) return one(t.family);
    return one(t.aspects[Math.floor(random() * t.aspects.length)]!);
  };

  const docs: Doc[] = [];
  const latent: { main: number; focus: number; second: number | null }[] = [];
  for (let d = 0; d < docCount; d++) {
    const main = Math.floor(random() * topics.length);
    const focus = Math.floor(random() * 3);
    const second = random() < 0.5 ? (main + 1 + Math.floor(random() * (topics.length - 1))) % topics.length : null;
    const secondFocus = Math.floor(random() * 3);
    // Each document leans to its own word forms, as writers do.
    const preferred = FORMS[Math.floor(random() * FORMS.length)]!;
    const form = (): Form => (random() < 0.5 ? preferred : pickWeighted(random, FORMS, [5, 3, 1, 1, 0.5, 0.5]));
    const length = 60 + Math.floor(Math.pow(random(), 2) * 340);
    const body: string[] = [];
    while (body.length < length) {
      const x = random();
      if (x < 0.6) body.push(pickWeighted(random, BACKGROUND, background));
      else if (x < 0.615) body.push(...topics[main]!.phrases[focus]!.map((w) => inflect(w, form())));
      else if (second !== null && x < 0.7) body.push(inflect(topicWord(topics[second]!, secondFocus), form()));
      else body.push(inflect(topicWord(topics[main]!, focus), form()));
    }
    const pages: string[] = [];
    for (let at = 0; at < body.length; at += 150) pages.push(`${body.slice(at, at + 150).join(' ')}.`);
    const t = topics[main]!;
    const kind = KINDS[Math.floor(random() * KINDS.length)]!;
    const titleWords = [
      random() < 0.7 ? one(t.aspects[focus]!) : one(t.general),
      random() < 0.5 ? one(t.general) : one(t.family),
    ];
    docs.push({
      id: `doc-${String(d).padStart(4, '0')}`,
      title: `${titleWords.map((w) => capitalise(inflect(w, form()))).join(' ')} ${kind}`,
      kind: kind.replace(' ', '-'),
      description: Array.from({ length: 10 + Math.floor(random() * 10) }, () =>
        random() < 0.6 ? pickWeighted(random, BACKGROUND, background) : inflect(topicWord(t, focus), form()),
      ).join(' '),
      tags: [one(t.family), one(t.aspects[focus]!)],
      pages,
    });
    latent.push({ main, focus, second });
  }

  const queries: JudgedQuery[] = [];
  const judgments: Judgments = new Map();
  const anyForm = (w: string) => inflect(w, FORMS[Math.floor(random() * FORMS.length)]!);
  for (let q = 0; q < queryCount; q++) {
    const topic = q % topics.length;
    const aspect = Math.floor(random() * 3);
    const t = topics[topic]!;
    // One or two words of the aspect, and a general word of the topic or its family.
    const aspectWords = [...t.aspects[aspect]!].sort(() => random() - 0.5);
    const pool = [aspectWords[0]!, random() < 0.5 ? aspectWords[1]! : random() < 0.5 ? one(t.general) : one(t.family)];
    const shapeRoll = random();
    let text: string;
    let shape: string;
    if (shapeRoll < 0.35) {
      shape = 'keywords';
      text = [pool[0]!, pool[1]!, ...(random() < 0.4 ? [one(t.family)] : [])].map(anyForm).join(' ');
    } else if (shapeRoll < 0.7) {
      shape = 'question';
      text = QUESTIONS[Math.floor(random() * QUESTIONS.length)]!(anyForm(pool[0]!), anyForm(pool[1]!));
    } else if (shapeRoll < 0.85) {
      shape = 'phrase';
      text = [...t.phrases[aspect]!, one(t.general)].map(anyForm).join(' ');
    } else {
      shape = 'typo';
      const parts = [pool[0]!, pool[1]!].map(anyForm);
      const at = parts[0]!.length >= parts[1]!.length ? 0 : 1;
      parts[at] = typo(parts[at]!, random);
      text = parts.join(' ');
    }
    const id = `q${String(q + 1).padStart(3, '0')}`;
    queries.push({ id, text, shape });
    const graded = new Map<string, number>();
    latent.forEach((l, d) => {
      const grade = l.main === topic ? (l.focus === aspect ? 2 : 1) : l.second === topic ? 1 : 0;
      if (grade > 0) graded.set(docs[d]!.id, grade);
    });
    judgments.set(id, graded);
  }
  return { name: 'collateral', docs, queries, judgments };
}

/** The untuned check: LDA-like mixtures, untitled short records, keyword and verbose queries. */
export function mixtures(seed: number, docCount: number, queryCount: number): Collection {
  const random = seededRandom(seed);
  const words = lexicon(random, 700, [...SYLLABLES_B].reverse().concat(['an', 'en', 'in', 'un']));
  const topicCount = 50;
  // Topics draw their 25 words from one pool, so they overlap.
  const topics = Array.from({ length: topicCount }, () =>
    Array.from({ length: 25 }, () => words[Math.floor(random() * words.length)]!),
  );
  const weights = zipfWeights(25, 1.1);
  const background = zipfWeights(BACKGROUND.length, 0.9);
  const forms: Form[] = ['', 's', 'ed', 'ing'];
  const form = (): Form => (random() < 0.7 ? '' : forms[1 + Math.floor(random() * 3)]!);
  const docs: Doc[] = [];
  const dominant: number[] = [];
  for (let d = 0; d < docCount; d++) {
    const mix = Array.from({ length: 2 + Math.floor(random() * 2) }, () => Math.floor(random() * topicCount));
    const shares = mix.map((_, i) => (i === 0 ? 1.2 + random() : random()));
    const length = 30 + Math.floor(random() * 150);
    const body: string[] = [];
    for (let i = 0; i < length; i++) {
      if (random() < 0.5) body.push(pickWeighted(random, BACKGROUND, background));
      else body.push(inflect(pickWeighted(random, topics[pickWeighted(random, mix, shares)]!, weights), form()));
    }
    docs.push({
      id: `rec-${String(d).padStart(4, '0')}`,
      title: `Record ${d}`,
      kind: 'record',
      description: '',
      tags: [],
      pages: [body.join(' ')],
    });
    dominant.push(mix[0]!);
  }
  const queries: JudgedQuery[] = [];
  const judgments: Judgments = new Map();
  for (let q = 0; q < queryCount; q++) {
    const topic = Math.floor(random() * topicCount);
    const verbose = random() < 0.4;
    const n = 2 + Math.floor(random() * 4);
    const picked = new Set<string>();
    while (picked.size < n) picked.add(pickWeighted(random, topics[topic]!, weights));
    const terms = [...picked].map((w) => inflect(w, form()));
    // Verbose queries carry common words between the topic words, as long questions do.
    const text = verbose
      ? terms
          .flatMap((t) => [
            t,
            ...Array.from({ length: 1 + Math.floor(random() * 2) }, () => pickWeighted(random, BACKGROUND, background)),
          ])
          .join(' ')
      : terms.join(' ');
    const id = `m${String(q + 1).padStart(3, '0')}`;
    queries.push({ id, text, shape: verbose ? 'verbose' : 'keywords' });
    const graded = new Map<string, number>();
    dominant.forEach((t, d) => {
      if (t === topic) graded.set(docs[d]!.id, 1);
    });
    judgments.set(id, graded);
  }
  return { name: 'mixtures', docs, queries, judgments };
}
