/**
 * How success and failure cross every boundary (IPC, HTTP, CLI --json): a plain, serialisable
 * value, so nothing depends on Error objects surviving structured clone or JSON.
 */
import { cutText } from './contract/text.ts';

export const errorCodes = [
  'bad-request', // the argument did not match the contract
  'not-found', // the item, page or blob does not exist in the current release
  'unknown-method', // the caller asked for a method the contract does not have
  'refused', // a release, file or action was refused (signature, version, path...)
  'storage', // the database or blob store failed
  'schema-too-new', // the profile was written by a newer Pitchcase
  'internal', // anything we did not anticipate; the message says what
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** The one error type the core throws and the renderer re-throws; `code` is machine-readable. */
export class PitchcaseError extends Error {
  override readonly name = 'PitchcaseError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/**
 * The longest message an error carries across a boundary. Messages often repeat what the caller
 * sent (a key, a value, a path); without a bound a hostile argument turns into a 100 kB answer.
 */
export const MAX_ERROR_MESSAGE_LENGTH = 500;

/** `text` cut to `max` characters, saying how much was left out. */
export function boundedText(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = ` … (${(text.length - max).toLocaleString('en-US')} more characters)`;
  // Cut on a code point boundary: half a surrogate pair would not survive JSON intact.
  return `${cutText(text, Math.max(0, max - note.length))}${note}`;
}

export function toErrorInfo(error: unknown): ErrorInfo {
  const bounded = (code: ErrorCode, message: string): ErrorInfo => ({
    code,
    message: boundedText(message, MAX_ERROR_MESSAGE_LENGTH),
  });
  if (error instanceof PitchcaseError) return bounded(error.code, error.message);
  if (error instanceof Error) return bounded('internal', error.message);
  return bounded('internal', String(error));
}

export function fail(error: unknown): Result<never> {
  return { ok: false, error: toErrorInfo(error) };
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (errorCodes as readonly string[]).includes(value);
}

/** Unwraps a Result received from another process; throws a typed PitchcaseError on failure. */
export function unwrap<T>(result: unknown): T {
  if (typeof result !== 'object' || result === null || !('ok' in result)) {
    throw new PitchcaseError('internal', 'Malformed response from the Pitchcase core');
  }
  const r = result as Result<T>;
  if (r.ok) return r.value;
  const code = isErrorCode(r.error?.code) ? r.error.code : 'internal';
  throw new PitchcaseError(code, String(r.error?.message ?? 'Unknown error'));
}
