import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { generateSigningKeys } from '#publish/keys';
import { publishRelease } from '#publish/publish';
import { startStudio } from '#studio/index';
import { searchTextOf } from '#studio/library/items';
import { makePdf, tempDir } from '../../support/release.ts';
import { StudioClient } from '../../studio/client.ts';
import { measureLibraryView } from './library-view.ts';

/**
 * npm run bench:studio [-- --pdfs N --library N]
 * 1. The same folder of N PDFs published by the CLI's pipeline and by Studio (upload, submit,
 *    approve, publish): Studio's publish step against the CLI's, and the whole path.
 * 2. Republishing after one item changed.
 * 3. The library list (first page, and a search) with --library items in the database.
 * The last line is one JSON object.
 */
const { values } = parseArgs({
  options: { pdfs: { type: 'string', default: '200' }, library: { type: 'string', default: '20000' } },
});
const pdfCount = Number(values.pdfs);
const librarySize = Number(values.library);
const log = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => Number((ms / 1000).toFixed(2));
const password = 'benchmark password';

log(
  `studio benchmark: ${pdfCount} PDFs, library of ${librarySize} items, on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
);
const source = tempDir('bench-studio-src-');
const data = tempDir('bench-studio-data-');
try {
  const names: string[] = [];
  let bytes = 0;
  for (let i = 0; i < pdfCount; i++) {
    const pdf = await makePdf(`Brochure ${i}`, [
      `Brochure ${i} overview`,
      `Specification sheet ${i} with tide tables`,
      `Contact ${i}`,
    ]);
    const name = `brochure-${String(i).padStart(5, '0')}.pdf`;
    writeFileSync(path.join(source.dir, name), pdf);
    names.push(name);
    bytes += pdf.length;
  }
  writeFileSync(
    path.join(source.dir, 'catalogue.yaml'),
    stringify({ channel: 'default', items: names.map((file) => ({ file })) }),
  );
  log(`source: ${pdfCount} PDFs, ${(bytes / 1e6).toFixed(1)} MB`);

  // The CLI's pipeline on the folder, before and after Studio's run: the faster of the two, so
  // warming up (pdf.js, the JIT) counts against neither side.
  const cliPublish = async () => {
    const out = tempDir('bench-studio-cli-');
    try {
      const t = performance.now();
      await publishRelease({
        sourceDir: source.dir,
        outDir: out.dir,
        privateKeyPem: generateSigningKeys().privatePem,
        channel: 'default',
      });
      return performance.now() - t;
    } finally {
      out.cleanup();
    }
  };
  const cliFirstMs = await cliPublish();
  log(`CLI pipeline publish: ${seconds(cliFirstMs)} s`);
  let cliMs = cliFirstMs;
  let started: number;

  const studio = await startStudio({ dataDir: data.dir, port: 0, config: { scryptCost: 2 ** 10 }, log: () => {} });
  try {
    const editor = new StudioClient(studio.url);
    await editor.call('POST', '/api/setup', {
      token: studio.setupUrl!.split('#')[1],
      email: 'ed@example.com',
      name: 'Ed',
      password,
    });
    await editor.call('POST', '/api/users', { email: 'amy@example.com', name: 'Amy', role: 'approver', password });
    const approver = new StudioClient(studio.url);
    await approver.signIn('amy@example.com', password);

    started = performance.now();
    for (const name of names) {
      const answer = await editor.upload('default', name, readFileSync(path.join(source.dir, name)));
      if (answer.status !== 200) throw new Error(`upload ${name}: ${answer.error?.message}`);
    }
    const uploadMs = performance.now() - started;
    const publish = async () => {
      const submitted = await editor.call<{ release: { id: string } }>('POST', '/api/channels/default/releases', {});
      await approver.call('POST', `/api/releases/${submitted.value.release.id}/approve`, {});
      const t = performance.now();
      const done = await approver.call<{ version: number }>(
        'POST',
        `/api/releases/${submitted.value.release.id}/publish`,
        {},
      );
      if (done.status !== 200) throw new Error(`publish: ${done.error?.message}`);
      return performance.now() - t;
    };
    const studioPublishMs = await publish();
    const cliSecondMs = await cliPublish();
    log(`CLI pipeline publish, again: ${seconds(cliSecondMs)} s`);
    cliMs = Math.min(cliFirstMs, cliSecondMs);
    log(
      `Studio: uploads ${seconds(uploadMs)} s, publish ${seconds(studioPublishMs)} s (${(studioPublishMs / cliMs).toFixed(2)}× the CLI pipeline)`,
    );

    await editor.upload(
      'default',
      names[0]!,
      await makePdf('Brochure 0', ['Brochure 0, revised']),
      `&item=${names[0]!.replace(/\.pdf$/, '')}`,
    );
    const republishMs = await publish();
    log(`Studio: republish after one item changed (${pdfCount} items): ${seconds(republishMs)} s`);

    // The library list at size: rows straight into the database, then the API's first page and a search.
    const db = studio.context.db;
    const blob = await db.selectFrom('items').select(['file_sha256', 'file_size']).limit(1).executeTakeFirstOrThrow();
    const now = new Date().toISOString();
    const extra = librarySize - pdfCount;
    for (let start = 0; start < extra; start += 500) {
      const rows = [];
      for (let i = start; i < Math.min(extra, start + 500); i++) {
        const title = `Library item ${i} ${i % 7 === 0 ? 'harbour' : 'inland'}`;
        rows.push({
          channel: 'default',
          id: `lib-${String(i).padStart(6, '0')}`,
          kind: 'pdf',
          title,
          description: '',
          category: null,
          tags: '[]',
          products: '[]',
          audiences: '[]',
          collections: '[]',
          valid_from: null,
          valid_until: null,
          kiosk: 0,
          share_url: null,
          file_name: `lib-${i}.pdf`,
          file_sha256: blob.file_sha256,
          file_size: blob.file_size,
          revision: 1,
          updated_at: now,
          updated_by: 'bench',
          search_text: searchTextOf({ title, fileName: `lib-${i}.pdf`, description: '', tags: [], products: [] }),
        });
      }
      await db.insertInto('items').values(rows).execute();
    }
    const timeList = async (query: string) => {
      const runs: number[] = [];
      for (let i = 0; i < 15; i++) {
        const t = performance.now();
        const page = await editor.call<{ total: number }>(
          'GET',
          `/api/channels/default/items?limit=50&offset=${i * 50}${query}`,
        );
        if (page.status !== 200) throw new Error('list failed');
        runs.push(performance.now() - t);
      }
      runs.sort((a, b) => a - b);
      return { p50: Number(runs[7]!.toFixed(1)), p95: Number(runs[14]!.toFixed(1)) };
    };
    const list = await timeList('');
    const search = await timeList('&q=harbour');
    log(
      `library list at ${librarySize} items: first pages p50 ${list.p50} ms (p95 ${list.p95}); search p50 ${search.p50} ms (p95 ${search.p95})`,
    );

    log(
      JSON.stringify({
        pdfs: pdfCount,
        source_mb: Number((bytes / 1e6).toFixed(1)),
        cli_publish_s: seconds(cliMs),
        studio_upload_s: seconds(uploadMs),
        studio_publish_s: seconds(studioPublishMs),
        studio_vs_cli: Number((studioPublishMs / cliMs).toFixed(2)),
        republish_one_changed_s: seconds(republishMs),
        library_items: librarySize,
        list_page_p50_ms: list.p50,
        list_page_p95_ms: list.p95,
        search_page_p50_ms: search.p50,
        search_page_p95_ms: search.p95,
        ...(await measureLibraryView({ items: librarySize, log })),
      }),
    );
  } finally {
    await studio.close();
  }
} finally {
  source.cleanup();
  data.cleanup();
}
