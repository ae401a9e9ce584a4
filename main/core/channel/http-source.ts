import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { MANIFEST_MAX_BYTES, sha256Pattern } from '#shared/manifest';
import { PitchcaseError } from '#shared/result';
import type { ReleaseSource } from './source.ts';

/**
 * A failure worth retrying: the network went away, the server hiccuped (5xx, 408, 429) or
 * stopped sending. Anything else (404, a refused release) is final.
 */
export class TransientError extends Error {
  override readonly name = 'TransientError';
}

export interface ResumableSource extends ReleaseSource {
  /**
   * The blob from `offset` on; `offset` in the answer says where the bytes really start.
   * `signal` drops a request still waiting for its answer.
   */
  openBlobFrom(sha256: string, offset: number, signal?: AbortSignal): Promise<{ stream: Readable; offset: number }>;
}

export interface HttpSourceOptions {
  /** No byte for this long ends a request (a stalled server, a dead Wi-Fi). */
  idleTimeoutMs?: number;
}

/** Redirects followed per request (3xx with a Location), as browsers and fetch do, but fewer. */
export const MAX_REDIRECTS = 5;

const transientStatus = (status: number) => status >= 500 || status === 408 || status === 429;
const redirectStatus = (status: number) =>
  status === 301 || status === 302 || status === 303 || status === 307 || status === 308;

/**
 * Keep-alive connections shared by every source (what fetch's global dispatcher did): a sync
 * opens `concurrency` of them and reuses them from blob to blob. Idle sockets are unreferenced,
 * so they never keep the process alive, and closed after a few seconds.
 */
const httpAgent = new http.Agent({ keepAlive: true, timeout: 4_000, scheduling: 'lifo' });
const httpsAgent = new https.Agent({ keepAlive: true, timeout: 4_000, scheduling: 'lifo' });

/**
 * One GET with node:http(s): the body comes as Node Buffers straight off the socket (no web
 * stream in between, which cost a third of the sync's throughput). The answer's headers must
 * come within `idle`, and after them no `idle` may pass without a byte of body: either fails
 * with a TransientError (the body stream errors with it). Redirects are followed up to
 * MAX_REDIRECTS times, to the same scheme or from http to https only.
 */
function get(
  url: URL,
  headers: Record<string, string>,
  idle: number,
  redirects = MAX_REDIRECTS,
  signal?: AbortSignal,
): Promise<IncomingMessage> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(new PitchcaseError('refused', `Release refused: ${url.href} is not an http(s) URL`));
  }
  const seconds = Math.round(idle / 1000);
  return new Promise<IncomingMessage>((resolve, reject) => {
    let response: IncomingMessage | null = null;
    const secure = url.protocol === 'https:';
    const request = (secure ? https : http).get(url, {
      agent: secure ? httpsAgent : httpAgent,
      // Bytes as stored: a blob is hashed as served, and Range counts stored bytes.
      headers: { 'Cache-Control': 'no-cache', 'Accept-Encoding': 'identity', ...headers },
      ...(signal ? { signal } : {}),
    });
    // Socket inactivity: no answer, or no body byte, for `idle` (the timer re-arms on every read).
    request.setTimeout(idle, () => {
      if (response) response.destroy(new TransientError(`${url.href}: no data for ${seconds} s`));
      else request.destroy(new TransientError(`${url.href}: no answer for ${seconds} s`));
    });
    request.on('error', (error) => {
      if (response) return; // the body stream reports it
      reject(
        error instanceof PitchcaseError || error instanceof TransientError
          ? error
          : new TransientError(`${url.href}: ${error.message}`, { cause: error }),
      );
    });
    request.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (redirectStatus(status) && res.headers.location) {
        res.resume();
        request.setTimeout(0);
        let next: URL;
        try {
          next = new URL(res.headers.location, url);
        } catch {
          reject(new PitchcaseError('refused', `Release refused: ${url.href} redirects to a bad URL`));
          return;
        }
        if (redirects <= 0) {
          reject(
            new PitchcaseError('refused', `Release refused: ${url.href} redirects more than ${MAX_REDIRECTS} times`),
          );
        } else if (next.protocol !== url.protocol && !(url.protocol === 'http:' && next.protocol === 'https:')) {
          reject(
            new PitchcaseError(
              'refused',
              `Release refused: ${url.href} redirects to ${next.protocol} (only to the same scheme or from http to https)`,
            ),
          );
        } else {
          get(next, headers, idle, redirects - 1, signal).then(resolve, reject);
        }
        return;
      }
      if (transientStatus(status)) {
        res.resume();
        reject(new TransientError(`${url.href}: HTTP ${status}`));
        return;
      }
      const encoding = res.headers['content-encoding'];
      if (encoding && encoding !== 'identity') {
        res.destroy();
        reject(
          new PitchcaseError(
            'refused',
            `Release refused: ${url.href} was sent with Content-Encoding ${encoding}, not the stored bytes`,
          ),
        );
        return;
      }
      response = res;
      // Until the caller listens: an early reset must not crash the process (callers see it too).
      res.on('error', () => {});
      resolve(res);
    });
  });
}

/** Ends a response we will not read, and its connection (a refused body is not drained). */
const discard = (res: IncomingMessage) => res.destroy();

/** Network failures while reading a body are worth retrying; refusals are not. */
const transient = (error: unknown, what: string) =>
  error instanceof PitchcaseError || error instanceof TransientError
    ? error
    : new TransientError(`${what}: ${(error as Error).message}`, { cause: error });

export function httpSource(baseUrl: string, options: HttpSourceOptions = {}): ResumableSource {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const idle = options.idleTimeoutMs ?? 30_000;
  const open = (path: string, headers: Record<string, string> = {}, signal?: AbortSignal) =>
    get(new URL(path, base), headers, idle, MAX_REDIRECTS, signal);

  async function readLimited(path: string, max: number, what: string): Promise<Buffer> {
    const res = await open(path);
    if (res.statusCode === 404) {
      discard(res);
      throw new PitchcaseError('not-found', `No release at ${base} (${what}: HTTP 404)`);
    }
    if (res.statusCode !== 200) {
      discard(res);
      throw new PitchcaseError('refused', `Release refused: ${what} answered HTTP ${res.statusCode}`);
    }
    const declared = Number(res.headers['content-length'] ?? NaN);
    if (declared > max) {
      discard(res);
      throw new PitchcaseError(
        'refused',
        `Release refused: ${what} is ${declared} bytes, more than the ${max} allowed`,
      );
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of res as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > max) {
          discard(res);
          throw new PitchcaseError('refused', `Release refused: ${what} is more than the ${max} bytes allowed`);
        }
        chunks.push(chunk);
      }
    } catch (error) {
      throw transient(error, what);
    }
    // A body cut short ends "cleanly" when it had no length (close-delimited): still a failure.
    if (declared >= 0 && size !== declared)
      throw new TransientError(`${what}: connection ended at ${size} of ${declared} bytes`);
    return Buffer.concat(chunks);
  }

  async function openBlobFrom(
    sha256: string,
    offset: number,
    signal?: AbortSignal,
  ): Promise<{ stream: Readable; offset: number }> {
    if (!sha256Pattern.test(sha256))
      throw new PitchcaseError('refused', `Release refused: bad blob name ${sha256.slice(0, 80)}`);
    const res = await open(`blobs/${sha256}`, offset > 0 ? { Range: `bytes=${offset}-` } : {}, signal);
    let start: number;
    if (res.statusCode === 206) {
      const match = /^bytes (\d+)-/.exec(res.headers['content-range'] ?? '');
      start = match ? Number(match[1]) : -1;
      if (start !== offset) {
        discard(res);
        throw new TransientError(`blob ${sha256}: the server answered a different range`);
      }
    } else if (res.statusCode === 200) {
      start = 0;
    } else if (res.statusCode === 416) {
      // Our partial file is longer than the server's: start over.
      discard(res);
      return openBlobFrom(sha256, 0, signal);
    } else if (res.statusCode === 404) {
      discard(res);
      throw new PitchcaseError('refused', `Release refused: blob ${sha256} is missing on the server (HTTP 404)`);
    } else {
      discard(res);
      throw new PitchcaseError('refused', `Release refused: blob ${sha256} answered HTTP ${res.statusCode}`);
    }
    return { stream: res, offset: start };
  }

  return {
    description: base,
    async readManifest() {
      const bytes = await readLimited('channel.json', MANIFEST_MAX_BYTES, 'channel.json');
      const signature = (await readLimited('channel.json.sig', 4096, 'channel.json.sig')).toString('utf8');
      return { bytes, signature };
    },
    async openBlob(sha256) {
      return (await openBlobFrom(sha256, 0)).stream;
    },
    openBlobFrom,
  };
}
