import { describe, expect, it } from 'vitest';
import { createClient } from '../../../main/shared/client';
import { PitchcaseError } from '../../../main/shared/result';
import { createHttpTransport } from '../../../renderer/api/http-transport';

interface Call {
  url: string;
  init: RequestInit | undefined;
}

function fakeFetch(respond: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const call = { url: String(input), init };
    calls.push(call);
    return respond(call);
  }) as typeof fetch;
  return { calls, fetchImpl };
}

class FakeEventSource {
  static last: FakeEventSource | null = null;
  onmessage: ((message: MessageEvent<string>) => void) | null = null;
  closed = false;
  constructor(readonly url: string | URL) {
    FakeEventSource.last = this;
  }
  close() {
    this.closed = true;
  }
  emit(data: string) {
    this.onmessage?.({ data } as MessageEvent<string>);
  }
}

describe('HTTP transport', () => {
  it('POSTs the argument as JSON to /api/<method> and unwraps the result', async () => {
    const { calls, fetchImpl } = fakeFetch(() => Response.json({ ok: true, value: { id: 'x', title: 'X' } }));
    const client = createClient(
      createHttpTransport({ baseUrl: 'http://127.0.0.1:4317/', fetch: fetchImpl, EventSource: undefined }),
    );
    await expect(client.getItem({ id: 'x' })).resolves.toEqual({ id: 'x', title: 'X' });
    expect(calls[0]?.url).toBe('http://127.0.0.1:4317/api/getItem');
    expect(calls[0]?.init?.method).toBe('POST');
    expect(new Headers(calls[0]?.init?.headers).get('content-type')).toBe('application/json');
    expect(calls[0]?.init?.body).toBe('{"id":"x"}');
  });

  it('re-throws an error result as a typed PitchcaseError', async () => {
    const { fetchImpl } = fakeFetch(() =>
      Response.json({ ok: false, error: { code: 'not-found', message: 'No such item' } }, { status: 200 }),
    );
    const client = createClient(
      createHttpTransport({ baseUrl: 'http://h/', fetch: fetchImpl, EventSource: undefined }),
    );
    const error = await client.getItem({ id: 'gone' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PitchcaseError);
    expect((error as PitchcaseError).code).toBe('not-found');
  });

  it('turns an unreachable host or a non-JSON answer into an error, not a hang', async () => {
    const offline = createClient(
      createHttpTransport({
        baseUrl: 'http://h/',
        fetch: (async () => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch,
        EventSource: undefined,
      }),
    );
    await expect(offline.getLibrary({})).rejects.toThrow(/not reachable/);
    const { fetchImpl } = fakeFetch(() => new Response('<html>oops</html>', { status: 502 }));
    const broken = createClient(
      createHttpTransport({ baseUrl: 'http://h/', fetch: fetchImpl, EventSource: undefined }),
    );
    await expect(broken.getLibrary({})).rejects.toThrow(/502/);
  });

  it('delivers server-sent events by name and ignores junk', () => {
    const transport = createHttpTransport({
      baseUrl: 'http://h/',
      fetch: fetch,
      EventSource: FakeEventSource as unknown as typeof EventSource,
    });
    const client = createClient(transport);
    const seen: unknown[] = [];
    const off = client.on('library.changed', (payload) => seen.push(payload));
    const source = FakeEventSource.last;
    expect(String(source?.url)).toBe('http://h/api/events');
    source?.emit('{"event":"library.changed","payload":{"version":4}}');
    source?.emit('not json');
    source?.emit('{"event":"nope","payload":{}}');
    source?.emit('{"event":"idle","payload":{"idleSeconds":5}}');
    expect(seen).toEqual([{ version: 4 }]);
    off();
  });
});
