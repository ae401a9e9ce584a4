import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type Host } from '#host/server';
import { makeChannel, tempDir, type TestChannel } from '../support/release.ts';

let channel: TestChannel;
let host: Host;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  channel = await makeChannel();
  await channel.publish();
  const renderer = tempDir('pitchcase-renderer-');
  const profile = tempDir('pitchcase-profile-');
  cleanups.push(channel.cleanup, renderer.cleanup, profile.cleanup);
  mkdirSync(path.join(renderer.dir, 'assets'));
  writeFileSync(path.join(renderer.dir, 'index.html'), '<!doctype html><title>Pitchcase</title>');
  writeFileSync(path.join(renderer.dir, 'assets', 'app-1234.js'), 'console.log(1)');
  host = await startHost({
    core: { profileDir: profile.dir, embeddedRelease: { dir: channel.releaseDir, publicKeyPem: channel.publicPem } },
    rendererDir: renderer.dir,
    port: 0,
  });
});

afterAll(async () => {
  await host?.close();
  cleanups.forEach((c) => c());
});

/** A raw request, so tests control the Host header and see exact status codes. */
function raw(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    // The path is sent exactly as written: no client-side normalisation of "..".
    const match = /^http:\/\/([^/:]+):(\d+)(\/.*)?$/.exec(url)!;
    const req = request(
      {
        hostname: match[1],
        port: Number(match[2]),
        path: match[3] ?? '/',
        method: init.method ?? 'GET',
        headers: init.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    if (init.body) req.write(init.body);
    req.end();
  });
}

const call = async (method: string, arg: unknown) =>
  (
    await fetch(new URL(`/api/${method}`, host.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(arg),
    })
  ).json();

describe('browser host', () => {
  it('answers contract calls with Results', async () => {
    const library = (await call('getLibrary', {})) as { ok: boolean; value: { items: unknown[] } };
    expect(library.ok).toBe(true);
    expect(library.value.items).toHaveLength(3);
    expect(await call('getAppInfo', {})).toMatchObject({ ok: true, value: { shell: 'browser', name: 'Pitchcase' } });
  });

  it('returns typed errors for unknown methods, bad arguments and unknown items', async () => {
    expect(await call('dropTables', {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(await call('getItem', { id: 42 })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await call('getItem', { id: 'nope' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('refuses API calls that are not JSON (no cross-site form posts) and foreign Host headers (DNS rebinding)', async () => {
    const form = await raw(new URL('/api/getLibrary', host.url).href, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: '{}',
    });
    expect(form.status).toBe(415);
    const rebinding = await raw(new URL('/api/getLibrary', host.url).href, {
      method: 'POST',
      headers: { Host: 'evil.example', 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(rebinding.status).toBe(421);
  });

  it('serves the UI with the CSP and refuses paths outside it', async () => {
    const index = await raw(host.url);
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(index.headers['content-security-policy']).not.toMatch(/unsafe-eval/);
    expect(index.headers['content-security-policy']).toContain(`frame-src ${host.siteUrl}`);
    const asset = await raw(new URL('/assets/app-1234.js', host.url).href);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toMatch(/immutable/);
    for (const evil of [
      '/..%2f..%2fetc%2fpasswd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/..%5c..%5cpackage.json',
      '/a%00b',
    ]) {
      expect((await raw(host.url.replace(/\/$/, '') + evil)).status, evil).toBe(400);
    }
  });

  it('serves blobs with their MIME type and honours Range requests', async () => {
    const item = (
      (await call('getItem', { id: 'brochure' })) as { value: { primary: { sha256: string; size: number } } }
    ).value;
    const url = new URL(`/content/${item.primary.sha256}`, host.url).href;
    const whole = await raw(url);
    expect(whole.status).toBe(200);
    expect(whole.headers['content-type']).toBe('application/pdf');
    expect(whole.body.length).toBe(item.primary.size);
    const part = await raw(url, { headers: { Range: 'bytes=0-3' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 0-3/${item.primary.size}`);
    expect(part.body.toString('latin1')).toBe('%PDF');
    const tail = await raw(url, { headers: { Range: 'bytes=-5' } });
    expect(tail.body.length).toBe(5);
    expect((await raw(url, { headers: { Range: `bytes=${item.primary.size}-` } })).status).toBe(416);
    expect((await raw(new URL(`/content/${'0'.repeat(64)}`, host.url).href)).status).toBe(404);
    expect((await raw(`${host.url}content/..%2f..%2fpitchcase.db`)).status).toBe(400);
  });

  it('serves microsites from a separate origin with a sandboxing CSP, and only their own files', async () => {
    expect(new URL(host.siteUrl).origin).not.toBe(new URL(host.url).origin);
    const page = await raw(`${host.siteUrl}/calculator/index.html`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/^sandbox allow-scripts;/);
    expect(page.headers['content-security-policy']).not.toMatch(/allow-same-origin/);
    expect((await raw(`${host.siteUrl}/calculator/css/style.css`)).headers['content-type']).toMatch(/text\/css/);
    expect((await raw(`${host.siteUrl}/calculator/../brochure/x`)).status).toBe(400);
    expect((await raw(`${host.siteUrl}/calculator/%2e%2e%2fsecret`)).status).toBe(400);
    expect((await raw(`${host.siteUrl}/brochure/index.html`)).status).toBe(404);
    // The app's API is not reachable from the microsite origin.
    expect(
      (
        await raw(`${host.siteUrl}/api/getLibrary`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(405);
  });

  it('streams core events to the browser as server-sent events', async () => {
    const controller = new AbortController();
    const response = await fetch(new URL('/api/events', host.url), { signal: controller.signal });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    await reader.read(); // the ": connected" comment
    const events = host.core.events as unknown as { emit(e: string, p: unknown): void };
    events.emit('library.changed', { version: 7 });
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toBe('data: {"event":"library.changed","payload":{"version":7}}\n\n');
    controller.abort();
  });
});
