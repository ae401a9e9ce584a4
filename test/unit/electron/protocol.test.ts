import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fileResponse, textResponse } from '../../../main/core/content/serve.ts';
import { appContentSecurityPolicy, siteContentSecurityPolicy } from '../../../main/shared/csp.ts';
import {
  appProtocolHandler,
  privilegedSchemes,
  registerProtocols,
  siteProtocolHandler,
} from '../../../main/electron/protocol.ts';

const videoHash = 'b'.repeat(64);
let dir: string;
let rendererDir: string;
let videoPath: string;
const videoBytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));

/** A core whose content service serves one real file, like the real core's blob store does. */
function fakeCore() {
  return {
    content: {
      blob: vi.fn((sha256: string, range?: string | null) =>
        sha256 === videoHash
          ? fileResponse(videoPath, 'video/mp4', range)
          : textResponse(404, 'Not in the current library'),
      ),
      site: vi.fn((itemId: string, filePath: string, range?: string | null) =>
        itemId === 'tour' && filePath === 'index.html'
          ? fileResponse(path.join(dir, 'site-index.html'), 'text/html; charset=utf-8', range)
          : textResponse(404, 'Not part of this microsite'),
      ),
    },
  };
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pitchcase-protocol-'));
  rendererDir = path.join(dir, 'renderer');
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Pitchcase</title>');
  writeFileSync(path.join(rendererDir, 'assets', 'app-1234.js'), 'console.log(1)');
  writeFileSync(path.join(dir, 'secret.txt'), 'outside the renderer');
  writeFileSync(path.join(dir, 'site-index.html'), '<h1>Tour</h1>');
  videoPath = path.join(dir, 'video.mp4');
  writeFileSync(videoPath, videoBytes);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const get = (url: string, headers: Record<string, string> = {}) => new Request(url, { headers });

describe('privileged schemes', () => {
  it('makes the app scheme standard, secure, fetchable and streaming; neither bypasses CSP', () => {
    const app = privilegedSchemes.find((s) => s.scheme === 'pitchcase');
    const site = privilegedSchemes.find((s) => s.scheme === 'pitchcase-site');
    expect(app?.privileges).toMatchObject({ standard: true, secure: true, supportFetchAPI: true, stream: true });
    expect(site?.privileges).toMatchObject({ standard: true, secure: true, stream: true });
    for (const scheme of privilegedSchemes) {
      expect(scheme.privileges?.bypassCSP).not.toBe(true);
      expect(scheme.privileges?.allowServiceWorkers).not.toBe(true);
    }
  });

  it('registers a handler for both schemes', () => {
    const protocol = { handle: vi.fn() };
    registerProtocols(protocol, fakeCore(), rendererDir);
    expect(protocol.handle.mock.calls.map(([scheme]) => scheme)).toEqual(['pitchcase', 'pitchcase-site']);
  });
});

describe('pitchcase://app', () => {
  it('serves index.html with the app CSP and HTML MIME', async () => {
    const response = await appProtocolHandler(fakeCore(), rendererDir)(get('pitchcase://app/'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toBe(appContentSecurityPolicy('pitchcase-site://site'));
    expect(csp).not.toContain('unsafe-eval');
    expect(await response.text()).toContain('<title>Pitchcase</title>');
  });

  it('serves hashed assets with a JavaScript MIME type', async () => {
    const response = await appProtocolHandler(fakeCore(), rendererDir)(get('pitchcase://app/assets/app-1234.js'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await response.text()).toBe('console.log(1)');
  });

  it('answers a Range request for a content blob with 206, Content-Range and the exact bytes', async () => {
    const core = fakeCore();
    const response = await appProtocolHandler(
      core,
      rendererDir,
    )(get(`pitchcase://app/content/${videoHash}`, { Range: 'bytes=100-199' }));
    expect(core.content.blob).toHaveBeenCalledWith(videoHash, 'bytes=100-199');
    expect(response.status).toBe(206);
    expect(response.headers.get('content-type')).toBe('video/mp4');
    expect(response.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(response.headers.get('content-length')).toBe('100');
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(videoBytes.subarray(100, 200));
  });

  it('answers an open-ended and a suffix Range, and 416 for an unsatisfiable one', async () => {
    const handler = appProtocolHandler(fakeCore(), rendererDir);
    const open = await handler(get(`pitchcase://app/content/${videoHash}`, { Range: 'bytes=990-' }));
    expect(open.headers.get('content-range')).toBe('bytes 990-999/1000');
    expect((await open.arrayBuffer()).byteLength).toBe(10);
    const suffix = await handler(get(`pitchcase://app/content/${videoHash}`, { Range: 'bytes=-5' }));
    expect(suffix.headers.get('content-range')).toBe('bytes 995-999/1000');
    const beyond = await handler(get(`pitchcase://app/content/${videoHash}`, { Range: 'bytes=5000-' }));
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe('bytes */1000');
  });

  it('serves a whole blob without Range, and 404 for an unknown hash', async () => {
    const handler = appProtocolHandler(fakeCore(), rendererDir);
    const whole = await handler(get(`pitchcase://app/content/${videoHash}`));
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-length')).toBe('1000');
    expect((await whole.arrayBuffer()).byteLength).toBe(1000);
    const unknown = await handler(get(`pitchcase://app/content/${'c'.repeat(64)}`));
    expect(unknown.status).toBe(404);
  });

  it('answers HEAD with headers only', async () => {
    const response = await appProtocolHandler(
      fakeCore(),
      rendererDir,
    )(new Request(`pitchcase://app/content/${videoHash}`, { method: 'HEAD' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('1000');
    expect(response.body).toBeNull();
  });

  it.each([
    'pitchcase://app/../secret.txt',
    'pitchcase://app/%2e%2e/secret.txt',
    'pitchcase://app/assets/..%2f..%2fsecret.txt',
    'pitchcase://app/..%5csecret.txt',
    'pitchcase://app/index.html%00',
    'pitchcase://elsewhere/index.html',
    `pitchcase://app/content/${videoHash.toUpperCase()}`,
    `pitchcase://app/content/${videoHash}/../index.html`,
  ])('refuses %s with a 4xx and never reads outside the renderer', async (url) => {
    const core = fakeCore();
    const response = await appProtocolHandler(core, rendererDir)(get(url));
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(await response.text()).not.toContain('outside the renderer');
    expect(core.content.blob).not.toHaveBeenCalled();
  });

  it('404s a missing UI file and 405s a POST', async () => {
    const handler = appProtocolHandler(fakeCore(), rendererDir);
    expect((await handler(get('pitchcase://app/nope.js'))).status).toBe(404);
    const post = await handler(new Request('pitchcase://app/index.html', { method: 'POST', body: 'x' }));
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('turns a throwing core into a 500 instead of a dead request', async () => {
    const core = fakeCore();
    core.content.blob.mockImplementation(() => {
      throw new Error('disk gone');
    });
    const response = await appProtocolHandler(core, rendererDir)(get(`pitchcase://app/content/${videoHash}`));
    expect(response.status).toBe(500);
  });
});

describe('pitchcase-site://site', () => {
  it('serves a microsite file through core with the sandboxing site CSP', async () => {
    const core = fakeCore();
    const response = await siteProtocolHandler(core)(get('pitchcase-site://site/tour/index.html'));
    expect(core.content.site).toHaveBeenCalledWith('tour', 'index.html', null);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(siteContentSecurityPolicy());
    expect(response.headers.get('content-security-policy')).toMatch(/^sandbox allow-scripts;/);
  });

  it('keeps the site CSP on errors too, and refuses traversal before core sees it', async () => {
    const core = fakeCore();
    const missing = await siteProtocolHandler(core)(get('pitchcase-site://site/tour/missing.html'));
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(siteContentSecurityPolicy());
    core.content.site.mockClear();
    const traversal = await siteProtocolHandler(core)(get('pitchcase-site://site/tour/%2e%2e/%2e%2e/secret.txt'));
    expect(traversal.status).toBe(400);
    expect(core.content.site).not.toHaveBeenCalled();
  });
});
