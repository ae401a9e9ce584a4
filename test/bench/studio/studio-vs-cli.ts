import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../support/release.ts';
import { writeCorpus } from './corpus.ts';
import { currentPipeline, log, mb, releaseSize, seconds, studioWithPublisher } from './harness.ts';

/**
 * The same folder of brochures (about 500 KB each) published by `pitchcase publish` and by
 * Studio (uploaded first, then submit, approve, publish). Target: Studio's publish ≤ 1.1× the CLI's.
 */
export async function studioAgainstCli(pdfs: number): Promise<Record<string, number>> {
  const source = tempDir('bench-studio-brochures-');
  const data = tempDir('bench-studio-data-');
  const out = tempDir('bench-studio-cli-');
  try {
    const corpus = await writeCorpus(source.dir, pdfs, 'brochure');
    log(`brochures: ${pdfs}, ${mb(corpus.bytes)} MB`);
    const cli = await currentPipeline().publish(source.dir, path.join(out.dir, 'release'));
    const cliMs = cli.ms;
    const release = releaseSize(path.join(out.dir, 'release'));
    log(
      `  pitchcase publish: ${seconds(cliMs)} s (CPU ${seconds(cli.cpuMs)} s), release ${mb(release.bytes)} MB (${(release.bytes / corpus.bytes).toFixed(2)}× the PDFs)`,
    );
    const { studio, editor, publish } = await studioWithPublisher(data.dir);
    try {
      const started = performance.now();
      for (const name of corpus.names) {
        const answer = await editor.upload('default', name, readFileSync(path.join(source.dir, name)));
        if (answer.status !== 200) throw new Error(`upload ${name}: ${answer.error?.message}`);
      }
      const uploadMs = performance.now() - started;
      const cpu = process.cpuUsage();
      const studioMs = await publish();
      const { user, system } = process.cpuUsage(cpu);
      log(
        `  Studio: uploads ${seconds(uploadMs)} s, publish ${seconds(studioMs)} s (CPU ${seconds((user + system) / 1000)} s), ${(studioMs / cliMs).toFixed(2)}× the CLI`,
      );
      return {
        brochures: pdfs,
        brochures_mb: mb(corpus.bytes),
        cli_publish_s: seconds(cliMs),
        cli_publish_cpu_s: seconds(cli.cpuMs),
        brochures_release_ratio: Number((release.bytes / corpus.bytes).toFixed(2)),
        studio_upload_s: seconds(uploadMs),
        studio_publish_s: seconds(studioMs),
        studio_publish_cpu_s: seconds((user + system) / 1000),
        studio_vs_cli: Number((studioMs / cliMs).toFixed(2)),
      };
    } finally {
      await studio.close();
    }
  } finally {
    source.cleanup();
    data.cleanup();
    out.cleanup();
  }
}
