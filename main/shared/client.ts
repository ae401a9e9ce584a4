/**
 * The client object the renderer talks to. It is transport-agnostic: the Electron preload and
 * the browser host's HTTP endpoint both provide `invoke` + `subscribe`, and results come back
 * as `Result` values that are re-thrown here as typed PitchcaseErrors.
 */
import { apiMethods, type ApiMethod, type EventName, type PitchcaseApi, type PitchcaseEvents } from './contract.ts';
import { unwrap } from './result.ts';

export interface Transport {
  invoke(method: ApiMethod, arg: unknown): Promise<unknown>;
  subscribe(listener: (event: EventName, payload: unknown) => void): () => void;
}

export type EventListener<E extends EventName> = (payload: PitchcaseEvents[E]) => void;

export type PitchcaseClient = PitchcaseApi & {
  on<E extends EventName>(event: E, listener: EventListener<E>): () => void;
};

export function createClient(transport: Transport): PitchcaseClient {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let unsubscribe: (() => void) | null = null;

  const ensureSubscribed = () => {
    unsubscribe ??= transport.subscribe((event, payload) => {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    });
  };

  const api = Object.fromEntries(
    apiMethods.map((method) => [method, async (arg: unknown) => unwrap(await transport.invoke(method, arg ?? {}))]),
  ) as unknown as PitchcaseApi;

  return {
    ...api,
    on(event, listener) {
      ensureSubscribed();
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const entry = listener as (payload: unknown) => void;
      set.add(entry);
      return () => {
        set.delete(entry);
      };
    },
  };
}
