import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_ORIGIN_CONTENT_HEADERS, appOriginBlob, appOriginServing, type BlobUse } from '#core/content/app-origin';

describe('appOriginServing: which release files the app origin serves, and how', () => {
  it.each<[string, BlobUse[], ReturnType<typeof appOriginServing>]>([
    [
      'a PDF document',
      [{ role: 'primary', mime: 'application/pdf' }],
      { serve: true, contentType: 'application/pdf', disposition: 'inline' },
    ],
    [
      'a page thumbnail',
      [{ role: 'page-thumbnail', mime: 'image/png' }],
      { serve: true, contentType: 'image/png', disposition: 'inline' },
    ],
    [
      'a video poster',
      [{ role: 'poster', mime: 'image/jpeg' }],
      { serve: true, contentType: 'image/jpeg', disposition: 'inline' },
    ],
    [
      'a video',
      [{ role: 'primary', mime: 'video/mp4' }],
      { serve: true, contentType: 'video/mp4', disposition: 'inline' },
    ],
    [
      'an SVG image (scripts possible)',
      [{ role: 'primary', mime: 'image/svg+xml' }],
      { serve: true, contentType: 'image/svg+xml', disposition: 'attachment' },
    ],
    [
      'an SVG thumbnail',
      [{ role: 'thumbnail', mime: 'image/SVG+XML' }],
      { serve: true, contentType: 'image/svg+xml', disposition: 'attachment' },
    ],
    [
      'HTML as a document',
      [{ role: 'primary', mime: 'text/html' }],
      { serve: true, contentType: 'application/octet-stream', disposition: 'attachment' },
    ],
    [
      'XHTML as an image',
      [{ role: 'primary', mime: 'application/xhtml+xml' }],
      { serve: true, contentType: 'application/octet-stream', disposition: 'attachment' },
    ],
    [
      'an unknown type',
      [{ role: 'primary', mime: 'application/x-thing' }],
      { serve: true, contentType: 'application/octet-stream', disposition: 'attachment' },
    ],
    [
      'a PDF also used as a site file',
      [
        { role: 'site', mime: 'application/pdf' },
        { role: 'primary', mime: 'application/pdf' },
      ],
      { serve: true, contentType: 'application/pdf', disposition: 'inline' },
    ],
  ])('%s', (_name, uses, expected) => {
    expect(appOriginServing(uses)).toEqual(expected);
  });

  it.each<[string, BlobUse[]]>([
    ['a microsite page', [{ role: 'site', mime: 'text/html; charset=utf-8' }]],
    ["a microsite's image", [{ role: 'site', mime: 'image/png' }]],
    ["a microsite's SVG", [{ role: 'site', mime: 'image/svg+xml' }]],
    ["a document's extracted text", [{ role: 'text', mime: 'text/plain' }]],
    ['nothing in the current library', []],
  ])('refuses %s', (_name, uses) => {
    expect(appOriginServing(uses)).toMatchObject({ serve: false });
  });
});

describe('appOriginBlob', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pitchcase-app-origin-'));
  const file = path.join(dir, 'blob');
  writeFileSync(file, '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sandboxes every file and makes active ones downloads', async () => {
    const response = appOriginBlob([{ role: 'primary', mime: 'image/svg+xml' }], file, null);
    const chunks: Buffer[] = [];
    for await (const chunk of response.body!) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toMatch(/^<svg/);
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({
      ...APP_ORIGIN_CONTENT_HEADERS,
      'Content-Type': 'image/svg+xml',
      'Content-Disposition': 'attachment',
    });
    expect(response.headers['Content-Security-Policy']).toMatch(/^sandbox;/);
    expect(response.headers['Content-Security-Policy']).not.toMatch(/allow-/);
  });

  it('answers 404 for a microsite file, without its bytes', () => {
    const response = appOriginBlob([{ role: 'site', mime: 'text/html' }], file, null);
    response.body?.destroy();
    expect(response.status).toBe(404);
    expect(response.headers['Content-Type']).toMatch(/^text\/plain/);
  });
});
