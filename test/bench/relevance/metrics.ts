import type { Judgments } from './generate.ts';

/**
 * The usual measures over a ranked list of document ids: nDCG@10 with gains 2^grade - 1, P@10
 * and (mean) average precision counting any grade above 0 as relevant.
 */
export interface Scores {
  ndcg10: number;
  p10: number;
  map: number;
}

export function scoreRun(judgments: Judgments, run: Map<string, string[]>): Scores {
  let ndcg = 0;
  let p10 = 0;
  let map = 0;
  for (const [query, grades] of judgments) {
    const ranked = run.get(query) ?? [];
    const gain = (g: number) => Math.pow(2, g) - 1;
    let dcg = 0;
    ranked.slice(0, 10).forEach((doc, i) => (dcg += gain(grades.get(doc) ?? 0) / Math.log2(i + 2)));
    const ideal = [...grades.values()].sort((a, b) => b - a).slice(0, 10);
    let idcg = 0;
    ideal.forEach((g, i) => (idcg += gain(g) / Math.log2(i + 2)));
    ndcg += idcg > 0 ? dcg / idcg : 0;
    p10 += ranked.slice(0, 10).filter((doc) => (grades.get(doc) ?? 0) > 0).length / 10;
    let found = 0;
    let sum = 0;
    ranked.forEach((doc, i) => {
      if ((grades.get(doc) ?? 0) > 0) sum += ++found / (i + 1);
    });
    map += grades.size > 0 ? sum / grades.size : 0;
  }
  const n = Math.max(1, judgments.size);
  return { ndcg10: ndcg / n, p10: p10 / n, map: map / n };
}
