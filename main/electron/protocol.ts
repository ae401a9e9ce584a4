/**
 * The two custom schemes that replace file://. `pitchcase://app/` serves the built UI and the
 * content blobs (one origin, so pdf.js and <video> fetch same-origin with Range requests);
 * `pitchcase-site://site/` serves microsites on a separate origin under their own sandboxing CSP.
 * Which request maps to what is decided in decisions.ts; MIME, Range and 404/416 in core.
 */
import { Readable } from 'node:stream';
import type { CustomScheme, Protocol } from 'electron';
import type { Core, ContentResponse } from '#core/index';
import { staticResponse, textResponse } from '#core/content/index';
import { appContentSecurityPolicy, siteContentSecurityPolicy } from '#shared/csp';
import { APP_SCHEME, SITE_BASE_URL, SITE_SCHEME, resolveProtocolRequest, resolveSiteRequest } from './decisions.ts';

/**
 * Registered before `ready`. The app scheme behaves like https (standard origin, secure
 * context, fetch and streaming for Range); the site scheme gets no fetch API and, like the app,
 * never bypasses CSP: its CSP header is what sandboxes a microsite.
 */
export const privilegedSchemes: CustomScheme[] = [
  {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true },
  },
  { scheme: SITE_SCHEME, privileges: { standard: true, secure: true, stream: true } },
];

export type ProtocolHandler = (request: Request) => Promise<Response>;

/** Turns core's shell-neutral response into the fetch Response protocol.handle expects. */
export function toWebResponse(content: ContentResponse, method = 'GET'): Response {
  if (method === 'HEAD' || content.body === null) {
    content.body?.destroy();
    return new Response(null, { status: content.status, headers: content.headers });
  }
  // Node's web ReadableStream and the DOM one are the same object at runtime, different types.
  const body = Readable.toWeb(content.body) as unknown as ReadableStream<Uint8Array>;
  return new Response(body, { status: content.status, headers: content.headers });
}

function withGuards(serve: (request: Request) => ContentResponse): ProtocolHandler {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const notAllowed = textResponse(405, 'Method not allowed');
      return toWebResponse({ ...notAllowed, headers: { ...notAllowed.headers, Allow: 'GET, HEAD' } });
    }
    try {
      return toWebResponse(serve(request), request.method);
    } catch (error) {
      return toWebResponse(textResponse(500, `Internal error: ${(error as Error).message}`));
    }
  };
}

/** `pitchcase://app/...`: the renderer build (with the app CSP on HTML) and `/content/<sha256>`. */
export function appProtocolHandler(core: Pick<Core, 'content'>, rendererDir: string): ProtocolHandler {
  const csp = appContentSecurityPolicy(SITE_BASE_URL);
  return withGuards((request) => {
    const target = resolveProtocolRequest(request.url);
    const range = request.headers.get('range');
    switch (target.kind) {
      case 'content':
        return core.content.blob(target.sha256, range);
      case 'app':
        // The segments are already decoded and checked; re-encode them for staticResponse.
        return staticResponse(rendererDir, target.path.split('/').map(encodeURIComponent).join('/'), range, csp);
      case 'refused':
        return textResponse(400, `Refused: ${target.reason}`);
    }
  });
}

/** `pitchcase-site://site/<itemId>/<path>`: a microsite file, always under the site CSP. */
export function siteProtocolHandler(core: Pick<Core, 'content'>): ProtocolHandler {
  const csp = siteContentSecurityPolicy();
  return withGuards((request) => {
    const target = resolveSiteRequest(request.url);
    if (target.kind === 'refused') return textResponse(400, `Refused: ${target.reason}`);
    const response = core.content.site(target.itemId, target.path, request.headers.get('range'));
    return { ...response, headers: { ...response.headers, 'Content-Security-Policy': csp } };
  });
}

export function registerProtocols(
  protocol: Pick<Protocol, 'handle'>,
  core: Pick<Core, 'content'>,
  rendererDir: string,
): void {
  protocol.handle(APP_SCHEME, appProtocolHandler(core, rendererDir));
  protocol.handle(SITE_SCHEME, siteProtocolHandler(core));
}
