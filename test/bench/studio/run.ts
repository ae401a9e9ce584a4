import os from 'node:os';
import { parseArgs } from 'node:util';
import { againstBaseline } from './baseline.ts';
import { log } from './harness.ts';
import { libraryList } from './library-list.ts';
import { measureLibraryView } from './library-view.ts';
import { republishOneChanged } from './republish.ts';
import { studioAgainstCli } from './studio-vs-cli.ts';

/**
 * npm run bench:studio [-- --quick] [-- --only republish,list] [-- --text N --brochures N --library N]
 *                      [-- --before main]
 *
 * Sections, each in its own file, each returning the figures it adds to the last line:
 *  - baseline:  N text-heavy PDFs published by `pitchcase publish` as at the baseline commit and
 *               as now: time and release size by share (targets ≥ 3× faster, release ≤ 2× its
 *               PDFs); with --before REF, REF's pipeline too, in the same run;
 *  - studio:    N brochures of ~500 KB by `pitchcase publish` and by Studio (target ≤ 1.1×);
 *  - republish: a library of N PDFs republished after one changed, Studio and CLI (target ≤ 5 s);
 *  - list:      Studio's library list API at N items;
 *  - view:      Studio's library view in Chromium at N items: first render (target ≤ 1 s).
 * A new section is one more entry in `sections`. The last line is one JSON object.
 */
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    text: { type: 'string' },
    brochures: { type: 'string' },
    library: { type: 'string' },
    before: { type: 'string' },
  },
});
const quick = values.quick;
const size = (given: string | undefined, full: number, small: number) => Number(given ?? (quick ? small : full));

const sections: { name: string; run(): Promise<Record<string, number>> }[] = [
  { name: 'baseline', run: () => againstBaseline(size(values.text, 2000, 200), values.before) },
  { name: 'studio', run: () => studioAgainstCli(size(values.brochures, 1000, 40)) },
  { name: 'republish', run: () => republishOneChanged(size(values.library, 20_000, 1000)) },
  { name: 'list', run: () => libraryList(size(values.library, 20_000, 1000)) },
  {
    name: 'view',
    run: async () => ({ ...(await measureLibraryView({ items: size(values.library, 20_000, 1000), log })) }),
  },
];

const only = values.only ? new Set(values.only.split(',')) : null;
log(
  `studio benchmark${quick ? ' (quick)' : ''} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
);
const figures: Record<string, number | boolean> = { quick };
for (const section of sections) {
  if (only && !only.has(section.name)) continue;
  log(`\n[${section.name}]`);
  Object.assign(figures, await section.run());
}
log(JSON.stringify(figures));
