import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { route, type RawResponse, type Routes } from '../context.ts';
import { channelId } from '../library/routes.ts';
import { channelDir } from '../releases/publish.ts';

const notFound = (): RawResponse => ({
  raw: true,
  status: 404,
  headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  body: Buffer.from('Not found\n'),
});

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` (one range); null when absent, 'bad' when unsatisfiable. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'bad' {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return 'bad';
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'bad';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) return 'bad';
  return { start, end };
}

function etagMatches(request: IncomingMessage, etag: string): boolean {
  const header = request.headers['if-none-match'];
  return header !== undefined && header.split(',').some((t) => t.trim() === etag || t.trim() === '*');
}

/**
 * The channel as devices read it: channel.json and its signature (revalidated every time, so a
 * new release is seen at once) and blobs/<sha256> (named by content, so cached forever). Blobs
 * go out as opaque downloads under a sandbox CSP: a microsite's HTML in the release never runs
 * as a page of Studio's origin.
 */
export const hostingRoutes: Routes = {
  'hosting.file': route({
    method: 'GET',
    path: '/channels/:channel/*',
    args: z.object({ channel: channelId, rest: z.string().max(200) }).strict(),
    async run(ctx, _caller, args, request): Promise<RawResponse> {
      const dir = channelDir(ctx.dataDir, args.channel);
      if (args.rest === 'channel.json' || args.rest === 'channel.json.sig') {
        const bytes = await readFile(path.join(dir, args.rest)).catch(() => null);
        if (!bytes) return notFound();
        const etag = `"${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}"`;
        const headers = {
          'Content-Type': args.rest === 'channel.json' ? 'application/json' : 'text/plain; charset=utf-8',
          'Cache-Control': 'no-cache',
          ETag: etag,
          'Access-Control-Allow-Origin': '*',
        };
        if (etagMatches(request, etag)) return { raw: true, status: 304, headers, body: null };
        return { raw: true, status: 200, headers: { ...headers, 'Content-Length': String(bytes.length) }, body: bytes };
      }
      const blob = /^blobs\/([0-9a-f]{64})$/.exec(args.rest);
      if (!blob) return notFound();
      const file = path.join(dir, 'blobs', blob[1]!);
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) return notFound();
      const etag = `"${blob[1]}"`;
      const headers: Record<string, string> = {
        'Content-Type': 'application/octet-stream',
        'Content-Disposition': 'attachment',
        'Cache-Control': 'public, max-age=31536000, immutable',
        ETag: etag,
        'Accept-Ranges': 'bytes',
        'Content-Security-Policy': "sandbox; default-src 'none'",
        'Access-Control-Allow-Origin': '*',
      };
      if (etagMatches(request, etag)) return { raw: true, status: 304, headers, body: null };
      const range = parseRange(request.headers.range, info.size);
      if (range === 'bad')
        return { raw: true, status: 416, headers: { ...headers, 'Content-Range': `bytes */${info.size}` }, body: null };
      if (range) {
        return {
          raw: true,
          status: 206,
          headers: {
            ...headers,
            'Content-Range': `bytes ${range.start}-${range.end}/${info.size}`,
            'Content-Length': String(range.end - range.start + 1),
          },
          body: request.method === 'HEAD' ? null : createReadStream(file, { start: range.start, end: range.end }),
        };
      }
      return {
        raw: true,
        status: 200,
        headers: { ...headers, 'Content-Length': String(info.size) },
        body: request.method === 'HEAD' ? null : createReadStream(file),
      };
    },
  }),
};
