import { loadavg } from 'node:os';
import path from 'node:path';
import { tempDir } from '../../support/release.ts';
import { writeCorpus } from './corpus.ts';
import {
  BASELINE_COMMIT,
  currentPipeline,
  describeShares,
  log,
  mb,
  pipelineAt,
  releaseSize,
  seconds,
  type Pipeline,
  type ReleaseSize,
} from './harness.ts';

/**
 * The same folder of text-heavy PDFs published by `pitchcase publish` as it was at the baseline
 * commit and as it is now, one after the other in this run: time, release size and files, and
 * what the release is made of (PDFs, page text, covers, manifest, signature, other).
 * Targets: at least 3× faster; the release at most 2× the size of its PDFs. With `before` (a
 * commit or branch, e.g. main), that pipeline runs too, between the two, so a change can be
 * judged against the code it replaces in the same run.
 */
export async function againstBaseline(pdfs: number, before?: string): Promise<Record<string, number>> {
  const source = tempDir('bench-studio-text-');
  const pipelines: { key: string; pipeline: Pipeline }[] = [
    { key: 'baseline_', pipeline: pipelineAt(BASELINE_COMMIT) },
    ...(before ? [{ key: 'before_', pipeline: pipelineAt(before) }] : []),
    { key: '', pipeline: currentPipeline() },
  ];
  try {
    const corpus = await writeCorpus(source.dir, pdfs, 'text');
    log(`text-heavy PDFs: ${pdfs}, ${mb(corpus.bytes)} MB`);
    const run = async (pipeline: Pipeline) => {
      const out = tempDir('bench-studio-release-');
      try {
        const load = loadavg()[0]!;
        const { ms, cpuMs } = await pipeline.publish(source.dir, path.join(out.dir, 'release'));
        const size = releaseSize(path.join(out.dir, 'release'));
        log(
          `  ${pipeline.label.padEnd(12)} ${seconds(ms)} s (CPU ${seconds(cpuMs)} s, load ${load.toFixed(1)}), release ${mb(size.bytes)} MB in ${size.files} files (${(size.bytes / corpus.bytes).toFixed(2)}× the PDFs; ${mb(size.blockBytes)} MB in 4 KiB blocks)`,
        );
        log(`  ${''.padEnd(12)} ${describeShares(size, corpus.bytes)}`);
        return { ms, cpuMs, load, size };
      } finally {
        out.cleanup();
      }
    };
    const figures: Record<string, number> = { text_pdfs: pdfs, text_source_mb: mb(corpus.bytes) };
    const runs: { ms: number; cpuMs: number }[] = [];
    for (const { key, pipeline } of pipelines) {
      const took = await run(pipeline);
      runs.push(took);
      Object.assign(figures, sizeFigures(key, took, corpus.bytes));
    }
    const first = runs[0]!;
    const last = runs.at(-1)!;
    const speedup = first.ms / last.ms;
    const work = first.cpuMs / last.cpuMs;
    log(`  ${speedup.toFixed(2)}× faster than ${BASELINE_COMMIT} (wall), ${work.toFixed(2)}× less CPU`);
    if (before) {
      const middle = runs[1]!;
      log(
        `  against ${before}: ${(middle.ms / last.ms).toFixed(2)}× the speed (wall), ${(middle.cpuMs / last.cpuMs).toFixed(2)}× less CPU`,
      );
    }
    return {
      ...figures,
      speedup_vs_baseline: Number(speedup.toFixed(2)),
      cpu_ratio_vs_baseline: Number(work.toFixed(2)),
    };
  } finally {
    for (const { pipeline } of pipelines) pipeline.cleanup();
    source.cleanup();
  }
}

/** One pipeline's figures under `key` (baseline_, before_ or none for the current code). */
function sizeFigures(
  key: string,
  took: { ms: number; cpuMs: number; load: number; size: ReleaseSize },
  sourceBytes: number,
): Record<string, number> {
  const out: Record<string, number> = {
    [`${key}publish_s`]: seconds(took.ms),
    [`${key}publish_cpu_s`]: seconds(took.cpuMs),
    [`${key}load_average`]: Number(took.load.toFixed(1)),
    [`${key}release_mb`]: mb(took.size.bytes),
    [`${key}release_files`]: took.size.files,
    [`${key}release_ratio`]: Number((took.size.bytes / sourceBytes).toFixed(2)),
  };
  for (const [share, { bytes }] of Object.entries(took.size.byShare))
    out[`${key}release_${share}_ratio`] = Number((bytes / sourceBytes).toFixed(3));
  return out;
}
