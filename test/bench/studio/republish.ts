import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { searchTextOf } from '#studio/library/items';
import { tempDir } from '../../support/release.ts';
import sharp from 'sharp';
import { seededRandom } from '../../support/random.ts';
import { notePdf } from './corpus.ts';
import { currentPipeline, log, seconds, studioWithPublisher } from './harness.ts';

const pdfEvery = 10;

/** A 24×24 photo of seeded noise: every one different, a few kB. */
async function photo(i: number): Promise<Uint8Array> {
  const rand = seededRandom(i + 1);
  const pixels = Buffer.alloc(24 * 24 * 3);
  for (let p = 0; p < pixels.length; p++) pixels[p] = Math.floor(rand() * 256);
  return sharp(pixels, { raw: { width: 24, height: 24, channels: 3 } })
    .png()
    .toBuffer();
}

/**
 * A library of `size` items published once, then one item changed and the library published
 * again: by Studio (items put straight into its database and blob store, as thousands of uploads
 * would have left them) and by `pitchcase publish` on a folder of the same files.
 * Target: the second publish ≤ 5 s for both.
 */
export async function republishOneChanged(size: number): Promise<Record<string, number>> {
  const source = tempDir('bench-studio-library-');
  const data = tempDir('bench-studio-data-');
  const out = tempDir('bench-studio-cli-');
  try {
    const names: string[] = [];
    const pdfs: Uint8Array[] = [];
    const started = performance.now();
    for (let i = 0; i < size; i++) {
      // Every tenth item a one-page PDF (read, covered and indexed by the publisher), the rest
      // small photos: a large library built in seconds, its first publish in minutes, not hours.
      const isPdf = i % pdfEvery === 0;
      const file = isPdf ? await notePdf(i) : await photo(i);
      const name = `${isPdf ? 'note' : 'photo'}-${String(i).padStart(6, '0')}.${isPdf ? 'pdf' : 'png'}`;
      writeFileSync(path.join(source.dir, name), file);
      names.push(name);
      pdfs.push(file);
    }
    writeFileSync(
      path.join(source.dir, 'catalogue.yaml'),
      stringify({ channel: 'default', items: names.map((file) => ({ file })) }),
    );
    log(
      `library of ${size} items (${Math.ceil(size / pdfEvery)} PDFs, the rest photos), made in ${seconds(performance.now() - started)} s`,
    );

    const cli = currentPipeline();
    const release = path.join(out.dir, 'release');
    const cliFirst = await cli.publish(source.dir, release);
    writeFileSync(path.join(source.dir, names[0]!), await notePdf(0, 1));
    const cliAgain = await cli.publish(source.dir, release);
    log(
      `  pitchcase publish: first ${seconds(cliFirst.ms)} s, after one changed ${seconds(cliAgain.ms)} s (CPU ${seconds(cliAgain.cpuMs)} s)`,
    );

    const { studio, editor, publish } = await studioWithPublisher(data.dir);
    try {
      const { db, blobs } = studio.context;
      const now = new Date().toISOString();
      // The first through the API (it makes the channel), the rest straight into the database.
      const first = await editor.upload('default', names[0]!, pdfs[0]!);
      if (first.status !== 200) throw new Error(`upload: ${first.error?.message}`);
      for (let start = 1; start < size; start += 500) {
        const rows = [];
        const blobRows = [];
        for (let i = start; i < Math.min(size, start + 500); i++) {
          const sha256 = createHash('sha256').update(pdfs[i]!).digest('hex');
          writeFileSync(blobs.pathOf(sha256), pdfs[i]!);
          const isPdf = names[i]!.endsWith('.pdf');
          blobRows.push({
            sha256,
            size: pdfs[i]!.length,
            mime: isPdf ? 'application/pdf' : 'image/png',
            created_at: now,
          });
          const id = names[i]!.replace(/\.(pdf|png)$/, '');
          rows.push({
            channel: 'default',
            id,
            kind: isPdf ? 'pdf' : 'image',
            title: `${names[i]!.startsWith('note') ? 'Note' : 'Photo'} ${i}`,
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
            file_name: names[i]!,
            file_sha256: sha256,
            file_size: pdfs[i]!.length,
            revision: 1,
            updated_at: now,
            updated_by: 'bench',
            search_text: searchTextOf({
              title: `${names[i]!.startsWith('note') ? 'Note' : 'Photo'} ${i}`,
              fileName: names[i]!,
              description: '',
              tags: [],
              products: [],
            }),
          });
        }
        await db.insertInto('blobs').values(blobRows).execute();
        await db.insertInto('items').values(rows).execute();
      }
      const studioFirstMs = await publish();
      const changed = await editor.upload(
        'default',
        names[0]!,
        await notePdf(0, 1),
        `&item=${names[0]!.replace(/\.pdf$/, '')}`,
      );
      if (changed.status !== 200) throw new Error(`upload: ${changed.error?.message}`);
      const cpu = process.cpuUsage();
      const studioAgainMs = await publish();
      const { user, system } = process.cpuUsage(cpu);
      log(
        `  Studio: first ${seconds(studioFirstMs)} s, after one changed ${seconds(studioAgainMs)} s (CPU ${seconds((user + system) / 1000)} s)`,
      );
      return {
        library_items: size,
        cli_first_publish_s: seconds(cliFirst.ms),
        cli_republish_one_changed_s: seconds(cliAgain.ms),
        cli_republish_one_changed_cpu_s: seconds(cliAgain.cpuMs),
        studio_first_publish_s: seconds(studioFirstMs),
        studio_republish_one_changed_s: seconds(studioAgainMs),
        studio_republish_one_changed_cpu_s: seconds((user + system) / 1000),
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
