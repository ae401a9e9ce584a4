import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpSource, TransientError } from '#core/channel/http-source';
import { PitchcaseError } from '#shared/result';

/** httpSource on node:http: redirects (how many, to where), and the body as Node Buffers. */
const body = Buffer.from('the AquaCore 500 brochure, as stored');
const sha = createHash('sha256').update(body).digest('hex');
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const hops = /^\/hop\/(\d+)\/(.*)$/.exec(url.pathname);
    if (hops) {
      const n = Number(hops[1]);
      res.writeHead(302, { Location: n > 1 ? `/hop/${n - 1}/${hops[2]}` : `/${hops[2]}` }).end();
      return;
    }
    if (url.pathname.startsWith('/to-file/')) return void res.writeHead(301, { Location: 'file:///etc/passwd' }).end();
    if (url.pathname.startsWith('/to-https/'))
      return void res.writeHead(307, { Location: `https://127.0.0.1:1/${url.pathname.slice(10)}` }).end();
    if (url.pathname === `/blobs/${sha}`) {
      const range = /^bytes=(\d+)-$/.exec(String(req.headers.range ?? ''));
      const start = range ? Number(range[1]) : 0;
      res.writeHead(range ? 206 : 200, {
        'Content-Length': body.length - start,
        ...(range ? { 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
      });
      res.end(body.subarray(start));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const read = async (stream: NodeJS.ReadableStream) => {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
};

describe('httpSource over node:http', () => {
  it('streams a blob as Node Buffers, and a range of it', async () => {
    const source = httpSource(base);
    expect(await read(await source.openBlob(sha))).toEqual(body);
    const part = await source.openBlobFrom(sha, 10);
    expect(part.offset).toBe(10);
    expect(await read(part.stream)).toEqual(body.subarray(10));
  });

  it('follows up to 5 redirects, keeping the Range', async () => {
    const part = await httpSource(`${base}hop/5/`).openBlobFrom(sha, 4);
    expect(part.offset).toBe(4);
    expect(await read(part.stream)).toEqual(body.subarray(4));
  });

  it('refuses a 6th redirect, and redirects to another scheme than http(s)', async () => {
    await expect(httpSource(`${base}hop/6/`).openBlob(sha)).rejects.toThrow(PitchcaseError);
    await expect(httpSource(`${base}hop/6/`).openBlob(sha)).rejects.toThrow(/redirects more than 5 times/);
    await expect(httpSource(`${base}to-file/`).openBlob(sha)).rejects.toThrow(
      /only to the same scheme or from http to https/,
    );
  });

  it('follows http to https (here to a closed port: a transient failure, not a refusal)', async () => {
    await expect(httpSource(`${base}to-https/`).openBlob(sha)).rejects.toThrow(TransientError);
  });
});
