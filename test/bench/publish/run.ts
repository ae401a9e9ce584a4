import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { generateSigningKeys } from '#publish/keys';
import { publishRelease } from '#publish/publish';
import { convertCatalogueDocuments } from '#publish/convert/documents';
import { readCatalogueOrFolder } from '#publish/folder-catalogue';
import { findOffice, makeDeck, makeWorkbook } from '../../support/office.ts';
import { tempDir } from '../../support/release.ts';

/**
 * npm run bench:publish [-- --docs 200 --concurrency N --rounds 2 --keep]
 *
 * Generates a folder of mixed Office documents (decks with notes and a hidden slide, workbooks
 * with two sheets, RTF memos), then, in the same run and on the same files:
 *  - raw_s: LibreOffice alone converting them to PDF, as `soffice --convert-to pdf` from a shell
 *    would, with the same number of processes (each with its own profile) and the files split
 *    evenly between them;
 *  - conversion_s: the conversion layer alone (main/publish/convert: reading the files, slide
 *    facts, LibreOffice batches with their own profiles), without reading the PDFs;
 *  - pipeline_s: `publishRelease` on the folder: conversion, slide facts, page text and
 *    covers, hashing, the signed release written.
 * Each side runs once per round, rounds alternating which goes first; figures are means.
 * throughput_ratio = raw_s / pipeline_s (target ≥ 0.9: the pipeline adds little to conversion).
 */
const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '200' },
    concurrency: { type: 'string' },
    rounds: { type: 'string', default: '2' },
    keep: { type: 'boolean', default: false },
  },
});
const docs = Math.max(3, Number(values.docs));
const rounds = Math.max(1, Number(values.rounds));
const concurrency = Number(values.concurrency ?? Math.min(4, availableParallelism()));
const say = (line: string) => process.stdout.write(`${line}\n`);

const office = findOffice();
if ('reason' in office) {
  say(`bench:publish needs LibreOffice: ${office.reason}`);
  process.exit(1);
}
process.env.PITCHCASE_CONVERT_CONCURRENCY = String(concurrency);

const work = tempDir('pitchcase-bench-publish-');
try {
  const source = path.join(work.dir, 'source');
  mkdirSync(source);
  const files: string[] = [];
  for (let i = 0; i < docs; i++) {
    const kind = i % 3;
    const name = kind === 0 ? `deck-${i}.pptx` : kind === 1 ? `sheet-${i}.xlsx` : `memo-${i}.rtf`;
    const data =
      kind === 0
        ? await makeDeck([
            { title: `Deck ${i}`, body: `Why customer ${i} saves water`, notes: `Open with story ${i}` },
            { title: 'Internal', body: 'Partner margins', hidden: true },
            { title: 'Pricing', body: `Plan ${i % 7} costs ${100 + i} a month`, notes: 'Mention the pilot' },
            { title: 'Next steps', body: 'A pilot at one plant' },
          ])
        : kind === 1
          ? await makeWorkbook([
              { name: 'Plans', rows: Array.from({ length: 30 }, (_, r) => [`Plan ${r}`, String(100 + r * i)]) },
              { name: 'Parts', rows: Array.from({ length: 20 }, (_, r) => [`Part ${r}`, String(r * 3)]) },
            ])
          : new TextEncoder().encode(
              `{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Helvetica;}}\\f0 Memo ${i}: warranty terms.\\par ${'Membranes are covered for five years. '.repeat(40)}\\par}`,
            );
    writeFileSync(path.join(source, name), data);
    files.push(name);
  }
  writeFileSync(
    path.join(source, 'catalogue.yaml'),
    stringify({ channel: 'bench', items: files.map((file) => ({ file })) }),
  );
  say(
    `${docs} documents (${Math.ceil(docs / 3)} decks, ${Math.ceil((docs - 1) / 3)} workbooks, ${Math.floor(docs / 3)} memos), ${concurrency} LibreOffice processes, ${os.cpus().length} CPUs`,
  );

  // Raw LibreOffice: the same files split evenly over the same number of processes, each with a
  // fresh profile of its own, as the pipeline's are.
  const raw = async (round: number): Promise<number> => {
    const start = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async (_, p) => {
        const mine = files.filter((_, i) => i % concurrency === p).map((f) => path.join(source, f));
        const out = path.join(work.dir, `raw-${round}-${p}`);
        const profile = pathToFileURL(path.join(work.dir, `raw-profile-${round}-${p}`)).href;
        await new Promise<void>((resolve, reject) => {
          const child = spawn(
            office.path,
            [
              `-env:UserInstallation=${profile}`,
              '--headless',
              '--norestore',
              '--nolockcheck',
              '--convert-to',
              'pdf',
              '--outdir',
              out,
              ...mine,
            ],
            { stdio: 'ignore' },
          );
          child.once('error', reject);
          child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`soffice exited ${code}`))));
        });
      }),
    );
    const ms = performance.now() - start;
    const made = Array.from(
      { length: concurrency },
      (_, p) => readdirSync(path.join(work.dir, `raw-${round}-${p}`)).length,
    ).reduce((a, b) => a + b, 0);
    if (made !== docs) throw new Error(`raw LibreOffice made ${made} PDFs of ${docs}`);
    say(`  raw LibreOffice: ${(ms / 1000).toFixed(1)} s (${((docs * 1000) / ms).toFixed(2)} docs/s)`);
    return ms;
  };

  // The conversion layer alone (convert/: reading, slide facts, batches, profiles), without the
  // PDF reading the release needs: what the pipeline adds to LibreOffice before page text and covers.
  const conversion = async (): Promise<number> => {
    const catalogue = await readCatalogueOrFolder(source);
    const start = performance.now();
    const converted = await convertCatalogueDocuments(catalogue.items, {
      sourceDir: source,
      readSource: async (rel) => new Uint8Array(await readFile(path.join(source, rel))),
      analyse: () => {
        const skipped = Promise.reject(new Error('not read in this measurement'));
        skipped.catch(() => undefined);
        return skipped;
      },
    });
    const ms = performance.now() - start;
    if (converted.size !== docs) throw new Error(`the conversion layer made ${converted.size} PDFs of ${docs}`);
    say(`  conversion layer: ${(ms / 1000).toFixed(1)} s (${((docs * 1000) / ms).toFixed(2)} docs/s)`);
    return ms;
  };

  const steps = new Map<string, number>();
  const pipeline = async (round: number): Promise<number> => {
    let last = performance.now();
    let lastStep = 'start';
    const start = performance.now();
    const result = await publishRelease({
      sourceDir: source,
      outDir: path.join(work.dir, `release-${round}`),
      privateKeyPem: keys.privatePem,
      onProgress: (event) => {
        if (event.step !== lastStep) {
          const now = performance.now();
          steps.set(lastStep, (steps.get(lastStep) ?? 0) + now - last);
          last = now;
          lastStep = event.step;
        }
      },
    });
    const ms = performance.now() - start;
    steps.set(lastStep, (steps.get(lastStep) ?? 0) + performance.now() - last);
    if (result.items !== docs) throw new Error(`the pipeline published ${result.items} items of ${docs}`);
    say(
      `  pipeline: ${(ms / 1000).toFixed(1)} s (${((docs * 1000) / ms).toFixed(2)} docs/s), ${result.blobsWritten} blobs`,
    );
    return ms;
  };

  // Rounds in alternating order (raw first, then pipeline first), so a machine that gets busier
  // or quieter during the run weighs on both sides alike.
  const keys = generateSigningKeys();
  let rawMs = 0;
  let conversionMs = 0;
  let pipelineMs = 0;
  for (let round = 0; round < rounds; round++) {
    say(`round ${round + 1} of ${rounds}`);
    if (round % 2 === 0) {
      rawMs += await raw(round);
      conversionMs += await conversion();
      pipelineMs += await pipeline(round);
    } else {
      pipelineMs += await pipeline(round);
      conversionMs += await conversion();
      rawMs += await raw(round);
    }
  }
  const perRound = (ms: number) => ms / rounds;
  say(
    `raw ${(perRound(rawMs) / 1000).toFixed(1)} s, conversion layer ${(perRound(conversionMs) / 1000).toFixed(1)} s, pipeline ${(perRound(pipelineMs) / 1000).toFixed(1)} s (means of ${rounds} rounds)`,
  );
  say(
    `pipeline steps (all rounds): ${[...steps].map(([step, ms]) => `${step} ${(ms / 1000).toFixed(1)} s`).join(', ')}`,
  );
  const ratio = Number((rawMs / pipelineMs).toFixed(3));
  const conversionRatio = Number((rawMs / conversionMs).toFixed(3));
  say(`conversion_ratio ${conversionRatio} = raw_s / conversion_s`);
  say(`throughput_ratio ${ratio} = raw_s / pipeline_s (target ≥ 0.9)`);
  say(
    JSON.stringify({
      bench: 'publish',
      docs,
      concurrency,
      rounds,
      raw_s: Number((perRound(rawMs) / 1000).toFixed(2)),
      conversion_s: Number((perRound(conversionMs) / 1000).toFixed(2)),
      pipeline_s: Number((perRound(pipelineMs) / 1000).toFixed(2)),
      raw_docs_per_s: Number(((docs * 1000) / perRound(rawMs)).toFixed(3)),
      pipeline_docs_per_s: Number(((docs * 1000) / perRound(pipelineMs)).toFixed(3)),
      conversion_ratio: conversionRatio,
      throughput_ratio: ratio,
      steps_s: Object.fromEntries([...steps].map(([k, v]) => [k, Number((v / 1000 / rounds).toFixed(2))])),
      cpus: os.cpus().length,
    }),
  );
} finally {
  if (values.keep) say(`kept ${work.dir}`);
  else work.cleanup();
}
