/**
 * Every security decision of the Electron shell, as pure functions of plain data. The wiring in
 * window.ts, ipc.ts and main.ts only forwards Electron's callbacks here, so the table tests in
 * test/unit/electron cover the whole policy without an Electron binary.
 *
 * No `electron` import in this file, on purpose.
 */
import path from 'node:path';
import { idPattern, sha256Pattern } from '#shared/manifest';
import type { ProfileKind } from '#shared/library';
import { defaultProfileDir, resolveProfileDir } from '#core/profile/index';

export const APP_SCHEME = 'pitchcase';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export const SITE_SCHEME = 'pitchcase-site';
export const SITE_HOST = 'site';
/** What core puts in front of a microsite path (CoreOptions.siteBaseUrl); no trailing slash. */
export const SITE_BASE_URL = `${SITE_SCHEME}://${SITE_HOST}`;

/** Longer URLs than this are refused before parsing; no path of ours comes close. */
const MAX_URL_LENGTH = 4096;

export type ProtocolRequest =
  { kind: 'app'; path: string } | { kind: 'content'; sha256: string } | { kind: 'refused'; reason: string };

export type SiteRequest = { kind: 'site'; itemId: string; path: string } | { kind: 'refused'; reason: string };

type Refused = { kind: 'refused'; reason: string };
const refused = (reason: string): Refused => ({ kind: 'refused', reason });

/**
 * Splits `scheme://host/path?query#fragment` as written. The WHATWG parser silently resolves
 * `..` segments (and treats `\` as `/` for standard schemes), which would hide a traversal
 * attempt behind a harmless-looking pathname, so the raw path is what we judge.
 */
function splitRawUrl(url: unknown, scheme: string, host: string): { rawPath: string } | Refused {
  if (typeof url !== 'string') return refused('not a URL');
  if (url.length > MAX_URL_LENGTH) return refused('URL too long');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refused('malformed URL');
  }
  if (parsed.protocol !== `${scheme}:`) return refused(`scheme ${parsed.protocol} is not ${scheme}:`);
  if (parsed.username !== '' || parsed.password !== '') return refused('credentials in URL');
  if (parsed.port !== '') return refused('port in URL');
  if (parsed.hostname.toLowerCase() !== host) return refused(`host "${parsed.hostname}" is not "${host}"`);
  const prefix = `${scheme}://`;
  if (url.slice(0, prefix.length).toLowerCase() !== prefix) return refused('malformed URL');
  const afterScheme = url.slice(prefix.length);
  const hostEnd = afterScheme.search(/[/?#]/);
  const authority = hostEnd === -1 ? afterScheme : afterScheme.slice(0, hostEnd);
  if (authority.toLowerCase() !== host) return refused(`host "${authority}" is not "${host}"`);
  const rest = hostEnd === -1 ? '' : afterScheme.slice(hostEnd);
  const queryStart = rest.search(/[?#]/);
  return { rawPath: queryStart === -1 ? rest : rest.slice(0, queryStart) };
}

/**
 * Decodes a raw URL path into its segments, or explains why it is refused: `.`/`..` (raw or
 * percent-encoded), backslashes, encoded slashes, NUL and other control characters, drive
 * letters. Empty segments (`//`) are dropped.
 */
function decodeSegments(rawPath: string): string[] | Refused {
  if (rawPath.includes('\\')) return refused('backslash in path');
  const segments: string[] = [];
  for (const raw of rawPath.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return refused('malformed percent-encoding');
    }
    if (segment === '.' || segment === '..') return refused('path traversal');
    if (segment.includes('/') || segment.includes('\\')) return refused('encoded separator in path');
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    if (/[\u0000-\u001f\u007f]/.test(segment)) return refused('control character in path');
    if (/^[a-zA-Z]:/.test(segment)) return refused('drive letter in path');
    segments.push(segment);
  }
  return segments;
}

/**
 * `pitchcase://app/...`: the app's own UI (a path relative to the renderer build, `index.html`
 * for `/`), or a content blob at `/content/<sha256>`. Content addresses are canonical: exactly 64
 * lower-case hex digits, nothing after them; the whole `/content/` prefix is reserved for blobs.
 */
export function resolveProtocolRequest(url: unknown): ProtocolRequest {
  const split = splitRawUrl(url, APP_SCHEME, APP_HOST);
  if ('kind' in split) return split;
  const segments = decodeSegments(split.rawPath);
  if (!Array.isArray(segments)) return segments;
  if (segments[0] === 'content') {
    const [, hash, ...extra] = segments;
    if (hash === undefined || extra.length > 0 || !sha256Pattern.test(hash)) {
      return refused('content is addressed as /content/<64 lower-case hex digits>');
    }
    return { kind: 'content', sha256: hash };
  }
  return { kind: 'app', path: segments.length === 0 ? 'index.html' : segments.join('/') };
}

/**
 * `pitchcase-site://site/<itemId>/<path>`: one file of a microsite. The path is looked up in
 * the release manifest by core, never on disk; here it only has to be well-formed.
 */
export function resolveSiteRequest(url: unknown): SiteRequest {
  const split = splitRawUrl(url, SITE_SCHEME, SITE_HOST);
  if ('kind' in split) return split;
  const segments = decodeSegments(split.rawPath);
  if (!Array.isArray(segments)) return segments;
  const [itemId, ...rest] = segments;
  if (itemId === undefined || !idPattern.test(itemId)) return refused('not a microsite item id');
  if (rest.length === 0) return refused('no file inside the microsite');
  return { kind: 'site', itemId, path: rest.join('/') };
}

/** Is `url` on the app's own origin (and not a raw content blob, which would replace the UI)? */
function isAppPage(url: unknown): boolean {
  return resolveProtocolRequest(url).kind === 'app';
}

/** The main frame may only ever show the app itself; everything else is prevented. */
export function isAllowedNavigation(url: unknown): boolean {
  return isAppPage(url);
}

/**
 * Navigation of any frame. The app's own top frame stays in the app; a sub-frame (the
 * microsite's sandboxed iframe) stays on the microsite origin, so a link inside a hostile or
 * careless microsite cannot take the frame, and the visitor, to the open web.
 */
export function isAllowedFrameNavigation(url: unknown, isMainFrame: boolean): boolean {
  if (isMainFrame) return isAllowedNavigation(url);
  return resolveSiteRequest(url).kind === 'site';
}

export type WindowOpenDecision = { action: 'deny'; openExternally: null };

/**
 * No second window, ever, and nothing handed to the OS browser from here: Electron does not say
 * which frame asked for the window, and a Ctrl/middle click on a link inside a microsite asks
 * exactly like the app would. A link the rep taps in the app's own page leaves through
 * externalLinkDecision instead, where the frame is known.
 */
export function windowOpenDecision(_url: unknown, _profileKind: ProfileKind = 'standard'): WindowOpenDecision {
  return { action: 'deny', openExternally: null };
}

/** Who asked for a navigation (Electron's will-navigate details, reduced to plain data). */
export interface NavigationOpener {
  /** The navigation is of the window's top frame. */
  isMainFrame: boolean;
  /** URL of the frame that started it; null when no frame did (or it is gone). */
  initiatorUrl: string | null;
  /** That frame is the top frame (a microsite's frame never is). */
  initiatorIsMainFrame: boolean;
}

/**
 * The only way a URL reaches the OS browser: a link the rep taps in the app's own page, in the
 * rep's profile. The top frame can only be navigated by the app itself: the microsite's frame is
 * sandboxed without allow-top-navigation, so its links and clicks never qualify. Plain http is
 * allowed for intranet hosts; credentials in the URL and every other scheme (file:, javascript:,
 * custom protocols that start programs) stay inside. Returns the URL to open, or null.
 */
export function externalLinkDecision(url: unknown, opener: NavigationOpener, profileKind: ProfileKind): string | null {
  if (profileKind === 'kiosk' || !opener.isMainFrame || !opener.initiatorIsMainFrame || !isAppPage(opener.initiatorUrl))
    return null;
  if (typeof url !== 'string' || url.length > MAX_URL_LENGTH) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  if (parsed.username !== '' || parsed.password !== '' || parsed.hostname === '') return null;
  return parsed.href;
}

/** Electron's 'openExternal' permission request (a link to mailto:, tel:, ms-settings:…), as plain data. */
export interface ExternalProtocolRequest {
  externalURL?: unknown;
  requestingUrl?: unknown;
  isMainFrame?: unknown;
}

/** Schemes a rep's tap may hand to another program: the wrap-up's follow-up e-mail. */
const EXTERNAL_PROTOCOLS: ReadonlySet<string> = new Set(['mailto:']);

/**
 * May Chromium hand a link with another program's scheme to the OS? Only a mailto: link the rep
 * taps in the app's own top frame, in the rep's profile. Not from a microsite's frame, not in the
 * kiosk, and never a scheme that starts or configures a program (ms-settings:, file:, custom ones).
 */
export function externalProtocolDecision(request: ExternalProtocolRequest, profileKind: ProfileKind): boolean {
  if (profileKind === 'kiosk' || request.isMainFrame !== true || !isAppPage(request.requestingUrl)) return false;
  if (typeof request.externalURL !== 'string' || request.externalURL.length > MAX_URL_LENGTH) return false;
  try {
    return EXTERNAL_PROTOCOLS.has(new URL(request.externalURL).protocol);
  } catch {
    return false;
  }
}

/**
 * How WebRTC may pick network paths, for every web contents: the strictest Electron offers. No
 * UDP leaves except through a proxy, so a microsite sends no STUN packets past its
 * `connect-src 'none'` and learns no local address; the app itself uses no WebRTC.
 */
export const WEBRTC_IP_HANDLING_POLICY = 'disable_non_proxied_udp' as const;

/**
 * Permissions the app's own page may use. Empty on purpose: Pitchcase needs no camera, microphone,
 * location, notifications or clipboard-read. The kiosk needs no 'fullscreen' either: its window
 * is full screen already (kiosk: true), and a page-requested full screen is one Escape from ending.
 */
export const grantedPermissions: ReadonlySet<string> = new Set<string>();

/** Deny by default; a grant needs both an allow-listed permission and the app's own origin. */
export function permissionDecision(permission: unknown, origin: unknown): boolean {
  if (typeof permission !== 'string' || !grantedPermissions.has(permission)) return false;
  if (typeof origin !== 'string') return false;
  return origin === APP_ORIGIN || origin.startsWith(`${APP_ORIGIN}/`);
}

/**
 * IPC is accepted only from the app's own top frame: not from the microsite iframe, not from a
 * page that somehow navigated elsewhere, not from a frame Electron could not identify.
 */
export function isTrustedSender(frameUrl: unknown, isMainFrame: unknown): boolean {
  return isMainFrame === true && isAppPage(frameUrl);
}

export type ProfileKindFlag = ProfileKind | null;

export interface LaunchOptions {
  profileDir: string;
  /** `--kiosk` / `--standard` on the command line; null when neither (the remembered kind applies). */
  requestedProfileKind: ProfileKindFlag;
  /**
   * `--export-leads FILE`: write the kiosk's leads as CSV and quit, no window (the lead key is
   * sealed by the OS keystore, so the app itself has to open it). Resolved against the working
   * folder; null when not asked.
   */
  exportLeadsTo: string | null;
}

/**
 * `--profile DIR` / PITCHCASE_PROFILE / the OS user-data folder, plus `--kiosk` or `--standard`.
 * When both are given the kiosk wins: a booth's start script says `--kiosk`, and anything appended
 * to it must not be a way out of the lock-down.
 */
export function parseLaunchArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  fallbackProfileDir: string = defaultProfileDir(),
): LaunchOptions {
  const requestedProfileKind: ProfileKindFlag = argv.includes('--kiosk')
    ? 'kiosk'
    : argv.includes('--standard')
      ? 'standard'
      : null;
  let exportLeadsTo: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (arg === '--export-leads' && next && !next.startsWith('--')) exportLeadsTo = path.resolve(next);
    else if (arg.startsWith('--export-leads=') && arg.length > '--export-leads='.length)
      exportLeadsTo = path.resolve(arg.slice('--export-leads='.length));
  }
  return { profileDir: resolveProfileDir(argv, env, fallbackProfileDir), requestedProfileKind, exportLeadsTo };
}

// The profile kind file's format and the choice between flag and memory live in core, so the
// core (leaving the kiosk with the PIN) and every shell read and write the same file.
export {
  chooseProfileKind,
  parseRememberedProfileKind,
  PROFILE_KIND_FILE,
  serializeProfileKind,
  type ProfileKindChoice,
} from '#core/profile/index';

/** Electron's `before-input-event` Input, reduced to what the decision reads. */
export interface KeyInput {
  type?: string;
  key?: string;
  code?: string;
  control?: boolean;
  meta?: boolean;
  alt?: boolean;
  shift?: boolean;
}

export interface InputPolicyOptions {
  /** A packaged build (app.isPackaged). Development builds keep devtools and reload. */
  packaged: boolean;
}

/** Ctrl/Cmd + one of these does something a kiosk visitor must not do (Ctrl+F is the app's search). */
const KIOSK_BLOCKED_LETTERS: Readonly<Record<string, string>> = {
  w: 'close the window',
  q: 'quit',
  r: 'reload',
  p: 'print',
  s: 'save',
  o: 'open a file',
  n: 'new window',
  t: 'new tab',
  l: 'location bar',
  u: 'view source',
  j: 'downloads',
  h: 'hide (macOS)',
  m: 'minimize (macOS)',
};
/** With Shift (Windows/Linux) or Alt/Option (macOS) added: the devtools shortcuts. */
const DEVTOOLS_LETTERS = new Set(['i', 'j', 'c']);
const ZOOM_KEYS = new Set(['+', '=', '-', '_', '0']);
const ZOOM_CODES = new Set(['NumpadAdd', 'NumpadSubtract', 'Numpad0']);
/** Keys that are a browser or system action on their own. */
const KIOSK_BLOCKED_KEYS = new Set([
  'ContextMenu',
  'Alt', // alone: activates the window menu bar on Windows/Linux
  'BrowserBack',
  'BrowserForward',
  'BrowserRefresh',
  'BrowserStop',
  'BrowserSearch',
  'BrowserFavorites',
  'BrowserHome',
  'Print',
  'Help',
  'Close',
  'New',
  'Open',
  'Save',
]);
const FUNCTION_KEY = /^F([1-9]|1[0-9]|2[0-4])$/;

/**
 * The letter a shortcut means, the way Chromium matches accelerators: the typed Latin letter, else
 * (Cyrillic, Greek, a macOS Option-modified or dead key) the physical key. AltGr, which Windows
 * reports as Ctrl+Alt, types characters (`@` is AltGr+Q on a German keyboard), so there the
 * physical key never counts: blocking it would stop a visitor typing an e-mail address.
 */
function shortcutLetter(input: KeyInput, platform: NodeJS.Platform): string | null {
  const key = input.key ?? '';
  if (/^[a-z]$/i.test(key)) return key.toLowerCase();
  if (platform !== 'darwin' && input.control === true && input.alt === true) return null;
  const code = /^Key([A-Z])$/.exec(input.code ?? '');
  return code ? code[1]!.toLowerCase() : null;
}

/**
 * Should the page and the menu never see this key? (Electron `before-input-event`; keyDown and
 * keyUp get the same answer, so the page never sees half a shortcut.)
 *
 * Kiosk: everything that closes, quits, reloads, prints, saves, opens, inspects, zooms, opens a
 * window or tab, leaves or toggles full screen, or brings up a menu: Ctrl/Cmd + W Q R P S O N T L
 * U J H M (with or without Shift), Ctrl+Shift / Cmd+Option + I J C, Ctrl/Cmd + plus/minus/0,
 * Ctrl+Cmd+F (macOS full screen), every function key (F4 of Alt+F4, F5, F10, F11, F12, F7 caret
 * browsing...), Alt alone, Alt+Space, Alt+Left/Right/Home, the context-menu and browser keys.
 * Allowed: typing, editing (Ctrl+A/C/V/X/Z/Y), Tab, Escape (the viewer closes with it; kiosk:true
 * keeps full screen) and Ctrl/Cmd+F (the app's search). Ctrl+Alt+Del, Alt+Tab, the Windows key and
 * Cmd+Tab never reach an app: shutting those is the OS kiosk set-up's job (assigned access).
 *
 * Standard profile: a packaged build blocks devtools (Ctrl+Shift+I/J/C, Cmd+Option+I/J/C, F12)
 * and reload (Ctrl/Cmd+R, Ctrl/Cmd+Shift+R, F5): a rep has no use for either, and a reload in a
 * meeting throws away the open item. Closing, zoom (accessibility) and the menu stay. A
 * development build blocks nothing.
 */
export function shouldBlockInput(
  input: KeyInput,
  platform: NodeJS.Platform,
  profileKind: ProfileKind,
  options: InputPolicyOptions = { packaged: true },
): boolean {
  const key = input.key ?? '';
  const accel = input.control === true || input.meta === true;
  const letter = accel ? shortcutLetter(input, platform) : null;
  // Ctrl+Shift+I on Windows/Linux; Cmd+Option+I on macOS (where Option changes the typed key).
  const devtools =
    key === 'F12' ||
    (letter !== null &&
      DEVTOOLS_LETTERS.has(letter) &&
      (input.shift === true || (platform === 'darwin' && input.alt === true)));
  const reload = key === 'F5' || key === 'BrowserRefresh' || letter === 'r';

  if (profileKind !== 'kiosk') return options.packaged && (devtools || reload);

  if (devtools || reload) return true;
  if (FUNCTION_KEY.test(key) || KIOSK_BLOCKED_KEYS.has(key)) return true;
  if (letter !== null && Object.hasOwn(KIOSK_BLOCKED_LETTERS, letter)) return true;
  if (letter === 'f' && input.control === true && input.meta === true) return true; // macOS full screen toggle
  if (accel && (ZOOM_KEYS.has(key) || ZOOM_CODES.has(input.code ?? ''))) return true;
  if (
    input.alt === true &&
    !input.control &&
    !input.meta &&
    (key === ' ' || key === 'ArrowLeft' || key === 'ArrowRight' || key === 'Home')
  )
    return true;
  return false;
}

/** How long a page may stay unresponsive before its renderer is restarted. */
export const HANG_GRACE_MS = 10_000;
/** Recoveries are counted over this window... */
export const RECOVERY_WINDOW_MS = 60_000;
/** ...and after this many in it the app stops trying and shows a still page. */
export const MAX_RECOVERIES_PER_WINDOW = 3;
/** A kiosk nobody is watching tries again after this long on the still page. */
export const RECOVERY_RETRY_MS = 5 * 60_000;

export type CrashReason =
  | 'clean-exit'
  | 'abnormal-exit'
  | 'killed'
  | 'crashed'
  | 'oom'
  | 'launch-failed'
  | 'integrity-failure'
  | 'memory-eviction'
  | 'unresponsive';

export type CrashRecovery =
  | { action: 'ignore' }
  | { action: 'reload' }
  | { action: 'recreate' }
  | { action: 'give-up'; retryAfterMs: number | null };

/**
 * What to do when the window's renderer is gone (`render-process-gone` reasons) or has hung past
 * HANG_GRACE_MS ('unresponsive'). `recentRecoveries` are the times (ms) of earlier recoveries.
 *
 * The first recovery in a minute reloads the page in a fresh renderer; the next ones replace the
 * whole window; after MAX_RECOVERIES_PER_WINDOW the app gives up and shows a still page (retrying
 * after RECOVERY_RETRY_MS), rather than flickering through crash loops. A clean exit is Chromium
 * shutting the renderer down on purpose (closing, quitting): nothing to do. An integrity failure
 * means the app's own files were changed: no retry will help.
 */
export function crashRecoveryDecision(
  reason: unknown,
  recentRecoveries: readonly number[],
  now: number,
): CrashRecovery {
  if (reason === 'clean-exit') return { action: 'ignore' };
  if (reason === 'integrity-failure') return { action: 'give-up', retryAfterMs: null };
  const recent = recentRecoveries.filter((t) => t <= now && now - t < RECOVERY_WINDOW_MS).length;
  if (recent >= MAX_RECOVERIES_PER_WINDOW) return { action: 'give-up', retryAfterMs: RECOVERY_RETRY_MS };
  return recent === 0 ? { action: 'reload' } : { action: 'recreate' };
}

/**
 * The still page shown after giving up: self-contained (no script, nothing loaded), so it cannot
 * crash the way the app did. In the kiosk it speaks to a visitor, elsewhere to the rep.
 */
export function recoveryPageUrl(profileKind: ProfileKind): string {
  const [title, text] =
    profileKind === 'kiosk'
      ? ['This screen is taking a break', 'Please ask a member of our team. It will be back in a few minutes.']
      : [
          'Pitchcase stopped working',
          'It stopped several times in a row. Quit and start it again; if this keeps happening, contact support.',
        ];
  const html =
    '<!doctype html><html><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">` +
    `<title>${title}</title><style>body{margin:0;height:100vh;display:flex;flex-direction:column;align-items:center;` +
    'justify-content:center;background:#0f172a;color:#e2e8f0;font:20px system-ui,sans-serif;text-align:center;' +
    `user-select:none}h1{font-size:32px;font-weight:600}</style></head><body><h1>${title}</h1><p>${text}</p></body></html>`;
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}
