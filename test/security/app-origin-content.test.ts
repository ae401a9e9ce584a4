/**
 * Release files never run as the app. On the app origin `/content/<sha>` serves only what the
 * app's viewers load (documents, images, videos, thumbnails), sandboxed and unframeable, and never
 * a microsite's files; an SVG or a microsite page opened or framed there runs nothing. Checked
 * with headers and in Chromium, where a hostile SVG and page try to call the API.
 */
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '#shared/manifest';
import { findChromium } from '../support/chromium.mjs';
import { batteryHosts, batteryManifest, fileOf, PROBE_MESSAGE } from './battery.ts';

const chromiumPath = findChromium().path ?? undefined;

let manifest: Manifest;
let browser: Browser;
beforeAll(async () => {
  manifest = batteryManifest();
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});
afterAll(async () => {
  await browser?.close();
});

describe.each(batteryHosts())('release files on the app origin ($kind profile)', (host) => {
  let context: BrowserContext;
  /** Every API call any page of the context made, as "origin path". */
  const apiCalls: string[] = [];
  const content = (sha: string) => new URL(`/content/${sha}`, host.url).href;

  beforeAll(async () => {
    context = await browser.newContext();
    context.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/')) apiCalls.push(`${url.origin} ${url.pathname}`);
    });
  });
  afterAll(async () => {
    await context?.close();
  });

  it('serves what the viewers load sandboxed, unframeable and unsniffable; an SVG only as a download', async () => {
    const pdf = await fetch(content(fileOf(manifest, 'brochure', (f) => f.role === 'primary')));
    const svg = await fetch(content(fileOf(manifest, 'badge', (f) => f.role === 'primary')));
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(svg.headers.get('content-disposition')).toMatch(/^attachment/);
    for (const response of [pdf, svg]) {
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/(^|; )sandbox(;|$)/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      await response.body?.cancel();
    }
  });

  it("never serves a microsite's files from the app origin", async () => {
    const calculator = manifest.items.find((i) => i.id === 'calculator')!;
    for (const file of calculator.files) {
      const response = await fetch(content(file.sha256));
      expect(response.status, file.path).toBe(404);
      await response.body?.cancel();
    }
    // They are still served, from their own origin.
    expect((await fetch(`${host.siteUrl}/calculator/index.html`)).status).toBe(200);
  });

  it('a hostile SVG or microsite page opened or framed on the app origin cannot call the API', async () => {
    const page = await context.newPage();
    const probes: string[] = [];
    page.on('console', (message) => {
      if (message.text() === PROBE_MESSAGE) probes.push(message.location().url);
    });
    // The probe works: the same page runs on the microsite origin (where its CSP stops the fetch).
    const probed = page.waitForEvent('console', (message) => message.text() === PROBE_MESSAGE);
    await page.goto(`${host.siteUrl}/calculator/index.html`);
    await probed;
    probes.length = 0;

    const svg = content(fileOf(manifest, 'badge', (f) => f.role === 'primary'));
    const html = content(fileOf(manifest, 'calculator', (f) => f.path === 'index.html'));
    for (const url of [svg, html]) {
      // Opened directly: a download or a 404, never a document of the app origin.
      await page.goto(url).catch((error: Error) => expect(error.message).toMatch(/download/i));
    }
    // Framed by a page of another origin.
    await page.goto('about:blank');
    await page.evaluate(
      (urls) =>
        Promise.all(
          urls.map(
            (src) =>
              new Promise<void>((resolve) => {
                const frame = document.createElement('iframe');
                frame.src = src;
                frame.onload = () => resolve();
                frame.onerror = () => resolve();
                document.body.append(frame);
              }),
          ),
        ),
      [svg, html],
    );
    expect(probes).toEqual([]);
    expect(apiCalls.filter((call) => call.startsWith(new URL(host.url).origin))).toEqual([]);

    // The image viewer still shows the SVG.
    await page.goto(host.url);
    const width = await page.evaluate(
      (src) =>
        new Promise<number>((resolve, reject) => {
          const image = new Image();
          image.onload = () => resolve(image.naturalWidth);
          image.onerror = () => reject(new Error('the SVG did not load as an image'));
          image.src = src;
        }),
      svg,
    );
    expect(width).toBe(20);
    await page.close();
  });

  it('the app itself cannot be framed by another page', async () => {
    const index = await fetch(host.url);
    await index.body?.cancel();
    expect(index.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const page = await context.newPage();
    await page.goto('about:blank');
    await page.evaluate(
      (src) =>
        new Promise<void>((resolve) => {
          const frame = document.createElement('iframe');
          frame.src = src;
          frame.onload = () => resolve();
          document.body.append(frame);
        }),
      host.url,
    );
    const appFrames = page.frames().filter((frame) => frame !== page.mainFrame() && frame.url().startsWith(host.url));
    expect(appFrames).toEqual([]);
    await page.close();
  });
});
