import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import path from 'node:path';
import type { ContentResponse } from './response.ts';

export type ByteRange = { start: number; end: number };

/**
 * Parses a single `bytes=` range (what <video> and pdf.js send). Multi-range requests are
 * answered with the whole file, which RFC 9110 allows. `unsatisfiable` maps to 416.
 */
export function parseRange(header: string | null | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, startText = '', endText = ''] = match;
  if (startText === '' && endText === '') return null;
  let start: number;
  let end: number;
  if (startText === '') {
    const suffix = Number(endText);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(startText);
    end = endText === '' ? size - 1 : Math.min(Number(endText), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

export function textResponse(status: number, message: string): ContentResponse {
  return {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
    body: Readable.from([Buffer.from(message, 'utf8')]),
  };
}

/** Streams a file from disk with the given MIME type, honouring a Range header. */
export function fileResponse(
  filePath: string,
  mime: string,
  range: string | null | undefined,
  extraHeaders: Record<string, string> = {},
): ContentResponse {
  let size: number;
  try {
    const stat = statSync(filePath);
    if (!stat.isFile()) return textResponse(404, 'Not found');
    size = stat.size;
  } catch {
    return textResponse(404, 'Not found');
  }
  const headers: Record<string, string> = {
    'Content-Type': mime,
    'Accept-Ranges': 'bytes',
    'X-Content-Type-Options': 'nosniff',
    ...extraHeaders,
  };
  const parsed = parseRange(range, size);
  if (parsed === 'unsatisfiable') {
    return { status: 416, headers: { ...headers, 'Content-Range': `bytes */${size}` }, body: null };
  }
  if (parsed) {
    headers['Content-Range'] = `bytes ${parsed.start}-${parsed.end}/${size}`;
    headers['Content-Length'] = String(parsed.end - parsed.start + 1);
    return { status: 206, headers, body: createReadStream(filePath, { start: parsed.start, end: parsed.end }) };
  }
  headers['Content-Length'] = String(size);
  return { status: 200, headers, body: size === 0 ? null : createReadStream(filePath) };
}

const mimeByExtension: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.pfb': 'application/octet-stream',
  '.bcmap': 'application/octet-stream',
  '.wasm': 'application/wasm',
  '.pdf': 'application/pdf',
  '.webm': 'video/webm',
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.m4v': 'video/x-m4v',
  '.avi': 'video/x-msvideo',
  '.mkv': 'video/x-matroska',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.wav': 'audio/wav',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.bmp': 'image/bmp',
  '.heic': 'image/heic',
  '.heif': 'image/heif',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeForPath(filePath: string): string {
  return mimeByExtension[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a URL path onto a file under `rootDir`, or null when the path would leave it (`..`,
 * encoded separators, NUL, absolute or drive paths). Pure: it never touches the disk.
 */
export function resolveStaticPath(rootDir: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.' || /^[a-zA-Z]:/.test(s))) return null;
  const relative = segments.length === 0 ? 'index.html' : segments.join('/');
  const root = path.resolve(rootDir);
  const resolved = path.resolve(root, relative);
  if (resolved !== root && !resolved.startsWith(root + path.sep)) return null;
  return resolved;
}

/** Serves the app's own built UI (HTML gets the CSP; hashed assets are cacheable forever). */
export function staticResponse(
  rootDir: string,
  urlPath: string,
  range: string | null | undefined,
  csp: string,
): ContentResponse {
  const resolved = resolveStaticPath(rootDir, urlPath);
  if (!resolved) return textResponse(400, 'Refused: path outside the app');
  const mime = mimeForPath(resolved);
  const headers: Record<string, string> = {};
  if (mime.startsWith('text/html')) {
    headers['Content-Security-Policy'] = csp;
    headers['Cache-Control'] = 'no-cache';
  } else if (/\/assets\//.test(resolved.replaceAll(path.sep, '/'))) {
    headers['Cache-Control'] = 'public, max-age=31536000, immutable';
  }
  return fileResponse(resolved, mime, range, headers);
}
