import MiniSearch from 'minisearch';
import { isStopWord, maxEditsFor, parseQuery, stem, tokenize } from '#shared/text';
import { PageIndexBuilder, type PageIndex } from './page-index.ts';
import { snippet, type SnippetMarks } from './snippet.ts';

export { snippet } from './snippet.ts';

/**
 * The search engine. Item metadata and the text of every page go through the same kind of
 * flat inverted index of stems (metadata as one "page" per field), so a keystroke costs a few
 * posting-list scans over typed arrays and no per-document objects. MiniSearch serves the
 * glossary, where its convenience wins and size does not matter. Pure computation: no I/O and
 * no clock; callers pass page text and "now".
 *
 * Ranking is BM25F: a page is a document made of its text and its item's fields; each query
 * word's frequencies are weighted per field and length-normalised per field, summed, and only
 * then saturated, so a word in the title counts more than one on a page but a word repeated in
 * every field does not count five times. No word is required and no word's postings are cut
 * short: an item with four of five rare words beats one with all five common ones. The best
 * pages of the leading items then get a proximity bonus when query words stand together.
 */

export interface SearchItem {
  id: string;
  title: string;
  kind: string;
  category: string | null;
  description: string;
  tags: readonly string[];
  products: readonly string[];
  collections: readonly string[];
  /** Display names of the collections, searchable. */
  collectionTitles: readonly string[];
  validFrom: string | null;
  validUntil: string | null;
  kiosk: boolean;
}

export interface SearchGlossaryEntry {
  id: string;
  term: string;
  definition: string;
  aliases: readonly string[];
}

export interface SearchFilters {
  kinds?: readonly string[];
  products?: readonly string[];
  collections?: readonly string[];
  tags?: readonly string[];
}

export interface SearchOptions {
  filters?: SearchFilters;
  limit?: number;
  /** Results to skip: the next page of the same query starts where the last one ended. */
  offset?: number;
  /** ISO time: items outside their validity window are never returned. */
  now: string;
  kioskOnly?: boolean;
  /** Pages per item to return, best first. */
  pagesPerItem?: number;
}

export interface PageHit {
  page: number;
  score: number;
  snippet: string;
  /** [start, end) character ranges of `snippet` to highlight. */
  highlights: [number, number][];
}

export interface ItemHit {
  id: string;
  title: string;
  kind: string;
  score: number;
  /** Every query word matched somewhere in this item. */
  matchedAll: boolean;
  pages: PageHit[];
}

export interface GlossaryHit {
  id: string;
  term: string;
  definition: string;
}

export interface SearchResult {
  query: string;
  items: ItemHit[];
  glossary: GlossaryHit[];
  /** Visible items that matched, before the limit. */
  total: number;
}

export type PageTextSource = (itemId: string, page: number) => string | null;

/** Metadata fields, in "page number" order inside the field index. */
export const FIELDS = ['title', 'tags', 'products', 'collections', 'category', 'description'] as const;
/** BM25F weight and length normalisation of each field (FIELDS order), and of page text. */
const FIELD_WEIGHT = [3, 2, 2, 1.2, 1, 1.2];
const FIELD_B = [0.5, 0.5, 0.5, 0.5, 0.3, 0.75];
const TEXT_WEIGHT = 1;
const TEXT_B = 0.75;
const K1 = 1.2;
/** An item's second-best page adds this share of its score: two answering pages beat one. */
const SECOND_PAGE = 0.2;
/**
 * Proximity: how much query words standing together add to an item's score (a mild boost: the
 * words' own weights decide most), how much more it counts when choosing which of an item's
 * pages to show (there, with the same words on every page, standing together is what tells the
 * page apart), and how far apart words still count.
 */
const PROXIMITY_WEIGHT = 0.25;
const PAGE_PROXIMITY_WEIGHT = 1;
const PROXIMITY_SPAN = 8;
/** Leading items whose best page is checked for proximity. */
const PROXIMITY_CANDIDATES = 30;
const MAX_WORDS = 24;
/** How many completions the word being typed expands to, by its length. */
const PREFIX_EXPANSIONS = [0, 0, 4, 10, 20, 40];
const MAX_FUZZY_EXPANSIONS = 10;
/** Other words of a stem's family that count for it ("compar" also finds "comparison"). */
const FAMILY_EXPANSIONS = 4;
const FAMILY_MAX_EXTRA = 4;
const FAMILY_WEIGHT = 0.5;
/** A near-miss prefix covering more terms than this is too vague to expand. */
const FUZZY_PREFIX_MAX_RANGE = 400;

interface Expansion {
  term: number;
  weight: number;
}

/** A query word as the engine uses it. */
interface Word {
  word: string;
  stem: string;
  isPrefix: boolean;
  bit: number;
  /** Whether some index holds the word's stem as it is (then near misses are not added). */
  known: boolean;
  idf: number;
}

const saturate = (tf: number) => (tf * (K1 + 1)) / (tf + K1);

/** Expansions of query words into one index's terms, cached per index. */
class Expander {
  private readonly cache = new Map<string, Expansion[]>();
  constructor(readonly index: PageIndex) {}

  /**
   * How a query word becomes index terms. A finished word: its stem, plus (only when no index
   * knows the stem, which means a typo) its near misses, plus a little of its stem's family.
   * The word being typed: its stem if it is a word already, and its most frequent completions;
   * one letter expands to nothing (it would match half the vocabulary and rank nothing).
   */
  expand(word: Pick<Word, 'word' | 'stem' | 'isPrefix' | 'known'>): Expansion[] {
    const key = `${word.isPrefix ? 'p' : 'w'}${word.known ? 'k' : 'u'}${word.word}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const vocabulary = this.index.vocabulary;
    const best = new Map<number, number>();
    const offer = (term: number, weight: number) => {
      if (weight > (best.get(term) ?? 0)) best.set(term, weight);
    };
    const exact = vocabulary.lookup(word.stem);
    if (exact >= 0) offer(exact, 1);
    const edits = maxEditsFor(word.word.length);
    const starts = vocabulary.arrays.termStart;
    const termLength = (term: number) => starts[term + 1]! - starts[term]!;
    // A word no index knows is a typo, finished or not ("kesling", "flowsnese"), unless it is
    // still being typed and words of this index start with it ("hydr").
    let typo = !word.known && edits > 0;
    if (word.isPrefix) {
      const limit = PREFIX_EXPANSIONS[Math.min(word.word.length, PREFIX_EXPANSIONS.length - 1)]!;
      const { lo, hi } = vocabulary.prefixRange(word.word);
      typo &&= hi === lo;
      if (limit > 0) {
        // A finished word at the end of a question must not be drowned by its completions.
        const damp = word.known ? 0.5 : 1;
        // Completions never expand to stop words ("th" is not "the").
        const completions = topByFrequency(this.index, lo, hi, limit + 8).filter(
          (term) => !isStopWord(this.index.surface(term)),
        );
        for (const term of completions.slice(0, limit)) {
          offer(term, damp * 0.9 * Math.sqrt(Math.min(1, word.word.length / termLength(term))));
        }
        // A typo in the word being typed ("compar" -> "comapr"): completions of its near
        // misses. Short ones are skipped: a 4-letter prefix one edit away matches too much.
        if (typo && word.word.length >= 5) {
          for (const range of vocabulary.fuzzy(word.word, 1, true, 32)) {
            if (range.distance === 0 || range.hi - range.lo > FUZZY_PREFIX_MAX_RANGE) continue;
            for (const term of topByFrequency(this.index, range.lo, range.hi, 4)) offer(term, 0.45);
          }
        }
      }
    } else {
      if (word.stem.length >= 5) {
        const { lo, hi } = vocabulary.prefixRange(word.stem);
        for (const term of topByFrequency(this.index, lo, hi, FAMILY_EXPANSIONS)) {
          if (termLength(term) - word.stem.length <= FAMILY_MAX_EXTRA) offer(term, FAMILY_WEIGHT);
        }
      }
    }
    if (typo) {
      const near = vocabulary
        .fuzzy(word.stem, edits, false, 256)
        .filter((m) => m.distance > 0)
        .sort(
          (a, b) => a.distance - b.distance || this.index.documentFrequency(b.lo) - this.index.documentFrequency(a.lo),
        )
        .slice(0, MAX_FUZZY_EXPANSIONS);
      for (const m of near) offer(m.lo, m.distance === 1 ? 0.6 : 0.35);
    }
    const expansions = [...best].map(([term, weight]) => ({ term, weight }));
    if (this.cache.size > 8192) this.cache.clear();
    this.cache.set(key, expansions);
    return expansions;
  }

  /** Pages (or fields) the word reaches, each expansion counted by its weight. */
  weightedDf(word: Word): number {
    let df = 0;
    for (const e of this.expand(word)) df += e.weight * this.index.documentFrequency(e.term);
    return df;
  }
}

/** A segment of page text with its reusable query buffers. */
class TextSegment {
  readonly expander: Expander;
  /** Per page: the BM25F score its text adds to its item's fields score. */
  readonly delta: Float32Array;
  readonly masks: Uint32Array;
  readonly touched: Uint32Array;
  touchedCount = 0;
  private readonly wordTf: Float32Array;
  private readonly wordPages: Uint32Array;
  /** Item index -> slot in the engine's item table, or -1 (removed, or shadowed by a newer segment). */
  readonly slot: Int32Array;
  /** Pages of item i are firstPage[i] .. firstPage[i+1]-1 (the builder adds them item by item). */
  readonly firstPage: Uint32Array;
  private readonly cache = new Map<string, { touched: Uint32Array; delta: Float32Array; masks: Uint32Array }>();

  constructor(readonly index: PageIndex) {
    this.expander = new Expander(index);
    const n = index.pageCount;
    this.delta = new Float32Array(n);
    this.masks = new Uint32Array(n);
    this.touched = new Uint32Array(n);
    this.wordTf = new Float32Array(n);
    this.wordPages = new Uint32Array(n);
    this.slot = new Int32Array(index.items.length).fill(-1);
    this.firstPage = new Uint32Array(index.items.length + 1);
    // Items without text (images, videos) have no pages: count, then accumulate.
    for (const item of index.data.pageItem) this.firstPage[item + 1]!++;
    for (let i = 0; i < index.items.length; i++) this.firstPage[i + 1]! += this.firstPage[i]!;
  }

  private itemIndexes: Map<string, number> | null = null;

  /** The index of an item in this segment, or -1. */
  itemIndex(id: string): number {
    this.itemIndexes ??= new Map(this.index.items.map((item, i) => [item, i]));
    return this.itemIndexes.get(id) ?? -1;
  }

  private reset(): void {
    for (let k = 0; k < this.touchedCount; k++) {
      const p = this.touched[k]!;
      this.delta[p] = 0;
      this.masks[p] = 0;
    }
    this.touchedCount = 0;
  }

  /**
   * Adds one word: its weighted frequency on each page, length-normalised, joins the word's
   * frequency in the page's item fields before saturation (BM25F).
   */
  private addWord(word: Word, w: number, fieldTf: Float32Array): void {
    const index = this.index;
    const tf = this.wordTf;
    const pages = this.wordPages;
    let count = 0;
    for (const { term, weight } of this.expander.expand(word)) {
      const postings = index.postings(term);
      for (let k = 0; k < postings.pages.length; k++) {
        const page = postings.pages[k]!;
        if (tf[page] === 0) pages[count++] = page;
        tf[page]! += weight * postings.tf[k]!;
      }
    }
    const avg = index.averagePageLength;
    const lengths = index.data.pageLength;
    const pageItem = index.data.pageItem;
    let touchedCount = this.touchedCount;
    for (let k = 0; k < count; k++) {
      const page = pages[k]!;
      const slot = this.slot[pageItem[page]!]!;
      const fromFields = slot >= 0 ? fieldTf[slot * MAX_WORDS + w]! : 0;
      const text = (TEXT_WEIGHT * tf[page]!) / (1 - TEXT_B + (TEXT_B * lengths[page]!) / avg);
      tf[page] = 0;
      if (this.masks[page] === 0) this.touched[touchedCount++] = page;
      this.delta[page]! += word.idf * (saturate(fromFields + text) - saturate(fromFields));
      this.masks[page]! |= word.bit;
    }
    this.touchedCount = touchedCount;
  }

  /**
   * Scores the query into the buffers. The finished words are the same from one keystroke to
   * the next, so their sum is cached and only the word being typed is scanned again.
   */
  accumulate(words: readonly Word[], fieldTf: Float32Array): void {
    this.reset();
    const complete = words.filter((w) => !w.isPrefix);
    const key = complete.map((w) => `${w.stem}/${w.idf.toFixed(4)}`).join(' ');
    const cached = complete.length > 0 ? this.cache.get(key) : undefined;
    if (cached) {
      this.touched.set(cached.touched);
      this.touchedCount = cached.touched.length;
      for (let k = 0; k < cached.touched.length; k++) {
        const p = cached.touched[k]!;
        this.delta[p] = cached.delta[k]!;
        this.masks[p] = cached.masks[k]!;
      }
    } else if (complete.length > 0) {
      for (const word of complete) this.addWord(word, words.indexOf(word), fieldTf);
      const touched = this.touched.slice(0, this.touchedCount);
      const delta = new Float32Array(touched.length);
      const masks = new Uint32Array(touched.length);
      for (let k = 0; k < touched.length; k++) {
        delta[k] = this.delta[touched[k]!]!;
        masks[k] = this.masks[touched[k]!]!;
      }
      if (this.cache.size >= 16) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, { touched, delta, masks });
    }
    words.forEach((word, w) => {
      if (word.isPrefix) this.addWord(word, w, fieldTf);
    });
  }
}

export class SearchEngine {
  private readonly items: SearchItem[];
  private readonly glossaryIndex: MiniSearch<SearchGlossaryEntry>;
  private readonly glossaryById: Map<string, SearchGlossaryEntry>;
  private readonly fields: PageIndex;
  private readonly fieldExpander: Expander;
  /** Field index item -> engine slot. */
  private readonly fieldSlot: Int32Array;
  private readonly fieldAverage: Float32Array;
  private readonly segments: TextSegment[];
  /** Documents for idf: every page of text plus every item's fields. */
  private readonly documentCount: number;
  /** Per item slot and query word: the word's weighted, normalised frequency in the fields. */
  private readonly fieldTf: Float32Array;
  private readonly itemScore: Float32Array;
  private readonly itemMask: Uint32Array;
  private readonly itemTouched: Uint32Array;
  private readonly itemSeen: Uint8Array;
  private readonly itemFirst: Float32Array;
  private readonly itemSecond: Float32Array;
  /** Best page of an item: segment and page, for proximity and snippets. */
  private readonly itemBestPage: Int32Array;
  private readonly itemBestSegment: Int16Array;
  private readonly itemSecondPage: Int32Array;
  private readonly itemSecondSegment: Int16Array;
  private readonly pageTokens = new Map<string, string[]>();

  /**
   * @param fieldIndex the metadata index from buildFieldIndex(items)
   * @param segments page-text segments, oldest first: a newer segment's copy of an item
   *   shadows older ones, which is how a release that changes a few items is indexed
   *   incrementally.
   */
  constructor(
    items: readonly SearchItem[],
    glossary: readonly SearchGlossaryEntry[],
    fieldIndex: PageIndex,
    segments: readonly PageIndex[],
    private readonly pageText: PageTextSource,
  ) {
    this.items = [...items];
    const slotOf = new Map(this.items.map((item, i) => [item.id, i]));
    this.glossaryById = new Map(glossary.map((g) => [g.id, g]));
    this.glossaryIndex = new MiniSearch<SearchGlossaryEntry>({
      fields: ['term', 'aliases', 'definition'],
      storeFields: [],
      tokenize,
      processTerm: (t) => stem(t),
      extractField: (doc, field) => {
        const value = (doc as unknown as Record<string, unknown>)[field];
        return Array.isArray(value) ? value.join(' ') : String(value ?? '');
      },
    });
    this.glossaryIndex.addAll([...glossary]);
    this.fields = fieldIndex;
    this.fieldExpander = new Expander(fieldIndex);
    this.fieldSlot = Int32Array.from(fieldIndex.items, (id) => slotOf.get(id) ?? -1);
    const sums = new Float64Array(FIELDS.length);
    const { pageNumber, pageLength } = fieldIndex.data;
    for (let p = 0; p < fieldIndex.pageCount; p++) sums[pageNumber[p]! - 1]! += pageLength[p]!;
    const perItem = Math.max(1, fieldIndex.items.length);
    this.fieldAverage = Float32Array.from(sums, (s) => Math.max(1, s / perItem));
    this.segments = segments.map((index) => new TextSegment(index));
    const newest = new Map<string, number>();
    segments.forEach((segment, s) => segment.items.forEach((id) => newest.set(id, s)));
    this.segments.forEach((segment, s) =>
      segment.index.items.forEach((id, i) => {
        segment.slot[i] = newest.get(id) === s ? (slotOf.get(id) ?? -1) : -1;
      }),
    );
    this.documentCount = Math.max(1, this.items.length + segments.reduce((n, s) => n + s.pageCount, 0));
    const n = this.items.length;
    this.fieldTf = new Float32Array(n * MAX_WORDS);
    this.itemScore = new Float32Array(n);
    this.itemMask = new Uint32Array(n);
    this.itemTouched = new Uint32Array(n);
    this.itemSeen = new Uint8Array(n);
    this.itemFirst = new Float32Array(n);
    this.itemSecond = new Float32Array(n);
    this.itemBestPage = new Int32Array(n).fill(-1);
    this.itemBestSegment = new Int16Array(n).fill(-1);
    this.itemSecondPage = new Int32Array(n).fill(-1);
    this.itemSecondSegment = new Int16Array(n).fill(-1);
  }

  /** The metadata index: one "page" per field, in FIELDS order. */
  static buildFieldIndex(items: readonly SearchItem[]): PageIndex {
    const builder = new PageIndexBuilder();
    for (const item of items) {
      builder.addItem(item.id, [
        tokenize(item.title),
        tokenize(item.tags.join(' ')),
        tokenize(item.products.join(' ')),
        tokenize(item.collectionTitles.join(' ')),
        tokenize(item.category ?? ''),
        tokenize(item.description),
      ]);
    }
    return builder.build();
  }

  private visible(item: SearchItem, options: SearchOptions): boolean {
    if (item.validFrom && item.validFrom > options.now) return false;
    if (item.validUntil && item.validUntil <= options.now) return false;
    if (options.kioskOnly && !item.kiosk) return false;
    const f = options.filters;
    if (!f) return true;
    if (f.kinds?.length && !f.kinds.includes(item.kind) && !(item.category && f.kinds.includes(item.category)))
      return false;
    if (f.products?.length && !f.products.some((p) => item.products.includes(p))) return false;
    if (f.collections?.length && !f.collections.some((c) => item.collections.includes(c))) return false;
    if (f.tags?.length && !f.tags.some((t) => item.tags.includes(t))) return false;
    return true;
  }

  /**
   * The query's words that rank. Stop words do not have to match ("how do you compare with
   * hydramax") and, next to a real word, are not even scanned: their postings cover every page
   * and rank nothing. A word typed twice counts once.
   */
  private queryWords(query: string): Word[] {
    const { words: all, lastIsPrefix } = parseQuery(query);
    const meaningful = all.some((w) => !w.stop);
    const words: Word[] = [];
    const seen = new Set<string>();
    // Stop words and repeats go before the cap, so a long question keeps all its real words.
    all.forEach((w, i) => {
      const isPrefix = lastIsPrefix && i === all.length - 1;
      if ((meaningful && w.stop) || words.length === MAX_WORDS) return;
      const key = `${isPrefix ? 'p' : 'w'}${isPrefix ? w.word : w.stem}`;
      if (seen.has(key)) return;
      seen.add(key);
      const known =
        this.fields.vocabulary.lookup(w.stem) >= 0 || this.segments.some((s) => s.index.vocabulary.lookup(w.stem) >= 0);
      words.push({ word: w.word, stem: w.stem, isPrefix, bit: 1 << words.length, known, idf: 0 });
    });
    const n = this.documentCount;
    for (const word of words) {
      let df = this.fieldExpander.weightedDf(word);
      for (const segment of this.segments) df += segment.expander.weightedDf(word);
      df = Math.min(n, df);
      word.idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    }
    return words;
  }

  search(query: string, options: SearchOptions): SearchResult {
    const limit = options.limit ?? 20;
    const offset = options.offset ?? 0;
    const words = this.queryWords(query);
    if (words.length === 0) return { query, items: [], glossary: [], total: 0 };
    const required = (1 << words.length) - 1;

    let itemCount = 0;
    const seen = this.itemSeen;
    const itemTouched = this.itemTouched;

    // Fields: each word's weighted, length-normalised frequency per item.
    const fieldTf = this.fieldTf;
    const { pageNumber, pageLength, pageItem } = this.fields.data;
    words.forEach((word, w) => {
      for (const { term, weight } of this.fieldExpander.expand(word)) {
        const { pages, tf } = this.fields.postings(term);
        for (let k = 0; k < pages.length; k++) {
          const page = pages[k]!;
          const slot = this.fieldSlot[pageItem[page]!]!;
          if (slot < 0) continue;
          const f = pageNumber[page]! - 1;
          const b = FIELD_B[f]!;
          if (!seen[slot]) {
            seen[slot] = 1;
            itemTouched[itemCount++] = slot;
          }
          fieldTf[slot * MAX_WORDS + w]! +=
            (FIELD_WEIGHT[f]! * weight * tf[k]!) / (1 - b + (b * pageLength[page]!) / this.fieldAverage[f]!);
          this.itemMask[slot]! |= word.bit;
        }
      }
    });
    // Only these items have field frequencies to clear afterwards.
    const fieldItems = itemCount;
    for (let k = 0; k < itemCount; k++) {
      const slot = itemTouched[k]!;
      let score = 0;
      for (let w = 0; w < words.length; w++) {
        const tf = fieldTf[slot * MAX_WORDS + w]!;
        if (tf > 0) score += words[w]!.idf * saturate(tf);
      }
      this.itemScore[slot] = score;
    }

    // Page text: an item adds its best page's share, plus a little of its next best.
    const first = this.itemFirst;
    const second = this.itemSecond;
    this.segments.forEach((segment, s) => {
      segment.accumulate(words, fieldTf);
      const segmentPageItem = segment.index.data.pageItem;
      for (let k = 0; k < segment.touchedCount; k++) {
        const page = segment.touched[k]!;
        const slot = segment.slot[segmentPageItem[page]!]!;
        if (slot < 0) continue;
        if (!seen[slot]) {
          seen[slot] = 1;
          itemTouched[itemCount++] = slot;
        }
        const delta = segment.delta[page]!;
        if (delta > first[slot]!) {
          second[slot] = first[slot]!;
          this.itemSecondPage[slot] = this.itemBestPage[slot]!;
          this.itemSecondSegment[slot] = this.itemBestSegment[slot]!;
          first[slot] = delta;
          this.itemBestPage[slot] = page;
          this.itemBestSegment[slot] = s;
        } else if (delta > second[slot]!) {
          second[slot] = delta;
          this.itemSecondPage[slot] = page;
          this.itemSecondSegment[slot] = s;
        }
        this.itemMask[slot]! |= segment.masks[page]!;
      }
    });

    // The leading candidates, kept sorted while scanning (a full sort of every match costs more).
    const keep = Math.max(offset + limit, PROXIMITY_CANDIDATES);
    const candidates: { slot: number; score: number }[] = [];
    let total = 0;
    for (let k = 0; k < itemCount; k++) {
      const slot = itemTouched[k]!;
      if (!this.visible(this.items[slot]!, options)) continue;
      total++;
      const score = this.itemScore[slot]! + first[slot]! + SECOND_PAGE * second[slot]!;
      if (candidates.length === keep && score <= candidates[keep - 1]!.score) continue;
      let at = candidates.length;
      while (at > 0 && candidates[at - 1]!.score < score) at--;
      candidates.splice(at, 0, { slot, score });
      if (candidates.length > keep) candidates.pop();
    }
    const proximity = new Map<number, number>();
    const termsBySegment = new Map<number, Set<string>[]>();
    const near = (s: number, page: number, slot: number) => {
      const key = s * 0x1_0000_0000 + page;
      let bonus = proximity.get(key);
      if (bonus === undefined) {
        const segment = this.segments[s]!;
        let terms = termsBySegment.get(s);
        if (!terms) {
          terms = words.map(
            (word) =>
              new Set(
                segment.expander
                  .expand(word)
                  .filter((e) => e.weight >= 0.5)
                  .map((e) => segment.index.vocabulary.term(e.term)),
              ),
          );
          termsBySegment.set(s, terms);
        }
        proximity.set(key, (bonus = this.proximity(segment, page, slot, words, terms)));
      }
      return bonus;
    };
    if (words.length > 1) {
      // The better of the two best pages once words standing together are counted. Only the
      // leading candidates are rescored, whatever page is asked for, so pages never overlap.
      const leading = candidates.splice(0, PROXIMITY_CANDIDATES);
      for (const candidate of leading) {
        const slot = candidate.slot;
        if (this.itemBestPage[slot]! < 0) continue;
        const best =
          first[slot]! + PROXIMITY_WEIGHT * near(this.itemBestSegment[slot]!, this.itemBestPage[slot]!, slot);
        const other =
          this.itemSecondPage[slot]! < 0
            ? 0
            : second[slot]! + PROXIMITY_WEIGHT * near(this.itemSecondSegment[slot]!, this.itemSecondPage[slot]!, slot);
        candidate.score = this.itemScore[slot]! + Math.max(best, other) + SECOND_PAGE * Math.min(best, other);
      }
      leading.sort((a, b) => b.score - a.score);
      candidates.unshift(...leading);
    }
    const top = candidates.slice(offset, offset + limit);

    const marks = this.snippetMarks(words);
    const pagesPerItem = options.pagesPerItem ?? 3;
    const pageBonus =
      words.length > 1
        ? (s: number, page: number, slot: number) => PAGE_PROXIMITY_WEIGHT * near(s, page, slot)
        : () => 0;
    const items: ItemHit[] = top.map(({ slot, score }) => {
      const item = this.items[slot]!;
      return {
        id: item.id,
        title: item.title,
        kind: item.kind,
        score: Math.round(score * 1000) / 1000,
        matchedAll: (this.itemMask[slot]! & required) === required,
        pages: pagesPerItem > 0 ? this.bestPages(slot, pagesPerItem, marks, pageBonus) : [],
      };
    });

    for (let k = 0; k < itemCount; k++) {
      const slot = itemTouched[k]!;
      this.itemScore[slot] = 0;
      this.itemMask[slot] = 0;
      this.itemSeen[slot] = 0;
      first[slot] = 0;
      second[slot] = 0;
      this.itemBestPage[slot] = -1;
      this.itemBestSegment[slot] = -1;
      this.itemSecondPage[slot] = -1;
      this.itemSecondSegment[slot] = -1;
    }
    for (let k = 0; k < fieldItems; k++)
      fieldTf.fill(0, itemTouched[k]! * MAX_WORDS, itemTouched[k]! * MAX_WORDS + words.length);

    return { query, items, glossary: this.glossaryHits(query), total };
  }

  /**
   * How much the query words standing together on the item's best page add: for each pair of
   * words, every occurrence of one counts 1/d² by its distance d to the nearest other (up to a
   * few words away), saturated like a term frequency and weighted by the rarer word's idf.
   */
  private proximity(
    segment: TextSegment,
    page: number,
    slot: number,
    words: readonly Word[],
    termsOf: readonly Set<string>[],
  ): number {
    const mask = segment.masks[page]!;
    if (popcount(mask) < 2) return 0;
    const tokens = this.tokensOfPage(this.items[slot]!.id, segment.index.numberOfPage(page));
    // A stem shares its first three letters with its words: only those are worth stemming.
    const starts = new Set<string>();
    for (const terms of termsOf) for (const term of terms) starts.add(term.slice(0, 3));
    const positions: number[][] = words.map(() => []);
    for (let at = 0; at < tokens.length; at++) {
      const token = tokens[at]!;
      if (!starts.has(token.slice(0, 3))) continue;
      const term = stem(token);
      for (let w = 0; w < words.length; w++) if (termsOf[w]!.has(term)) positions[w]!.push(at);
    }
    let bonus = 0;
    for (let i = 0; i < words.length; i++) {
      for (let j = i + 1; j < words.length; j++) {
        const a = positions[i]!;
        const b = positions[j]!;
        if (a.length === 0 || b.length === 0) continue;
        let acc = 0;
        let cursor = 0;
        for (const p of a) {
          while (cursor + 1 < b.length && b[cursor + 1]! <= p) cursor++;
          let d = Math.abs(b[cursor]! - p);
          if (cursor + 1 < b.length) d = Math.min(d, Math.abs(b[cursor + 1]! - p));
          if (d > 0 && d <= PROXIMITY_SPAN) acc += 1 / (d * d);
        }
        if (acc > 0) bonus += 0.5 * (words[i]!.idf + words[j]!.idf) * saturate(acc);
      }
    }
    return bonus;
  }

  /**
   * A page's folded words, in order. The same leading pages come back keystroke after
   * keystroke, so the last few hundred are kept.
   */
  private tokensOfPage(id: string, page: number): string[] {
    const key = `${id}\u0000${page}`;
    let tokens = this.pageTokens.get(key);
    if (!tokens) {
      tokens = tokenize(this.pageText(id, page) ?? '');
      if (this.pageTokens.size >= 512) this.pageTokens.delete(this.pageTokens.keys().next().value!);
      this.pageTokens.set(key, tokens);
    }
    return tokens;
  }

  /** The best pages of one item, from the newest segment that holds it, with snippets. */
  private bestPages(
    slot: number,
    count: number,
    marks: SnippetMarks,
    bonus: (s: number, page: number, slot: number) => number,
  ): PageHit[] {
    const id = this.items[slot]!.id;
    for (const [s, segment] of this.segments.entries()) {
      const itemIndex = segment.itemIndex(id);
      if (itemIndex < 0 || segment.slot[itemIndex] !== slot) continue;
      const hits: { page: number; score: number }[] = [];
      for (let p = segment.firstPage[itemIndex]!; p < segment.firstPage[itemIndex + 1]!; p++) {
        if (segment.masks[p] === 0) continue;
        hits.push({ page: p, score: this.itemScore[slot]! + segment.delta[p]! });
      }
      // Words standing together decide between the pages that score best on their own.
      hits.sort((a, b) => b.score - a.score);
      for (const hit of hits.slice(0, count + 2)) hit.score += bonus(s, hit.page, slot);
      return hits
        .map((h) => ({ page: segment.index.numberOfPage(h.page), score: h.score }))
        .sort((a, b) => b.score - a.score)
        .slice(0, count)
        .map((h) => ({
          page: h.page,
          score: Math.round(h.score * 1000) / 1000,
          ...snippet(this.pageText(id, h.page) ?? '', marks),
        }));
    }
    return [];
  }

  private glossaryHits(query: string): GlossaryHit[] {
    const { words, lastIsPrefix } = parseQuery(query);
    if (words.length === 0) return [];
    const lastIndex = words.length - 1;
    return this.glossaryIndex
      .search(words.map((w) => w.word).join(' '), {
        boost: { term: 4, aliases: 3, definition: 0.3 },
        prefix: (term, i) => lastIsPrefix && i === lastIndex && term.length >= 2,
        fuzzy: (term) => (maxEditsFor(term.length) === 0 ? false : maxEditsFor(term.length)),
        combineWith: 'AND',
      })
      .slice(0, 3)
      .map((r) => this.glossaryById.get(String(r.id)))
      .filter((g): g is SearchGlossaryEntry => Boolean(g))
      .map((g) => ({ id: g.id, term: g.term, definition: g.definition }));
  }

  /** What a snippet marks: the stems the query matched, and the word being typed. */
  private snippetMarks(words: readonly Word[]): SnippetMarks {
    const stems = new Set<string>();
    const prefixes: string[] = [];
    for (const word of words) {
      stems.add(word.stem);
      if (word.isPrefix && word.word.length >= 2) prefixes.push(word.word);
      for (const expander of [this.fieldExpander, ...this.segments.map((s) => s.expander)]) {
        for (const e of expander.expand(word)) if (e.weight >= 0.5) stems.add(expander.index.vocabulary.term(e.term));
      }
    }
    return { stems, prefixes };
  }

  /** Completions of the word being typed, as people write them, most frequent first. */
  suggest(query: string, limit = 6): string[] {
    const { words, lastIsPrefix } = parseQuery(query);
    const last = words[words.length - 1];
    if (!last || !lastIsPrefix || last.word.length < 2) return [];
    const counts = new Map<string, number>();
    const indexes = [this.fields, ...this.segments.map((s) => s.index)];
    for (const index of indexes) {
      const { lo, hi } = index.vocabulary.prefixRange(last.word);
      for (const t of topByFrequency(index, lo, hi, limit * 2)) {
        const surface = index.surface(t);
        if (!surface.startsWith(last.word)) continue;
        const boost = index === this.fields ? 20 : 1;
        counts.set(surface, (counts.get(surface) ?? 0) + index.documentFrequency(t) * boost);
      }
    }
    const head = words
      .slice(0, -1)
      .map((w) => w.word)
      .join(' ');
    return [...counts]
      .filter(([word]) => word !== last.word && !parseQuery(word).words[0]?.stop)
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([word]) => (head ? `${head} ${word}` : word));
  }
}

function popcount(x: number): number {
  let n = 0;
  while (x) {
    x &= x - 1;
    n++;
  }
  return n;
}

/** The `limit` most frequent terms of the id range [lo, hi), most frequent first. */
function topByFrequency(index: PageIndex, lo: number, hi: number, limit: number): number[] {
  if (hi - lo <= limit)
    return Array.from({ length: hi - lo }, (_, i) => lo + i).sort(
      (a, b) => index.documentFrequency(b) - index.documentFrequency(a),
    );
  const top: number[] = [];
  let floor = -1;
  for (let t = lo; t < hi; t++) {
    const df = index.documentFrequency(t);
    if (top.length === limit && df <= floor) continue;
    let at = top.length;
    while (at > 0 && index.documentFrequency(top[at - 1]!) < df) at--;
    top.splice(at, 0, t);
    if (top.length > limit) top.pop();
    floor = top.length === limit ? index.documentFrequency(top[top.length - 1]!) : -1;
  }
  return top;
}
