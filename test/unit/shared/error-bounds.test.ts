import { describe, expect, it } from 'vitest';
import { apiArgSchemas, argumentProblem } from '#shared/contract-args';
import { cutText } from '#shared/contract/text';
import { boundedText, fail, MAX_ERROR_MESSAGE_LENGTH, PitchcaseError } from '#shared/result';

describe('what an error repeats back is bounded', () => {
  it('cuts a long message and says how much was left out', () => {
    expect(boundedText('short', 10)).toBe('short');
    const cut = boundedText('x'.repeat(10_000), 100);
    expect(cut.length).toBeLessThanOrEqual(100);
    expect(cut).toMatch(/^x+ … \(9,9\d\d more characters\)$/);
  });

  it('never cuts a surrogate pair in half', () => {
    const cut = boundedText('😀'.repeat(1000), 101);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('cuts text at a whole character', () => {
    expect(cutText('short', 10)).toBe('short');
    expect(cutText('abcdef', 3)).toBe('abc');
    // A surrogate pair straddling the cut goes whole or not at all.
    expect(cutText('ab\u{1F30A}c', 3)).toBe('ab');
    expect(cutText('ab\u{1F30A}c', 4)).toBe('ab\u{1F30A}');
  });

  it('bounds every error that crosses a boundary', () => {
    const result = fail(new PitchcaseError('refused', `bad host ${'h'.repeat(50_000)}`));
    expect(!result.ok && result.error.message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
    const internal = fail(new Error('e'.repeat(50_000)));
    expect(!internal.ok && internal.error.message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
  });

  it('names three unknown keys and counts the rest', () => {
    const arg = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, 1]));
    const parsed = apiArgSchemas.getLibrary.safeParse(arg);
    expect(parsed.success).toBe(false);
    expect(argumentProblem('getLibrary', parsed.error!)).toBe(
      'getLibrary: argument has unknown keys "k0", "k1", "k2" and 9,997 more',
    );
  });

  it('names one unknown key as it is, and shortens a huge one', () => {
    const one = apiArgSchemas.getItem.safeParse({ id: 'a', colour: 1 });
    expect(argumentProblem('getItem', one.error!)).toBe('getItem: argument has unknown key "colour"');
    const huge = apiArgSchemas.getItem.safeParse({ id: 'a', ['k'.repeat(100_000)]: 1 });
    expect(argumentProblem('getItem', huge.error!).length).toBeLessThan(120);
  });

  it('keeps the schema message for other problems', () => {
    const wrong = apiArgSchemas.getItem.safeParse({ id: 42 });
    expect(argumentProblem('getItem', wrong.error!)).toMatch(/^getItem: id .*string/i);
  });
});
