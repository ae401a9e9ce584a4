import type { ContentResponse } from './response.ts';
import { fileResponse, textResponse } from './serve.ts';

/**
 * What the app's own origin may serve of a release, and how. Release files come from marketing
 * and are treated as hostile: on the app origin they would run with the whole API. So the app
 * origin serves only the files its viewers load as subresources (pdf.js fetches, <img>, <video>),
 * each under a CSP sandbox that gives a document opened or framed there an opaque origin and no
 * script; active formats are only ever downloads there, and a microsite's files (HTML, scripts,
 * SVG) come from the microsite origin under its own CSP, never from here.
 */

/** The roles of files the app's viewers show; `site` and `text` (search only) are not among them. */
const viewerRoles: ReadonlySet<string> = new Set(['primary', 'thumbnail', 'page-thumbnail', 'poster']);

/** Formats a browser shows without running anything of the file's. */
const inertTypes: ReadonlySet<string> = new Set([
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'video/mp4',
  'video/webm',
  'video/ogg',
  'video/quicktime',
]);

/**
 * SVG can carry script. An <img> never runs it (and ignores Content-Disposition), so the viewers
 * keep it under its own type; opened or framed on its own, it is a download.
 */
const imageOnlyTypes: ReadonlySet<string> = new Set(['image/svg+xml']);

/** Every release file's headers on the app origin. */
export const APP_ORIGIN_CONTENT_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "sandbox; default-src 'none'; script-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  // Only the app's own pages embed its content; other sites' pages cannot load it as a subresource.
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'private, max-age=31536000, immutable',
};

/** How one release file appears in the current library (a blob may back several files). */
export interface BlobUse {
  role: string;
  mime: string;
}

export type AppOriginServing =
  { serve: true; contentType: string; disposition: 'inline' | 'attachment' } | { serve: false; reason: string };

function baseType(mime: string): string {
  return (mime.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * The decision for one blob, from every way the current library uses it: served when one of its
 * uses is a viewer's file; inline when that use's format is inert; an SVG keeps its type as a
 * download; anything else is a download of plain bytes.
 */
export function appOriginServing(uses: readonly BlobUse[]): AppOriginServing {
  const shown = uses.filter((use) => viewerRoles.has(use.role));
  if (shown.length === 0) {
    return {
      serve: false,
      reason:
        uses.length === 0
          ? 'Not in the current library'
          : 'Not served by the app: microsite files come from the microsite origin',
    };
  }
  const inert = shown.find((use) => inertTypes.has(baseType(use.mime)));
  if (inert) return { serve: true, contentType: baseType(inert.mime), disposition: 'inline' };
  const image = shown.find((use) => imageOnlyTypes.has(baseType(use.mime)));
  if (image) return { serve: true, contentType: baseType(image.mime), disposition: 'attachment' };
  return { serve: true, contentType: 'application/octet-stream', disposition: 'attachment' };
}

/** `/content/<sha256>` on the app origin, in both shells. */
export function appOriginBlob(
  uses: readonly BlobUse[],
  filePath: string,
  range: string | null | undefined,
): ContentResponse {
  const decision = appOriginServing(uses);
  if (!decision.serve) return textResponse(404, decision.reason);
  return fileResponse(filePath, decision.contentType, range, {
    ...APP_ORIGIN_CONTENT_HEADERS,
    ...(decision.disposition === 'attachment' ? { 'Content-Disposition': 'attachment' } : {}),
  });
}
