import { mkdirSync, writeFileSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudioBoot } from '#shared/studio';
import { startStudio, type RunningStudio } from '#studio/index';
import { makePdf, tempDir } from '../support/release.ts';
import { StudioClient } from './client.ts';

/**
 * How Studio serves its UI for a fast first screen: the page carries the signed-in person's
 * session, channels and first library rows (and nothing for anyone else), is never cached;
 * hashed assets are compressed and cached for good.
 */

const password = 'correct horse battery';
const page = '<!doctype html><html><head><title>Studio</title></head><body><div id="root"></div></body></html>';
const script = `console.log(${JSON.stringify('library '.repeat(2000))});`;

function rawGet(url: string, headers: Record<string, string>): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

describe('Studio UI serving', () => {
  const data = tempDir('studio-ui-');
  const ui = path.join(data.dir, 'ui');
  let studio: RunningStudio;
  let editor: StudioClient;

  beforeAll(async () => {
    mkdirSync(path.join(ui, 'assets'), { recursive: true });
    writeFileSync(path.join(ui, 'index.html'), page);
    writeFileSync(path.join(ui, 'assets', 'index-abc123.js'), script);
    studio = await startStudio({
      dataDir: path.join(data.dir, 'data'),
      port: 0,
      uiDir: ui,
      config: { scryptCost: 2 ** 10 },
      log: () => {},
    });
    editor = new StudioClient(studio.url);
    await editor.call('POST', '/api/setup', {
      token: studio.setupUrl!.split('#')[1],
      email: 'ed@example.com',
      name: 'Ed',
      password,
    });
    for (const title of ['Tide tables', 'Harbour map', 'Crew list'])
      await editor.upload('default', `${title}.pdf`, await makePdf(title, [title]));
  });
  afterAll(async () => {
    await studio.close();
    data.cleanup();
  });

  const bootIn = (html: string): StudioBoot | null => {
    const match = /<script type="application\/json" id="studio-boot">(.*?)<\/script>/.exec(html);
    return match ? (JSON.parse(match[1]!) as StudioBoot) : null;
  };

  it('the page carries the signed-in session, the channels and the first library rows, and is not cached', async () => {
    const response = await fetch(`${studio.url}/`, { headers: { cookie: editor.cookie! } });
    expect(response.headers.get('cache-control')).toBe('no-store');
    const boot = bootIn(await response.text());
    expect(boot?.session).toEqual({
      user: expect.objectContaining({ email: 'ed@example.com' }),
      csrfToken: editor.csrf,
    });
    expect(boot?.channels.map((c) => c.id)).toEqual(['default']);
    expect(boot?.library).toMatchObject({ channel: 'default', offset: 0, limit: 100 });
    // The same rows, in the same order, as the library's first request would get.
    const first = await editor.call<{ total: number; items: { id: string }[] }>(
      'GET',
      '/api/channels/default/items?offset=0&limit=100',
    );
    expect(boot?.library?.page).toEqual(first.value);
    expect(boot?.library?.page.total).toBe(3);
  });

  it('carries nothing for someone not signed in, and cannot be broken out of by a title', async () => {
    expect(bootIn(await (await fetch(`${studio.url}/`)).text())).toBeNull();
    const list = await editor.call<{ items: { id: string; revision: number }[] }>('GET', '/api/channels/default/items');
    const item = list.value.items[0]!;
    const hostile = '</script><script>alert(1)</script>';
    expect(
      (
        await editor.call('PATCH', `/api/channels/default/items/${item.id}`, {
          revision: item.revision,
          fields: { title: hostile },
        })
      ).status,
    ).toBe(200);
    const html = await (await fetch(`${studio.url}/`, { headers: { cookie: editor.cookie! } })).text();
    expect(html).not.toContain('<script>alert(1)');
    expect(bootIn(html)?.library?.page.items.map((i) => i.title)).toContain(hostile);
  });

  it('hashed assets go out compressed and cached for good', async () => {
    for (const [encoding, decode] of [
      ['br', brotliDecompressSync],
      ['gzip', gunzipSync],
    ] as const) {
      // node:http, not fetch: fetch would undo the compression before the test sees it.
      const { headers, body } = await rawGet(`${studio.url}/assets/index-abc123.js`, { 'accept-encoding': encoding });
      expect(headers['content-encoding']).toBe(encoding);
      expect(headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(body.length).toBeLessThan(script.length / 10);
      expect(decode(body).toString('utf8')).toBe(script);
    }
  });
});
