/**
 * Every security decision of the Electron shell, as pure functions of plain data. The wiring in
 * window.ts, ipc.ts and main.ts only forwards Electron's callbacks here, so the table tests in
 * test/unit/electron cover the whole policy without an Electron binary.
 *
 * No `electron` import in this file, on purpose.
 */
import { idPattern, sha256Pattern } from '#shared/manifest';
import type { ProfileKind } from '#shared/library';
import { defaultProfileDir, resolveProfileDir } from '#core/profile';

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
  | { kind: 'app'; path: string }
  | { kind: 'content'; sha256: string }
  | { kind: 'refused'; reason: string };

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

export type WindowOpenDecision = { action: 'deny'; openExternally: string | null };

/**
 * No second window, ever. A rep's share link (an item's `shareUrl`, https from the manifest) is
 * handed to the OS browser instead, so the rep can forward it from there; plain http is allowed
 * for intranet hosts. Credentials in the URL, every other scheme (file:, javascript:, data:,
 * custom protocols that could start programs) and anything at all in the kiosk profile stay
 * inside: a visitor must never reach a browser or the desktop.
 */
export function windowOpenDecision(url: unknown, profileKind: ProfileKind = 'standard'): WindowOpenDecision {
  const deny: WindowOpenDecision = { action: 'deny', openExternally: null };
  if (profileKind === 'kiosk' || typeof url !== 'string' || url.length > MAX_URL_LENGTH) return deny;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return deny;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return deny;
  if (parsed.username !== '' || parsed.password !== '' || parsed.hostname === '') return deny;
  return { action: 'deny', openExternally: parsed.href };
}

/**
 * Permissions the app's own page may use. Empty on purpose: Pitchcase needs no camera, microphone,
 * location, notifications or clipboard-read. (The kiosk issue may add 'fullscreen' here.)
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

export interface LaunchOptions {
  profileDir: string;
  kiosk: boolean;
  profileKind: ProfileKind;
}

/** `--profile DIR` / PITCHCASE_PROFILE / the OS user-data folder, plus `--kiosk`. */
export function parseLaunchArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  fallbackProfileDir: string = defaultProfileDir(),
): LaunchOptions {
  const kiosk = argv.includes('--kiosk');
  return {
    profileDir: resolveProfileDir(argv, env, fallbackProfileDir),
    kiosk,
    profileKind: kiosk ? 'kiosk' : 'standard',
  };
}
