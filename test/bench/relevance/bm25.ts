import { tokenize } from '#shared/text';
import type { Doc } from './generate.ts';

/**
 * The textbook baseline: Okapi BM25 (k1 1.2, b 0.75, idf ln(1 + (N - df + 0.5) / (df + 0.5)))
 * over each document as one text (title, description, tags, pages), case and accents folded,
 * Lucene's classic English stop set removed, no stemming, no fields, no typos, no prefixes.
 */
export const PLAIN_STOP_WORDS = new Set(
  'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with'.split(
    ' ',
  ),
);
const K1 = 1.2;
const B = 0.75;

export function docText(doc: Doc): string {
  return [doc.title, doc.description, doc.tags.join(' '), ...doc.pages].join('\n');
}

export function plainTerms(text: string): string[] {
  return tokenize(text).filter((t) => !PLAIN_STOP_WORDS.has(t));
}

export class PlainBm25 {
  private readonly postings = new Map<string, { doc: number; tf: number }[]>();
  private readonly lengths: number[] = [];
  private readonly average: number;

  constructor(private readonly docs: readonly Doc[]) {
    docs.forEach((doc, d) => {
      const terms = plainTerms(docText(doc));
      this.lengths.push(terms.length);
      const counts = new Map<string, number>();
      for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const [t, tf] of counts) {
        let list = this.postings.get(t);
        if (!list) this.postings.set(t, (list = []));
        list.push({ doc: d, tf });
      }
    });
    this.average = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, docs.length);
  }

  search(query: string, limit: number): string[] {
    const n = this.docs.length;
    const scores = new Map<number, number>();
    for (const term of plainTerms(query)) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      for (const { doc, tf } of list) {
        const norm = tf + K1 * (1 - B + (B * this.lengths[doc]!) / this.average);
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (K1 + 1)) / norm);
      }
    }
    return [...scores]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, limit)
      .map(([doc]) => this.docs[doc]!.id);
  }
}
