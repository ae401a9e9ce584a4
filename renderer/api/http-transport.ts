/**
 * The browser host's side of the contract: `POST /api/<method>` answers a JSON Result, and
 * `GET /api/events` is a server-sent event stream of `{ event, payload }` messages.
 * Dependencies are passed in so tests can drive it without a browser.
 */
import type { Transport } from '#shared/client';
import { isEventName, type ApiMethod } from '#shared/contract';
import type { Result } from '#shared/result';

export interface HttpTransportOptions {
  baseUrl: string;
  fetch: typeof fetch;
  EventSource: typeof EventSource | undefined;
}

function failure(message: string): Result<never> {
  return { ok: false, error: { code: 'internal', message } };
}

export function createHttpTransport(options: HttpTransportOptions): Transport {
  const { baseUrl, fetch: doFetch } = options;

  return {
    async invoke(method: ApiMethod, arg: unknown) {
      let response: Response;
      try {
        response = await doFetch(new URL(`/api/${method}`, baseUrl), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(arg ?? {}),
        });
      } catch {
        return failure('The Pitchcase host is not reachable. Is it still running?');
      }
      try {
        return (await response.json()) as unknown;
      } catch {
        return failure(`The Pitchcase host answered ${response.status} without a result`);
      }
    },

    subscribe(listener) {
      const Source = options.EventSource;
      if (!Source) return () => {};
      const source = new Source(new URL('/api/events', baseUrl));
      source.onmessage = (message: MessageEvent<string>) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(message.data);
        } catch {
          return;
        }
        if (typeof parsed !== 'object' || parsed === null) return;
        const { event, payload } = parsed as { event?: unknown; payload?: unknown };
        if (isEventName(event)) listener(event, payload);
      };
      return () => source.close();
    },
  };
}
