import MiniSearch from 'minisearch';
import { keystrokes, loadCorpus, readPages } from './corpus.ts';
import { engineReport, heapMb, timed, type EngineReport } from './measure.ts';

/**
 * The baseline the issue measured: MiniSearch with one document per page, prefix and fuzzy on,
 * results grouped by item afterwards. Run on a sample of the queries (it is slow).
 */
const [, , dir, sampleText] = process.argv;
if (!dir) throw new Error('usage: naive.ts DIR [SAMPLE]');
const { items, queries } = loadCorpus(dir);
const before = heapMb();
const options = { fields: ['title', 'text'], storeFields: ['item', 'page'] };
const { value: mini, ms: buildMs } = timed(() => {
  const m = new MiniSearch<{ id: number; item: string; page: number; title: string; text: string }>(options);
  const pages = readPages(dir);
  let id = 0;
  for (const item of items) {
    for (let p = 1; p <= item.pages; p++)
      m.add({ id: id++, item: item.id, page: p, title: item.title, text: pages.next().value as string });
  }
  return m;
});
const heap = heapMb() - before;
const { value: json, ms: saveMs } = timed(() => JSON.stringify(mini));
const { ms: loadMs } = timed(() =>
  MiniSearch.loadJSON(json, options).search(queries[0]!.text, { prefix: true, fuzzy: 0.2 }),
);
const search = (q: string) => {
  const byItem = new Map<string, number>();
  for (const r of mini.search(q, { prefix: true, fuzzy: 0.2 }))
    byItem.set(r.item as string, (byItem.get(r.item as string) ?? 0) + r.score);
  return [...byItem].sort((a, b) => b[1] - a[1]).slice(0, 10);
};
const sample = Number(sampleText ?? 60);
const queryMs = queries.slice(0, sample).map((q) => timed(() => search(q.text)).ms);
const keyMs: number[] = [];
for (const q of queries.slice(0, sample))
  for (const typed of keystrokes(q.text)) keyMs.push(timed(() => search(typed)).ms);
const report: EngineReport & { build_ms: number; snapshot_mb: number; save_ms: number } = {
  build_ms: Math.round(buildMs),
  snapshot_mb: Buffer.byteLength(json) / 1e6,
  save_ms: Math.round(saveMs),
  ...engineReport(loadMs, heap, queryMs, keyMs),
};
process.stdout.write(`${JSON.stringify(report)}\n`);
