import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { SearchEngine, type SearchItem } from '#core/search/engine';
import { PageIndexBuilder } from '#core/search/page-index';
import { tokenize } from '#shared/text';
import { docText, PlainBm25, PLAIN_STOP_WORDS, plainTerms } from './bm25.ts';
import { collateral, mixtures, type Collection, type Doc, type JudgedQuery, type Judgments } from './generate.ts';
import { scoreRun, type Scores } from './metrics.ts';

/**
 * npm run bench:relevance [-- --write]
 * Ranks the judged queries of two generated collections with Pitchcase's engine, a plain BM25
 * and SQLite FTS5's bm25, on the same documents, and prints nDCG@10, P@10 and MAP. The queries
 * and judgments are read from judged/<collection>/ (written down in the repo); the documents are
 * regenerated from the seed and must hash to the recorded value, so the judgments always
 * describe the documents ranked. --write regenerates the judged files (after a generator change).
 * The last line is one JSON object.
 */
const { values } = parseArgs({ options: { write: { type: 'boolean', default: false } } });
const here = import.meta.dirname;
const log = (line: string) => process.stdout.write(`${line}\n`);
const NOW = '2026-06-01T00:00:00.000Z';
const DEPTH = 100;

function judgedFiles(collection: Collection): { queries: JudgedQuery[]; judgments: Judgments } {
  const dir = path.join(here, 'judged', collection.name);
  const docsHash = createHash('sha256').update(JSON.stringify(collection.docs)).digest('hex');
  const queriesFile = path.join(dir, 'queries.tsv');
  const qrelsFile = path.join(dir, 'qrels.txt');
  const hashFile = path.join(dir, 'docs.sha256');
  if (values.write || !existsSync(queriesFile)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(queriesFile, collection.queries.map((q) => `${q.id}\t${q.shape}\t${q.text}\n`).join(''));
    const lines: string[] = [];
    for (const [query, grades] of collection.judgments)
      for (const [doc, grade] of grades) lines.push(`${query} 0 ${doc} ${grade}\n`);
    writeFileSync(qrelsFile, lines.join(''));
    writeFileSync(hashFile, `${docsHash}\n`);
  }
  if (readFileSync(hashFile, 'utf8').trim() !== docsHash) {
    throw new Error(
      `${collection.name}: the generated documents no longer match the judged ones; rerun with --write and review the diff of ${path.relative(process.cwd(), dir)}`,
    );
  }
  const queries = readFileSync(queriesFile, 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [id, shape, text] = line.split('\t') as [string, string, string];
      return { id, shape, text };
    });
  const judgments: Judgments = new Map(queries.map((q) => [q.id, new Map()]));
  for (const line of readFileSync(qrelsFile, 'utf8').trim().split('\n')) {
    const [query, , doc, grade] = line.split(' ') as [string, string, string, string];
    judgments.get(query)!.set(doc, Number(grade));
  }
  return { queries, judgments };
}

function pitchcase(docs: readonly Doc[]): (query: string) => string[] {
  const items: SearchItem[] = docs.map((d) => ({
    id: d.id,
    title: d.title,
    kind: 'pdf',
    category: d.kind,
    description: d.description,
    tags: d.tags,
    products: [],
    collections: [],
    collectionTitles: [],
    validFrom: null,
    validUntil: null,
    kiosk: false,
  }));
  const builder = new PageIndexBuilder();
  for (const d of docs) builder.addItem(d.id, d.pages.map(tokenize));
  const byId = new Map(docs.map((d) => [d.id, d]));
  const engine = new SearchEngine(
    items,
    [],
    SearchEngine.buildFieldIndex(items),
    [builder.build()],
    (id, page) => byId.get(id)?.pages[page - 1] ?? null,
  );
  // The query as `pitchcase search` sends it: the last word also counts as a prefix.
  return (query) => engine.search(query, { now: NOW, limit: DEPTH, pagesPerItem: 0 }).items.map((i) => i.id);
}

function fts5(docs: readonly Doc[]): { search: (query: string) => string[]; close: () => void } {
  const db = new Database(':memory:');
  db.exec(`CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, body, tokenize='unicode61 remove_diacritics 2')`);
  const insert = db.prepare('INSERT INTO docs (id, body) VALUES (?, ?)');
  db.transaction(() => docs.forEach((d) => insert.run(d.id, docText(d))))();
  const stmt = db.prepare(`SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ${DEPTH}`);
  return {
    // Any query word may match (OR), as in BM25; the same plain stop list is removed.
    search: (query) => {
      const terms = [...new Set(plainTerms(query))].filter((t) => !PLAIN_STOP_WORDS.has(t));
      if (terms.length === 0) return [];
      return (stmt.all(terms.map((t) => `"${t}"`).join(' OR ')) as { id: string }[]).map((r) => r.id);
    },
    close: () => db.close(),
  };
}

interface CollectionResult {
  docs: number;
  queries: number;
  pitchcase: Scores;
  bm25: Scores;
  fts5: Scores;
}

function evaluate(collection: Collection): CollectionResult {
  const { queries, judgments } = judgedFiles(collection);
  const systems = {
    pitchcase: pitchcase(collection.docs),
    bm25: (
      (b) => (q: string) =>
        b.search(q, DEPTH)
    )(new PlainBm25(collection.docs)),
  };
  const fts = fts5(collection.docs);
  const runs = {
    pitchcase: new Map<string, string[]>(),
    bm25: new Map<string, string[]>(),
    fts5: new Map<string, string[]>(),
  };
  for (const q of queries) {
    runs.pitchcase.set(q.id, systems.pitchcase(q.text));
    runs.bm25.set(q.id, systems.bm25(q.text));
    runs.fts5.set(q.id, fts.search(q.text));
  }
  fts.close();
  const result = {
    docs: collection.docs.length,
    queries: queries.length,
    pitchcase: scoreRun(judgments, runs.pitchcase),
    bm25: scoreRun(judgments, runs.bm25),
    fts5: scoreRun(judgments, runs.fts5),
  };
  const f = (n: number) => n.toFixed(3);
  log(`\n${collection.name}: ${result.docs} documents, ${result.queries} judged queries`);
  log(`  system      nDCG@10  P@10   MAP`);
  for (const name of ['pitchcase', 'bm25', 'fts5'] as const) {
    const s = result[name];
    log(`  ${name.padEnd(10)}  ${f(s.ndcg10)}    ${f(s.p10)}  ${f(s.map)}`);
  }
  const shapes = [...new Set(queries.map((q) => q.shape))];
  if (shapes.length > 1) {
    for (const shape of shapes) {
      const ids = new Set(queries.filter((q) => q.shape === shape).map((q) => q.id));
      const only = new Map([...judgments].filter(([id]) => ids.has(id)));
      log(
        `  ${shape.padEnd(9)} (${String(ids.size).padStart(3)}): nDCG@10 pitchcase ${f(scoreRun(only, runs.pitchcase).ndcg10)}, bm25 ${f(scoreRun(only, runs.bm25).ndcg10)}, fts5 ${f(scoreRun(only, runs.fts5).ndcg10)}`,
      );
    }
  }
  return result;
}

log(`relevance benchmark on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);
const main = evaluate(collateral(11, 1200, 320));
const check = evaluate(mixtures(23, 1000, 200));
const r = (n: number) => Math.round(n * 1000) / 1000;
const summary = {
  collection: 'collateral',
  docs: main.docs,
  queries: main.queries,
  ndcg10: r(main.pitchcase.ndcg10),
  p10: r(main.pitchcase.p10),
  map: r(main.pitchcase.map),
  bm25_ndcg10: r(main.bm25.ndcg10),
  bm25_p10: r(main.bm25.p10),
  bm25_map: r(main.bm25.map),
  fts5_ndcg10: r(main.fts5.ndcg10),
  fts5_p10: r(main.fts5.p10),
  fts5_map: r(main.fts5.map),
  ratio_to_bm25: r(main.pitchcase.ndcg10 / main.bm25.ndcg10),
  untuned_collection: 'mixtures',
  untuned_docs: check.docs,
  untuned_queries: check.queries,
  untuned_ndcg10: r(check.pitchcase.ndcg10),
  untuned_bm25_ndcg10: r(check.bm25.ndcg10),
  untuned_fts5_ndcg10: r(check.fts5.ndcg10),
  untuned_ratio_to_bm25: r(check.pitchcase.ndcg10 / check.bm25.ndcg10),
};
log(JSON.stringify(summary));
