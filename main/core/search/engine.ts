import MiniSearch from 'minisearch';
import { PageIndexBuilder, type PageIndex } from './page-index.ts';
import { maxEditsFor, normalise, STOP_WORDS, tokenize, tokenizeQuery } from './tokenize.ts';

/**
 * The search engine. Item metadata and the text of every page go through the same kind of
 * flat inverted index (metadata as one "page" per field, with field boosts), so a keystroke
 * costs a few posting-list scans over typed arrays and no per-document objects. MiniSearch
 * serves the glossary, where its convenience wins and size does not matter. Pure computation:
 * no I/O and no clock; callers pass page text and "now".
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

/** Metadata fields, in "page number" order inside the field index, with their boosts. */
export const FIELDS = ['title', 'tags', 'products', 'collections', 'category', 'description'] as const;
const FIELD_BOOST = new Float32Array([0, 5, 2.5, 2.5, 2, 1.5, 1]);
const PAGE_WEIGHT = 0.6;
const K1 = 1.2;
const B = 0.75;
/** How many completions the word being typed expands to, by its length. */
const PREFIX_EXPANSIONS = [0, 0, 4, 10, 20, 40];
const MAX_FUZZY_EXPANSIONS = 10;
/** Other forms of a finished word that count for it. */
const STEM_EXPANSIONS = 8;
/** A near-miss prefix covering more terms than this is too vague to expand. */
const FUZZY_PREFIX_MAX_RANGE = 400;
/** Postings one query word may scan; the rarest, most likely expansions go first. */
const POSTINGS_BUDGET = 250_000;
/** A word on more than this share of pages is "common": it refines, it does not widen. */
const COMMON_SHARE = 0.1;
const COMMON_MIN_PAGES = 2000;
const SNIPPET_WORDS = 24;

interface Expansion {
  term: number;
  weight: number;
}

interface Accumulated {
  touched: Uint32Array;
  scores: Float32Array;
  masks: Uint32Array;
}

/** One index (the metadata fields, or a segment of pages) with its reusable query buffers. */
class Segment {
  readonly scores: Float32Array;
  readonly masks: Uint32Array;
  readonly touched: Uint32Array;
  touchedCount = 0;
  /** Item index -> slot in the engine's item table, or -1 (removed, or shadowed by a newer segment). */
  readonly slot: Int32Array;
  /** Pages of item i are firstPage[i] .. firstPage[i+1]-1 (the builder adds them item by item). */
  readonly firstPage: Uint32Array;
  private readonly expansions = new Map<string, Expansion[]>();
  private readonly cache = new Map<string, Accumulated>();

  constructor(
    readonly index: PageIndex,
    readonly fieldBoost: Float32Array | null,
  ) {
    this.scores = new Float32Array(index.pageCount);
    this.masks = new Uint32Array(index.pageCount);
    this.touched = new Uint32Array(index.pageCount);
    this.slot = new Int32Array(index.items.length).fill(-1);
    this.firstPage = new Uint32Array(index.items.length + 1);
    // Items without text (images, videos) have no pages: count, then accumulate.
    for (const item of index.data.pageItem) this.firstPage[item + 1]!++;
    for (let i = 0; i < index.items.length; i++) this.firstPage[i + 1]! += this.firstPage[i]!;
  }

  reset(): void {
    for (let k = 0; k < this.touchedCount; k++) {
      const p = this.touched[k]!;
      this.scores[p] = 0;
      this.masks[p] = 0;
    }
    this.touchedCount = 0;
  }

  /**
   * How a query word becomes index terms. Whole words: the word and its near misses (edits
   * scaled to length). The word being typed: its most frequent completions; one letter
   * expands to nothing (it would match half the vocabulary and rank nothing).
   */
  expand(word: string, isPrefix: boolean): Expansion[] {
    const key = `${isPrefix ? 'p' : 'w'}${word}`;
    const cached = this.expansions.get(key);
    if (cached) return cached;
    const vocabulary = this.index.vocabulary;
    const best = new Map<number, number>();
    const offer = (term: number, weight: number) => {
      if (weight > (best.get(term) ?? 0)) best.set(term, weight);
    };
    const exact = vocabulary.lookup(word);
    if (exact >= 0) offer(exact, 1);
    const edits = maxEditsFor(word);
    if (isPrefix) {
      const limit = PREFIX_EXPANSIONS[Math.min(word.length, PREFIX_EXPANSIONS.length - 1)]!;
      if (limit > 0 && !STOP_WORDS.has(word)) {
        const { lo, hi } = vocabulary.prefixRange(word);
        const starts = vocabulary.arrays.termStart;
        for (const term of topByFrequency(this.index, lo, hi, limit, STOP_WORD_IDS(this.index))) {
          offer(term, 0.9 * Math.sqrt(word.length / (starts[term + 1]! - starts[term]!)));
        }
        // A typo in the word being typed ("compar" -> "comapr"): completions of its near
        // misses. Short ones are skipped: a 4-letter prefix one edit away matches too much.
        if (edits > 0 && word.length >= 5) {
          for (const range of vocabulary.fuzzy(word, 1, true, 32)) {
            if (range.distance === 0 || range.hi - range.lo > FUZZY_PREFIX_MAX_RANGE) continue;
            for (const term of topByFrequency(this.index, range.lo, range.hi, 4)) offer(term, 0.45);
          }
        }
      }
    } else {
      // Other forms of the same word: "compare" also finds "comparison", "compared".
      const stem = stemOf(word);
      if (stem) {
        const { lo, hi } = vocabulary.prefixRange(stem);
        for (const term of topByFrequency(this.index, lo, hi, STEM_EXPANSIONS)) offer(term, 0.6);
      }
    }
    if (!isPrefix && edits > 0) {
      const near = vocabulary
        .fuzzy(word, edits, false, 256)
        .filter((m) => m.distance > 0)
        .sort((a, b) => a.distance - b.distance || this.index.documentFrequency(b.lo) - this.index.documentFrequency(a.lo))
        .slice(0, MAX_FUZZY_EXPANSIONS);
      for (const m of near) offer(m.lo, m.distance === 1 ? 0.55 : 0.3);
    }
    const expansions = [...best].map(([term, weight]) => ({ term, weight }));
    if (this.expansions.size > 8192) this.expansions.clear();
    this.expansions.set(key, expansions);
    return expansions;
  }

  /**
   * Whether a word reaches so many pages that scanning them all would cost more than it tells.
   * Small libraries never restrict: every page is cheap there.
   */
  private isCommon(reach: number): boolean {
    return reach > Math.max(COMMON_MIN_PAGES, COMMON_SHARE * this.index.pageCount);
  }

  /** How many pages a query word would touch, over its expansions. */
  private reach(word: string, isPrefix: boolean): number {
    let total = 0;
    for (const e of this.expand(word, isPrefix)) total += this.index.documentFrequency(e.term);
    return total;
  }

  /**
   * BM25 of one query word (bit `bit`) into the page buffers. With `restrict`, the word only
   * adds to pages another word already matched: a common word or a half-typed one refines the
   * ranking of those pages instead of dragging every page of the library into it.
   */
  private addWord(word: string, isPrefix: boolean, bit: number, restrict: boolean): void {
    const index = this.index;
    const n = index.pageCount;
    const avg = index.averagePageLength;
    const lengths = index.data.pageLength;
    const idf = (df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));
    const ranked = this.expand(word, isPrefix)
      .map((e) => ({ ...e, df: index.documentFrequency(e.term) }))
      .sort((a, b) => b.weight * idf(b.df) - a.weight * idf(a.df));
    let budget = POSTINGS_BUDGET;
    const scores = this.scores;
    const masks = this.masks;
    const touched = this.touched;
    for (const { term, weight, df } of ranked) {
      if (budget <= 0) break;
      budget -= df;
      const w = weight * idf(df) * (K1 + 1);
      const { pages, tf } = index.postings(term);
      if (restrict) {
        for (let k = 0; k < pages.length; k++) {
          const page = pages[k]!;
          if (masks[page] === 0) continue;
          const f = tf[k]!;
          scores[page]! += (w * f) / (f + K1 * (1 - B + (B * lengths[page]!) / avg));
          masks[page]! |= bit;
        }
      } else {
        let count = this.touchedCount;
        for (let k = 0; k < pages.length; k++) {
          const page = pages[k]!;
          const f = tf[k]!;
          if (masks[page] === 0) touched[count++] = page;
          scores[page]! += (w * f) / (f + K1 * (1 - B + (B * lengths[page]!) / avg));
          masks[page]! |= bit;
        }
        this.touchedCount = count;
      }
    }
  }

  /**
   * Scores the query into the buffers. The words already complete are the same from one
   * keystroke to the next, so their accumulation is cached and only the word being typed is
   * scanned again.
   */
  accumulate(words: readonly string[], lastIsPrefix: boolean, skip: number): void {
    this.reset();
    const complete = lastIsPrefix ? words.length - 1 : words.length;
    const key = `${skip}|${words.slice(0, complete).join(' ')}`;
    const cached = complete > 0 ? this.cache.get(key) : undefined;
    if (cached) {
      this.touched.set(cached.touched);
      this.touchedCount = cached.touched.length;
      for (let k = 0; k < cached.touched.length; k++) {
        const p = cached.touched[k]!;
        this.scores[p] = cached.scores[k]!;
        this.masks[p] = cached.masks[k]!;
      }
    } else if (complete > 0) {
      // Rarest words first; later words that are common only refine the pages found so far.
      const order = [...Array(complete).keys()]
        .filter((w) => !(skip & (1 << w)))
        .map((w) => ({ w, reach: this.reach(words[w]!, false) }))
        .sort((a, b) => a.reach - b.reach);
      order.forEach(({ w, reach }, i) => {
        const restrict = i > 0 && this.touchedCount > 0 && this.isCommon(reach);
        this.addWord(words[w]!, false, 1 << w, restrict);
      });
      const touched = this.touched.slice(0, this.touchedCount);
      const scores = new Float32Array(touched.length);
      const masks = new Uint32Array(touched.length);
      for (let k = 0; k < touched.length; k++) {
        scores[k] = this.scores[touched[k]!]!;
        masks[k] = this.masks[touched[k]!]!;
      }
      if (this.cache.size >= 16) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, { touched, scores, masks });
    }
    if (lastIsPrefix && !(skip & (1 << complete))) {
      // In a large library the word being typed refines what the finished words found.
      const word = words[complete]!;
      this.addWord(word, true, 1 << complete, this.touchedCount > 0 && this.isCommon(this.reach(word, true)));
    }
  }

  /** A page's score once coverage of the query is counted (more distinct words, better). */
  pageScore(page: number, wordCount: number): number {
    const boost = this.fieldBoost ? this.fieldBoost[this.index.data.pageNumber[page]!]! : 1;
    return this.scores[page]! * boost * coverageFactors(wordCount)[popcount(this.masks[page]!)]!;
  }
}

export class SearchEngine {
  private readonly items: SearchItem[];
  private readonly glossaryIndex: MiniSearch<SearchGlossaryEntry>;
  private readonly glossaryById: Map<string, SearchGlossaryEntry>;
  private readonly fields: Segment;
  private readonly segments: Segment[];
  private readonly itemScore: Float32Array;
  private readonly itemMask: Uint32Array;
  private readonly itemTouched: Uint32Array;
  private readonly itemSeen: Uint8Array;
  private readonly itemFirst: Float32Array;
  private readonly itemSecond: Float32Array;

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
      processTerm: (t) => t,
      extractField: (doc, field) => {
        const value = (doc as unknown as Record<string, unknown>)[field];
        return Array.isArray(value) ? value.join(' ') : String(value ?? '');
      },
    });
    this.glossaryIndex.addAll([...glossary]);
    this.fields = new Segment(fieldIndex, FIELD_BOOST);
    fieldIndex.items.forEach((id, i) => (this.fields.slot[i] = slotOf.get(id) ?? -1));
    this.segments = segments.map((index) => new Segment(index, null));
    const newest = new Map<string, number>();
    segments.forEach((segment, s) => segment.items.forEach((id) => newest.set(id, s)));
    this.segments.forEach((segment, s) =>
      segment.index.items.forEach((id, i) => {
        segment.slot[i] = newest.get(id) === s ? (slotOf.get(id) ?? -1) : -1;
      }),
    );
    this.itemScore = new Float32Array(this.items.length);
    this.itemMask = new Uint32Array(this.items.length);
    this.itemTouched = new Uint32Array(this.items.length);
    this.itemSeen = new Uint8Array(this.items.length);
    this.itemFirst = new Float32Array(this.items.length);
    this.itemSecond = new Float32Array(this.items.length);
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
    if (f.kinds?.length && !f.kinds.includes(item.kind) && !(item.category && f.kinds.includes(item.category))) return false;
    if (f.products?.length && !f.products.some((p) => item.products.includes(p))) return false;
    if (f.collections?.length && !f.collections.some((c) => item.collections.includes(c))) return false;
    if (f.tags?.length && !f.tags.some((t) => item.tags.includes(t))) return false;
    return true;
  }

  search(query: string, options: SearchOptions): SearchResult {
    const parsed = tokenizeQuery(query);
    const words = parsed.terms.slice(0, 24);
    const lastIsPrefix = parsed.lastIsPrefix && words.length === parsed.terms.length;
    const limit = options.limit ?? 20;
    if (words.length === 0) return { query, items: [], glossary: [], total: 0 };
    // Stop words do not have to match ("how do you compare with hydramax") and, next to a
    // real word, are not even scanned: their postings cover every page and rank nothing.
    let required = 0;
    let skip = 0;
    words.forEach((w, i) => {
      if (!STOP_WORDS.has(w)) required |= 1 << i;
    });
    if (required === 0) required = (1 << words.length) - 1;
    else skip = ((1 << words.length) - 1) & ~required;

    let itemCount = 0;
    const touchItem = (slot: number, score: number, mask: number) => {
      if (!this.itemSeen[slot]) {
        this.itemSeen[slot] = 1;
        this.itemTouched[itemCount++] = slot;
      }
      this.itemScore[slot]! += score;
      this.itemMask[slot]! |= mask;
    };

    // Metadata: every matching field adds its boosted score to its item.
    this.fields.accumulate(words, lastIsPrefix, skip);
    for (let k = 0; k < this.fields.touchedCount; k++) {
      const page = this.fields.touched[k]!;
      const slot = this.fields.slot[this.fields.index.itemOfPage(page)]!;
      if (slot >= 0) touchItem(slot, this.fields.pageScore(page, words.length), this.fields.masks[page]!);
    }
    // Page text: an item counts its best page, plus a little of its next best.
    const first = this.itemFirst;
    const second = this.itemSecond;
    const seen = this.itemSeen;
    const itemTouched = this.itemTouched;
    const itemMask = this.itemMask;
    for (const segment of this.segments) {
      segment.accumulate(words, lastIsPrefix, skip);
      const pageItem = segment.index.data.pageItem;
      const coverage = coverageFactors(words.length);
      const scores = segment.scores;
      const masks = segment.masks;
      const touched = segment.touched;
      const slots = segment.slot;
      for (let k = 0; k < segment.touchedCount; k++) {
        const page = touched[k]!;
        const slot = slots[pageItem[page]!]!;
        if (slot < 0) continue;
        const mask = masks[page]!;
        const score = scores[page]! * coverage[popcount(mask)]!;
        if (!seen[slot]) {
          seen[slot] = 1;
          itemTouched[itemCount++] = slot;
        }
        if (score > first[slot]!) {
          second[slot] = first[slot]!;
          first[slot] = score;
        } else if (score > second[slot]!) second[slot] = score;
        itemMask[slot]! |= mask;
      }
      // Items first seen in earlier loops may have page scores too: settle every touched item.
      for (let k = 0; k < itemCount; k++) {
        const slot = this.itemTouched[k]!;
        if (first[slot]! > 0) {
          this.itemScore[slot]! += PAGE_WEIGHT * (first[slot]! + 0.25 * second[slot]!);
          first[slot] = 0;
          second[slot] = 0;
        }
      }
    }

    // Top `limit` visible items: all required words first, then by score.
    const top: { slot: number; all: boolean; score: number }[] = [];
    let total = 0;
    for (let k = 0; k < itemCount; k++) {
      const slot = this.itemTouched[k]!;
      const item = this.items[slot]!;
      if (!this.visible(item, options)) continue;
      total++;
      const all = (this.itemMask[slot]! & required) === required;
      const score = this.itemScore[slot]!;
      if (top.length === limit) {
        const last = top[top.length - 1]!;
        if (Number(all) < Number(last.all) || (all === last.all && score <= last.score)) continue;
      }
      let at = top.length;
      while (at > 0) {
        const prev = top[at - 1]!;
        if (Number(prev.all) > Number(all) || (prev.all === all && prev.score >= score)) break;
        at--;
      }
      top.splice(at, 0, { slot, all, score });
      if (top.length > limit) top.pop();
    }

    const marks = this.highlightTerms(words, lastIsPrefix, skip);
    const pagesPerItem = options.pagesPerItem ?? 3;
    const items: ItemHit[] = top.map(({ slot, all, score }) => {
      const item = this.items[slot]!;
      return {
        id: item.id,
        title: item.title,
        kind: item.kind,
        score: Math.round(score * 1000) / 1000,
        matchedAll: all,
        pages: pagesPerItem > 0 ? this.bestPages(slot, words.length, pagesPerItem, marks) : [],
      };
    });

    for (let k = 0; k < itemCount; k++) {
      const slot = this.itemTouched[k]!;
      this.itemScore[slot] = 0;
      this.itemMask[slot] = 0;
      this.itemSeen[slot] = 0;
    }

    return { query, items, glossary: this.glossaryHits(words, lastIsPrefix), total };
  }

  /** The best pages of one item, from the newest segment that holds it, with snippets. */
  private bestPages(slot: number, wordCount: number, count: number, marks: HighlightTerms): PageHit[] {
    const id = this.items[slot]!.id;
    for (const segment of this.segments) {
      const itemIndex = segment.index.items.indexOf(id);
      if (itemIndex < 0 || segment.slot[itemIndex] !== slot) continue;
      const hits: { page: number; score: number }[] = [];
      for (let p = segment.firstPage[itemIndex]!; p < segment.firstPage[itemIndex + 1]!; p++) {
        if (segment.masks[p] === 0) continue;
        hits.push({ page: segment.index.numberOfPage(p), score: segment.pageScore(p, wordCount) });
      }
      return hits
        .sort((a, b) => b.score - a.score)
        .slice(0, count)
        .map((h) => ({ page: h.page, score: Math.round(h.score * 1000) / 1000, ...snippet(this.pageText(id, h.page) ?? '', marks) }));
    }
    return [];
  }

  private glossaryHits(words: string[], lastIsPrefix: boolean): GlossaryHit[] {
    return this.glossaryIndex
      .search(words.join(' '), {
        boost: { term: 4, aliases: 3, definition: 0.3 },
        prefix: (term, i) => lastIsPrefix && i === words.length - 1 && term.length >= 2,
        fuzzy: (term) => (maxEditsFor(term) === 0 ? false : maxEditsFor(term)),
        combineWith: 'AND',
      })
      .slice(0, 3)
      .map((r) => this.glossaryById.get(String(r.id)))
      .filter((g): g is SearchGlossaryEntry => Boolean(g))
      .map((g) => ({ id: g.id, term: g.term, definition: g.definition }));
  }

  /** The words a snippet should mark: the query's words, completions and near misses. */
  private highlightTerms(words: string[], lastIsPrefix: boolean, skip: number): HighlightTerms {
    const exact = new Set<string>();
    const prefixes: string[] = [];
    words.forEach((word, w) => {
      if (skip & (1 << w)) return;
      exact.add(word);
      const isPrefix = lastIsPrefix && w === words.length - 1;
      if (isPrefix && word.length >= 2) prefixes.push(word);
      for (const segment of [this.fields, ...this.segments]) {
        for (const e of segment.expand(word, isPrefix)) exact.add(segment.index.vocabulary.term(e.term));
      }
    });
    return { exact, prefixes };
  }

  /** Completions of the word being typed, most frequent first, for autosuggest. */
  suggest(query: string, limit = 6): string[] {
    const { terms, lastIsPrefix } = tokenizeQuery(query);
    const last = terms[terms.length - 1];
    if (!last || !lastIsPrefix || last.length < 2) return [];
    const counts = new Map<string, number>();
    for (const segment of [this.fields, ...this.segments]) {
      const { lo, hi } = segment.index.vocabulary.prefixRange(last);
      for (const t of topByFrequency(segment.index, lo, hi, limit * 2)) {
        const term = segment.index.vocabulary.term(t);
        const boost = segment === this.fields ? 20 : 1;
        counts.set(term, (counts.get(term) ?? 0) + segment.index.documentFrequency(t) * boost);
      }
    }
    const head = terms.slice(0, -1).join(' ');
    return [...counts]
      .filter(([term]) => term !== last && !STOP_WORDS.has(term))
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([term]) => (head ? `${head} ${term}` : term));
  }
}

interface HighlightTerms {
  exact: Set<string>;
  prefixes: string[];
}

const coverageTables: Float32Array[] = [];
/** factor[m] for a page matching m of `wordCount` words: matching more words ranks higher. */
function coverageFactors(wordCount: number): Float32Array {
  let table = coverageTables[wordCount];
  if (!table) {
    table = new Float32Array(33);
    for (let m = 0; m <= 32; m++) {
      const share = Math.min(1, m / wordCount);
      table[m] = 0.5 + 0.5 * share * share;
    }
    coverageTables[wordCount] = table;
  }
  return table;
}

function popcount(x: number): number {
  let n = 0;
  while (x) {
    x &= x - 1;
    n++;
  }
  return n;
}

const SUFFIXES = ['ations', 'ation', 'isons', 'ison', 'ings', 'ing', 'ions', 'ion', 'ers', 'er', 'ies', 'es', 'ed', 'ly', 's', 'e', 'y'];

/**
 * A crude English stem: the word without its inflection, if at least four letters remain
 * ("compares" -> "compar", "pricing" -> "pric"). Used as a prefix, so it errs towards finding.
 */
export function stemOf(word: string): string | null {
  if (word.length < 5 || /\d/.test(word)) return null;
  for (const suffix of SUFFIXES) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 4) return word.slice(0, -suffix.length);
  }
  return null;
}

const stopWordIds = new WeakMap<PageIndex, Set<number>>();
/** Term ids of the stop words in an index: completions never expand to them. */
function STOP_WORD_IDS(index: PageIndex): Set<number> {
  let ids = stopWordIds.get(index);
  if (!ids) {
    ids = new Set([...STOP_WORDS].map((w) => index.vocabulary.lookup(w)).filter((id) => id >= 0));
    stopWordIds.set(index, ids);
  }
  return ids;
}

/** The `limit` most frequent terms of the id range [lo, hi), most frequent first. */
function topByFrequency(index: PageIndex, lo: number, hi: number, limit: number, exclude?: Set<number>): number[] {
  if (hi - lo <= limit && !exclude) return Array.from({ length: hi - lo }, (_, i) => lo + i);
  const top: number[] = [];
  let floor = -1;
  for (let t = lo; t < hi; t++) {
    if (exclude?.has(t)) continue;
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

const WORD = /[\p{L}\p{N}]+(?:['’]\p{L}+)?/gu;
const ASCII_WORD = /[A-Za-z0-9]+(?:'[A-Za-z]+)?/g;
// eslint-disable-next-line no-control-regex -- testing for plain ASCII
const NON_ASCII = /[^\u0000-\u007f]/;

function isMarked(word: string, ascii: boolean, terms: HighlightTerms): boolean {
  const norm = ascii ? word.toLowerCase().replace("'", '') : normalise(word).replace(/['’]/g, '');
  if (terms.exact.has(norm)) return true;
  for (const p of terms.prefixes) if (norm.startsWith(p)) return true;
  return false;
}

/** Characters that make up a word in the ASCII fast path. */
function isWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90);
}

/**
 * The most relevant stretch of a page: a window of about 24 words holding the most distinct
 * marked words, cut at word boundaries, whitespace collapsed, with the marked words' ranges.
 * Plain-ASCII pages (the common case) are searched with indexOf on the lower-cased text, so
 * only the window itself is walked word by word.
 */
export function snippet(text: string, terms: HighlightTerms): { snippet: string; highlights: [number, number][] } {
  if (!text) return { snippet: '', highlights: [] };
  if (NON_ASCII.test(text)) return snippetByWords(text, terms);
  const lower = text.toLowerCase();
  const hits: { start: number; end: number; term: string }[] = [];
  const find = (term: string, whole: boolean) => {
    for (let at = lower.indexOf(term); at !== -1; at = lower.indexOf(term, at + 1)) {
      if (at > 0 && isWordChar(lower.charCodeAt(at - 1))) continue;
      let end = at + term.length;
      if (whole && end < lower.length && isWordChar(lower.charCodeAt(end))) continue;
      while (end < lower.length && isWordChar(lower.charCodeAt(end))) end++;
      hits.push({ start: at, end, term });
      if (hits.length > 2000) return;
    }
  };
  for (const term of terms.exact) if (/^[a-z0-9]+$/.test(term)) find(term, true);
  for (const prefix of terms.prefixes) if (/^[a-z0-9]+$/.test(prefix)) find(prefix, false);
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
function snippetAround(text: string, anchor: number, hits: readonly { start: number; end: number }[]): { snippet: string; highlights: [number, number][] } {
  // Back up four words from the anchor.
  let from = anchor;
  for (let words = 0; from > 0 && words < 4; ) {
    from--;
    if (isWordChar(text.charCodeAt(from)) && (from === 0 || !isWordChar(text.charCodeAt(from - 1)))) words++;
  }
  let to = from;
  for (let words = 0; to < text.length && words < SNIPPET_WORDS; ) {
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

/** The general path, for text with accents or other scripts: normalise word by word. */
function snippetByWords(text: string, terms: HighlightTerms): { snippet: string; highlights: [number, number][] } {
  const ascii = false;
  const pattern = ascii ? ASCII_WORD : WORD;
  const starts: number[] = [];
  const ends: number[] = [];
  const hits: (string | null)[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    starts.push(m.index);
    ends.push(m.index + m[0].length);
    hits.push(isMarked(m[0], ascii, terms) ? m[0].toLowerCase() : null);
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
