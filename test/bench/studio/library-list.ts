import { searchTextOf } from '#studio/library/items';
import { makePdf, tempDir } from '../../support/release.ts';
import { log, studioWithPublisher } from './harness.ts';

/** Studio's library list API (first pages, and a search) with `size` items in its database. */
export async function libraryList(size: number): Promise<Record<string, number>> {
  const data = tempDir('bench-studio-data-');
  const { studio, editor } = await studioWithPublisher(data.dir);
  try {
    const first = await editor.upload('default', 'brochure.pdf', await makePdf('Brochure', ['Overview']));
    if (first.status !== 200) throw new Error(`upload: ${first.error?.message}`);
    // The library list at size: rows straight into the database, then the API's first page and a search.
    const db = studio.context.db;
    const blob = await db.selectFrom('items').select(['file_sha256', 'file_size']).limit(1).executeTakeFirstOrThrow();
    const now = new Date().toISOString();
    for (let start = 0; start < size; start += 500) {
      const rows = [];
      for (let i = start; i < Math.min(size, start + 500); i++) {
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
      `library list at ${size} items: first pages p50 ${list.p50} ms (p95 ${list.p95}); search p50 ${search.p50} ms (p95 ${search.p95})`,
    );
    return {
      list_items: size,
      list_page_p50_ms: list.p50,
      list_page_p95_ms: list.p95,
      search_page_p50_ms: search.p50,
      search_page_p95_ms: search.p95,
    };
  } finally {
    await studio.close();
    data.cleanup();
  }
}
