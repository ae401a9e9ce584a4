/**
 * What a delivery destination must look like, checked the same way by the settings screen (to
 * show a message beside the field), the API boundary, the core and `pitchcase delivery settings`.
 * Plain TypeScript on the standard URL class, so it runs in the renderer and in Node.
 */
import type { DeliveryKind, EndpointSettings } from './sync.ts';

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

export const deliveryKinds: readonly DeliveryKind[] = ['lead', 'meeting', 'event'];

export const deliveryKindLabels: Record<DeliveryKind, string> = {
  lead: 'Leads',
  meeting: 'Meetings and follow-ups',
  event: 'Activity',
};

export function isDeliveryKind(value: unknown): value is DeliveryKind {
  return typeof value === 'string' && (deliveryKinds as readonly string[]).includes(value);
}

export interface DeliveryProblem {
  kind: DeliveryKind;
  /** The field of the endpoint the message is about (url, authorization, instanceUrl, …). */
  field: string;
  message: string;
}

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
  if (url.username || url.password) return `The ${what} must not contain a user name or password: put credentials in the Authorization header or token fields`;
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
  if (/^[\\/]{2}[?.][\\/]/.test(text)) return 'Write the folder as C:\\… or \\\\server\\share\\…, without the \\\\?\\ or \\\\.\\ prefix';
  const posix = text.startsWith('/') && !text.startsWith('//');
  const drive = /^[A-Za-z]:[\\/]/.test(text);
  const share = /^[\\/]{2}[^\\/]+[\\/][^\\/]+/.test(text);
  if (!posix && !drive && !share) return 'The folder must be a full path, e.g. C:\\Users\\you\\OneDrive - Acme\\Pitchcase, \\\\server\\share\\crm or /mnt/crm-drop';
  if (text.split(/[\\/]/).includes('..')) return 'The folder path must not contain ".." segments';
  return null;
}

// Header names are HTTP tokens; values and secrets must not smuggle a line break into a request.
const headerName = /^[A-Za-z0-9-]{1,64}$/;
const hasControlCharacter = (value: string) => [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

function secretProblem(value: string | null | undefined, what: string): string | null {
  if (value === undefined || value === null) return null;
  if (!value.trim()) return `The ${what} is empty: leave it out to keep the stored one, or clear it`;
  if (value.length > 4096) return `The ${what} is longer than 4096 characters`;
  if (hasControlCharacter(value)) return `The ${what} contains a line break or control character`;
  return null;
}

/** What is already stored for an endpoint and is kept unless the change replaces or clears it. */
export interface KeptSecrets {
  accessToken: boolean;
  clientSecret: boolean;
  refreshToken: boolean;
  authorization: boolean;
}

export const noKeptSecrets: KeptSecrets = { accessToken: false, clientSecret: false, refreshToken: false, authorization: false };

/** Whether a secret is there after the change: given now, or kept and not cleared. */
function present(value: string | null | undefined, kept: boolean): boolean {
  return value === undefined ? kept : value !== null;
}

/**
 * Every problem of one kind's destination. `kept` says which secrets the core would keep from
 * the stored settings (the screen knows from the settings it read); without it only the form
 * of each field is checked, not whether Salesforce ends up with a token or refresh credentials.
 */
export function endpointProblems(kind: DeliveryKind, endpoint: EndpointSettings, kept?: KeptSecrets): DeliveryProblem[] {
  const problems: DeliveryProblem[] = [];
  const add = (field: string, message: string | null) => {
    if (message) problems.push({ kind, field, message });
  };
  if (endpoint.type === 'webhook') {
    add('url', endpointUrlProblem(endpoint.url, 'webhook URL'));
    for (const [name, value] of Object.entries(endpoint.headers ?? {})) {
      if (!headerName.test(name)) add('headers', `"${name.slice(0, 64)}" is not a header name (letters, digits and -)`);
      else add('headers', secretProblem(value, `${name} header`));
    }
    add('authorization', secretProblem(endpoint.authorization, 'Authorization header'));
    return problems;
  }
  if (endpoint.type === 'folder') {
    add('path', folderPathProblem(endpoint.path));
    return problems;
  }
  if (kind === 'event') {
    add('type', 'Salesforce does not take activity events: send them to a webhook or a folder');
    return problems;
  }
  add('instanceUrl', endpointUrlProblem(endpoint.instanceUrl, 'Salesforce instance URL'));
  if (!problems.length && /[?]/.test(endpoint.instanceUrl)) add('instanceUrl', 'The Salesforce instance URL is the address of your org, e.g. https://mycompany.my.salesforce.com, without a query');
  if (endpoint.tokenUrl) add('tokenUrl', endpointUrlProblem(endpoint.tokenUrl, 'token URL'));
  if (endpoint.clientId !== undefined && endpoint.clientId !== null) {
    if (!endpoint.clientId.trim()) add('clientId', 'The client id is empty');
    else if (endpoint.clientId.length > 512 || /\s/.test(endpoint.clientId)) add('clientId', 'The client id is the consumer key of the connected app: one word, at most 512 characters');
  }
  add('accessToken', secretProblem(endpoint.accessToken, 'access token'));
  add('clientSecret', secretProblem(endpoint.clientSecret, 'client secret'));
  add('refreshToken', secretProblem(endpoint.refreshToken, 'refresh token'));
  if (endpoint.apiVersion !== undefined && !/^\d{2,3}\.\d$/.test(endpoint.apiVersion)) add('apiVersion', 'The API version looks like 61.0');
  if (endpoint.externalIdField !== undefined && !/^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(endpoint.externalIdField)) {
    add('externalIdField', 'The external-id field is an API name such as Pitchcase_Id__c');
  }
  if (!kept) return problems;
  const refreshToken = present(endpoint.refreshToken, kept.refreshToken);
  const clientId = Boolean(endpoint.clientId?.trim());
  if (refreshToken && !clientId) add('clientId', 'A refresh token needs the client id (consumer key) of the connected app');
  if (clientId && !refreshToken) add('refreshToken', 'Enter the refresh token the connected app issued, or remove the client id');
  if (!present(endpoint.accessToken, kept.accessToken) && !refreshToken && !clientId) {
    add('accessToken', 'Salesforce needs an access token, or OAuth refresh credentials (client id and refresh token)');
  }
  return problems;
}

/** "Leads: the webhook URL must start with https://…": one line naming the kind. */
export function problemLine(problem: DeliveryProblem): string {
  return `${deliveryKindLabels[problem.kind]}: ${problem.message}`;
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
