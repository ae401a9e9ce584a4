/**
 * Another web page in the same browser (another origin on this machine, so no private-network
 * rule helps) cannot use the app's API: a JSON call needs a CORS preflight the host never grants,
 * and the calls a page may send without one (forms, text/plain) are refused before they run.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../support/chromium.mjs';
import { batteryHosts } from './battery.ts';

let browser: Browser;
let page: Page;
let evil: Server;
beforeAll(async () => {
  evil = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>Another site</title>');
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  browser = await chromium.launch({
    executablePath: findChromium().path ?? undefined,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
});
afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (evil ? evil.close(() => resolve()) : resolve()));
});

describe.each(batteryHosts())('another origin against the API ($kind profile)', (host) => {
  it('cannot make a JSON call: the preflight gets no CORS grant', async () => {
    const outcome = await page.evaluate(async (url) => {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{}',
        });
        return `read ${response.status}`;
      } catch (error) {
        return `refused: ${(error as Error).name}`;
      }
    }, new URL('/api/getDeliverySettings', host.url).href);
    expect(outcome).toBe('refused: TypeError');
    const preflight = await fetch(new URL('/api/getDeliverySettings', host.url), {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://127.0.0.1:1',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    await preflight.body?.cancel();
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.status).toBeGreaterThanOrEqual(400);
  });

  it('sends simple requests (text/plain, forms) that are refused before anything runs', async () => {
    const before = await (
      await fetch(new URL('/api/getRecentSearches', host.url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      })
    ).json();
    await page.evaluate(async (url) => {
      await fetch(url, {
        method: 'POST',
        mode: 'no-cors',
        headers: { 'Content-Type': 'text/plain' },
        body: JSON.stringify({ query: 'calculator', record: true }),
      });
      const form = new URLSearchParams({ query: 'calculator', record: 'true' });
      await fetch(url, { method: 'POST', mode: 'no-cors', body: form });
    }, new URL('/api/search', host.url).href);
    const direct = await fetch(new URL('/api/search', host.url), {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ query: 'calculator', record: true }),
    });
    await direct.body?.cancel();
    expect(direct.status).toBe(415);
    const recent = async () =>
      (await (
        await fetch(new URL('/api/getRecentSearches', host.url), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{}',
        })
      ).json()) as unknown;
    expect(JSON.stringify(await recent())).not.toContain('calculator');
    expect(await recent()).toEqual(before);
    // The same call made properly is recorded, so the check above would see one that got through.
    await (
      await fetch(new URL('/api/search', host.url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ query: 'brochure', record: true }),
      })
    ).text();
    expect(JSON.stringify(await recent())).toContain('brochure');
  });
});
