import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  chooseProfileKind,
  crashRecoveryDecision,
  externalLinkDecision,
  externalProtocolDecision,
  isAllowedFrameNavigation,
  isAllowedNavigation,
  isTrustedSender,
  MAX_RECOVERIES_PER_WINDOW,
  parseLaunchArgs,
  parseRememberedProfileKind,
  permissionDecision,
  RECOVERY_RETRY_MS,
  RECOVERY_WINDOW_MS,
  recoveryPageUrl,
  resolveProtocolRequest,
  resolveSiteRequest,
  serializeProfileKind,
  shouldBlockInput,
  WEBRTC_IP_HANDLING_POLICY,
  windowOpenDecision,
  type KeyInput,
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

describe('isAllowedFrameNavigation: release content is never a document of the app', () => {
  it.each([
    [`pitchcase://app/content/${hash}`, true],
    [`pitchcase://app/content/${hash}`, false],
    [`pitchcase://app/content/${hash}?x=1#y`, false],
    [`pitchcase://app/content/${hash.toUpperCase()}`, false],
    ['pitchcase://app/content/', false],
    ['pitchcase://app/index.html', false], // the microsite's frame never shows the app either
  ])('%s (main frame: %s) is refused', (url, isMainFrame) => {
    expect(isAllowedFrameNavigation(url, isMainFrame)).toBe(false);
  });
  it.each([
    ['pitchcase://app/index.html', true],
    ['pitchcase-site://site/tour/index.html', false],
  ])('%s (main frame: %s) is allowed', (url, isMainFrame) => {
    expect(isAllowedFrameNavigation(url, isMainFrame)).toBe(true);
  });
});

describe('windowOpenDecision: no window, and nothing to the OS browser, whoever asks', () => {
  it.each([
    ['https://share.pitchcase.example/s/abc', 'standard'],
    ['http://intranet.local/brochure', 'standard'],
    ['https://share.pitchcase.example/s/abc', 'kiosk'],
    ['https://user:pw@share.example/', 'standard'],
    ['file:///C:/Windows/System32/cmd.exe', 'standard'],
    ['javascript:alert(1)', 'standard'],
    ['data:text/html,<h1>hi</h1>', 'standard'],
    ['ms-settings:privacy', 'standard'],
    ['pitchcase://app/index.html', 'standard'],
    ['about:blank', 'standard'],
    ['not a url', 'standard'],
  ] as const)('%s (%s) is denied and not opened externally', (url, profile) => {
    expect(windowOpenDecision(url, profile)).toEqual({ action: 'deny', openExternally: null });
  });
});

describe('externalLinkDecision: only a link the rep taps in the app itself leaves the app', () => {
  const app = { isMainFrame: true, initiatorUrl: 'pitchcase://app/index.html#/wrap-up', initiatorIsMainFrame: true };
  const microsite = {
    isMainFrame: true,
    initiatorUrl: 'pitchcase-site://site/tour/index.html',
    initiatorIsMainFrame: false,
  };
  it.each([
    ['https://share.pitchcase.example/s/abc', app, 'standard', 'https://share.pitchcase.example/s/abc'],
    ['http://intranet.local/brochure', app, 'standard', 'http://intranet.local/brochure'],
    // The kiosk: never, not even from the app's own page.
    ['https://share.pitchcase.example/s/abc', app, 'kiosk', null],
    // A microsite's frame, or anything that is not the app's top frame.
    ['https://evil.example/', microsite, 'standard', null],
    ['https://evil.example/', { ...microsite, isMainFrame: false }, 'standard', null],
    ['https://evil.example/', { ...app, initiatorIsMainFrame: false }, 'standard', null],
    ['https://evil.example/', { ...app, isMainFrame: false }, 'standard', null],
    ['https://evil.example/', { ...app, initiatorUrl: null }, 'standard', null],
    ['https://evil.example/', { ...app, initiatorUrl: `pitchcase://app/content/${'a'.repeat(64)}` }, 'standard', null],
    ['https://evil.example/', { ...app, initiatorUrl: 'https://evil.example/' }, 'standard', null],
    // What the URL may be, even from the app.
    ['https://user:pw@share.example/', app, 'standard', null],
    ['file:///C:/Windows/System32/cmd.exe', app, 'standard', null],
    ['javascript:alert(1)', app, 'standard', null],
    ['ms-settings:privacy', app, 'standard', null],
    ['not a url', app, 'standard', null],
    [`https://x.example/${'a'.repeat(5000)}`, app, 'standard', null],
  ] as const)('%s from %o (%s) -> %s', (url, opener, profile, expected) => {
    expect(externalLinkDecision(url, opener, profile)).toBe(expected);
  });
});

describe("externalProtocolDecision: another program opens only for the rep's mailto: in the app", () => {
  const app = { requestingUrl: 'pitchcase://app/index.html#/wrap-up', isMainFrame: true };
  it.each([
    [{ ...app, externalURL: 'mailto:ana@example.com?subject=Hi' }, 'standard', true],
    [{ ...app, externalURL: 'mailto:ana@example.com' }, 'kiosk', false],
    [
      {
        requestingUrl: 'pitchcase-site://site/tour/index.html',
        isMainFrame: false,
        externalURL: 'mailto:x@example.com',
      },
      'standard',
      false,
    ],
    [{ ...app, isMainFrame: false, externalURL: 'mailto:x@example.com' }, 'standard', false],
    [
      { ...app, requestingUrl: 'pitchcase-site://site/tour/index.html', externalURL: 'mailto:x@example.com' },
      'standard',
      false,
    ],
    [
      { ...app, requestingUrl: `pitchcase://app/content/${'a'.repeat(64)}`, externalURL: 'mailto:x@example.com' },
      'standard',
      false,
    ],
    [{ ...app, externalURL: 'ms-settings:privacy' }, 'standard', false],
    [{ ...app, externalURL: 'tel:+441234567' }, 'standard', false],
    [{ ...app, externalURL: 'file:///C:/Windows/System32/cmd.exe' }, 'standard', false],
    [{ ...app, externalURL: 'search-ms:query=x' }, 'standard', false],
    [{ ...app, externalURL: undefined }, 'standard', false],
    [{}, 'standard', false],
  ] as const)('%o (%s) -> %s', (request, profile, allowed) => {
    expect(externalProtocolDecision(request, profile)).toBe(allowed);
  });
});

describe('WebRTC', () => {
  it('gets no UDP path that bypasses a proxy (so none at all without one)', () => {
    expect(WEBRTC_IP_HANDLING_POLICY).toBe('disable_non_proxied_udp');
  });
});

describe('permissionDecision', () => {
  const permissions = [
    'media',
    'geolocation',
    'notifications',
    'clipboard-read',
    'clipboard-sanitized-write',
    'fullscreen',
    'pointerLock',
    'openExternal',
    'display-capture',
    'hid',
    'serial',
    'usb',
    'midi',
    'unknown',
    'fileSystem',
  ];
  it.each(
    permissions.flatMap((p) => [
      [p, 'pitchcase://app'],
      [p, 'pitchcase-site://site'],
      [p, 'https://evil.example'],
    ]),
  )('denies %s for %s', (permission, origin) => {
    expect(permissionDecision(permission, origin)).toBe(false);
  });
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
    [['electron', 'main.cjs'], {}, { profileDir: fallback, requestedProfileKind: null, exportLeadsTo: null }],
    [
      ['electron', 'main.cjs', '--profile', '/tmp/p1'],
      {},
      { profileDir: path.resolve('/tmp/p1'), requestedProfileKind: null, exportLeadsTo: null },
    ],
    [
      ['Pitchcase.exe', '--profile=/tmp/p2', '--kiosk'],
      {},
      { profileDir: path.resolve('/tmp/p2'), requestedProfileKind: 'kiosk', exportLeadsTo: null },
    ],
    [
      ['Pitchcase.exe', '--kiosk'],
      { PITCHCASE_PROFILE: '/tmp/env' },
      { profileDir: path.resolve('/tmp/env'), requestedProfileKind: 'kiosk', exportLeadsTo: null },
    ],
    [
      ['Pitchcase.exe', '--profile', '/tmp/arg'],
      { PITCHCASE_PROFILE: '/tmp/env' },
      { profileDir: path.resolve('/tmp/arg'), requestedProfileKind: null, exportLeadsTo: null },
    ],
    [['Pitchcase.exe', '--kiosk-mode'], {}, { profileDir: fallback, requestedProfileKind: null, exportLeadsTo: null }],
    [
      ['Pitchcase.exe', '--standard'],
      {},
      { profileDir: fallback, requestedProfileKind: 'standard', exportLeadsTo: null },
    ],
    // Both: the kiosk wins, so nothing appended to a booth's start script leaves the lock-down.
    [
      ['Pitchcase.exe', '--kiosk', '--standard'],
      {},
      { profileDir: fallback, requestedProfileKind: 'kiosk', exportLeadsTo: null },
    ],
    [
      ['Pitchcase.exe', '--standard', '--kiosk'],
      {},
      { profileDir: fallback, requestedProfileKind: 'kiosk', exportLeadsTo: null },
    ],
    // The headless export of the kiosk's leads (the key only the app, as this user, can open).
    [
      ['Pitchcase.exe', '--export-leads', '/tmp/leads.csv'],
      {},
      { profileDir: fallback, requestedProfileKind: null, exportLeadsTo: path.resolve('/tmp/leads.csv') },
    ],
    [
      ['Pitchcase.exe', '--profile', '/tmp/k', '--export-leads=out.csv'],
      {},
      { profileDir: path.resolve('/tmp/k'), requestedProfileKind: null, exportLeadsTo: path.resolve('out.csv') },
    ],
    // No file after it: not an export (a flag is not a file name).
    [
      ['Pitchcase.exe', '--export-leads', '--kiosk'],
      {},
      { profileDir: fallback, requestedProfileKind: 'kiosk', exportLeadsTo: null },
    ],
    [
      ['Pitchcase.exe', '--export-leads'],
      {},
      { profileDir: fallback, requestedProfileKind: null, exportLeadsTo: null },
    ],
  ])('%j with env %j', (argv, env, expected) => {
    expect(parseLaunchArgs(argv, env, fallback)).toEqual(expected);
  });
});

describe('chooseProfileKind', () => {
  it.each([
    [null, null, { kind: 'standard', remember: null }],
    [null, 'kiosk', { kind: 'kiosk', remember: null }],
    [null, 'standard', { kind: 'standard', remember: null }],
    ['kiosk', null, { kind: 'kiosk', remember: 'kiosk' }],
    ['kiosk', 'standard', { kind: 'kiosk', remember: 'kiosk' }],
    ['kiosk', 'kiosk', { kind: 'kiosk', remember: null }],
    ['standard', 'kiosk', { kind: 'standard', remember: 'standard' }],
    ['standard', null, { kind: 'standard', remember: 'standard' }],
    ['standard', 'standard', { kind: 'standard', remember: null }],
  ] as const)('flag %s, remembered %s -> %j', (flag, remembered, expected) => {
    expect(chooseProfileKind(flag, remembered)).toEqual(expected);
  });
});

describe('parseRememberedProfileKind', () => {
  it.each([
    ['{"kind":"kiosk"}\n', 'kiosk'],
    ['{"kind":"standard"}', 'standard'],
    [serializeProfileKind('kiosk'), 'kiosk'],
    [serializeProfileKind('standard'), 'standard'],
    ['{"kind":"KIOSK"}', null],
    ['{"kind":"admin"}', null],
    ['{}', null],
    ['"kiosk"', null],
    ['null', null],
    ['{"kind":', null],
    ['', null],
    [`{"kind":"kiosk","pad":"${'x'.repeat(5000)}"}`, null],
    [undefined, null],
  ])('%j -> %s', (text, expected) => {
    expect(parseRememberedProfileKind(text)).toBe(expected);
  });
});

type Row = [
  label: string,
  input: KeyInput,
  platform: NodeJS.Platform,
  profile: 'kiosk' | 'standard',
  packaged: boolean,
  blocked: boolean,
];
const k = (
  key: string,
  code: string,
  mods: Partial<Pick<KeyInput, 'control' | 'meta' | 'alt' | 'shift'>> = {},
  type = 'keyDown',
): KeyInput => ({
  type,
  key,
  code,
  control: false,
  meta: false,
  alt: false,
  shift: false,
  ...mods,
});
const ctrl = { control: true };
const cmd = { meta: true };

describe('shouldBlockInput', () => {
  const rows: Row[] = [
    // kiosk, Windows
    ['Ctrl+W closes', k('w', 'KeyW', ctrl), 'win32', 'kiosk', true, true],
    ['Ctrl+Shift+W closes', k('W', 'KeyW', { control: true, shift: true }), 'win32', 'kiosk', true, true],
    ['Ctrl+Q quits', k('q', 'KeyQ', ctrl), 'win32', 'kiosk', true, true],
    ['Alt+F4 closes', k('F4', 'F4', { alt: true }), 'win32', 'kiosk', true, true],
    ['Ctrl+R reloads', k('r', 'KeyR', ctrl), 'win32', 'kiosk', true, true],
    ['Ctrl+Shift+R reloads', k('R', 'KeyR', { control: true, shift: true }), 'win32', 'kiosk', true, true],
    ['F5 reloads', k('F5', 'F5'), 'win32', 'kiosk', true, true],
    ['Ctrl+F5 reloads', k('F5', 'F5', ctrl), 'win32', 'kiosk', true, true],
    ['Ctrl+P prints', k('p', 'KeyP', ctrl), 'win32', 'kiosk', true, true],
    ['Ctrl+S saves', k('s', 'KeyS', ctrl), 'win32', 'kiosk', true, true],
    ['Ctrl+O opens', k('o', 'KeyO', ctrl), 'win32', 'kiosk', true, true],
    ['Ctrl+Shift+I devtools', k('I', 'KeyI', { control: true, shift: true }), 'win32', 'kiosk', true, true],
    ['Ctrl+Shift+J devtools console', k('J', 'KeyJ', { control: true, shift: true }), 'win32', 'kiosk', true, true],
    ['Ctrl+Shift+C inspect element', k('C', 'KeyC', { control: true, shift: true }), 'win32', 'kiosk', true, true],
    ['F12 devtools', k('F12', 'F12'), 'win32', 'kiosk', true, true],
    ['Ctrl+N new window', k('n', 'KeyN', ctrl), 'win32', 'kiosk', true, true],
    ['Ctrl+T new tab', k('t', 'KeyT', ctrl), 'win32', 'kiosk', true, true],
    ['Ctrl+L location', k('l', 'KeyL', ctrl), 'win32', 'kiosk', true, true],
    ['Ctrl+U view source', k('u', 'KeyU', ctrl), 'win32', 'kiosk', true, true],
    ['Ctrl+= zoom in', k('=', 'Equal', ctrl), 'win32', 'kiosk', true, true],
    ['Ctrl+Shift++ zoom in', k('+', 'Equal', { control: true, shift: true }), 'win32', 'kiosk', true, true],
    ['Ctrl+- zoom out', k('-', 'Minus', ctrl), 'win32', 'kiosk', true, true],
    ['Ctrl+0 zoom reset', k('0', 'Digit0', ctrl), 'win32', 'kiosk', true, true],
    ['Ctrl+numpad + zoom in', k('+', 'NumpadAdd', ctrl), 'win32', 'kiosk', true, true],
    ['F11 full screen', k('F11', 'F11'), 'win32', 'kiosk', true, true],
    ['F10 menu', k('F10', 'F10'), 'win32', 'kiosk', true, true],
    ['Shift+F10 context menu', k('F10', 'F10', { shift: true }), 'win32', 'kiosk', true, true],
    ['F7 caret browsing', k('F7', 'F7'), 'win32', 'kiosk', true, true],
    ['Alt alone (menu bar), key down', k('Alt', 'AltLeft', { alt: true }), 'win32', 'kiosk', true, true],
    ['Alt alone (menu bar), key up', k('Alt', 'AltLeft', {}, 'keyUp'), 'win32', 'kiosk', true, true],
    ['Alt+Space window menu', k(' ', 'Space', { alt: true }), 'win32', 'kiosk', true, true],
    ['Alt+Left history back', k('ArrowLeft', 'ArrowLeft', { alt: true }), 'win32', 'kiosk', true, true],
    ['context-menu key', k('ContextMenu', 'ContextMenu'), 'win32', 'kiosk', true, true],
    ['browser back key', k('BrowserBack', 'BrowserBack'), 'win32', 'kiosk', true, true],
    ['Ctrl+W, key up too', k('w', 'KeyW', ctrl, 'keyUp'), 'win32', 'kiosk', true, true],
    ['Ctrl+F is the app search', k('f', 'KeyF', ctrl), 'win32', 'kiosk', true, false],
    ['Ctrl+Shift+F is the app search', k('F', 'KeyF', { control: true, shift: true }), 'win32', 'kiosk', true, false],
    ['Ctrl+C copies', k('c', 'KeyC', ctrl), 'win32', 'kiosk', true, false],
    ['Ctrl+V pastes', k('v', 'KeyV', ctrl), 'win32', 'kiosk', true, false],
    ['Ctrl+A selects all', k('a', 'KeyA', ctrl), 'win32', 'kiosk', true, false],
    ['Ctrl+Z undoes', k('z', 'KeyZ', ctrl), 'win32', 'kiosk', true, false],
    ['Escape closes the viewer', k('Escape', 'Escape'), 'win32', 'kiosk', true, false],
    ['typing a letter', k('w', 'KeyW'), 'win32', 'kiosk', true, false],
    ['typing a capital', k('R', 'KeyR', { shift: true }), 'win32', 'kiosk', true, false],
    ['typing a digit', k('0', 'Digit0'), 'win32', 'kiosk', true, false],
    ['Tab', k('Tab', 'Tab'), 'win32', 'kiosk', true, false],
    ['Enter', k('Enter', 'Enter'), 'win32', 'kiosk', true, false],
    ['Backspace', k('Backspace', 'Backspace'), 'win32', 'kiosk', true, false],
    ['Left arrow', k('ArrowLeft', 'ArrowLeft'), 'win32', 'kiosk', true, false],
    ['AltGr+Q types @ (German)', k('@', 'KeyQ', { control: true, alt: true }), 'win32', 'kiosk', true, false],
    ['AltGr+E types € (German)', k('€', 'KeyE', { control: true, alt: true }), 'win32', 'kiosk', true, false],
    ['AltGr+0 types } (German)', k('}', 'Digit0', { control: true, alt: true }), 'win32', 'kiosk', true, false],
    ['AltGr+S types ś (Polish)', k('ś', 'KeyS', { control: true, alt: true }), 'win32', 'kiosk', true, false],
    ['Ctrl+W on a Russian layout (key ц)', k('ц', 'KeyW', ctrl), 'win32', 'kiosk', true, true],
    ['Ctrl+W on AZERTY (physical Z)', k('w', 'KeyZ', ctrl), 'win32', 'kiosk', true, true],
    ['Ctrl+A on AZERTY (physical Q) selects all', k('a', 'KeyQ', ctrl), 'win32', 'kiosk', true, false],
    ['missing fields', {}, 'win32', 'kiosk', true, false],
    // kiosk, macOS
    ['Cmd+W closes', k('w', 'KeyW', cmd), 'darwin', 'kiosk', true, true],
    ['Cmd+Q quits', k('q', 'KeyQ', cmd), 'darwin', 'kiosk', true, true],
    ['Cmd+H hides', k('h', 'KeyH', cmd), 'darwin', 'kiosk', true, true],
    ['Cmd+M minimizes', k('m', 'KeyM', cmd), 'darwin', 'kiosk', true, true],
    ['Cmd+R reloads', k('r', 'KeyR', cmd), 'darwin', 'kiosk', true, true],
    ['Cmd+P prints', k('p', 'KeyP', cmd), 'darwin', 'kiosk', true, true],
    ['Cmd+Option+I devtools (dead key)', k('Dead', 'KeyI', { meta: true, alt: true }), 'darwin', 'kiosk', true, true],
    ['Cmd+Option+J devtools (∆)', k('∆', 'KeyJ', { meta: true, alt: true }), 'darwin', 'kiosk', true, true],
    ['Cmd+Option+C inspect (ç)', k('ç', 'KeyC', { meta: true, alt: true }), 'darwin', 'kiosk', true, true],
    ['Ctrl+Cmd+F leaves full screen', k('f', 'KeyF', { control: true, meta: true }), 'darwin', 'kiosk', true, true],
    ['Cmd+= zoom', k('=', 'Equal', cmd), 'darwin', 'kiosk', true, true],
    ['Cmd+F is the app search', k('f', 'KeyF', cmd), 'darwin', 'kiosk', true, false],
    ['Cmd+C copies', k('c', 'KeyC', cmd), 'darwin', 'kiosk', true, false],
    ['Option+E types a dead key', k('Dead', 'KeyE', { alt: true }), 'darwin', 'kiosk', true, false],
    ['Escape', k('Escape', 'Escape'), 'darwin', 'kiosk', true, false],
    // kiosk, Linux
    ['Ctrl+Q quits', k('q', 'KeyQ', ctrl), 'linux', 'kiosk', true, true],
    ['Ctrl+Shift+I devtools', k('I', 'KeyI', { control: true, shift: true }), 'linux', 'kiosk', true, true],
    ['Alt+F4 closes', k('F4', 'F4', { alt: true }), 'linux', 'kiosk', true, true],
    ['Ctrl+R reloads in a development build too', k('r', 'KeyR', ctrl), 'linux', 'kiosk', false, true],
    ['F12 in a development build too', k('F12', 'F12'), 'linux', 'kiosk', false, true],
    ['Super+W (WM-dependent) closes', k('w', 'KeyW', cmd), 'linux', 'kiosk', true, true],
    ['AltGr+Q types @', k('@', 'KeyQ', { control: true, alt: true }), 'linux', 'kiosk', true, false],
    ['Ctrl+F search', k('f', 'KeyF', ctrl), 'linux', 'kiosk', true, false],
    // standard profile, packaged: devtools and reload only
    ['Ctrl+Shift+I devtools', k('I', 'KeyI', { control: true, shift: true }), 'win32', 'standard', true, true],
    ['F12 devtools', k('F12', 'F12'), 'win32', 'standard', true, true],
    ['Ctrl+R reload', k('r', 'KeyR', ctrl), 'win32', 'standard', true, true],
    ['F5 reload', k('F5', 'F5'), 'win32', 'standard', true, true],
    ['Cmd+Option+I devtools', k('Dead', 'KeyI', { meta: true, alt: true }), 'darwin', 'standard', true, true],
    ['Cmd+R reload', k('r', 'KeyR', cmd), 'darwin', 'standard', true, true],
    ['Ctrl+Shift+C inspect', k('C', 'KeyC', { control: true, shift: true }), 'linux', 'standard', true, true],
    ['Ctrl+W closes the desktop app', k('w', 'KeyW', ctrl), 'win32', 'standard', true, false],
    ['Alt+F4 closes the desktop app', k('F4', 'F4', { alt: true }), 'win32', 'standard', true, false],
    ['Cmd+Q quits the desktop app', k('q', 'KeyQ', cmd), 'darwin', 'standard', true, false],
    ['Ctrl+= zoom (accessibility)', k('=', 'Equal', ctrl), 'win32', 'standard', true, false],
    ['F11 full screen', k('F11', 'F11'), 'win32', 'standard', true, false],
    ['Alt (menu bar)', k('Alt', 'AltLeft', { alt: true }), 'win32', 'standard', true, false],
    ['Ctrl+P', k('p', 'KeyP', ctrl), 'linux', 'standard', true, false],
    ['Ctrl+C copies', k('c', 'KeyC', ctrl), 'linux', 'standard', true, false],
    [
      'AltGr+R is not reload (Polish ®-like)',
      k('®', 'KeyR', { control: true, alt: true }),
      'win32',
      'standard',
      true,
      false,
    ],
    // standard profile, development build: nothing
    ['Ctrl+Shift+I in development', k('I', 'KeyI', { control: true, shift: true }), 'win32', 'standard', false, false],
    ['Ctrl+R in development', k('r', 'KeyR', ctrl), 'linux', 'standard', false, false],
    ['Cmd+Option+I in development', k('Dead', 'KeyI', { meta: true, alt: true }), 'darwin', 'standard', false, false],
  ];
  it.each(rows)('%s (%s, %s, %s, packaged %s) -> blocked %s', (_label, input, platform, profile, packaged, blocked) => {
    expect(shouldBlockInput(input, platform, profile, { packaged })).toBe(blocked);
  });

  it('defaults to the packaged policy', () => {
    expect(shouldBlockInput(k('F12', 'F12'), 'win32', 'standard')).toBe(true);
  });
});

describe('crashRecoveryDecision', () => {
  const now = 1_000_000;
  it.each([
    ['crashed', [], { action: 'reload' }],
    ['oom', [], { action: 'reload' }],
    ['killed', [], { action: 'reload' }],
    ['abnormal-exit', [], { action: 'reload' }],
    ['launch-failed', [], { action: 'reload' }],
    ['memory-eviction', [], { action: 'reload' }],
    ['unresponsive', [], { action: 'reload' }],
    ['something-new', [], { action: 'reload' }],
    ['clean-exit', [], { action: 'ignore' }],
    ['clean-exit', [now - 1, now - 2, now - 3], { action: 'ignore' }],
    ['crashed', [now - 10_000], { action: 'recreate' }],
    ['unresponsive', [now - 10_000], { action: 'recreate' }],
    ['crashed', [now - 20_000, now - 10_000], { action: 'recreate' }],
    ['crashed', [now - 30_000, now - 20_000, now - 10_000], { action: 'give-up', retryAfterMs: RECOVERY_RETRY_MS }],
    [
      'crashed',
      [now - 5_000, now - 4_000, now - 3_000, now - 2_000],
      { action: 'give-up', retryAfterMs: RECOVERY_RETRY_MS },
    ],
    // Older than a minute no longer counts.
    ['crashed', [now - RECOVERY_WINDOW_MS], { action: 'reload' }],
    ['crashed', [now - 120_000, now - 90_000, now - 61_000], { action: 'reload' }],
    ['crashed', [now - 120_000, now - 90_000, now - 30_000], { action: 'recreate' }],
    // A clock that went backwards does not count as recent.
    ['crashed', [now + 5_000], { action: 'reload' }],
    ['integrity-failure', [], { action: 'give-up', retryAfterMs: null }],
  ] as const)('%s after %j -> %j', (reason, recent, expected) => {
    expect(crashRecoveryDecision(reason, recent, now)).toEqual(expected);
  });

  it('gives up after MAX_RECOVERIES_PER_WINDOW within a minute', () => {
    const history: number[] = [];
    const actions: string[] = [];
    for (let i = 0; i <= MAX_RECOVERIES_PER_WINDOW; i++) {
      const t = now + i * 1000;
      actions.push(crashRecoveryDecision('crashed', history, t).action);
      history.push(t);
    }
    expect(actions).toEqual(['reload', ...Array<string>(MAX_RECOVERIES_PER_WINDOW - 1).fill('recreate'), 'give-up']);
  });
});

describe('recoveryPageUrl', () => {
  it.each(['kiosk', 'standard'] as const)('is a self-contained page without script (%s)', (profile) => {
    const url = recoveryPageUrl(profile);
    expect(url.startsWith('data:text/html;charset=utf-8,')).toBe(true);
    const html = decodeURIComponent(url.slice(url.indexOf(',') + 1));
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script|src=|href=/i);
  });
  it('speaks to a visitor in the kiosk and to the rep elsewhere', () => {
    expect(decodeURIComponent(recoveryPageUrl('kiosk'))).toMatch(/ask a member of our team/);
    expect(decodeURIComponent(recoveryPageUrl('standard'))).toMatch(/Quit and start it again/);
  });
});

describe('kiosk profile: navigation, windows and permissions', () => {
  it.each([
    ['pitchcase://app/index.html', true],
    ['pitchcase://app/index.html#/kiosk/lead', true],
    ['https://www.google.com/', false],
    ['http://127.0.0.1:8080/', false],
    ['file:///C:/Windows/explorer.exe', false],
    ['ms-settings:', false],
    ['chrome://settings', false],
    ['devtools://devtools/bundled/inspector.html', false],
    ['view-source:pitchcase://app/index.html', false],
    ['pitchcase-site://site/tour/index.html', false],
  ])('navigation to %s -> %s', (url, allowed) => {
    expect(isAllowedNavigation(url)).toBe(allowed);
  });

  it.each([
    'https://share.pitchcase.example/s/abc',
    'http://intranet.local/brochure',
    'mailto:sales@example.com',
    'tel:+441234567',
    'pitchcase://app/index.html',
    'file:///C:/',
  ])('window.open(%s) opens nothing, not even the OS browser', (url) => {
    expect(windowOpenDecision(url, 'kiosk')).toEqual({ action: 'deny', openExternally: null });
  });

  it.each([
    'media',
    'geolocation',
    'notifications',
    'fullscreen',
    'pointerLock',
    'keyboardLock',
    'clipboard-read',
    'clipboard-sanitized-write',
    'display-capture',
    'openExternal',
    'fileSystem',
    'hid',
    'serial',
    'usb',
    'bluetooth',
    'idle-detection',
    'window-management',
    'storage-access',
    'top-level-storage-access',
    'speaker-selection',
  ])('permission %s is denied to the app itself', (permission) => {
    expect(permissionDecision(permission, 'pitchcase://app')).toBe(false);
    expect(permissionDecision(permission, 'pitchcase://app/index.html')).toBe(false);
  });
});
