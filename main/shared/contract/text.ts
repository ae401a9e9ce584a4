/**
 * Text that crosses the contract is stored as given or refused, never changed on the way: a
 * lone UTF-16 surrogate cannot be written as UTF-8 (SQLite would keep U+FFFD instead), and a
 * string longer than its column's bound would have to be cut. Both are refused here, where the
 * argument enters the core, and zod names the field.
 */
import { z } from 'zod';

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when the string survives a round trip through UTF-8 unchanged. */
export function isWellFormedText(value: string): boolean {
  return !loneSurrogate.test(value);
}

/** At most `max` UTF-16 units of `text`, never half of a character (a surrogate pair). */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/**
 * The one string schema for text people type (names, notes, messages): at most `max`
 * characters, well-formed UTF-16. `trim` takes surrounding spaces off first (never more).
 */
export function storableText(max: number, options: { trim?: boolean } = {}) {
  return (options.trim ? z.string().trim() : z.string())
    .max(max, `is longer than ${max} characters`)
    .refine(isWellFormedText, { message: 'holds a broken character (a lone UTF-16 surrogate) that cannot be stored' });
}
