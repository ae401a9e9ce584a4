import path from 'node:path';
import { tempDir } from '../../support/release.ts';
import { writeCorpus } from './corpus.ts';
import { BASELINE_COMMIT, currentPipeline, log, mb, pipelineAt, releaseSize, seconds } from './harness.ts';

/**
 * The same folder of text-heavy PDFs published by `pitchcase publish` as it was at the baseline
 * commit and as it is now, one after the other in this run: time, release size and files.
 * Targets: at least 3× faster; the release at most 2× the size of its PDFs.
 */
export async function againstBaseline(pdfs: number): Promise<Record<string, number>> {
  const source = tempDir('bench-studio-text-');
  const baseline = pipelineAt(BASELINE_COMMIT);
  const current = currentPipeline();
  try {
    const corpus = await writeCorpus(source.dir, pdfs, 'text');
    log(`text-heavy PDFs: ${pdfs}, ${mb(corpus.bytes)} MB`);
    const run = async (pipeline: typeof current) => {
      const out = tempDir('bench-studio-release-');
      try {
        const { ms, cpuMs } = await pipeline.publish(source.dir, path.join(out.dir, 'release'));
        const size = releaseSize(path.join(out.dir, 'release'));
        log(
          `  ${pipeline.label.padEnd(12)} ${seconds(ms)} s (CPU ${seconds(cpuMs)} s), release ${mb(size.bytes)} MB in ${size.files} files (${(size.bytes / corpus.bytes).toFixed(2)}× the PDFs)`,
        );
        return { ms, cpuMs, ...size };
      } finally {
        out.cleanup();
      }
    };
    const before = await run(baseline);
    const after = await run(current);
    const speedup = before.ms / after.ms;
    const work = before.cpuMs / after.cpuMs;
    log(`  ${speedup.toFixed(2)}× faster than ${BASELINE_COMMIT} (wall), ${work.toFixed(2)}× less CPU`);
    return {
      text_pdfs: pdfs,
      text_source_mb: mb(corpus.bytes),
      baseline_publish_s: seconds(before.ms),
      baseline_publish_cpu_s: seconds(before.cpuMs),
      baseline_release_mb: mb(before.bytes),
      baseline_release_files: before.files,
      baseline_release_ratio: Number((before.bytes / corpus.bytes).toFixed(2)),
      publish_s: seconds(after.ms),
      publish_cpu_s: seconds(after.cpuMs),
      release_mb: mb(after.bytes),
      release_files: after.files,
      release_ratio: Number((after.bytes / corpus.bytes).toFixed(2)),
      speedup_vs_baseline: Number(speedup.toFixed(2)),
      cpu_ratio_vs_baseline: Number(work.toFixed(2)),
    };
  } finally {
    baseline.cleanup();
    current.cleanup();
    source.cleanup();
  }
}
