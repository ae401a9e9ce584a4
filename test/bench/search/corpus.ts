import { closeSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * A reproducible collateral library for the search benchmark: English-like page text with a
 * Zipf-distributed vocabulary (a core of real function and business words, then generated
 * words), product and competitor names, and typos in the text itself. Same seed, same corpus.
 */
export interface CorpusItem {
  id: string;
  title: string;
  kind: string;
  description: string;
  tags: string[];
  products: string[];
  collections: string[];
  pages: number;
  /** Index of the item's first page in pages.txt. */
  firstPage: number;
}

export interface BenchQuery {
  text: string;
  /** What kind of query it is (title, phrase, product, typo). */
  shape: string;
}

import { seededRandom as mulberry32 } from '../../support/random.ts';

export { mulberry32 };

const CORE_WORDS = `the of and to a in is for that on with as it be by this are from at or you your we our an will can
has have more not which their all they its new also one but than into other these how what when up out about only
system water quality cost service customer support performance energy data team plant process product solution
maintenance filter pressure flow treatment installation monitoring remote report contract price pricing plan annual
capacity efficiency reliability savings operation operator compliance standard safety warranty upgrade replacement
membrane reverse osmosis litres hour daily facility industrial commercial brewery food beverage pharmaceutical
municipal port site sites unit units dashboard alert alerts sensor sensors network integration partner partners
dealer dealers distributor distributors reseller resellers lead leads opportunity account accounts contact contacts
comparison compare competitor competitors advantage benefit benefits feature features total ownership lifecycle
delivery training onboarding response uptime downtime hours days months years percent per year month week case study
results customer's challenge approach outcome reduced increased improved lower higher faster smaller larger easier
chemical chemicals consumption footprint carbon sustainable sustainability regulation audit certified certification`.split(
  /\s+/,
);

const PRODUCT_NAMES = [
  'AquaCore 200',
  'AquaCore 500',
  'FlowSense',
  'PureLink Plus',
  'PureLink Premier',
  'Vexor 3000',
  'Clarion X2',
  'Helix Pro',
  'Nordstrand 40',
  'Kestrel Flow',
];
const COMPETITORS = ['HydraMax', 'ClearStream', 'AquaPrime', 'Watertek', 'BlueRiver'];
const SYLLABLES =
  'ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga ge go ha he hi ho ka ke ki ko la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo za ze tra tre tri pro pre str ment tion ing er al ous ive able'.split(
    ' ',
  );

export interface CorpusOptions {
  items: number;
  pages: number;
  seed: number;
  vocabulary?: number;
}

/** A few letters changed the way fingers on a touch keyboard change them. */
export function typo(word: string, rand: () => number): string {
  if (word.length < 4) return word;
  const i = 1 + Math.floor(rand() * (word.length - 2));
  const op = Math.floor(rand() * 3);
  if (op === 0) return word.slice(0, i) + word.slice(i + 1); // dropped letter
  if (op === 1) return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2); // swapped
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  return word.slice(0, i) + letters[Math.floor(rand() * 26)] + word.slice(i + 1); // wrong key
}

export function generateCorpus(
  dir: string,
  options: CorpusOptions,
): { items: CorpusItem[]; queries: BenchQuery[]; bytes: number } {
  const rand = mulberry32(options.seed);
  const vocabSize = options.vocabulary ?? 60_000;
  const seen = new Set(CORE_WORDS);
  const words = [...CORE_WORDS];
  while (words.length < vocabSize) {
    const n = 2 + Math.floor(rand() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(rand() * SYLLABLES.length)];
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  // Zipf (s ≈ 1.07) cumulative distribution over ranks.
  const cdf = new Float64Array(words.length);
  let sum = 0;
  for (let r = 0; r < words.length; r++) cdf[r] = sum += 1 / Math.pow(r + 1, 1.07);
  for (let r = 0; r < words.length; r++) cdf[r]! /= sum;
  const zipf = () => {
    const x = rand();
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo]!;
  };
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;

  // Pages per item: mostly short documents, some long decks; exact total.
  const perItem = new Array<number>(options.items).fill(1);
  let remaining = options.pages - options.items;
  while (remaining > 0) {
    const i = Math.floor(Math.pow(rand(), 2) * options.items);
    const add = Math.min(remaining, 1 + Math.floor(rand() * 4));
    perItem[i]! += add;
    remaining -= add;
  }

  mkdirSync(dir, { recursive: true });
  const textFd = openSync(path.join(dir, 'pages.txt'), 'w');
  const offsets: number[] = [0];
  let bytes = 0;
  const items: CorpusItem[] = [];
  const kinds = ['brochure', 'deck', 'comparison', 'price-sheet', 'case-study', 'datasheet'];
  const collections = ['brochures', 'competitive', 'pricing', 'customer-stories', 'training', 'trade-show'];
  let pageNo = 0;
  const sample: { item: number; text: string }[] = [];
  for (let i = 0; i < options.items; i++) {
    const product = pick(PRODUCT_NAMES);
    const kind = pick(kinds);
    const titleWords = Array.from({ length: 2 + Math.floor(rand() * 4) }, zipfContent);
    const title = `${product} ${titleWords.join(' ')} ${kind.replace('-', ' ')}`;
    const item: CorpusItem = {
      id: `item-${i}`,
      title,
      kind,
      description: Array.from({ length: 12 + Math.floor(rand() * 20) }, zipf).join(' '),
      tags: Array.from({ length: 1 + Math.floor(rand() * 3) }, zipfContent),
      products: [product],
      collections: [pick(collections)],
      pages: perItem[i]!,
      firstPage: pageNo,
    };
    items.push(item);
    for (let p = 0; p < item.pages; p++) {
      const text = pageText(product);
      const buf = Buffer.from(text + '\n', 'utf8');
      writeSync(textFd, buf);
      bytes += buf.length;
      offsets.push(bytes);
      if (rand() < 0.02) sample.push({ item: i, text });
      pageNo++;
    }
  }
  closeSync(textFd);

  function zipfContent(): string {
    let w = zipf();
    while (w.length < 4) w = zipf();
    return w;
  }

  function pageText(product: string): string {
    const target = 200 + Math.floor(rand() * 200);
    const out: string[] = [];
    let sentence = 0;
    while (out.length < target) {
      let w =
        rand() < 0.015 ? pick(PRODUCT_NAMES) : rand() < 0.006 ? pick(COMPETITORS) : rand() < 0.01 ? product : zipf();
      if (rand() < 0.004) w = typo(w, rand);
      if (sentence === 0) w = w.charAt(0).toUpperCase() + w.slice(1);
      sentence++;
      if (sentence > 8 + rand() * 14) {
        w += rand() < 0.8 ? '.' : ',';
        if (w.endsWith('.')) sentence = 0;
      }
      out.push(w);
    }
    return out.join(' ') + '.';
  }

  // Queries: titles, phrases from inside pages, product + topic, competitor questions; 20% typos.
  const queries: BenchQuery[] = [];
  const queryCount = Math.max(500, Math.min(2000, Math.floor(options.items / 20)));
  for (let q = 0; q < queryCount; q++) {
    const shape = pick(['title', 'phrase', 'phrase', 'product', 'competitor']);
    let text: string;
    if (shape === 'title') {
      const t = pick(items).title.split(' ');
      const start = Math.floor(rand() * Math.max(1, t.length - 2));
      text = t.slice(start, start + 2 + Math.floor(rand() * 2)).join(' ');
    } else if (shape === 'phrase') {
      const s = pick(sample).text.replace(/[.,]/g, '').split(' ');
      const start = Math.floor(rand() * (s.length - 4));
      text = s.slice(start, start + 2 + Math.floor(rand() * 3)).join(' ');
    } else if (shape === 'product') {
      text = `${pick(PRODUCT_NAMES)} ${zipfContent()}`;
    } else {
      text = `${pick(COMPETITORS)} ${pick(['comparison', 'pricing', 'vs', 'uptime', 'maintenance cost'])}`;
    }
    text = text.toLowerCase();
    let kindLabel = shape;
    if (rand() < 0.2) {
      const parts = text.split(' ');
      const at = parts.findIndex((p) => p.length >= 5);
      if (at >= 0) {
        parts[at] = typo(parts[at]!, rand);
        kindLabel += '+typo';
      }
      text = parts.join(' ');
    }
    queries.push({ text, shape: kindLabel });
  }

  writeFileSync(path.join(dir, 'items.json'), JSON.stringify(items));
  writeFileSync(path.join(dir, 'offsets.json'), JSON.stringify(offsets));
  writeFileSync(path.join(dir, 'queries.json'), JSON.stringify(queries));
  return { items, queries, bytes };
}

/** Random access to page text without holding the corpus in memory (like the blob cache). */
export class PageTextFile {
  private readonly fd: number;
  private readonly offsets: number[];
  constructor(dir: string) {
    this.fd = openSync(path.join(dir, 'pages.txt'), 'r');
    this.offsets = JSON.parse(readFileSync(path.join(dir, 'offsets.json'), 'utf8')) as number[];
  }
  get(page: number): string {
    const start = this.offsets[page]!;
    const length = this.offsets[page + 1]! - start - 1;
    const buf = Buffer.alloc(length);
    readSync(this.fd, buf, 0, length, start);
    return buf.toString('utf8');
  }
  close(): void {
    closeSync(this.fd);
  }
}

/** Every page in order, streaming, for index builders. */
export function* readPages(dir: string): Generator<string> {
  const text = readFileSync(path.join(dir, 'pages.txt'), 'utf8');
  let start = 0;
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
    yield text.slice(start, nl);
    start = nl + 1;
  }
}

export function loadCorpus(dir: string): { items: CorpusItem[]; queries: BenchQuery[] } {
  return {
    items: JSON.parse(readFileSync(path.join(dir, 'items.json'), 'utf8')) as CorpusItem[],
    queries: JSON.parse(readFileSync(path.join(dir, 'queries.json'), 'utf8')) as BenchQuery[],
  };
}

/** Every prefix of a query as typed, one keystroke each. */
export function keystrokes(query: string): string[] {
  const out: string[] = [];
  for (let i = 1; i <= query.length; i++) out.push(query.slice(0, i));
  return out;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
