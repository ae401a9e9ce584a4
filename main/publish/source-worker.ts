import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running `entry`, a TypeScript module: through tsx where we run from the sources
 * (the CLI, tests, Studio in development), or the compiled `.js` beside it otherwise. `from` is
 * the caller's import.meta.url, which says which of the two we are running.
 */
export function startSourceWorker(entry: URL, from: string, options: WorkerOptions = {}): Worker {
  if (!from.endsWith('.ts')) return new Worker(new URL(entry.href.replace(/\.ts$/, '.js')), options);
  // Found through tsx's package.json, not import.meta.resolve: vitest's module runner (the
  // security battery's set-up publishes through here) does not support import.meta.resolve.
  const tsxRoot = path.dirname(createRequire(from).resolve('tsx/package.json'));
  const tsx = pathToFileURL(path.join(tsxRoot, 'dist/esm/api/index.mjs')).href;
  const code = `import(${JSON.stringify(tsx)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}))`;
  return new Worker(code, { ...options, eval: true });
}
