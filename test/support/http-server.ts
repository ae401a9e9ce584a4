import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';

/**
 * A static release server on 127.0.0.1 for tests and the sync benchmark: serves a release
 * folder (channel.json, channel.json.sig, blobs/<sha256>) with Content-Length and byte ranges,
 * and lets a test misbehave per request through `fault`. Every request is logged with the
 * bytes of body actually handed to the socket, so a test can tell what the client fetched.
 */

export interface Fault {
  /** Answer this status with a short text body instead of the file (503, 404, …). */
  status?: number;
  /** Wait this long before sending the headers. */
  delayHeadersMs?: number;
  /** Send this many body bytes, then keep the connection open and send nothing more. */
  stallAfterBytes?: number;
  /** Send this many body bytes, then destroy the connection. */
  cutAfterBytes?: number;
  /** Append this many extra bytes (Content-Length counts them: the server is honest about the bigger file). */
  extraBytes?: number;
  /** After the file, keep sending bytes (chunked, no Content-Length) until the client goes away. */
  endless?: boolean;
  /** Answer 200 with the whole file even when a Range was asked. */
  ignoreRange?: boolean;
  /**
   * Answer 200 without Content-Length or chunking ("Connection: close", the body ends when the
   * connection does, as HTTP/1.0 servers and some proxies do), and end cleanly after this many bytes.
   */
  closeDelimitedAfterBytes?: number;
  /** Flip the last byte of the body. */
  corrupt?: boolean;
  /** Send the body no faster than this (as nginx's limit_rate does), chunk by chunk. */
  bytesPerSecond?: number;
}

export interface RecordedRequest {
  /** 1-based, in arrival order. */
  seq: number;
  method: string;
  /** Path relative to the release root, e.g. `channel.json` or `blobs/<sha>`. */
  path: string;
  range: string | null;
  status: number;
  /** Body bytes written to the socket so far (final once `done`). */
  bytesSent: number;
  /** `performance.now()` when the request arrived. */
  at: number;
  done: boolean;
}

/** Decides a fault for a request; `nth` counts earlier requests for the same path (1 = first). */
export type FaultHook = (request: { path: string; range: string | null; nth: number }) => Fault | undefined | null;

export interface ReleaseServer {
  /** `http://127.0.0.1:PORT/` (with a trailing slash, as a channel URL). */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Serve another folder from now on. */
  setRoot(dir: string): void;
  setFault(hook: FaultHook | null): void;
  /** Forget the request log (the next request still gets the next `seq`). */
  clearLog(): void;
  /** Body bytes sent for requests whose path starts with `prefix` (all when omitted). */
  bytesSent(prefix?: string): number;
  /** Resolves once a logged request satisfies `predicate` (checked on each request event). */
  waitFor(predicate: (requests: readonly RecordedRequest[]) => boolean): Promise<void>;
  stop(): Promise<void>;
}

const CHUNK = 64 * 1024;

export async function startReleaseServer(root: string, options: { fault?: FaultHook } = {}): Promise<ReleaseServer> {
  let dir = path.resolve(root);
  let hook: FaultHook | null = options.fault ?? null;
  const requests: RecordedRequest[] = [];
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();
  const waiters: { predicate: (r: readonly RecordedRequest[]) => boolean; resolve(): void }[] = [];
  let seq = 0;

  const notify = () => {
    for (const waiter of [...waiters]) {
      if (waiter.predicate(requests)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const rel = decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const range = typeof req.headers.range === 'string' ? req.headers.range : null;
    const nth = (counts.get(rel) ?? 0) + 1;
    counts.set(rel, nth);
    const record: RecordedRequest = {
      seq: ++seq,
      method: req.method ?? 'GET',
      path: rel,
      range,
      status: 0,
      bytesSent: 0,
      at: performance.now(),
      done: false,
    };
    requests.push(record);
    const finish = () => {
      if (record.done) return;
      record.done = true;
      notify();
    };
    res.on('close', finish);
    notify();

    const fault = hook?.({ path: rel, range, nth }) ?? {};
    if (fault.delayHeadersMs) {
      await new Promise((resolve) => setTimeout(resolve, fault.delayHeadersMs));
      if (res.destroyed) return;
    }
    if (fault.status) {
      record.status = fault.status;
      res.writeHead(fault.status, { 'Content-Type': 'text/plain' }).end(`fault ${fault.status}\n`);
      return;
    }

    const file = path.resolve(dir, rel);
    let size: number;
    try {
      if (!file.startsWith(dir + path.sep)) throw new Error('outside');
      const stat = statSync(file);
      if (!stat.isFile()) throw new Error('not a file');
      size = stat.size;
    } catch {
      record.status = 404;
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }

    if (fault.closeDelimitedAfterBytes !== undefined && res.socket) {
      const socket = res.socket;
      const body = readFileSync(file).subarray(0, fault.closeDelimitedAfterBytes);
      record.status = 200;
      record.bytesSent = body.length;
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n');
      socket.end(body);
      return;
    }

    let start = 0;
    let end = size - 1;
    let status = 200;
    if (range && !fault.ignoreRange) {
      const match = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
      if (match && (match[1] !== '' || match[2] !== '')) {
        if (match[1] === '') {
          start = Math.max(0, size - Number(match[2]));
        } else {
          start = Number(match[1]);
          if (match[2] !== '') end = Math.min(end, Number(match[2]));
        }
        if (start >= size || start > end) {
          record.status = 416;
          res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
          return;
        }
        status = 206;
      }
    }
    const length = end - start + 1;
    const extra = fault.extraBytes ?? 0;
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/octet-stream',
      'Accept-Ranges': 'bytes',
      'Last-Modified': new Date(statSync(file).mtimeMs).toUTCString(),
    };
    if (!fault.endless) headers['Content-Length'] = length + extra;
    if (status === 206) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
    record.status = status;
    res.writeHead(status, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }

    // Written chunk by chunk with back-pressure, so `bytesSent` is what really left.
    const limit = fault.cutAfterBytes ?? fault.stallAfterBytes ?? Infinity;
    const write = (chunk: Buffer): Promise<boolean> =>
      new Promise((resolve) => {
        if (res.destroyed) return resolve(false);
        record.bytesSent += chunk.length;
        if (res.write(chunk)) return resolve(true);
        const onDrain = () => {
          res.off('close', onClose);
          resolve(true);
        };
        const onClose = () => {
          res.off('drain', onDrain);
          resolve(false);
        };
        res.once('drain', onDrain);
        res.once('close', onClose);
      });
    const stopAtLimit = (): boolean => {
      if (record.bytesSent < limit) return false;
      if (fault.cutAfterBytes !== undefined) res.socket?.destroy();
      // A stall: leave the response open; stop() or the client ends it.
      return true;
    };
    const body = createReadStream(file, { start, end, highWaterMark: CHUNK });
    res.on('close', () => body.destroy());
    let sent = 0;
    for await (const piece of body as AsyncIterable<Buffer>) {
      let chunk = piece;
      sent += chunk.length;
      if (fault.corrupt && sent === length) {
        chunk = Buffer.from(chunk);
        chunk[chunk.length - 1] = chunk[chunk.length - 1]! ^ 0xff;
      }
      if (record.bytesSent + chunk.length > limit) chunk = chunk.subarray(0, limit - record.bytesSent);
      if (!(await write(chunk))) return;
      if (stopAtLimit()) return;
      if (fault.bytesPerSecond)
        await new Promise((resolve) => setTimeout(resolve, (chunk.length / fault.bytesPerSecond!) * 1000));
    }
    let more = fault.endless ? Infinity : extra;
    const filler = Buffer.alloc(CHUNK, 0x41);
    while (more > 0) {
      let chunk = more < CHUNK ? filler.subarray(0, more) : filler;
      if (record.bytesSent + chunk.length > limit) chunk = chunk.subarray(0, limit - record.bytesSent);
      if (!(await write(chunk))) return;
      more -= chunk.length;
      if (stopAtLimit()) return;
    }
    res.end();
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    setRoot(next) {
      dir = path.resolve(next);
    },
    setFault(next) {
      hook = next;
    },
    clearLog() {
      requests.length = 0;
      counts.clear();
    },
    bytesSent(prefix = '') {
      return requests.filter((r) => r.path.startsWith(prefix)).reduce((n, r) => n + r.bytesSent, 0);
    },
    waitFor(predicate) {
      if (predicate(requests)) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await closed;
    },
  };
}
