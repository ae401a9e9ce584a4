import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { tokenize } from '#shared/text';
import { keystrokes, loadCorpus, readPages } from './corpus.ts';
import { engineReport, heapMb, timed, type EngineReport } from './measure.ts';

/**
 * SQLite FTS5 (inside better-sqlite3) on the same pages: bm25 ranking, prefix indexes, the last
 * word as a prefix query, snippets from FTS5. No typo tolerance: FTS5 has none.
 */
const [, , dir, sampleText] = process.argv;
if (!dir) throw new Error('usage: fts5.ts DIR [SAMPLE]');
const { items, queries } = loadCorpus(dir);
const file = path.join(dir, 'fts5.db');
rmSync(file, { force: true });
const db = new Database(file);
db.pragma('journal_mode = WAL');
const { ms: buildMs } = timed(() => {
  db.exec(
    `CREATE VIRTUAL TABLE pages USING fts5(item UNINDEXED, page UNINDEXED, title, text, prefix='2 3', tokenize='unicode61 remove_diacritics 2')`,
  );
  const insert = db.prepare('INSERT INTO pages (item, page, title, text) VALUES (?, ?, ?, ?)');
  const pages = readPages(dir);
  db.transaction(() => {
    for (const item of items)
      for (let p = 1; p <= item.pages; p++) insert.run(item.id, p, item.title, pages.next().value as string);
  })();
  db.exec(`INSERT INTO pages(pages) VALUES ('optimize')`);
});
db.close();
const before = heapMb();
const { value: reader, ms: loadMs } = timed(() => {
  const r = new Database(file, { readonly: true });
  r.prepare(`SELECT count(*) FROM pages WHERE pages MATCH 'water'`).get();
  return r;
});
const heap = heapMb() - before;
const stmt = reader.prepare(
  `SELECT item, page, snippet(pages, 3, '[', ']', '…', 12) AS s FROM pages WHERE pages MATCH ? ORDER BY bm25(pages, 4.0, 1.0) LIMIT 30`,
);
const search = (q: string) => {
  const terms = tokenize(q);
  if (terms.length === 0) return [];
  const prefix = !/\s$/.test(q);
  const expr = terms.map((t, i) => `"${t}"${prefix && i === terms.length - 1 ? '*' : ''}`).join(' ');
  return stmt.all(expr);
};
const sample = Number(sampleText ?? 60);
const queryMs = queries.slice(0, sample).map((q) => timed(() => search(`${q.text} `)).ms);
const keyMs: number[] = [];
for (const q of queries.slice(0, sample))
  for (const typed of keystrokes(q.text)) keyMs.push(timed(() => search(typed)).ms);
const report: EngineReport & { build_ms: number; snapshot_mb: number } = {
  build_ms: Math.round(buildMs),
  snapshot_mb: statSync(file).size / 1e6,
  ...engineReport(loadMs, heap, queryMs, keyMs),
};
process.stdout.write(`${JSON.stringify(report)}\n`);
