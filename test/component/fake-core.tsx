/**
 * A fake core for component tests: the real client (createClient) over a transport whose
 * methods are plain functions a test sets, so screens run exactly as against the host, and a
 * test can fail a call, hold it, or emit an event.
 */
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { createClient, type PitchcaseClient } from '#shared/client';
import type { ApiArg, ApiMethod, ApiReturn, EventName, PitchcaseEvents } from '#shared/contract';
import { fail, ok, PitchcaseError } from '#shared/result';
import { ClientProvider } from '../../renderer/data/ClientProvider';

export type Answer<M extends ApiMethod> = (arg: ApiArg<M>) => ApiReturn<M> | Promise<ApiReturn<M>>;

export class FakeCore {
  private readonly answers = new Map<ApiMethod, (arg: unknown) => unknown>();
  private readonly listeners = new Set<(event: EventName, payload: unknown) => void>();
  readonly calls: { method: ApiMethod; arg: unknown }[] = [];

  readonly client: PitchcaseClient = createClient({
    invoke: async (method, arg) => {
      this.calls.push({ method, arg });
      const answer = this.answers.get(method);
      if (!answer) return fail(new PitchcaseError('unknown-method', `${method} is not answered by this test`));
      try {
        return ok(await answer(arg));
      } catch (error) {
        return fail(error);
      }
    },
    subscribe: (listener) => {
      this.listeners.add(listener);
      return () => this.listeners.delete(listener);
    },
  });

  answer<M extends ApiMethod>(method: M, answer: Answer<M>): this {
    this.answers.set(method, answer as (arg: unknown) => unknown);
    return this;
  }

  /** The method fails the way the core reports a failure. */
  refuse(method: ApiMethod, message: string, code: PitchcaseError['code'] = 'storage'): this {
    this.answers.set(method, () => {
      throw new PitchcaseError(code, message);
    });
    return this;
  }

  emit<E extends EventName>(event: E, payload: PitchcaseEvents[E]): void {
    for (const listener of this.listeners) listener(event, payload);
  }

  callsTo(method: ApiMethod): unknown[] {
    return this.calls.filter((call) => call.method === method).map((call) => call.arg);
  }
}

/** Renders inside the provider, which stays around `rerender` too. */
export function renderWith(core: FakeCore, ui: ReactElement): RenderResult {
  return render(ui, { wrapper: ({ children }) => <ClientProvider client={core.client}>{children}</ClientProvider> });
}
