import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudio, type RunningStudio } from '#studio/index';
import type { PreviewView } from '#shared/studio';
import { makePdf, tempDir } from '../support/release.ts';
import { StudioClient } from './client.ts';
import { makeZip } from './zip.ts';

/**
 * "Preview as tablet / kiosk": the draft built into a throw-away release, installed by a core on
 * a throw-away profile, served by the browser host behind a gateway that checks the preview's
 * secret on every request (its microsites behind a second one); closed on request, and with Studio.
 */
const rendererDir = path.resolve(import.meta.dirname, '..', '..', 'build', 'renderer');
const password = 'correct horse battery';

/** A fetch with no cookie jar: the gateway must be reached as a browser would, step by step. */
async function get(url: string, cookie?: string): Promise<Response> {
  return fetch(url, { redirect: 'manual', ...(cookie ? { headers: { cookie } } : {}) });
}

async function core<T>(base: string, cookie: string, method: string, arg: unknown = {}): Promise<T> {
  const response = await fetch(`${base}api/${method}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify(arg),
  });
  const json = (await response.json()) as { ok: boolean; value: T };
  expect(json.ok).toBe(true);
  return json.value;
}

describe('Studio previews of the draft', () => {
  let data: ReturnType<typeof tempDir>;
  let studio: RunningStudio;
  let admin: StudioClient;
  let editor: StudioClient;

  beforeAll(async () => {
    data = tempDir('studio-preview-');
    studio = await startStudio({
      dataDir: data.dir,
      port: 0,
      rendererDir,
      config: { scryptCost: 2 ** 10 },
      log: () => {},
    });
    admin = new StudioClient(studio.url);
    editor = new StudioClient(studio.url);
    const token = studio.setupUrl!.split('#')[1]!;
    await admin.call('POST', '/api/setup', { token, email: 'ada@example.com', name: 'Ada', password });
    await admin.call('POST', '/api/users', { email: 'ed@example.com', name: 'Ed', role: 'editor', password });
    await editor.signIn('ed@example.com', password);
  }, 60_000);

  afterAll(async () => {
    await studio?.close();
    data?.cleanup();
  });

  it('refuses to preview an empty draft, and viewers may not start one', async () => {
    const empty = await editor.call('POST', '/api/channels/default/previews', { device: 'tablet' });
    expect(empty.error?.code).toBe('conflict');
    const bad = await editor.call('POST', '/api/channels/default/previews', { device: 'phone' });
    expect(bad.status).toBe(400);
  });

  it('serves the draft, never published, to the holder of the secret only; then closes it', async () => {
    const upload = await editor.upload(
      'default',
      'tide-tables.pdf',
      await makePdf('Tide tables', ['High water at noon']),
    );
    expect(upload.ok).toBe(true);
    await editor.call('PATCH', '/api/channels/default/items', {
      ids: ['tide-tables'],
      fields: { title: 'Tide tables 2027', kiosk: true },
    });
    const started = await editor.call<PreviewView>('POST', '/api/channels/default/previews', { device: 'tablet' });
    expect(started.ok).toBe(true);
    const preview = started.value;
    expect(preview).toMatchObject({ device: 'tablet', width: 1440, height: 960, items: 1 });
    const base = preview.url.split('?')[0]!;

    // No secret, a wrong one, and Studio's own session cookie: all refused.
    expect((await get(base)).status).toBe(403);
    expect((await get(`${base}?preview-key=wrong`)).status).toBe(403);
    expect((await get(base, editor.cookie!)).status).toBe(403);

    // The link trades the secret for an HttpOnly cookie and sends the browser to the app.
    const link = await get(preview.url);
    expect(link.status).toBe(303);
    expect(link.headers.get('location')).toBe('/');
    const setCookie = link.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = setCookie.split(';')[0]!;

    const page = await get(base, cookie);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    // Framed by Studio's page only.
    expect(page.headers.get('content-security-policy')).toContain(`frame-ancestors ${studio.url}`);

    const library = await core<{ release: { version: number } | null; items: { title: string }[] }>(
      base,
      cookie,
      'getLibrary',
    );
    expect(library.items.map((i) => i.title)).toEqual(['Tide tables 2027']);
    // The channel itself has nothing: a preview publishes nowhere.
    expect(existsSync(path.join(data.dir, 'channels', 'default', 'channel.json'))).toBe(false);
    const releases = await editor.call<unknown[]>('GET', '/api/channels/default/releases');
    expect(releases.value).toEqual([]);

    // Only its owner (or an admin) closes it; afterwards the port answers nobody.
    const other = new StudioClient(studio.url);
    await admin.call('POST', '/api/users', { email: 'amy@example.com', name: 'Amy', role: 'approver', password });
    await other.signIn('amy@example.com', password);
    expect((await other.call('DELETE', `/api/previews/${preview.id}`, {})).error?.code).toBe('forbidden');
    expect((await editor.call('DELETE', `/api/previews/${preview.id}`, {})).ok).toBe(true);
    await expect(get(base, cookie)).rejects.toThrow();
    expect(readdirSync(path.join(data.dir, 'tmp', 'previews'))).toEqual([]);
  }, 60_000);

  it('a microsite in the preview is reached through a gateway that checks the secret on every request', async () => {
    const zip = makeZip([
      { name: 'calc/index.html', data: '<h1>ROI calculator</h1><script src="app.js"></script>' },
      { name: 'calc/app.js', data: 'document.title = "ROI";' },
    ]);
    expect((await editor.upload('default', 'roi-calculator.zip', zip)).ok).toBe(true);
    const started = await editor.call<PreviewView>('POST', '/api/channels/default/previews', { device: 'tablet' });
    const link = await get(started.value.url);
    const cookie = link.headers.get('set-cookie')!.split(';')[0]!;
    const base = started.value.url.split('?')[0]!;
    const site = await core<{ siteUrl: string }>(base, cookie, 'getItem', { id: 'roi-calculator' });
    // On a port of its own (another origin than the app's), the secret first in the path.
    const siteUrl = new URL(site.siteUrl);
    expect(siteUrl.hostname).toBe(new URL(base).hostname);
    expect(siteUrl.port).not.toBe(new URL(base).port);
    const [, secret, ...rest] = siteUrl.pathname.split('/');
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rest).toEqual(['roi-calculator', 'index.html']);
    // The app may frame that origin.
    expect((await get(base, cookie)).headers.get('content-security-policy')).toContain(`frame-src ${siteUrl.origin}`);

    const page = await get(site.siteUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('ROI calculator');
    expect(page.headers.get('content-security-policy')).toMatch(/sandbox allow-scripts/);
    // Its own files, by relative address, carry the secret too.
    expect(await (await get(new URL('app.js', site.siteUrl).href)).text()).toContain('document.title');
    // Without it, with a wrong one, or with only the app's cookie: refused, every request.
    const bare = `${siteUrl.origin}/roi-calculator/index.html`;
    expect((await get(bare)).status).toBe(403);
    expect((await get(bare, cookie)).status).toBe(403);
    expect((await get(`${siteUrl.origin}/${'x'.repeat(43)}/roi-calculator/index.html`)).status).toBe(403);
    expect((await editor.call('DELETE', `/api/previews/${started.value.id}`, {})).ok).toBe(true);
    await expect(get(site.siteUrl)).rejects.toThrow();
  }, 60_000);

  it('a kiosk preview runs a kiosk profile at booth size; Studio closing closes it', async () => {
    const started = await editor.call<PreviewView>('POST', '/api/channels/default/previews', { device: 'kiosk' });
    expect(started.value).toMatchObject({ device: 'kiosk', width: 1920, height: 1080 });
    const link = await get(started.value.url);
    const cookie = link.headers.get('set-cookie')!.split(';')[0]!;
    const base = started.value.url.split('?')[0]!;
    const info = await core<{ profileKind: string }>(base, cookie, 'getAppInfo');
    expect(info.profileKind).toBe('kiosk');
    // Starting the same device again replaces the old preview (the draft may have changed).
    const again = await editor.call<PreviewView>('POST', '/api/channels/default/previews', { device: 'kiosk' });
    expect(again.value.id).not.toBe(started.value.id);
    await expect(get(base, cookie)).rejects.toThrow();
    expect(readdirSync(path.join(data.dir, 'tmp', 'previews'))).toEqual([again.value.id]);
  }, 60_000);
});
