import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip as gzipCallback, type BrotliOptions } from 'node:zlib';
import { allows, type RouteId } from '../access.ts';
import type {
  AcceptedResponse,
  Caller,
  CookieResponse,
  RawResponse,
  Route,
  Routes,
  StudioContext,
} from '../context.ts';
import { StudioError, studioErrorStatus } from '../errors.ts';
import { sameToken, sessionOf } from '../people/sessions.ts';

const brotli = promisify<Buffer, BrotliOptions, Buffer>(brotliCompress);
const gzip = promisify<Buffer, { level: number }, Buffer>(gzipCallback);

/** Sent with every response, API, files and UI alike. */
export const securityHeaders: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

const jsonLimit = 1024 * 1024;

interface CompiledRoute {
  id: RouteId;
  route: Route<never>;
  pattern: RegExp;
  names: string[];
}

function compile(routes: Routes): CompiledRoute[] {
  return (Object.entries(routes) as [RouteId, Route<never>][]).map(([id, route]) => {
    const names: string[] = [];
    const source = route.path
      .split('/')
      .map((segment) => {
        if (segment === '*') {
          names.push('rest');
          return '(.+)';
        }
        if (segment.startsWith(':')) {
          names.push(segment.slice(1));
          return '([^/]+)';
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    return { id, route, pattern: new RegExp(`^${source}$`), names };
  });
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > jsonLimit) throw new StudioError('too-large', 'The request body is larger than 1 MB.');
    chunks.push(chunk);
  }
  if (size === 0) return {};
  if (!/^application\/json\b/i.test(request.headers['content-type'] ?? ''))
    throw new StudioError('bad-request', 'Send JSON with Content-Type: application/json.');
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new StudioError('bad-request', 'The request body is not valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new StudioError('bad-request', 'The request body is a JSON object.');
  return body as Record<string, unknown>;
}

function send(
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: Buffer | string | null,
): void {
  const bytes = body === null ? null : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  response.writeHead(status, {
    ...securityHeaders,
    ...headers,
    ...(bytes ? { 'Content-Length': String(bytes.length) } : {}),
  });
  response.end(response.req.method === 'HEAD' ? undefined : (bytes ?? undefined));
}

function sendJson(response: ServerResponse, status: number, value: unknown, cookie?: string): void {
  send(
    response,
    status,
    {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      ...(cookie ? { 'Set-Cookie': cookie } : {}),
    },
    JSON.stringify(value),
  );
}

const isRaw = (value: unknown): value is RawResponse =>
  typeof value === 'object' && value !== null && (value as RawResponse).raw === true;
const isAccepted = (value: unknown): value is AcceptedResponse<unknown> =>
  typeof value === 'object' &&
  value !== null &&
  'accepted' in value &&
  typeof (value as AcceptedResponse<unknown>).location === 'string';
const hasCookie = (value: unknown): value is CookieResponse<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as CookieResponse<unknown>).setCookie === 'string';

const uiTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/**
 * The UI's own policy adds one thing to the API's: it may frame a preview of the draft, which a
 * gateway serves on another port of the same host name (and checks its own secret).
 */
function uiSecurityHeaders(hostname: string): Record<string, string> {
  const previews = `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:*`;
  return {
    ...securityHeaders,
    'Content-Security-Policy': `${securityHeaders['Content-Security-Policy']}; frame-src ${previews}`,
  };
}

/** The host name people reached Studio at; a Host header that is no host name frames nothing. */
function hostnameOf(origin: string): string {
  try {
    return new URL(origin).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return '127.0.0.1';
  }
}

/** What the UI's page carries for the person asking (their session, the first screen's data); null: nothing. */
export type BootOf = (caller: Caller, request: IncomingMessage) => Promise<unknown>;

const compressible = new Set(['.html', '.js', '.css', '.svg', '.json']);
/** Compressed hashed assets, made once per process: their names change whenever their bytes do. */
const compressedAssets = new Map<string, Promise<Buffer>>();

function encodingFor(request: IncomingMessage): 'br' | 'gzip' | null {
  const accepted = String(request.headers['accept-encoding'] ?? '');
  if (/\bbr\b/.test(accepted)) return 'br';
  if (/\bgzip\b/.test(accepted)) return 'gzip';
  return null;
}

function compress(body: Buffer, encoding: 'br' | 'gzip'): Promise<Buffer> {
  return encoding === 'br'
    ? brotli(body, {
        params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 9, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.length },
      })
    : gzip(body, { level: 9 });
}

/** The page with the boot data in a JSON block (not a script that runs, so the CSP holds). */
function withBoot(html: string, boot: unknown): string {
  const json = JSON.stringify(boot).replace(/</g, '\\u003c');
  return html.replace('</body>', `<script type="application/json" id="studio-boot">${json}</script></body>`);
}

/**
 * The built UI (one page app): files by name, anything else falls back to index.html. Hashed
 * assets are cached for a year and sent compressed; the page itself is never cached, since it
 * carries the signed-in person's session and first screen.
 */
async function serveUi(
  uiDir: string | null,
  request: IncomingMessage,
  response: ServerResponse,
  origin: string,
  boot: ((request: IncomingMessage) => Promise<unknown>) | null,
): Promise<void> {
  if (!uiDir) {
    send(
      response,
      200,
      { 'Content-Type': 'text/plain; charset=utf-8' },
      'Studio is running, but its UI is not built here: run `npm run build:studio`. The API is at /api.\n',
    );
    return;
  }
  const url = new URL(request.url ?? '/', 'http://studio');
  const rel = path.posix.normalize(decodeURIComponent(url.pathname)).replace(/^\/+/, '');
  let file = path.join(uiDir, rel);
  if (!file.startsWith(uiDir + path.sep) || rel === '' || !(await stat(file).catch(() => null))?.isFile())
    file = path.join(uiDir, 'index.html');
  const info = await stat(file).catch(() => null);
  if (!info) {
    send(response, 404, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Not found\n');
    return;
  }
  const ext = path.extname(file);
  const page = file === path.join(uiDir, 'index.html');
  const hashed = !page && rel.startsWith('assets/');
  const encoding = compressible.has(ext) ? encodingFor(request) : null;
  const headers: Record<string, string> = {
    ...uiSecurityHeaders(hostnameOf(origin)),
    'Content-Type': uiTypes[ext] ?? 'application/octet-stream',
    'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : page ? 'no-store' : 'no-cache',
    ...(compressible.has(ext) ? { Vary: page ? 'Accept-Encoding, Cookie' : 'Accept-Encoding' } : {}),
  };
  let body: Buffer | null = null;
  if (page) {
    const html = await readFile(file, 'utf8');
    const data = boot ? await boot(request) : null;
    body = Buffer.from(data ? withBoot(html, data) : html, 'utf8');
    if (encoding) body = await compress(body, encoding);
  } else if (encoding && hashed) {
    const key = `${file}|${info.mtimeMs}|${encoding}`;
    let made = compressedAssets.get(key);
    if (!made) {
      made = readFile(file).then((bytes) => compress(bytes, encoding));
      compressedAssets.set(key, made);
    }
    body = await made;
  }
  if (body) {
    response.writeHead(200, {
      ...headers,
      ...(encoding ? { 'Content-Encoding': encoding } : {}),
      'Content-Length': String(body.length),
    });
    response.end(request.method === 'HEAD' ? undefined : body);
    return;
  }
  response.writeHead(200, { ...headers, 'Content-Length': String(info.size) });
  if (request.method === 'HEAD') response.end();
  else await pipeline(createReadStream(file), response);
}

/** Compresses the UI's hashed assets ahead of the first visitor, who would otherwise wait for it. */
export async function prepareUi(uiDir: string | null): Promise<void> {
  if (!uiDir) return;
  const assets = path.join(uiDir, 'assets');
  const names = await readdir(assets).catch(() => [] as string[]);
  for (const name of names) {
    const file = path.join(assets, name);
    if (!compressible.has(path.extname(name))) continue;
    const info = await stat(file);
    for (const encoding of ['br', 'gzip'] as const) {
      const key = `${file}|${info.mtimeMs}|${encoding}`;
      if (!compressedAssets.has(key)) {
        const made = readFile(file).then((bytes) => compress(bytes, encoding));
        compressedAssets.set(key, made);
        await made;
      }
    }
  }
}

/**
 * The HTTP side of Studio: finds the route, works out who is calling (the session cookie),
 * checks the access table and the CSRF token, validates the arguments, and writes the answer.
 * Handlers only see a Caller and checked arguments.
 */
export function createRequestHandler(
  ctx: StudioContext,
  routes: Routes,
  options: { uiDir: string | null; log: (line: string) => void; publicOrigin?: string | null; boot?: BootOf },
) {
  const compiled = compile(routes);
  const callerOf = async (request: IncomingMessage): Promise<Caller> => {
    const host = request.headers.host ?? 'localhost';
    const session = await sessionOf(ctx, request);
    return {
      user: session?.user ?? null,
      sessionIdHash: session?.idHash ?? null,
      csrfToken: session?.csrfToken ?? null,
      address: request.socket.remoteAddress ?? 'unknown',
      // Behind a TLS proxy Studio sees plain HTTP; the origin people use is then given (--public-url).
      origin:
        options.publicOrigin ??
        `${'encrypted' in request.socket && request.socket.encrypted ? 'https' : 'http'}://${host}`,
    };
  };
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    try {
      const method = request.method === 'HEAD' ? 'GET' : (request.method ?? 'GET');
      const url = new URL(request.url ?? '/', 'http://studio');
      const candidates = compiled.map((c) => ({ c, match: c.pattern.exec(url.pathname) })).filter((m) => m.match);
      if (candidates.length === 0) {
        if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/channels/'))
          throw new StudioError('not-found', `No such endpoint: ${url.pathname}`);
        if (method !== 'GET') throw new StudioError('not-found', 'Not found.');
        const boot = options.boot;
        await serveUi(
          options.uiDir,
          request,
          response,
          options.publicOrigin ?? `http://${request.headers.host ?? 'localhost'}`,
          boot ? async (r) => boot(await callerOf(r), r) : null,
        );
        return;
      }
      const found = candidates.find((m) => m.c.route.method === method);
      if (!found) throw new StudioError('bad-request', `${request.method} is not allowed on ${url.pathname}`);
      const { c, match } = found;

      const caller = await callerOf(request);
      const isPublic = allows(c.id, null);
      if (!isPublic && !caller.user) throw new StudioError('unauthenticated', 'Sign in first.');
      if (!allows(c.id, caller.user?.role ?? null))
        throw new StudioError('forbidden', `Your role (${caller.user?.role}) may not do this.`);
      if (method !== 'GET') {
        // A browser always sends Origin on a cross-site write; it must be Studio's own.
        const origin = request.headers.origin;
        if (origin && origin !== caller.origin) throw new StudioError('forbidden', 'Cross-site request refused.');
        const token = request.headers['x-csrf-token'];
        if (!isPublic && !sameToken(typeof token === 'string' ? token : null, caller.csrfToken))
          throw new StudioError('forbidden', 'Missing or wrong CSRF token; reload the page.');
      }

      const params: Record<string, string> = {};
      c.names.forEach((name, i) => (params[name] = decodeURIComponent(match![i + 1]!)));
      const query = Object.fromEntries(url.searchParams);
      const body = c.route.body === 'stream' || method === 'GET' ? {} : await readJson(request);
      const parsed = c.route.args.safeParse({ ...query, ...body, ...params });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new StudioError('bad-request', `${issue?.path.join('.') || 'arguments'}: ${issue?.message ?? 'invalid'}`);
      }
      const value = await c.route.run(ctx, caller, parsed.data, request);
      if (isRaw(value)) {
        response.writeHead(value.status, { ...securityHeaders, ...value.headers });
        if (value.body === null || request.method === 'HEAD') response.end();
        else if (Buffer.isBuffer(value.body)) response.end(value.body);
        else await pipeline(value.body as Readable, response);
        return;
      }
      if (isAccepted(value)) {
        response.setHeader('Location', value.location);
        sendJson(response, 202, { ok: true, value: value.accepted });
      } else if (hasCookie(value)) sendJson(response, 200, { ok: true, value: value.value }, value.setCookie);
      else sendJson(response, 200, { ok: true, value });
    } catch (error) {
      const known = error instanceof StudioError ? error : null;
      if (!known) options.log(`studio: ${request.method} ${request.url}: ${(error as Error).stack ?? String(error)}`);
      if (response.headersSent) {
        response.destroy();
        return;
      }
      // An unread upload body would otherwise keep the connection busy.
      if (!request.readableEnded) request.resume();
      const code = known?.code ?? 'internal';
      sendJson(response, studioErrorStatus[code], {
        ok: false,
        error: { code, message: known?.message ?? 'Something went wrong in Studio; the server log says what.' },
      });
    }
  };
}
