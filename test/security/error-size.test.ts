/**
 * What an error repeats back is bounded: an argument with 10,000 unknown keys (or one huge key)
 * gets a short error naming a few of them, for every method of the contract.
 */
import { describe, expect, it } from 'vitest';
import { apiMethods } from '#shared/contract';
import { MAX_ERROR_MESSAGE_LENGTH } from '#shared/result';
import { batteryHosts } from './battery.ts';

const manyKeys = JSON.stringify(Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`unknown_key_${i}`, 1])));
const hugeKey = JSON.stringify({ ['k'.repeat(200_000)]: 1 });

describe.each(batteryHosts())('error messages ($kind profile)', (host) => {
  it.each([
    ['10,000 unknown keys', manyKeys],
    ['one 200 kB key', hugeKey],
  ])('an argument with %s gets a short error from every method', async (_name, body) => {
    for (const method of apiMethods) {
      const response = await fetch(new URL(`/api/${method}`, host.url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
      });
      const text = await response.text();
      const result = JSON.parse(text) as { ok: boolean; error?: { code: string; message: string } };
      expect(result.ok, method).toBe(false);
      expect(result.error?.code, method).toBe('bad-request');
      expect(result.error!.message.length, `${method}: ${result.error!.message.slice(0, 200)}`).toBeLessThanOrEqual(
        MAX_ERROR_MESSAGE_LENGTH,
      );
      expect(text.length, method).toBeLessThan(2 * MAX_ERROR_MESSAGE_LENGTH);
    }
  });

  it('names the first unknown keys and counts the rest', async () => {
    const response = await fetch(new URL('/api/getLibrary', host.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: manyKeys,
    });
    const { error } = (await response.json()) as { error: { message: string } };
    expect(error.message).toMatch(/unknown_key_0/);
    expect(error.message).toMatch(/and 9,99\d more/);
  });
});
