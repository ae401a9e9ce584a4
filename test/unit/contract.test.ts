import { describe, expect, expectTypeOf, it } from 'vitest';
import { createClient, type Transport } from '#shared/client';
import { apiArgSchemas } from '#shared/contract-args';
import type { eventNames } from '#shared/contract';
import {
  apiMethods,
  isApiMethod,
  type ApiMethod,
  type EventName,
  type PitchcaseApi,
  type PitchcaseEvents,
} from '#shared/contract';
import { fail, ok, PitchcaseError, unwrap } from '#shared/result';

describe('the contract', () => {
  it('lists exactly the methods of the interface, each with an argument schema', () => {
    expectTypeOf<(typeof apiMethods)[number]>().toEqualTypeOf<keyof PitchcaseApi>();
    expectTypeOf<(typeof eventNames)[number]>().toEqualTypeOf<keyof PitchcaseEvents>();
    expect(Object.keys(apiArgSchemas).sort()).toEqual([...apiMethods].sort());
    expect(new Set(apiMethods).size).toBe(apiMethods.length);
  });

  it('recognises only contract method names', () => {
    expect(isApiMethod('getLibrary')).toBe(true);
    for (const name of ['constructor', '__proto__', 'toString', 'getlibrary', '', 42])
      expect(isApiMethod(name)).toBe(false);
  });
});

describe('the client', () => {
  function fakeTransport(reply: (method: ApiMethod, arg: unknown) => unknown) {
    const calls: [ApiMethod, unknown][] = [];
    let listener: ((event: EventName, payload: unknown) => void) | null = null;
    const transport: Transport = {
      async invoke(method, arg) {
        calls.push([method, arg]);
        return reply(method, arg);
      },
      subscribe(l) {
        listener = l;
        return () => (listener = null);
      },
    };
    return { transport, calls, emit: (e: EventName, p: unknown) => listener?.(e, p) };
  }

  it('calls every contract method through the transport and unwraps the Result', async () => {
    const { transport, calls } = fakeTransport((method) => ok({ from: method }));
    const client = createClient(transport);
    for (const method of apiMethods) expect(typeof client[method]).toBe('function');
    await expect(client.getItem({ id: 'x' })).resolves.toEqual({ from: 'getItem' });
    expect(calls).toEqual([['getItem', { id: 'x' }]]);
  });

  it('re-throws failures as typed PitchcaseErrors', async () => {
    const { transport } = fakeTransport(() => fail(new PitchcaseError('not-found', 'No item "x"')));
    const error = await createClient(transport)
      .getItem({ id: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PitchcaseError);
    expect(error).toMatchObject({ code: 'not-found', message: 'No item "x"' });
  });

  it('turns a malformed reply into an internal error instead of undefined data', () => {
    expect(() => unwrap(undefined)).toThrow(PitchcaseError);
    expect(() => unwrap({ ok: false, error: { code: 'made-up', message: 'm' } })).toThrow(
      expect.objectContaining({ code: 'internal' }),
    );
  });

  it('delivers events to the listeners of that event only, until unsubscribed', () => {
    const { transport, emit } = fakeTransport(() => ok(null));
    const client = createClient(transport);
    const seen: unknown[] = [];
    const off = client.on('library.changed', (p) => seen.push(p));
    emit('library.changed', { version: 2 });
    emit('sync.status', { state: 'idle' });
    off();
    emit('library.changed', { version: 3 });
    expect(seen).toEqual([{ version: 2 }]);
  });
});
