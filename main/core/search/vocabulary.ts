/**
 * The vocabulary of a page index as a trie in flat typed arrays. Terms are inserted in sorted
 * order, so every node's subtree is a contiguous range of term ids: a prefix expands to a range
 * without visiting it, and the whole structure saves and loads as a few buffers, no parsing.
 * Typo tolerance walks the trie with a row of the (restricted) Damerau-Levenshtein table per
 * node, pruning a branch as soon as every cell exceeds the allowed edits.
 */
export interface VocabularyArrays {
  /** Concatenated UTF-16 code units of all terms, in sorted order. */
  chars: Uint16Array;
  /** termStart[t]..termStart[t+1] is term t in `chars`. */
  termStart: Uint32Array;
  nodeChar: Uint16Array;
  nodeFirstChild: Int32Array;
  nodeNextSibling: Int32Array;
  /** Term ending at this node, or -1. */
  nodeTerm: Int32Array;
  /** Term ids in this node's subtree: [nodeLo, nodeHi). */
  nodeLo: Uint32Array;
  nodeHi: Uint32Array;
}

export interface FuzzyMatch {
  /** First and one-past-last term id matched (a single term for whole-word matches). */
  lo: number;
  hi: number;
  distance: number;
}

export class Vocabulary {
  readonly size: number;
  private readonly a: VocabularyArrays;

  constructor(arrays: VocabularyArrays) {
    this.a = arrays;
    this.size = arrays.termStart.length - 1;
  }

  get arrays(): VocabularyArrays {
    return this.a;
  }

  /** Builds from terms that are already sorted (code-unit order) and unique. */
  static fromSortedTerms(terms: readonly string[]): Vocabulary {
    let totalChars = 0;
    for (const t of terms) totalChars += t.length;
    const chars = new Uint16Array(totalChars);
    const termStart = new Uint32Array(terms.length + 1);
    // Upper bound on nodes: one per character plus the root.
    const cap = totalChars + 1;
    const nodeChar = new Uint16Array(cap);
    const nodeFirstChild = new Int32Array(cap).fill(-1);
    const nodeNextSibling = new Int32Array(cap).fill(-1);
    const nodeTerm = new Int32Array(cap).fill(-1);
    const nodeLo = new Uint32Array(cap);
    const nodeHi = new Uint32Array(cap);
    const lastChild = new Int32Array(cap).fill(-1);
    let nodes = 1;
    const path: number[] = [0];
    let previous = '';
    let offset = 0;
    for (let t = 0; t < terms.length; t++) {
      const term = terms[t]!;
      if (t > 0 && term <= previous)
        throw new Error(`vocabulary terms must be sorted and unique: "${previous}" then "${term}"`);
      termStart[t] = offset;
      for (let i = 0; i < term.length; i++) chars[offset + i] = term.charCodeAt(i);
      offset += term.length;
      let common = 0;
      while (
        common < term.length &&
        common < previous.length &&
        term.charCodeAt(common) === previous.charCodeAt(common)
      )
        common++;
      // Close the nodes of the previous term below the shared prefix.
      path.length = common + 1;
      for (let depth = common; depth < term.length; depth++) {
        const parent = path[depth]!;
        const node = nodes++;
        nodeChar[node] = term.charCodeAt(depth);
        nodeLo[node] = t;
        if (lastChild[parent] === -1) nodeFirstChild[parent] = node;
        else nodeNextSibling[lastChild[parent]!] = node;
        lastChild[parent] = node;
        path.push(node);
      }
      nodeTerm[path[term.length]!] = t;
      for (const node of path) nodeHi[node] = t + 1;
      previous = term;
    }
    termStart[terms.length] = offset;
    nodeHi[0] = terms.length;
    return new Vocabulary({
      chars,
      termStart,
      nodeChar: nodeChar.slice(0, nodes),
      nodeFirstChild: nodeFirstChild.slice(0, nodes),
      nodeNextSibling: nodeNextSibling.slice(0, nodes),
      nodeTerm: nodeTerm.slice(0, nodes),
      nodeLo: nodeLo.slice(0, nodes),
      nodeHi: nodeHi.slice(0, nodes),
    });
  }

  term(id: number): string {
    const { chars, termStart } = this.a;
    return String.fromCharCode(...chars.subarray(termStart[id]!, termStart[id + 1]!));
  }

  private child(node: number, code: number): number {
    const { nodeFirstChild, nodeNextSibling, nodeChar } = this.a;
    for (let c = nodeFirstChild[node]!; c !== -1; c = nodeNextSibling[c]!) {
      const ch = nodeChar[c]!;
      if (ch === code) return c;
      if (ch > code) return -1;
    }
    return -1;
  }

  private nodeOf(text: string): number {
    let node = 0;
    for (let i = 0; i < text.length && node !== -1; i++) node = this.child(node, text.charCodeAt(i));
    return node;
  }

  /** The id of `term`, or -1. */
  lookup(term: string): number {
    const node = this.nodeOf(term);
    return node === -1 ? -1 : this.a.nodeTerm[node]!;
  }

  /** Term ids starting with `prefix`, as a range [lo, hi) (empty when none). */
  prefixRange(prefix: string): { lo: number; hi: number } {
    const node = this.nodeOf(prefix);
    if (node === -1) return { lo: 0, hi: 0 };
    return { lo: this.a.nodeLo[node]!, hi: this.a.nodeHi[node]! };
  }

  /**
   * Terms within `maxEdits` of `query` (whole words), or, with `prefix`, ranges of terms that
   * start with something within `maxEdits` of `query`. Exact matches come back with distance 0.
   */
  fuzzy(query: string, maxEdits: number, prefix: boolean, limit = 256): FuzzyMatch[] {
    const m = query.length;
    const q = new Uint16Array(m);
    for (let i = 0; i < m; i++) q[i] = query.charCodeAt(i);
    const out: FuzzyMatch[] = [];
    const { nodeFirstChild, nodeNextSibling, nodeChar, nodeTerm, nodeLo, nodeHi } = this.a;
    const firstRow = new Uint8Array(m + 1);
    for (let j = 0; j <= m; j++) firstRow[j] = j;
    const rowPool: Uint8Array[] = [];
    const takeRow = () => rowPool.pop() ?? new Uint8Array(m + 1);

    const visit = (node: number, parentChar: number, row: Uint8Array, previousRow: Uint8Array | null): void => {
      for (let c = nodeFirstChild[node]!; c !== -1 && out.length < limit; c = nodeNextSibling[c]!) {
        const ch = nodeChar[c]!;
        const next = takeRow();
        next[0] = row[0]! + 1;
        let best = next[0]!;
        for (let j = 1; j <= m; j++) {
          const cost = q[j - 1] === ch ? 0 : 1;
          let v = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + cost);
          // Restricted Damerau: two neighbouring letters swapped cost one edit ("comparsion").
          if (previousRow && j > 1 && q[j - 1] === parentChar && q[j - 2] === ch)
            v = Math.min(v, previousRow[j - 2]! + 1);
          next[j] = v;
          if (v < best) best = v;
        }
        const distance = next[m]!;
        if (prefix && distance <= maxEdits) {
          out.push({ lo: nodeLo[c]!, hi: nodeHi[c]!, distance });
          // A deeper node may match with fewer edits ("compa" is 1 from "compar", "compar" 0):
          // keep walking for those; callers keep each term's smallest distance.
          if (best < distance) visit(c, ch, next, row);
        } else {
          if (!prefix && distance <= maxEdits && nodeTerm[c]! >= 0) {
            out.push({ lo: nodeTerm[c]!, hi: nodeTerm[c]! + 1, distance });
          }
          if (best <= maxEdits) visit(c, ch, next, row);
        }
        rowPool.push(next);
      }
    };
    if (prefix && m === 0) return [{ lo: 0, hi: this.size, distance: 0 }];
    visit(0, -1, firstRow, null);
    return out;
  }
}
