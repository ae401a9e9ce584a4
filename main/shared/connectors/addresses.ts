/**
 * What an endpoint's address, folder and secrets must look like, for every connector's rules
 * (main/shared/connectors). Plain TypeScript on the standard URL class, so it runs in the
 * renderer and in Node.
 */

/**
 * The WHATWG URL class, a global in every runtime this file runs in (Node, Chromium); shared
 * code compiles without DOM or Node types, so the little of it used here is declared.
 */
interface ParsedUrl {
  protocol: string;
  hostname: string;
  username: string;
  password: string;
  hash: string;
  origin: string;
}
declare const URL: new (input: string) => ParsedUrl;

export const DEFAULT_SALESFORCE_TOKEN_URL = 'https://login.salesforce.com/services/oauth2/token';
export const DEFAULT_SALESFORCE_API_VERSION = '61.0';
export const DEFAULT_EXTERNAL_ID_FIELD = 'Pitchcase_Id__c';

/** This computer only: a test receiver or a local relay may speak plain http. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Why a URL cannot be an endpoint, or null: well-formed, absolute, https (http only for this
 * computer), no user name or password in it (they would be stored in clear and logged), no
 * fragment.
 */
export function endpointUrlProblem(value: string, what: string): string | null {
  const text = value.trim();
  if (!text) return `Enter the ${what}`;
  if (text.length > 2048) return `The ${what} is longer than 2048 characters`;
  let url: ParsedUrl;
  try {
    url = new URL(text);
  } catch {
    return `The ${what} is not a valid URL (e.g. https://crm.example.com/hooks/pitchcase)`;
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return `The ${what} must start with https:// (http:// only for this computer: localhost, 127.0.0.1)`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `The ${what} must start with https://`;
  if (!url.hostname) return `The ${what} has no host name`;
  if (url.username || url.password)
    return `The ${what} must not contain a user name or password: put credentials in the Authorization header or token fields`;
  if (url.hash) return `The ${what} must not contain a #fragment`;
  return null;
}

export const MAX_FOLDER_PATH = 1024;

/**
 * Why a text cannot be a delivery folder, or null: a full path of this computer or a share,
 * in POSIX (/mnt/crm-drop) or Windows form (C:\…, \\server\share\…), without control
 * characters (a NUL would cut it short in the OS) or ".." segments. The screen runs on either OS,
 * so both forms pass here; the core checks that the folder exists and takes files on this
 * computer when it is tested and at every delivery.
 */
export function folderPathProblem(value: string): string | null {
  const text = value.trim();
  if (!text) return 'Enter the folder';
  if (text.length > MAX_FOLDER_PATH) return `The folder path is longer than ${MAX_FOLDER_PATH} characters`;
  if (hasControlCharacter(text)) return 'The folder path contains a NUL, line break or other control character';
  if (/^[\\/]{2}[?.][\\/]/.test(text))
    return 'Write the folder as C:\\… or \\\\server\\share\\…, without the \\\\?\\ or \\\\.\\ prefix';
  const posix = text.startsWith('/') && !text.startsWith('//');
  const drive = /^[A-Za-z]:[\\/]/.test(text);
  const share = /^[\\/]{2}[^\\/]+[\\/][^\\/]+/.test(text);
  if (!posix && !drive && !share)
    return 'The folder must be a full path, e.g. C:\\Users\\you\\OneDrive - Acme\\Pitchcase, \\\\server\\share\\crm or /mnt/crm-drop';
  if (text.split(/[\\/]/).includes('..')) return 'The folder path must not contain ".." segments';
  return null;
}

const hasControlCharacter = (value: string) =>
  [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/** Why a secret as given cannot be stored (empty, too long, a line break), or null. */
export function secretProblem(value: string | null | undefined, what: string): string | null {
  if (value === undefined || value === null) return null;
  if (!value.trim()) return `The ${what} is empty: leave it out to keep the stored one, or clear it`;
  if (value.length > 4096) return `The ${what} is longer than 4096 characters`;
  if (hasControlCharacter(value)) return `The ${what} contains a line break or control character`;
  return null;
}

/** The scheme, host and port a secret was given for: it is never sent anywhere else. */
export function originOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** The host (and port) of a URL as the card shows it. */
export function hostOf(url: string): string {
  const origin = originOf(url);
  return origin ? origin.replace(/^https?:\/\//, '') : url;
}
