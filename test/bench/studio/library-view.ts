import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';
import { startStudio } from '#studio/index';
import { searchTextOf } from '#studio/library/items';
import { tempDir } from '../../support/release.ts';
import { findChromium } from '../../support/chromium.mjs';
import { StudioClient } from '../../studio/client.ts';

/**
 * Studio's library view with N items (default 20,000), in Debian's Chromium at laptop size:
 * from navigation to the first item row on screen (cold, then the median of warm loads), a
 * search typed until its count shows, and a jump to the last row. Items go straight into the
 * database; the view is the built UI (npm run build:studio) against a Studio of its own.
 * Run alone with `tsx test/bench/studio/library-view.ts [N]`; `npm run bench:studio` runs it too.
 */
export interface LibraryViewFigures {
  library_view_items: number;
  /** A brand-new Chromium's first load, the first request the Studio serves too. */
  library_view_first_render_cold_ms: number;
  /** A brand-new Chromium (empty HTTP and code caches) against a Studio that has served before: median of 3. */
  library_view_first_render_cold_browser_ms: number;
  library_view_first_render_ms: number;
  library_view_search_ms: number;
  library_view_scroll_to_end_ms: number;
  library_view_rows_in_dom: number;
}

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const password = 'benchmark password';

async function fillLibrary(db: Awaited<ReturnType<typeof startStudio>>['context']['db'], count: number) {
  const sha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  const now = new Date().toISOString();
  await db.insertInto('blobs').values({ sha256, size: 0, mime: 'application/pdf', created_at: now }).execute();
  for (let start = 0; start < count; start += 500) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + 500); i++) {
      const title = `Library item ${i} ${i % 7 === 0 ? 'harbour' : 'inland'}`;
      const fileName = `lib-${i}.pdf`;
      rows.push({
        channel: 'default',
        id: `lib-${String(i).padStart(6, '0')}`,
        kind: i % 10 === 0 ? 'video' : 'pdf',
        title,
        description: '',
        category: null,
        tags: JSON.stringify([i % 3 === 0 ? 'q3' : 'evergreen']),
        products: '[]',
        audiences: '[]',
        collections: '[]',
        valid_from: null,
        valid_until: null,
        kiosk: 0,
        share_url: null,
        file_name: fileName,
        file_sha256: sha256,
        file_size: 1_000_000 + i,
        revision: 1,
        updated_at: now,
        updated_by: 'bench',
        search_text: searchTextOf({ title, fileName, description: '', tags: [], products: [] }),
      });
    }
    await db.insertInto('items').values(rows).execute();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (ms: number) => Number(ms.toFixed(1));

export async function measureLibraryView(options: {
  items: number;
  log?: (line: string) => void;
}): Promise<LibraryViewFigures> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const executablePath = findChromium().path;
  if (!executablePath) throw new Error('No Chromium found for the library view benchmark.');
  const data = tempDir('bench-studio-view-');
  const studio = await startStudio({
    dataDir: data.dir,
    port: 0,
    uiDir: path.join(repoRoot, 'build', 'studio'),
    config: { scryptCost: 2 ** 10 },
    log: () => {},
  });
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const admin = new StudioClient(studio.url);
    await admin.call('POST', '/api/setup', {
      token: studio.setupUrl!.split('#')[1],
      email: 'ada@example.com',
      name: 'Ada',
      password,
    });
    await fillLibrary(studio.context.db, options.items);

    const signedIn = async (fresh: typeof browser) => {
      const context = await fresh.newContext({ viewport: { width: 1366, height: 768 } });
      await context.request.post(`${studio.url}/api/session`, { data: { email: 'ada@example.com', password } });
      // The moment the first item row is in the document, in the page's own clock (0 = navigation).
      await context.addInitScript(() => {
        const w = window as unknown as { firstRowAt?: number };
        new MutationObserver((_, observer) => {
          if (document.querySelector('tr[data-item-id]')) {
            w.firstRowAt = performance.now();
            observer.disconnect();
          }
        }).observe(document, { childList: true, subtree: true });
      });
      return context.newPage();
    };
    const load = async (page: Awaited<ReturnType<typeof signedIn>>) => {
      await page.goto(studio.url);
      await page.locator('tr[data-item-id]').first().waitFor();
      return page.evaluate(() => (window as unknown as { firstRowAt: number }).firstRowAt);
    };
    const page = await signedIn(browser);
    const cold = await load(page);
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) warm.push(await load(page));
    // What someone opening Studio for the first time sees: a browser that has never loaded it.
    const coldBrowser: number[] = [];
    for (let i = 0; i < 3; i++) {
      const fresh = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
      try {
        coldBrowser.push(await load(await signedIn(fresh)));
      } finally {
        await fresh.close();
      }
    }
    const rowsInDom = await page.locator('tr[data-item-id]').count();
    const pager = page.locator('.studio-pager');
    const expected = String(options.items);
    if (!(await pager.textContent())?.endsWith(`of ${expected}`))
      throw new Error(`the view does not count ${expected} items: ${await pager.textContent()}`);
    log(
      `library view, ${options.items} items: first row ${round(cold)} ms on the first load, ${round(median(coldBrowser))} ms in a brand-new browser (median of 3: ${coldBrowser.map(round).join(', ')}), ${round(median(warm))} ms warm (median of 5); ${rowsInDom} rows in the page`,
    );

    const harbour = Math.ceil(options.items / 7);
    let t = performance.now();
    await page.getByRole('searchbox', { name: 'Search the library' }).fill('harbour');
    await page.getByText(new RegExp(`of ${harbour}$`)).waitFor();
    const searchMs = performance.now() - t;
    await page.getByRole('searchbox', { name: 'Search the library' }).fill('');
    await page.getByText(new RegExp(`of ${expected}$`)).waitFor();

    const lastId = `lib-${String(options.items - 1).padStart(6, '0')}`;
    t = performance.now();
    await page.locator('.studio-scroll').evaluate((box) => box.scrollTo(0, box.scrollHeight));
    await page.locator(`tr[data-item-id="${lastId}"]`).waitFor();
    const scrollMs = performance.now() - t;
    log(
      `library view: search "harbour" ${round(searchMs)} ms to its count; jump to the last row ${round(scrollMs)} ms`,
    );
    return {
      library_view_items: options.items,
      library_view_first_render_cold_ms: round(cold),
      library_view_first_render_cold_browser_ms: round(median(coldBrowser)),
      library_view_first_render_ms: round(median(warm)),
      library_view_search_ms: round(searchMs),
      library_view_scroll_to_end_ms: round(scrollMs),
      library_view_rows_in_dom: rowsInDom,
    };
  } finally {
    await browser.close();
    await studio.close();
    data.cleanup();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await measureLibraryView({ items: Number(process.argv[2] ?? 20_000) });
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}
