import { stem } from '#shared/text';
import { Vocabulary, type VocabularyArrays } from './vocabulary.ts';

/**
 * An inverted index of page text in flat typed arrays: for every term, the pages it occurs on
 * (ascending) and how often. A page belongs to an item (by its index in `items`) and has a
 * number inside it. Built once per release (or per changed batch of items) and saved as-is.
 */
export interface PageIndexArrays {
  vocabulary: VocabularyArrays;
  /** postings of term t: postPage/postTf[postStart[t] .. postStart[t+1]) */
  postStart: Uint32Array;
  postPage: Uint32Array;
  postTf: Uint8Array;
  pageItem: Uint32Array;
  pageNumber: Uint32Array;
  pageLength: Uint16Array;
  /** The form of term t most often seen in the text (terms are stems): surfaceChars[surfaceStart[t] .. surfaceStart[t+1]). */
  surfaceChars: Uint16Array;
  surfaceStart: Uint32Array;
}

export interface PageIndexData extends PageIndexArrays {
  /** Item ids, by item index. */
  items: string[];
}

export class PageIndex {
  readonly vocabulary: Vocabulary;
  readonly items: string[];
  readonly pageCount: number;
  readonly averagePageLength: number;
  private readonly d: PageIndexData;

  constructor(data: PageIndexData) {
    this.d = data;
    this.items = data.items;
    this.vocabulary = new Vocabulary(data.vocabulary);
    this.pageCount = data.pageItem.length;
    let total = 0;
    for (let p = 0; p < this.pageCount; p++) total += data.pageLength[p]!;
    this.averagePageLength = this.pageCount === 0 ? 1 : Math.max(1, total / this.pageCount);
  }

  get data(): PageIndexData {
    return this.d;
  }

  documentFrequency(term: number): number {
    return this.d.postStart[term + 1]! - this.d.postStart[term]!;
  }

  postings(term: number): { pages: Uint32Array; tf: Uint8Array } {
    const from = this.d.postStart[term]!;
    const to = this.d.postStart[term + 1]!;
    return { pages: this.d.postPage.subarray(from, to), tf: this.d.postTf.subarray(from, to) };
  }

  itemOfPage(page: number): number {
    return this.d.pageItem[page]!;
  }

  numberOfPage(page: number): number {
    return this.d.pageNumber[page]!;
  }

  lengthOfPage(page: number): number {
    return this.d.pageLength[page]!;
  }

  /** The word as people wrote it most often, for completions ("monitoring", not "monitor"). */
  surface(term: number): string {
    const { surfaceChars, surfaceStart } = this.d;
    return String.fromCharCode(...surfaceChars.subarray(surfaceStart[term]!, surfaceStart[term + 1]!));
  }
}

/**
 * Collects pages in any order of items, then lays out the arrays in one pass. Pages come as
 * folded words; the builder stems them (once per distinct word) so the index holds stems.
 */
export class PageIndexBuilder {
  private readonly termIds = new Map<string, number>();
  private readonly termNames: string[] = [];
  /** Folded word -> its term id (the id of its stem). */
  private readonly wordIds = new Map<string, number>();
  /** Per term, the majority vote (Boyer-Moore) over the words that stem to it. */
  private readonly surfaceVote: string[] = [];
  private readonly surfaceVotes: number[] = [];
  private readonly items: string[] = [];
  private pageItem: number[] = [];
  private pageNumber: number[] = [];
  private pageLength: number[] = [];
  // Growable (term, page, tf) triples; sorted into postings by a counting sort at the end.
  private tTerm = new Uint32Array(1 << 16);
  private tPage = new Uint32Array(1 << 16);
  private tTf = new Uint8Array(1 << 16);
  private triples = 0;

  addItem(itemId: string, pages: readonly (readonly string[])[]): void {
    const itemIndex = this.items.push(itemId) - 1;
    pages.forEach((tokens, i) => this.addPage(itemIndex, i + 1, tokens));
  }

  private addPage(itemIndex: number, pageNumber: number, tokens: readonly string[]): void {
    const page = this.pageItem.length;
    this.pageItem.push(itemIndex);
    this.pageNumber.push(pageNumber);
    this.pageLength.push(Math.min(tokens.length, 65535));
    const counts = new Map<number, number>();
    for (const token of tokens) {
      let id = this.wordIds.get(token);
      if (id === undefined) {
        const term = stem(token);
        id = this.termIds.get(term);
        if (id === undefined) {
          id = this.termNames.push(term) - 1;
          this.termIds.set(term, id);
          this.surfaceVote.push(token);
          this.surfaceVotes.push(0);
        }
        this.wordIds.set(token, id);
      }
      if (this.surfaceVote[id] === token) this.surfaceVotes[id]!++;
      else if (this.surfaceVotes[id] === 0) {
        this.surfaceVote[id] = token;
        this.surfaceVotes[id] = 1;
      } else this.surfaceVotes[id]!--;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    for (const [term, tf] of counts) {
      if (this.triples === this.tTerm.length) this.grow();
      this.tTerm[this.triples] = term;
      this.tPage[this.triples] = page;
      this.tTf[this.triples] = Math.min(tf, 255);
      this.triples++;
    }
  }

  private grow(): void {
    const size = this.tTerm.length * 2;
    const term = new Uint32Array(size);
    term.set(this.tTerm);
    const page = new Uint32Array(size);
    page.set(this.tPage);
    const tf = new Uint8Array(size);
    tf.set(this.tTf);
    this.tTerm = term;
    this.tPage = page;
    this.tTf = tf;
  }

  build(): PageIndex {
    const order = this.termNames.map((_, i) => i).sort((a, b) => (this.termNames[a]! < this.termNames[b]! ? -1 : 1));
    const rank = new Uint32Array(order.length);
    order.forEach((old, sorted) => (rank[old] = sorted));
    const vocabulary = Vocabulary.fromSortedTerms(order.map((i) => this.termNames[i]!));
    const postStart = new Uint32Array(order.length + 1);
    for (let i = 0; i < this.triples; i++) postStart[rank[this.tTerm[i]!]! + 1]!++;
    for (let t = 0; t < order.length; t++) postStart[t + 1]! += postStart[t]!;
    const cursor = postStart.slice(0, order.length);
    const postPage = new Uint32Array(this.triples);
    const postTf = new Uint8Array(this.triples);
    // Triples arrive in page order, so each term's postings come out ascending by page.
    for (let i = 0; i < this.triples; i++) {
      const t = rank[this.tTerm[i]!]!;
      const at = cursor[t]!++;
      postPage[at] = this.tPage[i]!;
      postTf[at] = this.tTf[i]!;
    }
    const surfaces = order.map((i) => this.surfaceVote[i]!);
    const surfaceStart = new Uint32Array(order.length + 1);
    surfaces.forEach((word, t) => (surfaceStart[t + 1] = surfaceStart[t]! + word.length));
    const surfaceChars = new Uint16Array(surfaceStart[order.length]!);
    surfaces.forEach((word, t) => {
      for (let i = 0; i < word.length; i++) surfaceChars[surfaceStart[t]! + i] = word.charCodeAt(i);
    });
    return new PageIndex({
      vocabulary: vocabulary.arrays,
      surfaceChars,
      surfaceStart,
      postStart,
      postPage,
      postTf,
      pageItem: Uint32Array.from(this.pageItem),
      pageNumber: Uint32Array.from(this.pageNumber),
      pageLength: Uint16Array.from(this.pageLength),
      items: this.items,
    });
  }
}
