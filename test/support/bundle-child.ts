import path from 'node:path';
import { build } from 'esbuild';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/**
 * Bundles a crash test's child (test/support/<name>.ts) into one minified ESM file, so each of
 * the hundreds of restarts costs a process start, not a TypeScript compile. It lands inside the
 * repository (build/test/), so better-sqlite3 resolves from our node_modules. Returns its path;
 * the caller removes it.
 */
export async function bundleChild(name: string): Promise<string> {
  const outfile = path.join(repoRoot, 'build', 'test', `${name}-${process.pid}.mjs`);
  await build({
    entryPoints: [path.join(repoRoot, 'test', 'support', `${name}.ts`)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    minify: true,
    external: ['better-sqlite3'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    absWorkingDir: repoRoot,
    logLevel: 'silent',
  });
  return outfile;
}
