import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateCorpus } from './corpus.ts';

/**
 * npm run bench:search [-- --items N --pages N --seed N --sample N --skip-naive]
 * Generates (or reuses) a reproducible corpus, then measures Pitchcase's engine, naive
 * MiniSearch and SQLite FTS5 on the same pages and queries, each in its own process so heap
 * figures do not mix. The last line is one JSON object.
 */
const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '20000' },
    pages: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '7' },
    sample: { type: 'string', default: '60' },
    'skip-naive': { type: 'boolean', default: false },
  },
});
const items = Number(values.items);
const pages = Number(values.pages);
const seed = Number(values.seed);
const here = import.meta.dirname;
const repoRoot = path.resolve(here, '..', '..', '..');
const dir = path.join(repoRoot, 'build', 'bench', `search-${items}-${pages}-${seed}`);

const log = (line: string) => process.stdout.write(`${line}\n`);
log(
  `search benchmark: ${items} items / ${pages} pages, seed ${seed}, on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)}`,
);
if (!existsSync(path.join(dir, 'queries.json'))) {
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  const corpus = generateCorpus(dir, { items, pages, seed });
  log(
    `corpus: ${(corpus.bytes / 1e6).toFixed(0)} MB of page text, ${corpus.queries.length} queries, generated in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
} else {
  log(`corpus: reusing ${path.relative(repoRoot, dir)}`);
}
const queryCount = (JSON.parse(readFileSync(path.join(dir, 'queries.json'), 'utf8')) as unknown[]).length;

function child(script: string, args: string[]): Record<string, number> {
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=16000', '--import', 'tsx', path.join(here, script), ...args],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  if (result.status !== 0) throw new Error(`${script} failed with ${result.status}`);
  const last = result.stdout.trim().split('\n').pop()!;
  return JSON.parse(last) as Record<string, number>;
}

const built = child('pitchcase.ts', ['build', dir]);
log(`pitchcase: built in ${built.build_ms} ms, snapshot ${built.snapshot_mb!.toFixed(1)} MB`);
const pc = child('pitchcase.ts', ['query', dir, String(queryCount)]);
log(
  `pitchcase: load ${pc.load_ms} ms, heap ${pc.heap_mb} MB, ${pc.queries} queries p50/p95/p99 ${pc.query_p50_ms!.toFixed(2)}/${pc.query_p95_ms!.toFixed(2)}/${pc.query_p99_ms!.toFixed(2)} ms, ${pc.keystrokes} keystrokes p50/p95/p99 ${pc.keystroke_p50_ms!.toFixed(2)}/${pc.keystroke_p95_ms!.toFixed(2)}/${pc.keystroke_p99_ms!.toFixed(2)} ms`,
);
log(
  `pitchcase CPU time (what the work itself cost, without waits for a shared core): load ${pc.load_cpu_ms} ms, queries p50/p95 ${pc.query_cpu_p50_ms!.toFixed(2)}/${pc.query_cpu_p95_ms!.toFixed(2)} ms, keystrokes p50/p95 ${pc.keystroke_cpu_p50_ms!.toFixed(2)}/${pc.keystroke_cpu_p95_ms!.toFixed(2)} ms`,
);
const fts = child('fts5.ts', [dir, values.sample!]);
log(
  `fts5: built in ${fts.build_ms} ms, ${fts.snapshot_mb!.toFixed(1)} MB, ${fts.keystrokes} keystrokes p95 ${fts.keystroke_p95_ms!.toFixed(2)} ms, queries p95 ${fts.query_p95_ms!.toFixed(2)} ms (no typo tolerance)`,
);
let naive: Record<string, number> | null = null;
if (!values['skip-naive']) {
  naive = child('naive.ts', [dir, values.sample!]);
  log(
    `naive minisearch: built in ${naive.build_ms} ms, heap ${naive.heap_mb} MB, snapshot ${naive.snapshot_mb!.toFixed(1)} MB load ${naive.load_ms} ms, ${naive.keystrokes} keystrokes p95 ${naive.keystroke_p95_ms!.toFixed(2)} ms`,
  );
}
const round = (n: number | undefined) => (n === undefined ? null : Math.round(n * 100) / 100);
const summary = {
  items,
  pages,
  seed,
  queries: pc.queries,
  keystrokes: pc.keystrokes,
  build_ms: built.build_ms,
  snapshot_mb: round(built.snapshot_mb),
  load_ms: pc.load_ms,
  heap_mb: pc.heap_mb,
  query_p50_ms: round(pc.query_p50_ms),
  query_p95_ms: round(pc.query_p95_ms),
  query_p99_ms: round(pc.query_p99_ms),
  keystroke_p50_ms: round(pc.keystroke_p50_ms),
  keystroke_p95_ms: round(pc.keystroke_p95_ms),
  keystroke_p99_ms: round(pc.keystroke_p99_ms),
  load_cpu_ms: pc.load_cpu_ms,
  query_cpu_p95_ms: round(pc.query_cpu_p95_ms),
  keystroke_cpu_p95_ms: round(pc.keystroke_cpu_p95_ms),
  fts5_keystroke_p95_ms: round(fts.keystroke_p95_ms),
  fts5_query_p95_ms: round(fts.query_p95_ms),
  fts5_load_ms: fts.load_ms,
  naive_keystroke_p95_ms: round(naive?.keystroke_p95_ms),
  naive_query_p95_ms: round(naive?.query_p95_ms),
  naive_heap_mb: naive?.heap_mb ?? null,
  naive_load_ms: naive?.load_ms ?? null,
  baseline_sample_queries: Number(values.sample),
  machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  load_average: Math.round(os.loadavg()[0]! * 10) / 10,
};
writeFileSync(path.join(repoRoot, 'build', 'bench', 'search-last.json'), JSON.stringify(summary, null, 2));
log(JSON.stringify(summary));
