import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isAllowedNavigation,
  isTrustedSender,
  parseLaunchArgs,
  permissionDecision,
  resolveProtocolRequest,
  resolveSiteRequest,
  windowOpenDecision,
} from '../../../main/electron/decisions.ts';

const hash = 'a'.repeat(64);
const realHash = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

describe('resolveProtocolRequest', () => {
  it.each([
    ['pitchcase://app/', 'index.html'],
    ['pitchcase://app', 'index.html'],
    ['pitchcase://app/index.html', 'index.html'],
    ['pitchcase://app/index.html#/item/brochure', 'index.html'],
    ['pitchcase://app/assets/index-abc123.js', 'assets/index-abc123.js'],
    ['pitchcase://app/assets/pdf.worker.min.mjs?v=5', 'assets/pdf.worker.min.mjs'],
    ['pitchcase://app//assets//x.css', 'assets/x.css'],
    ['pitchcase://app/fonts/Inter%20Var.woff2', 'fonts/Inter Var.woff2'],
    ['pitchcase://APP/index.html', 'index.html'],
  ])('serves the app UI for %s', (url, expected) => {
    expect(resolveProtocolRequest(url)).toEqual({ kind: 'app', path: expected });
  });

  it.each([
    [`pitchcase://app/content/${hash}`, hash],
    [`pitchcase://app/content/${realHash}`, realHash],
    [`pitchcase://app/content/${realHash}?download=0`, realHash],
  ])('serves a content blob for %s', (url, sha256) => {
    expect(resolveProtocolRequest(url)).toEqual({ kind: 'content', sha256 });
  });

  it.each([
    ['pitchcase://app/../../etc/passwd', /traversal/],
    ['pitchcase://app/assets/../../../etc/passwd', /traversal/],
    ['pitchcase://app/%2e%2e/%2e%2e/etc/passwd', /traversal/],
    ['pitchcase://app/%2E%2E/secret', /traversal/],
    ['pitchcase://app/./index.html', /traversal/],
    ['pitchcase://app/assets%2f..%2f..%2fetc', /separator/],
    ['pitchcase://app/..%5c..%5cwindows%5cwin.ini', /separator/],
    ['pitchcase://app/..\\..\\windows\\win.ini', /backslash/],
    ['pitchcase://app/index.html%00.png', /control/],
    ['pitchcase://app/C:/Windows/win.ini', /drive/],
    ['pitchcase://app/c%3A%5Cwin.ini', /separator|drive/],
    ['pitchcase://app/%E0%A4%A', /percent/],
    ['pitchcase://evil/index.html', /host/],
    ['pitchcase://app.evil.com/index.html', /host/],
    ['pitchcase://app:8080/index.html', /port/],
    ['pitchcase://user:pw@app/index.html', /credentials/],
    ['pitchcase-site://site/x/index.html', /scheme/],
    ['file:///etc/passwd', /scheme/],
    ['javascript:alert(1)', /scheme/],
    ['data:text/html,<script>alert(1)</script>', /scheme/],
    ['https://app/index.html', /scheme/],
    ['not a url', /malformed/],
    [`pitchcase://app/content/${hash.slice(1)}`, /64 lower-case hex/],
    [`pitchcase://app/content/${hash}0`, /64 lower-case hex/],
    [`pitchcase://app/content/${hash.toUpperCase()}`, /64 lower-case hex/],
    [`pitchcase://app/content/${'g'.repeat(64)}`, /64 lower-case hex/],
    [`pitchcase://app/content/${hash}/extra`, /64 lower-case hex/],
    ['pitchcase://app/content/', /64 lower-case hex/],
    ['pitchcase://app/content/index.html', /64 lower-case hex/],
    [`pitchcase://app/x${'a'.repeat(5000)}`, /too long/],
  ])('refuses %s', (url, reason) => {
    const result = resolveProtocolRequest(url);
    expect(result.kind).toBe('refused');
    expect(result.kind === 'refused' && result.reason).toMatch(reason);
  });

  it('refuses non-strings', () => {
    expect(resolveProtocolRequest(undefined).kind).toBe('refused');
    expect(resolveProtocolRequest(42).kind).toBe('refused');
  });
});

describe('resolveSiteRequest', () => {
  it.each([
    ['pitchcase-site://site/product-tour/index.html', 'product-tour', 'index.html'],
    ['pitchcase-site://site/product-tour/css/site.css?x=1', 'product-tour', 'css/site.css'],
    ['pitchcase-site://site/tour.v2/img/hero%20shot.png', 'tour.v2', 'img/hero shot.png'],
  ])('serves a microsite file for %s', (url, itemId, filePath) => {
    expect(resolveSiteRequest(url)).toEqual({ kind: 'site', itemId, path: filePath });
  });

  it.each([
    ['pitchcase-site://site/product-tour/../other/index.html', /traversal/],
    ['pitchcase-site://site/product-tour/%2e%2e/%2e%2e/etc/passwd', /traversal/],
    ['pitchcase-site://site/product-tour/a%5c..%5cb', /separator/],
    ['pitchcase-site://site/product-tour/a\\b', /backslash/],
    ['pitchcase-site://site/product-tour/index.html%00', /control/],
    ['pitchcase-site://site/Product-Tour/index.html', /item id/],
    ['pitchcase-site://site/-tour/index.html', /item id/],
    ['pitchcase-site://site/product-tour', /no file/],
    ['pitchcase-site://site/product-tour/', /no file/],
    ['pitchcase-site://site/', /item id/],
    ['pitchcase-site://other/product-tour/index.html', /host/],
    ['pitchcase://site/product-tour/index.html', /scheme/],
    ['file:///product-tour/index.html', /scheme/],
    ['javascript:alert(1)', /scheme/],
  ])('refuses %s', (url, reason) => {
    const result = resolveSiteRequest(url);
    expect(result.kind).toBe('refused');
    expect(result.kind === 'refused' && result.reason).toMatch(reason);
  });
});

describe('isAllowedNavigation', () => {
  it.each([
    ['pitchcase://app/index.html', true],
    ['pitchcase://app/index.html#/viewer/brochure?page=3', true],
    ['pitchcase://app/', true],
    [`pitchcase://app/content/${hash}`, false], // a raw blob would replace the whole UI
    ['pitchcase://app/../../etc/passwd', false],
    ['pitchcase://evil/index.html', false],
    ['pitchcase-site://site/tour/index.html', false],
    ['https://example.com/', false],
    ['http://localhost:5173/', false],
    ['file:///C:/Windows/System32/', false],
    ['javascript:alert(1)', false],
    ['data:text/html,hi', false],
    ['about:blank', false],
    ['', false],
  ])('%s -> %s', (url, allowed) => {
    expect(isAllowedNavigation(url)).toBe(allowed);
  });
});

describe('windowOpenDecision', () => {
  it.each([
    ['https://share.pitchcase.example/s/abc', 'standard', 'https://share.pitchcase.example/s/abc'],
    ['http://intranet.local/brochure', 'standard', 'http://intranet.local/brochure'],
    ['https://share.pitchcase.example/s/abc', 'kiosk', null],
    ['https://user:pw@share.example/', 'standard', null],
    ['file:///C:/Windows/System32/cmd.exe', 'standard', null],
    ['javascript:alert(1)', 'standard', null],
    ['data:text/html,<h1>hi</h1>', 'standard', null],
    ['ms-settings:privacy', 'standard', null],
    ['pitchcase://app/index.html', 'standard', null],
    ['about:blank', 'standard', null],
    ['not a url', 'standard', null],
  ] as const)('%s (%s) is denied, opened externally: %s', (url, profile, external) => {
    expect(windowOpenDecision(url, profile)).toEqual({ action: 'deny', openExternally: external });
  });
});

describe('permissionDecision', () => {
  const permissions = [
    'media', 'geolocation', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'fullscreen',
    'pointerLock', 'openExternal', 'display-capture', 'hid', 'serial', 'usb', 'midi', 'unknown', 'fileSystem',
  ];
  it.each(permissions.flatMap((p) => [[p, 'pitchcase://app'], [p, 'pitchcase-site://site'], [p, 'https://evil.example']]))(
    'denies %s for %s',
    (permission, origin) => {
      expect(permissionDecision(permission, origin)).toBe(false);
    },
  );
  it('denies garbage', () => {
    expect(permissionDecision(undefined, undefined)).toBe(false);
  });
});

describe('isTrustedSender', () => {
  it.each([
    ['pitchcase://app/index.html', true, true],
    ['pitchcase://app/index.html#/viewer/x', true, true],
    ['pitchcase://app/index.html', false, false], // a sub-frame, even of our own origin
    ['pitchcase-site://site/tour/index.html', false, false],
    ['pitchcase-site://site/tour/index.html', true, false],
    ['https://evil.example/', true, false],
    ['file:///index.html', true, false],
    ['about:blank', true, false],
    ['', true, false],
    [undefined, true, false],
  ])('%s (main frame: %s) -> %s', (url, isMainFrame, trusted) => {
    expect(isTrustedSender(url, isMainFrame)).toBe(trusted);
  });
});

describe('parseLaunchArgs', () => {
  const fallback = path.resolve('/home/rep/.config/Pitchcase');
  it.each([
    [['electron', 'main.cjs'], {}, { profileDir: fallback, kiosk: false, profileKind: 'standard' }],
    [['electron', 'main.cjs', '--profile', '/tmp/p1'], {}, { profileDir: path.resolve('/tmp/p1'), kiosk: false, profileKind: 'standard' }],
    [['Pitchcase.exe', '--profile=/tmp/p2', '--kiosk'], {}, { profileDir: path.resolve('/tmp/p2'), kiosk: true, profileKind: 'kiosk' }],
    [['Pitchcase.exe', '--kiosk'], { PITCHCASE_PROFILE: '/tmp/env' }, { profileDir: path.resolve('/tmp/env'), kiosk: true, profileKind: 'kiosk' }],
    [['Pitchcase.exe', '--profile', '/tmp/arg'], { PITCHCASE_PROFILE: '/tmp/env' }, { profileDir: path.resolve('/tmp/arg'), kiosk: false, profileKind: 'standard' }],
    [['Pitchcase.exe', '--kiosk-mode'], {}, { profileDir: fallback, kiosk: false, profileKind: 'standard' }],
  ])('%j with env %j', (argv, env, expected) => {
    expect(parseLaunchArgs(argv, env, fallback)).toEqual(expected);
  });
});
