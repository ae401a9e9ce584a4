import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { appContentSecurityPolicy, appPermissionsPolicy } from '#shared/csp';
import { TAKE_MAX_BYTES } from '#shared/rehearse';
import { fail, PitchcaseError } from '#shared/result';
import { createCore, type ContentResponse, type Core, type CoreOptions } from '#core/index';
import { staticResponse, textResponse } from '#core/content/index';

/**
 * The browser host: the same core and contract over loopback HTTP, so the renderer runs in any
 * Chromium (tests, `pitchcase start`, marketing's preview).
 *   POST /api/<method>   JSON argument -> JSON Result
 *   GET  /api/events     server-sent events: data: {"event","payload"}
 *   GET  /content/<sha>  a blob of the current library (Range, MIME)
 *   GET  /...            the built renderer
 * Microsites are served by a second listener, so they live on another origin.
 */
export interface HostOptions {
  /** The core is built here, once the microsite origin's port is known. */
  core: Omit<CoreOptions, 'shell' | 'siteBaseUrl'>;
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  sitePort?: number;
  /**
   * Where browsers reach the microsites when something stands in front of the microsite listener
   * (Studio's preview gateway, which puts its secret first in the path); by default the listener.
   */
  siteBaseUrl?: string;
}

export interface Host {
  url: string;
  siteUrl: string;
  core: Core;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
/** A rehearsal take is carried as base64 (4 bytes per 3) inside its JSON call. */
const TAKE_BODY_BYTES = Math.ceil(TAKE_MAX_BYTES / 3) * 4 + 4096;

/** How large a call's body may be: one method carries a recording, every other one a few fields. */
export function bodyLimit(method: string): number {
  return method === 'saveRehearsalTake' ? TAKE_BODY_BYTES : MAX_BODY_BYTES;
}

async function send(res: ServerResponse, response: ContentResponse, method: string): Promise<void> {
  res.writeHead(response.status, response.headers);
  if (!response.body || method === 'HEAD') {
    response.body?.destroy();
    res.end();
    return;
  }
  try {
    await pipeline(response.body, res);
  } catch {
    // The client went away mid-stream (a video seek does this all the time).
  }
}

function json(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(body);
}

async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new PitchcaseError('bad-request', 'Request body too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new PitchcaseError('bad-request', 'Request body is not JSON');
  }
}

/**
 * Refuses requests whose Host header is not our loopback address (DNS rebinding) and API calls
 * that are not JSON (a cross-site form cannot send application/json without a CORS preflight,
 * which this server never grants).
 */
export function isAllowedHost(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  return hostHeader === `127.0.0.1:${port}` || hostHeader === `localhost:${port}`;
}

/**
 * True when the raw request path tries to climb (`..` or `.` segments, plain or percent-encoded).
 * URL parsing would silently resolve them; we refuse instead, so traversal attempts are visible.
 */
export function hasDotSegments(rawUrl: string): boolean {
  const rawPath = rawUrl.split('?')[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return true;
  }
  return decoded.split(/[/\\]/).some((segment) => segment === '..' || segment === '.');
}

/** No path of ours comes close; longer targets are refused before parsing. */
const MAX_TARGET_LENGTH = 8192;

/**
 * The path and query of a request target, or null when it is not one we serve. Only the
 * origin form (`/path?query`) is accepted: browsers send nothing else to an origin server, and
 * absolute (`http://…`), authority and asterisk forms, `//…`, or a target the URL parser cannot
 * read are refused here instead of throwing later.
 */
export function requestTarget(rawUrl: string | undefined): URL | null {
  if (
    typeof rawUrl !== 'string' ||
    !rawUrl.startsWith('/') ||
    rawUrl.startsWith('//') ||
    rawUrl.length > MAX_TARGET_LENGTH
  )
    return null;
  try {
    return new URL(rawUrl, 'http://127.0.0.1');
  } catch {
    return null;
  }
}

/**
 * Runs one request's handler so that nothing it throws reaches the process: a request we did not
 * foresee gets a 500 (or, once the answer has started, a cut connection), and the host serves on.
 */
function guarded(
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handler(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      json(res, 500, fail(new PitchcaseError('internal', `Request failed: ${(error as Error).message}`)));
    });
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startHost(options: HostOptions): Promise<Host> {
  const appServer = createServer();
  const siteServer = createServer();
  const sitePort = await listen(siteServer, options.sitePort ?? 0);
  const siteOrigin = `http://127.0.0.1:${sitePort}`;
  const siteBaseUrl = options.siteBaseUrl ?? siteOrigin;
  let core: Core;
  let port: number;
  try {
    core = await createCore({ ...options.core, shell: 'browser', siteBaseUrl });
  } catch (error) {
    siteServer.close();
    throw error;
  }
  try {
    port = await listen(appServer, options.port ?? 0);
  } catch (error) {
    siteServer.close();
    core.close();
    throw error;
  }
  const csp = appContentSecurityPolicy(new URL(siteBaseUrl).origin);
  const permissionsPolicy = appPermissionsPolicy(options.core.profileKind ?? 'standard');
  const streams = new Set<ServerResponse>();

  // Every page of the browser host is the same caller to the core: a locked kiosk's page hears
  // only what the access table of events lets it (Core.hears), decided as each event is sent.
  const unsubscribe = core.events.onAny((event, payload) => {
    if (!core.hears(event)) return;
    const frame = `data: ${JSON.stringify({ event, payload })}\n\n`;
    for (const res of streams) res.write(frame);
  });

  appServer.on(
    'request',
    guarded(async (req, res) => {
      if (!isAllowedHost(req.headers.host, port)) {
        await send(res, textResponse(421, 'Misdirected request'), 'GET');
        return;
      }
      const url = requestTarget(req.url);
      if (!url) {
        await send(res, textResponse(400, 'Refused: not a request target of this app'), 'GET');
        return;
      }
      if (hasDotSegments(req.url ?? '/')) {
        await send(res, textResponse(400, 'Refused: path outside the app'), 'GET');
        return;
      }
      if (url.pathname.startsWith('/api/')) {
        if (url.pathname === '/api/events' && req.method === 'GET') {
          res.writeHead(200, {
            'Content-Type': 'text/event-stream',
            'Cache-Control': 'no-store',
            Connection: 'keep-alive',
          });
          res.write(': connected\n\n');
          streams.add(res);
          req.on('close', () => streams.delete(res));
          return;
        }
        if (req.method !== 'POST') {
          json(res, 405, fail(new PitchcaseError('bad-request', 'Use POST for API calls')));
          return;
        }
        if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
          json(res, 415, fail(new PitchcaseError('bad-request', 'API calls must be application/json')));
          return;
        }
        try {
          const method = decodeURIComponent(url.pathname.slice('/api/'.length));
          const arg = await readJsonBody(req, bodyLimit(method));
          json(res, 200, await core.handle(method, arg));
        } catch (error) {
          json(res, 400, fail(error));
        }
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        await send(res, textResponse(405, 'Method not allowed'), 'GET');
        return;
      }
      const range = req.headers.range ?? null;
      const contentMatch = /^\/content\/([^/]+)$/.exec(url.pathname);
      if (contentMatch) {
        await send(res, core.content.blob(contentMatch[1]!, range), req.method);
        return;
      }
      const page = staticResponse(options.rendererDir, url.pathname, range, csp);
      // The app's pages say which devices they may ask for: a kiosk's never the microphone.
      if (page.headers['Content-Security-Policy']) page.headers['Permissions-Policy'] = permissionsPolicy;
      await send(res, page, req.method);
    }),
  );

  siteServer.on(
    'request',
    guarded(async (req, res) => {
      if (!isAllowedHost(req.headers.host, sitePort)) {
        await send(res, textResponse(421, 'Misdirected request'), 'GET');
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        await send(res, textResponse(405, 'Method not allowed'), 'GET');
        return;
      }
      const url = requestTarget(req.url);
      if (!url) {
        await send(res, textResponse(400, 'Refused: not a request target of this microsite'), 'GET');
        return;
      }
      if (hasDotSegments(req.url ?? '/')) {
        await send(res, textResponse(400, 'Refused: path outside the microsite'), 'GET');
        return;
      }
      const [, itemId = '', ...rest] = url.pathname.split('/');
      let sitePath: string;
      try {
        sitePath = rest.map((s) => decodeURIComponent(s)).join('/');
      } catch {
        await send(res, textResponse(400, 'Refused: bad path'), 'GET');
        return;
      }
      await send(res, core.content.site(itemId, sitePath, req.headers.range ?? null), req.method);
    }),
  );

  const closeServer = (server: Server) =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });

  return {
    url: `http://127.0.0.1:${port}/`,
    siteUrl: siteOrigin,
    core,
    async close() {
      unsubscribe();
      for (const res of streams) res.end();
      streams.clear();
      await Promise.all([closeServer(appServer), closeServer(siteServer)]);
      core.close();
    },
  };
}
