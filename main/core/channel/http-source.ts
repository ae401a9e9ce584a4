import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
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
  /** The blob from `offset` on; `offset` in the answer says where the bytes really start. */
  openBlobFrom(sha256: string, offset: number): Promise<{ stream: Readable; offset: number }>;
}

export interface HttpSourceOptions {
  /** No byte for this long ends a request (a stalled server, a dead Wi-Fi). */
  idleTimeoutMs?: number;
  fetchImpl?: typeof fetch;
}

const transientStatus = (status: number) => status >= 500 || status === 408 || status === 429;

/** A stream that fails with a TransientError when no data arrived for `ms`. */
function withIdleTimeout(source: Readable, ms: number, what: string): Readable {
  let timer: NodeJS.Timeout | null = null;
  const guard = new Transform({
    transform(chunk, _encoding, callback) {
      arm();
      callback(null, chunk);
    },
    flush(callback) {
      if (timer) clearTimeout(timer);
      callback();
    },
    destroy(error, callback) {
      if (timer) clearTimeout(timer);
      source.destroy();
      callback(error);
    },
  });
  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => guard.destroy(new TransientError(`${what}: no data for ${Math.round(ms / 1000)} s`)), ms);
  };
  arm();
  source.on('error', (error) => guard.destroy(error instanceof PitchcaseError ? error : new TransientError(`${what}: ${error.message}`)));
  source.pipe(guard);
  return guard;
}

export function httpSource(baseUrl: string, options: HttpSourceOptions = {}): ResumableSource {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const doFetch = options.fetchImpl ?? fetch;
  const idle = options.idleTimeoutMs ?? 30_000;

  async function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const url = new URL(path, base);
    const controller = new AbortController();
    // Headers must arrive within the idle timeout too.
    const timer = setTimeout(() => controller.abort(), idle);
    let response: Response;
    try {
      response = await doFetch(url, { headers: { 'Cache-Control': 'no-cache', ...headers }, signal: controller.signal, redirect: 'follow' });
    } catch (error) {
      throw new TransientError(`${url.href}: ${controller.signal.aborted ? `no answer for ${Math.round(idle / 1000)} s` : ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
    if (transientStatus(response.status)) {
      await response.body?.cancel();
      throw new TransientError(`${url.href}: HTTP ${response.status}`);
    }
    return response;
  }

  async function readLimited(path: string, max: number, what: string): Promise<Buffer> {
    const response = await get(path);
    if (response.status === 404) {
      await response.body?.cancel();
      throw new PitchcaseError('not-found', `No release at ${base} (${what}: HTTP 404)`);
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new PitchcaseError('refused', `Release refused: ${what} answered HTTP ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > max) {
      await response.body?.cancel();
      throw new PitchcaseError('refused', `Release refused: ${what} is ${declared} bytes, more than the ${max} allowed`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const body = withIdleTimeout(Readable.fromWeb(response.body as WebReadableStream), idle, what);
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > max) {
        body.destroy();
        throw new PitchcaseError('refused', `Release refused: ${what} is more than the ${max} bytes allowed`);
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }

  async function openBlobFrom(sha256: string, offset: number): Promise<{ stream: Readable; offset: number }> {
    if (!sha256Pattern.test(sha256)) throw new PitchcaseError('refused', `Release refused: bad blob name ${sha256.slice(0, 80)}`);
    const response = await get(`blobs/${sha256}`, offset > 0 ? { Range: `bytes=${offset}-` } : {});
    if (response.status === 404) {
      await response.body?.cancel();
      throw new PitchcaseError('refused', `Release refused: blob ${sha256} is missing on the server (HTTP 404)`);
    }
    let start: number;
    if (response.status === 206) {
      const match = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '');
      start = match ? Number(match[1]) : -1;
      if (start !== offset) {
        await response.body?.cancel();
        throw new TransientError(`blob ${sha256}: the server answered a different range`);
      }
    } else if (response.status === 200) {
      start = 0;
    } else if (response.status === 416) {
      // Our partial file is longer than the server's: start over.
      await response.body?.cancel();
      return openBlobFrom(sha256, 0);
    } else {
      await response.body?.cancel();
      throw new PitchcaseError('refused', `Release refused: blob ${sha256} answered HTTP ${response.status}`);
    }
    if (!response.body) throw new TransientError(`blob ${sha256}: empty response`);
    return { stream: withIdleTimeout(Readable.fromWeb(response.body as WebReadableStream), idle, `blob ${sha256}`), offset: start };
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
