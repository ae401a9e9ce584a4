import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '#core/index';
import { SITE_GLOSSARY_PATH, tagOffset } from '#core/content/site-glossary';
import { startHost, type Host } from '#host/server';
import { siteContentSecurityPolicy } from '#shared/csp';
import { siteProtocolHandler } from '../../main/electron/protocol.ts';
import { makeChannel, tempDir, type TestChannel } from '../support/release.ts';

const pages: Record<string, string> = {
  'site/odd/no-doctype.html': '<p>Every lead counts',
  'site/odd/comment-first.html': '<!-- generated --> <!DOCTYPE html>\n<p>A lead',
  'site/odd/unclosed.html': '<!doctype html><p>A lead</p><textarea>draft',
  'site/odd/frameset.html': '<!doctype html><frameset><frame src="../index.html"></frameset>',
  // A microsite that ships its own file where our script lives.
  'site/__pitchcase/glossary.js': 'window.spoofed = true;',
};
const builtScript = 'globalThis.received = pitchcaseGlossary;';

let channel: TestChannel;
let host: Host;
let profileDir: string;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  channel = await makeChannel({ extraFiles: pages });
  await channel.publish();
  const renderer = tempDir('pitchcase-renderer-');
  const profile = tempDir('pitchcase-profile-');
  profileDir = profile.dir;
  cleanups.push(channel.cleanup, renderer.cleanup, profile.cleanup);
  writeFileSync(path.join(renderer.dir, 'index.html'), '<!doctype html><title>Pitchcase</title>');
  const scriptFile = path.join(renderer.dir, 'microsite-glossary.js');
  writeFileSync(scriptFile, builtScript);
  host = await startHost({
    core: {
      profileDir: profile.dir,
      embeddedRelease: { dir: channel.releaseDir, publicKeyPem: channel.publicPem },
      siteGlossaryScript: scriptFile,
    },
    rendererDir: renderer.dir,
    port: 0,
  });
});

afterAll(async () => {
  await host?.close();
  cleanups.forEach((c) => c());
});

function get(
  url: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const source = (name: string) => readFileSync(path.join(channel.sourceDir, name));
const tag = (itemId: string) => `<script defer src="/${itemId}/${SITE_GLOSSARY_PATH}"></script>`;

describe('the glossary in microsite pages', () => {
  it('adds our script tag after the doctype of an HTML page, leaving every other byte as published', async () => {
    const original = source('site/index.html').toString('utf8');
    const page = await get(`${host.siteUrl}/calculator/index.html`);
    expect(page.status).toBe(200);
    expect(page.body.toString('utf8')).toBe(
      `<!doctype html>${tag('calculator')}${original.slice('<!doctype html>'.length)}`,
    );
    expect(Number(page.headers['content-length'])).toBe(page.body.length);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
  });

  it('keeps the site CSP exactly as it was: our script is same-origin, nothing else is allowed', async () => {
    const page = await get(`${host.siteUrl}/calculator/index.html`);
    const csp = page.headers['content-security-policy'];
    expect(csp).toBe(siteContentSecurityPolicy());
    const directives = new Map(
      String(csp)
        .split(/;\s*/)
        .map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]),
    );
    expect(directives.get('sandbox')).toBe('allow-scripts');
    expect(directives.get('script-src')).toBe("'self' 'unsafe-inline'");
    expect(directives.get('connect-src')).toBe("'none'");
    expect(directives.get('default-src')).toBe("'self'");
    expect(directives.get('object-src')).toBe("'none'");
    const script = await get(`${host.siteUrl}/calculator/${SITE_GLOSSARY_PATH}`);
    expect(script.headers['content-security-policy']).toBe(siteContentSecurityPolicy());
  });

  it('serves the script from the site origin with the glossary inside it', async () => {
    const script = await get(`${host.siteUrl}/calculator/${SITE_GLOSSARY_PATH}`);
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['x-content-type-options']).toBe('nosniff');
    expect(script.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const sandbox: { received?: unknown } = {};
    runInNewContext(script.body.toString('utf8'), sandbox);
    expect(sandbox.received).toEqual([
      { id: 'lead', term: 'Lead', definition: 'A person who showed interest.', aliases: [] },
    ]);
  });

  it('never serves a microsite file from our path: the script cannot be replaced by the site', async () => {
    const script = await get(`${host.siteUrl}/calculator/${SITE_GLOSSARY_PATH}`);
    expect(script.body.toString('utf8')).not.toContain('spoofed');
    expect(script.body.toString('utf8')).toContain(builtScript);
    // Not for items that are not microsites, nor for ones that do not exist.
    expect((await get(`${host.siteUrl}/brochure/${SITE_GLOSSARY_PATH}`)).status).toBe(404);
    expect((await get(`${host.siteUrl}/nothing/${SITE_GLOSSARY_PATH}`)).status).toBe(404);
    // And the site cannot write anything.
    expect((await get(`${host.siteUrl}/calculator/${SITE_GLOSSARY_PATH}`, {}, 'PUT')).status).toBe(405);
  });

  it('leaves non-HTML files untouched, Range requests included', async () => {
    const css = await get(`${host.siteUrl}/calculator/css/style.css`);
    expect(css.body.equals(source('site/css/style.css'))).toBe(true);
    const part = await get(`${host.siteUrl}/calculator/css/style.css`, { Range: 'bytes=0-1' });
    expect(part.status).toBe(206);
    expect(part.body.toString()).toBe('h1');
  });

  it('answers a Range request for a page with the whole page, since its bytes differ from the file', async () => {
    const page = await get(`${host.siteUrl}/calculator/index.html`, { Range: 'bytes=0-3' });
    expect(page.status).toBe(200);
    expect(page.headers['accept-ranges']).toBe('none');
    expect(page.body.toString()).toContain(tag('calculator'));
    const head = await get(`${host.siteUrl}/calculator/index.html`, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it('places the tag where odd pages still read the same', async () => {
    const body = async (name: string) => (await get(`${host.siteUrl}/calculator/odd/${name}`)).body.toString('utf8');
    expect(await body('no-doctype.html')).toBe(`${tag('calculator')}${pages['site/odd/no-doctype.html']}`);
    expect(await body('comment-first.html')).toBe(`<!-- generated --> <!DOCTYPE html>${tag('calculator')}\n<p>A lead`);
    // An unclosed element at the end cannot swallow a tag that comes first.
    expect(await body('unclosed.html')).toBe(`<!doctype html>${tag('calculator')}<p>A lead</p><textarea>draft`);
    expect(await body('frameset.html')).toBe(
      `<!doctype html>${tag('calculator')}<frameset><frame src="../index.html"></frameset>`,
    );
  });

  it('never changes the stored blobs', async () => {
    const manifest = JSON.parse(readFileSync(path.join(channel.releaseDir, 'channel.json'), 'utf8')) as {
      items: { id: string; files: { path?: string; sha256: string }[] }[];
    };
    const site = manifest.items.find((item) => item.id === 'calculator')!;
    const index = site.files.find((file) => file.path === 'index.html')!;
    await get(`${host.siteUrl}/calculator/index.html`);
    const stored = readFileSync(path.join(profileDir, 'blobs', index.sha256));
    expect(createHash('sha256').update(stored).digest('hex')).toBe(index.sha256);
  });

  it('is served the same by the Electron protocol, which goes through the same core', async () => {
    for (const file of ['index.html', SITE_GLOSSARY_PATH, 'css/style.css', 'odd/unclosed.html']) {
      const viaHost = await get(`${host.siteUrl}/calculator/${file}`);
      const viaElectron = await siteProtocolHandler(host.core)(new Request(`pitchcase-site://site/calculator/${file}`));
      expect(viaElectron.status).toBe(viaHost.status);
      expect(Buffer.from(await viaElectron.arrayBuffer()).equals(viaHost.body)).toBe(true);
      expect(viaElectron.headers.get('content-security-policy')).toBe(siteContentSecurityPolicy());
    }
  });

  it('serves pages untouched when the script was not built', async () => {
    const profile = tempDir('pitchcase-profile-');
    cleanups.push(profile.cleanup);
    const core = await createCore({
      profileDir: profile.dir,
      shell: 'browser',
      siteBaseUrl: 'http://127.0.0.1',
      embeddedRelease: { dir: channel.releaseDir, publicKeyPem: channel.publicPem },
      siteGlossaryScript: path.join(profile.dir, 'missing.js'),
    });
    try {
      const response = core.content.site('calculator', 'index.html', null);
      const chunks: Buffer[] = [];
      for await (const chunk of response.body!) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).equals(source('site/index.html'))).toBe(true);
      expect(core.content.site('calculator', SITE_GLOSSARY_PATH, null).status).toBe(404);
    } finally {
      core.close();
    }
  });
});

describe("the kiosk's frame script", () => {
  /** What the served script hands its body: the glossary and the frame options. */
  async function frameArgs(core: Awaited<ReturnType<typeof createCore>>, itemId: string) {
    const response = core.content.site(itemId, SITE_GLOSSARY_PATH, null);
    if (response.status !== 200) return { status: response.status };
    const chunks: Buffer[] = [];
    for await (const chunk of response.body!) chunks.push(chunk as Buffer);
    const sandbox: { glossary?: unknown; frame?: unknown } = {};
    runInNewContext(Buffer.concat(chunks).toString('utf8'), sandbox);
    return { status: 200, ...sandbox };
  }

  it('carries the link lock-down in the kiosk profile, even where the release has no glossary', async () => {
    const kioskChannel = await makeChannel({
      items: [{ id: 'calculator', site: 'site', title: 'ROI calculator', kiosk: true }],
    });
    await kioskChannel.publish();
    cleanups.push(kioskChannel.cleanup);
    const renderer = tempDir('pitchcase-renderer-');
    cleanups.push(renderer.cleanup);
    const scriptFile = path.join(renderer.dir, 'microsite-glossary.js');
    writeFileSync(scriptFile, 'globalThis.glossary = pitchcaseGlossary; globalThis.frame = pitchcaseFrame;');
    for (const [profileKind, kiosk] of [
      ['kiosk', true],
      ['standard', false],
    ] as const) {
      const profile = tempDir('pitchcase-profile-');
      cleanups.push(profile.cleanup);
      const core = await createCore({
        profileDir: profile.dir,
        shell: 'browser',
        profileKind,
        siteBaseUrl: 'http://127.0.0.1',
        embeddedRelease: { dir: kioskChannel.releaseDir, publicKeyPem: kioskChannel.publicPem },
        siteGlossaryScript: scriptFile,
      });
      try {
        expect(await frameArgs(core, 'calculator')).toMatchObject({ status: 200, frame: { kiosk } });
      } finally {
        core.close();
      }
    }
    // Without a glossary, the standard profile has nothing to add to a page; the kiosk does.
    writeFileSync(
      path.join(kioskChannel.sourceDir, 'catalogue.yaml'),
      readFileSync(path.join(kioskChannel.sourceDir, 'catalogue.yaml'), 'utf8').replace(
        /glossary:\n( {2}- .*\n( {4}.*\n)*)/,
        '',
      ),
    );
    await kioskChannel.publish();
    for (const [profileKind, status] of [
      ['kiosk', 200],
      ['standard', 404],
    ] as const) {
      const profile = tempDir('pitchcase-profile-');
      cleanups.push(profile.cleanup);
      const core = await createCore({
        profileDir: profile.dir,
        shell: 'browser',
        profileKind,
        siteBaseUrl: 'http://127.0.0.1',
        embeddedRelease: { dir: kioskChannel.releaseDir, publicKeyPem: kioskChannel.publicPem },
        siteGlossaryScript: scriptFile,
      });
      try {
        expect((await frameArgs(core, 'calculator')).status).toBe(status);
        const page = core.content.site('calculator', 'index.html', null);
        const chunks: Buffer[] = [];
        for await (const chunk of page.body!) chunks.push(chunk as Buffer);
        expect(Buffer.concat(chunks).toString('utf8').includes(tag('calculator'))).toBe(profileKind === 'kiosk');
      } finally {
        core.close();
      }
    }
  });
});

describe('where the tag goes', () => {
  const at = (text: string, mime = 'text/html; charset=utf-8') => tagOffset(Buffer.from(text, 'latin1'), mime);

  it('after a byte order mark, white space, comments, an XML prologue and the doctype', () => {
    expect(at('\xef\xbb\xbf<!DOCTYPE html><html>')).toBe(18);
    expect(at('  \n<!doctype html>\n<html>')).toBe(18);
    expect(at('<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "x"><html>')).toBe(75);
    expect(at('<html><body>')).toBe(0);
    expect(at('')).toBe(0);
  });

  it('nowhere in pages it cannot read safely', () => {
    expect(at('<!-- never closed <p>lead')).toBeNull();
    expect(at('<!doctype html')).toBeNull();
    expect(at('\xff\xfe<\x00h\x00')).toBeNull();
    expect(at('<p>', 'text/html; charset=UTF-16')).toBeNull();
  });
});
