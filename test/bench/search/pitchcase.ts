import { statSync } from 'node:fs';
import path from 'node:path';
import { PageIndexBuilder } from '#core/search/page-index';
import { SearchEngine, type SearchItem } from '#core/search/engine';
import { readSnapshot, writeSnapshot } from '#core/search/snapshot';
import { tokenize } from '#shared/text';
import { keystrokes, loadCorpus, PageTextFile, readPages } from './corpus.ts';
import { engineReport, heapMb, timed, timedCpu } from './measure.ts';
import { percentile } from './corpus.ts';

/** Pitchcase's engine: build, save, then (in a fresh process) load, query and replay keystrokes. */
const [, , mode, dir, sampleText] = process.argv;
if (!dir) throw new Error('usage: pitchcase.ts build|query DIR');
const snapshotFile = path.join(dir, 'pitchcase.idx');
const { items, queries } = loadCorpus(dir);
const searchItems: SearchItem[] = items.map((i) => ({
  id: i.id,
  title: i.title,
  kind: 'pdf',
  category: i.kind,
  description: i.description,
  tags: i.tags,
  products: i.products,
  collections: i.collections,
  collectionTitles: i.collections,
  validFrom: null,
  validUntil: null,
  kiosk: false,
}));

if (mode === 'build') {
  const { ms } = timed(() => {
    const builder = new PageIndexBuilder();
    const pages = readPages(dir);
    for (const item of items) {
      const tokens: string[][] = [];
      for (let p = 0; p < item.pages; p++) tokens.push(tokenize(pages.next().value as string));
      builder.addItem(item.id, tokens);
    }
    const index = builder.build();
    const fields = SearchEngine.buildFieldIndex(searchItems);
    writeSnapshot(snapshotFile, { key: 'bench', segments: [fields, index], extra: null });
  });
  process.stdout.write(
    `${JSON.stringify({ build_ms: Math.round(ms), snapshot_mb: statSync(snapshotFile).size / 1e6 })}\n`,
  );
} else {
  const text = new PageTextFile(dir);
  const firstPage = new Map(items.map((i) => [i.id, i.firstPage]));
  const before = heapMb();
  const now = new Date().toISOString();
  const {
    value: engine,
    ms: loadMs,
    cpuMs: loadCpuMs,
  } = timedCpu(() => {
    const snapshot = readSnapshot(snapshotFile, 'bench');
    const [fields, ...pages] = snapshot.segments;
    const e = new SearchEngine(searchItems, [], fields!, pages, (id, page) => text.get(firstPage.get(id)! + page - 1));
    e.search(queries[0]!.text, { now, limit: 10 });
    return e;
  });
  const heap = heapMb() - before;
  const sample = Number(sampleText ?? queries.length);
  const queryMs: number[] = [];
  const keyMs: number[] = [];
  const queryCpu: number[] = [];
  const keyCpu: number[] = [];
  for (const q of queries.slice(0, sample)) {
    const t = timedCpu(() => engine.search(`${q.text} `, { now, limit: 10 }));
    queryMs.push(t.ms);
    queryCpu.push(t.cpuMs);
  }
  for (const q of queries.slice(0, sample)) {
    for (const typed of keystrokes(q.text)) {
      const t = timedCpu(() => engine.search(typed, { now, limit: 10 }));
      keyMs.push(t.ms);
      keyCpu.push(t.cpuMs);
    }
  }
  const report = {
    ...engineReport(loadMs, heap, queryMs, keyMs),
    load_cpu_ms: Math.round(loadCpuMs),
    query_cpu_p50_ms: percentile(queryCpu, 50),
    query_cpu_p95_ms: percentile(queryCpu, 95),
    keystroke_cpu_p50_ms: percentile(keyCpu, 50),
    keystroke_cpu_p95_ms: percentile(keyCpu, 95),
  };
  text.close();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}
