/**
 * `npm run bench:ui`: the rep's screens in Chromium, on the demo library and on a library of
 * 20,000 items. Prints figures, then one JSON line.
 *
 * - cards: navigation to the home → the first card visible (ms)
 * - keystroke p95: a key typed in search → the results for the text so far painted (ms)
 * - tap → page: a tap on a PDF card → its first page drawn (ms)
 * - memory: the page process's resident memory after scrolling the whole home (MB)
 *
 * The 20,000-item library is the demo release's items repeated under new ids in 200 collections
 * (served in place of `getLibrary`; covers, documents and search are the demo's): it measures
 * what the renderer does with a large library, not the publisher or the search engine.
 * Targets at 20,000 items: cards ≤ 1 s, keystroke p95 ≤ 100 ms, memory ≤ 250 MB.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type Page } from '@playwright/test';
import type { LibraryView } from '#shared/library';
import { findChromium } from '../../support/chromium.mjs';

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const query = 'aquacore twin train';

async function startHost(profileDir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(
    path.join(repoRoot, 'node_modules', '.bin', 'tsx'),
    ['main/cli/index.ts', 'start', '--profile', profileDir, '--port', '0', '--json', '--no-connect-prompt'],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const ready = JSON.parse(line) as { url?: string };
        if (ready.url) resolve(ready.url);
      } catch {
        // Not the ready line.
      }
    });
    child.once('exit', (code) => reject(new Error(`The host exited (${code}) before it was ready`)));
  });
  return {
    url,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
      await exited;
    },
  };
}

/** The demo's items repeated under new ids until there are `count`, in collections of 100. */
function largeLibrary(demo: LibraryView, count: number): LibraryView {
  const items = Array.from({ length: count }, (_, i) => {
    const source = demo.items[i % demo.items.length]!;
    return {
      ...source,
      id: `${source.id}~${i}`,
      title: `${source.title} ${i}`,
      collectionIds: [`c${Math.floor(i / 100)}`],
    };
  });
  const collections = Array.from({ length: Math.ceil(count / 100) }, (_, c) => ({
    id: `c${c}`,
    title: `Collection ${c + 1}`,
    description: '',
    itemIds: items.slice(c * 100, c * 100 + 100).map((item) => item.id),
  }));
  return { ...demo, items, collections, release: demo.release ? { ...demo.release, itemCount: count } : null };
}

async function rendererRssMb(browser: Browser): Promise<number> {
  const session = await browser.newBrowserCDPSession();
  const info = (await session.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
  let largest = 0;
  for (const process of info.processInfo.filter((entry) => entry.type === 'renderer')) {
    try {
      const status = await readFile(`/proc/${process.id}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      largest = Math.max(largest, kb / 1024);
    } catch {
      // The process ended meanwhile.
    }
  }
  return Math.round(largest);
}

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] ?? 0;
}

async function measure(browser: Browser, url: string, library: LibraryView | null) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 960 } });
  // tsx names the functions it compiles with a helper the page does not have; give it one.
  await context.addInitScript({ content: 'globalThis.__name = (target) => target;' });
  const page: Page = await context.newPage();
  if (library) {
    const body = JSON.stringify({ ok: true, value: library });
    await page.route('**/api/getLibrary', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body }),
    );
    // A repeated item opens the demo item it repeats.
    await page.route('**/api/getItem', async (route) => {
      const arg = JSON.parse(route.request().postData() ?? '{}') as { id?: string };
      const id = (arg.id ?? '').replace(/~\d+$/, '');
      const response = await route.fetch({ postData: JSON.stringify({ ...arg, id }) });
      const answer = (await response.json()) as { ok: boolean; value?: { id: string } };
      if (answer.ok && answer.value) answer.value.id = arg.id ?? answer.value.id;
      await route.fulfill({ response, body: JSON.stringify(answer) });
    });
  }
  const started = Date.now();
  await page.goto(url);
  await page.getByTestId('item-card').first().waitFor({ state: 'visible' });
  const cardsMs = Date.now() - started;
  const elements = await page.evaluate(() => document.getElementsByTagName('*').length);

  // Keystrokes: each key, then the panel answering the text typed so far, then a frame.
  const input = page.getByTestId('search-input');
  await input.click();
  const keystrokes: number[] = [];
  let typed = '';
  for (const key of query) {
    typed += key;
    const at = Date.now();
    await page.keyboard.type(key);
    if (typed.trim()) {
      await page.waitForFunction(
        (text) =>
          document.querySelector('[data-testid="search-panel"]')?.getAttribute('data-answered-query')?.trim() === text,
        typed.trim(),
        {
          polling: 'raf',
          timeout: 10_000,
        },
      );
    }
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
    keystrokes.push(Date.now() - at);
  }
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');

  // Scroll the whole home, every shelf to its end, then read the page process's memory.
  await page.evaluate(async () => {
    const content = document.getElementById('library')!;
    while (content.scrollTop + content.clientHeight < content.scrollHeight - 1) {
      content.scrollBy(0, content.clientHeight);
      await new Promise((resolve) => requestAnimationFrame(resolve));
      for (const shelf of document.querySelectorAll<HTMLElement>('[data-testid="collection-shelf"]'))
        shelf.scrollLeft = shelf.scrollWidth;
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    content.scrollTop = 0;
    await new Promise((resolve) => requestAnimationFrame(resolve));
  });
  const memoryMb = await rendererRssMb(browser);

  // A tap on a document: its first page drawn.
  const pdfCard = page.locator('[data-testid="item-card"][data-kind="pdf"]').first();
  const tapAt = Date.now();
  await pdfCard.click();
  await page.locator('.pdf-page--painted').first().waitFor({ state: 'attached' });
  const tapMs = Date.now() - tapAt;
  await context.close();
  return {
    items: library?.items.length ?? null,
    cardsMs,
    elementsAtStart: elements,
    keystrokeP95Ms: p95(keystrokes),
    keystrokeMaxMs: Math.max(...keystrokes),
    tapToPageMs: tapMs,
    memoryMb,
  };
}

async function main(): Promise<void> {
  const executablePath = findChromium().path ?? undefined;
  const profileDir = await mkdtemp(path.join(os.tmpdir(), 'pitchcase-bench-ui-'));
  const host = await startHost(profileDir);
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    await page.goto(host.url);
    const demo = (
      await page.evaluate(
        async () =>
          (await (
            await fetch('/api/getLibrary', {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: '{}',
            })
          ).json()) as { value: unknown },
      )
    ).value as LibraryView;
    await page.close();

    const results = {
      demo: await measure(browser, host.url, null),
      large: await measure(browser, host.url, largeLibrary(demo, 20_000)),
    };
    for (const [name, r] of Object.entries(results)) {
      console.log(
        `${name.padEnd(5)} ${String(r.items ?? demo.items.length).padStart(6)} items: cards ${r.cardsMs} ms (${r.elementsAtStart} elements) · keystroke p95 ${r.keystrokeP95Ms} ms (max ${r.keystrokeMaxMs}) · tap → page ${r.tapToPageMs} ms · memory after scrolling ${r.memoryMb} MB`,
      );
    }
    const large = results.large;
    console.log(
      `targets at 20,000: cards ≤ 1000 ms ${large.cardsMs <= 1000 ? 'met' : 'MISSED'} · keystroke p95 ≤ 100 ms ${large.keystrokeP95Ms <= 100 ? 'met' : 'MISSED'} · memory ≤ 250 MB ${large.memoryMb <= 250 ? 'met' : 'MISSED'}`,
    );
    console.log(JSON.stringify({ bench: 'ui', ...results }));
  } finally {
    await browser.close();
    await host.stop();
    await rm(profileDir, { recursive: true, force: true });
  }
}

await main();
